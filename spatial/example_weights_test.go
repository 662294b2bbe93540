package spatial_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/agglo/agglo/spatial"
	"github.com/paulmach/orb"
)

// A GAL file in GeoDa's layout: a header "0 n shape idvar", then for each
// region a line "id k" and a line with its k neighbours.
func ExampleReadGAL() {
	gal := `0 4 blocks BLOCKID
A 2
B C
B 2
A D
C 2
A D
D 2
B C
`
	w, err := spatial.ReadGAL(strings.NewReader(gal))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(w.N(), "regions,", w.NNZ(), "links, symmetric:", w.IsSymmetric())
	rw, _ := w.Transform(spatial.RowStandardized)
	i, _ := rw.Index("A")
	nb, wt := rw.Neighbours(i)
	for k, j := range nb {
		fmt.Printf("w(A,%s) = %g\n", rw.IDs()[j], wt[k])
	}
	// Output:
	// 4 regions, 8 links, symmetric: true
	// w(A,B) = 0.5
	// w(A,C) = 0.5
}

// Contiguity of a 3 × 3 grid of unit squares, as spdep's poly2nb finds it:
// the centre has 4 rook and 8 queen neighbours.
func ExampleContiguity() {
	r := &spatial.Regions{}
	for row := 0; row < 3; row++ {
		for col := 0; col < 3; col++ {
			x, y := float64(col), float64(row)
			r.IDs = append(r.IDs, fmt.Sprintf("%c%d", 'a'+col, row+1))
			r.Polygons = append(r.Polygons, orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}})
		}
	}
	for _, queen := range []bool{false, true} {
		w, err := spatial.Contiguity(r, spatial.ContiguityOptions{Queen: queen})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("queen=%v: links %d, cardinalities %v\n", queen, w.NNZ(), w.Cardinalities())
	}
	// Output:
	// queen=false: links 24, cardinalities [2 3 2 3 4 3 2 3 2]
	// queen=true: links 40, cardinalities [3 5 3 5 8 5 3 5 3]
}

// Two nearest neighbours of five towns by great-circle distance (lon/lat in
// degrees, kilometres on a sphere of radius 6371.0088 km; checked against an
// independent haversine): k-nearest-neighbour weights are not symmetric.
func ExampleKNearest() {
	ids := []string{"Paris", "Lyon", "Marseille", "Lille", "Bordeaux"}
	pts := []orb.Point{{2.35, 48.86}, {4.84, 45.76}, {5.37, 43.30}, {3.06, 50.63}, {-0.58, 44.84}}
	w, err := spatial.KNearest(ids, pts, 2, spatial.GreatCircle)
	if err != nil {
		log.Fatal(err)
	}
	for i, id := range w.IDs() {
		nb, _ := w.Neighbours(i)
		fmt.Printf("%s:", id)
		for _, j := range nb {
			fmt.Printf(" %s (%.0f km)", ids[j], spatial.Haversine(pts[i], pts[j]))
		}
		fmt.Println()
	}
	s := w.Summarize()
	fmt.Println("links:", s.Links, "symmetric:", s.Symmetric)
	// Output:
	// Paris: Lyon (392 km) Lille (203 km)
	// Lyon: Paris (392 km) Marseille (277 km)
	// Marseille: Lyon (277 km) Bordeaux (505 km)
	// Lille: Paris (203 km) Lyon (557 km)
	// Bordeaux: Paris (499 km) Lyon (436 km)
	// links: 10 symmetric: false
}
