package spatial

import (
	"fmt"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/paulmach/orb"
)

// squareGrid returns nrow × ncol unit squares, and optionally a detached
// square far away.
func squareGrid(nrow, ncol int, island bool) *Regions {
	r := &Regions{}
	for i := 0; i < nrow; i++ {
		for j := 0; j < ncol; j++ {
			x, y := float64(j), float64(i)
			r.IDs = append(r.IDs, fmt.Sprintf("r%dc%d", i, j))
			r.Polygons = append(r.Polygons, orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}})
		}
	}
	if island {
		r.IDs = append(r.IDs, "island")
		r.Polygons = append(r.Polygons, orb.Polygon{{{100, 100}, {101, 100}, {101, 101}, {100, 101}, {100, 100}}})
	}
	return r
}

func TestContiguityGrid(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		queen                  bool
		corner, edge, interior int
	}{
		{"rook", false, 2, 3, 4},
		{"queen", true, 3, 5, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := Contiguity(squareGrid(4, 5, true), ContiguityOptions{Queen: tc.queen})
			if err != nil {
				t.Fatal(err)
			}
			c := w.Cardinalities()
			if c[0] != tc.corner || c[2] != tc.edge || c[7] != tc.interior {
				t.Errorf("corner %d edge %d interior %d", c[0], c[2], c[7])
			}
			if isl := w.Islands(); len(isl) != 1 || w.IDs()[isl[0]] != "island" {
				t.Errorf("islands %v", isl)
			}
			// The same links as the lattice built directly.
			l, _ := Lattice(4, 5, tc.queen)
			for i := 0; i < 20; i++ {
				for j := 0; j < 20; j++ {
					if w.At(i, j) != l.At(i, j) {
						t.Fatalf("(%d,%d) differs from Lattice", i, j)
					}
				}
			}
		})
	}
}

func TestContiguityPoly2nb(t *testing.T) {
	var o struct {
		NC  contigRefs `json:"contiguity_nc_sids"`
		Col contigRefs `json:"contiguity_columbus"`
	}
	sharedtest.ReadJSON(t, &o, "oracle", "columbus.json")
	for _, tc := range []struct {
		file string
		ref  contigRefs
	}{
		{"nc_sids.geojson", o.NC},
		{"columbus.geojson", o.Col},
	} {
		r, err := ReadGeoJSONFile(sharedtest.Data(t, tc.file), "id")
		if err != nil {
			t.Fatal(err)
		}
		for _, style := range []string{"queen", "rook"} {
			t.Run(tc.file+"/"+style, func(t *testing.T) {
				w, err := Contiguity(r, ContiguityOptions{Queen: style == "queen"})
				if err != nil {
					t.Fatal(err)
				}
				ref := tc.ref.Rook
				if style == "queen" {
					ref = tc.ref.Queen
				}
				// spdep 1.2-7 poly2nb(queen = TRUE/FALSE)
				if w.N() != ref.N || w.NNZ() != ref.Links || len(w.Islands()) != ref.Islands {
					t.Fatalf("n %d links %d islands %d, want %d %d %d", w.N(), w.NNZ(), len(w.Islands()), ref.N, ref.Links, ref.Islands)
				}
				for i, c := range w.Cardinalities() {
					if c != ref.Card[i] {
						t.Errorf("region %s: %d neighbours, spdep %d", w.IDs()[i], c, ref.Card[i])
					}
				}
			})
		}
	}
}

type contigRef struct {
	N       int   `json:"n"`
	Links   int   `json:"links"`
	Islands int   `json:"islands"`
	Card    []int `json:"card"`
}

type contigRefs struct {
	Queen contigRef `json:"queen"`
	Rook  contigRef `json:"rook"`
}
