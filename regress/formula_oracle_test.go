package regress

import (
	"math"
	"slices"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

// formulaOracle is ../shared/oracle/formula_produc.json: R 4.2.2
// model.matrix on Produc for 15 formulas, and two plm 2.6-2 within fits.
type formulaOracle struct {
	ModelMatrix []struct {
		Formula    string    `json:"formula"`
		Columns    []string  `json:"columns"`
		ColumnSums []float64 `json:"column_sums"`
		FirstRow   []float64 `json:"first_row"`
		NRow       int       `json:"nrow"`
	} `json:"model_matrix"`
	Within []struct {
		Formula      string    `json:"formula"`
		Coefficients []plmCoef `json:"coefficients"`
	} `json:"within"`
}

// TestFormulaProducModelMatrix compares Design with R's model.matrix
// (formula_produc.json): names and order exactly, first row to 1e-10
// relative, column sums to 1e-10 of the column's absolute sum (the
// orthogonal polynomials and scale() sum to rounding noise).
func TestFormulaProducModelMatrix(t *testing.T) {
	sharedtest.Dir(t)
	var o formulaOracle
	loadJSON(t, "formula_produc.json", &o)
	if len(o.ModelMatrix) < 15 {
		t.Fatalf("%d formulas in the oracle, want 15", len(o.ModelMatrix))
	}
	p := readProduc(t, "produc.csv")
	for _, tc := range o.ModelMatrix {
		t.Run(tc.Formula, func(t *testing.T) {
			d, err := p.Design(tc.Formula)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.Names, tc.Columns) {
				t.Fatalf("columns\n %q\nwant\n %q", d.Names, tc.Columns)
			}
			if d.NObs() != tc.NRow {
				t.Errorf("%d rows, want %d", d.NObs(), tc.NRow)
			}
			for j, name := range tc.Columns {
				col := mat.Col(nil, j, d.X)
				var sum, abs float64
				for _, v := range col {
					sum += v
					abs += math.Abs(v)
				}
				if !(math.Abs(sum-tc.ColumnSums[j]) <= 1e-10*abs) {
					t.Errorf("%s: column sum %.15g, want %.15g", name, sum, tc.ColumnSums[j])
				}
				if !scalar.EqualWithinAbsOrRel(col[0], tc.FirstRow[j], 1e-300, 1e-10) {
					t.Errorf("%s: first row %.15g, want %.15g", name, col[0], tc.FirstRow[j])
				}
			}
		})
	}
}

// TestFormulaProducWithin compares within-individual fits with
// interactions and poly() with plm 2.6-2 (formula_produc.json), 1e-8.
func TestFormulaProducWithin(t *testing.T) {
	sharedtest.Dir(t)
	var o formulaOracle
	loadJSON(t, "formula_produc.json", &o)
	if len(o.Within) < 2 {
		t.Fatalf("%d within fits in the oracle, want 2", len(o.Within))
	}
	p := readProduc(t, "produc.csv")
	for _, tc := range o.Within {
		t.Run(tc.Formula, func(t *testing.T) {
			d, err := p.Design(tc.Formula)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Fit(d, FitOptions{Model: "fe", Effects: Individual})
			if err != nil {
				t.Fatal(err)
			}
			checkCoefs(t, tc.Formula, r, tc.Coefficients)
		})
	}
}
