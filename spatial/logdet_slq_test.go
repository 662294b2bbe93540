package spatial

import (
	"fmt"
	"math"
	"testing"
)

func TestQuickSLQ(t *testing.T) {
	for _, side := range []int{20, 40} {
		w0, _ := Lattice(side, side, false)
		w, _ := w0.Transform(RowStandardized)
		ex, err := NewEigenLogDet(w)
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewSLQLogDet(w, LogDetOptions{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := s.Interval()
		var worst float64
		for _, rho := range []float64{-0.9, -0.5, 0.2, 0.5, 0.8, 0.95} {
			d := math.Abs(s.LogDet(rho) - ex.LogDet(rho))
			worst = math.Max(worst, d)
			fmt.Println(side, rho, ex.LogDet(rho), s.LogDet(rho), d, s.StdErr(rho))
		}
		fmt.Println("interval", lo, hi, "bound", s.ErrorBound(), "worst", worst)
	}
}
