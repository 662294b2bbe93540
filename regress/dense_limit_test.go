package regress

import (
	"fmt"
	"strings"
	"testing"

	"github.com/agglo/agglo/spatial"
)

// TestFactorDummiesTooLarge checks issue 13 item 11: factor(id) with 10,000
// levels on 20,000 rows would need 20,000 × 9,999 dummies (1.5 GB per copy,
// 4.5 GB with the design and its transformed copy, above
// spatial.MaxDenseBytes): the design is refused before any allocation, with
// a message that suggests --effects individual; a small factor still works.
func TestFactorDummiesTooLarge(t *testing.T) {
	const n, tt = 10000, 2
	ids := make([]string, 0, n*tt)
	times := make([]string, 0, n*tt)
	y := make([]float64, 0, n*tt)
	x := make([]float64, 0, n*tt)
	for i := range n {
		for k := range tt {
			ids = append(ids, fmt.Sprintf("r%05d", i))
			times = append(times, fmt.Sprint(2000+k))
			y = append(y, float64(i%7+k))
			x = append(x, float64(i%5*k))
		}
	}
	p, err := NewPanel("region", "year", ids, times, map[string][]float64{"y": y, "x": x}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Design("y ~ x + factor(region)")
	if err == nil || !strings.Contains(err.Error(), "10000 levels") || !strings.Contains(err.Error(), "--effects individual") || !strings.Contains(err.Error(), "GB") {
		t.Fatalf("err = %v", err)
	}
	if _, err := p.Design("y ~ x + factor(year)"); err != nil {
		t.Fatalf("factor(year): %v", err)
	}
	if err := spatial.CheckDense(1000, 1000, 1, "small", ""); err != nil {
		t.Errorf("small matrix refused: %v", err)
	}
	if err := spatial.CheckDense(1<<20, 1<<20, 1, "the N × N weights", "use sparse methods"); err == nil || !strings.Contains(err.Error(), "8192.0 GB") && !strings.Contains(err.Error(), "TB") {
		t.Errorf("8 TB matrix: %v", err)
	}
}

// TestDesignRefusesOverflowingValues checks issue 13 item 6 for
// regressions: estimates are not scale-invariant, so a response or
// regressor near 1e300 (whose squares overflow) is refused with a message
// naming it, not fitted to NaN or a confident wrong number; log(x) of the
// same values is fine.
func TestDesignRefusesOverflowingValues(t *testing.T) {
	ids := []string{"a", "a", "b", "b", "c", "c"}
	times := []string{"1", "2", "1", "2", "1", "2"}
	y := []float64{1, 2, 3, 2, 5, 4}
	x := []float64{1e300, 2e300, 3e300, 1e300, 5e300, 4e300}
	p, err := NewPanel("id", "t", ids, times, map[string][]float64{"y": y, "x": x}, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Design("y ~ x"); err == nil || !strings.Contains(err.Error(), "regressor x") || !strings.Contains(err.Error(), "rescale") {
		t.Fatalf("err = %v", err)
	}
	if _, err := p.Design("x ~ y"); err == nil || !strings.Contains(err.Error(), "response x") {
		t.Fatalf("err = %v", err)
	}
	if _, err := p.Design("y ~ log(x)"); err != nil {
		t.Fatalf("log(x): %v", err)
	}
}
