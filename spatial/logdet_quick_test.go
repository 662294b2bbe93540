package spatial

import (
	"fmt"
	"math"
	"testing"
	"time"
)

func TestQuickChol(t *testing.T) {
	for _, queen := range []bool{false, true} {
		for _, side := range []int{20, 40} {
			w0, _ := Lattice(side, side+3, queen)
			w, _ := w0.Transform(RowStandardized)
			ex, _ := NewEigenLogDet(w)
			t0 := time.Now()
			c, err := NewCholeskyLogDet(w, LogDetOptions{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := c.Interval()
			elo, ehi := ex.Interval()
			var worst float64
			for _, rho := range []float64{-0.9, -0.5, 0, 0.2, 0.5, 0.8, 0.95} {
				d := math.Abs(c.LogDet(rho)-ex.LogDet(rho)) / math.Max(1, math.Abs(ex.LogDet(rho)))
				worst = math.Max(worst, d)
			}
			fmt.Println(queen, side, "nnzL", c.NNZ(), "interval", lo, hi, elo, ehi, "worst rel", worst, time.Since(t0))
		}
	}
}
