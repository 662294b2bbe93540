package spatial

import (
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// TestScaleInvariantStatisticsExtremeValues checks issue 13 item 6: Moran's
// I, Geary's C, Getis–Ord G and local Moran do not depend on the scale of
// x, so CRIME × 1e300 and × 1e-300 must give the statistics of CRIME
// (I = 0.485771 under row-standardised queen weights, spdep 1.2-7
// moran.test, ../shared/oracle/columbus.json), bit for bit: the values are
// scaled by a power of two before any sum of squares.
func TestScaleInvariantStatisticsExtremeValues(t *testing.T) {
	x, b := columbus(t)
	w, _ := b.Transform(RowStandardized)
	type stats struct {
		i, iz, c, cz, g, gz float64
		local               []float64
	}
	compute := func(x []float64) (stats, error) {
		var s stats
		m, err := Moran(x, w, TestOptions{Permutations: 99, Seed: 1})
		if err != nil {
			return s, err
		}
		c, err := Geary(x, w, TestOptions{})
		if err != nil {
			return s, err
		}
		g, err := GetisOrd(x, b, TestOptions{})
		if err != nil {
			return s, err
		}
		l, err := LocalMoran(x, w, LocalOptions{})
		if err != nil {
			return s, err
		}
		s = stats{m.Statistic, m.ZRandomisation, c.Statistic, c.ZRandomisation, g.Statistic, g.ZRandomisation, nil}
		for _, r := range l {
			s.local = append(s.local, r.Ii, r.Z, r.ZValue, r.Lag)
		}
		return s, nil
	}
	ref, err := compute(x)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ref.i-0.485771) > 5e-7 {
		t.Fatalf("I = %v, spdep 0.485771", ref.i)
	}
	for _, f := range []float64{1e300, 1e-300, 0x1p1000} {
		t.Run(fmt.Sprint(f), func(t *testing.T) {
			xs := make([]float64, len(x))
			for i, v := range x {
				xs[i] = v * f
			}
			got, err := compute(xs)
			if err != nil {
				t.Fatal(err)
			}
			rel := func(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(b), 1e-300) }
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"I", got.i, ref.i}, {"z(I)", got.iz, ref.iz}, {"C", got.c, ref.c}, {"z(C)", got.cz, ref.cz}, {"G", got.g, ref.g}, {"z(G)", got.gz, ref.gz}} {
				if !(rel(c.got, c.want) <= 1e-12) {
					t.Errorf("%s = %v, unscaled %v", c.name, c.got, c.want)
				}
			}
			for k := range ref.local {
				if !(rel(got.local[k], ref.local[k]) <= 1e-12) {
					t.Fatalf("local Moran output %d = %v, unscaled %v", k, got.local[k], ref.local[k])
				}
			}
		})
	}
}

// TestDenseAllocationsChecked checks issue 13 item 11 in the spatial
// package: dense N × N work (eigenvalues, a matrix CSV) and all-pairs
// inverse distances sized by the data are refused with a message before
// any allocation, instead of crashing with "out of memory".
func TestDenseAllocationsChecked(t *testing.T) {
	const n = 40000 // 40,000² × 8 bytes × 3 = 38 GB of eigen work
	ids := make([]string, n)
	pts := make([]orb.Point, n)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
		pts[i] = orb.Point{float64(i % 200), float64(i / 200)}
	}
	w, err := Lattice(200, 200, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Eigenvalues(); err == nil || !strings.Contains(err.Error(), "GB") {
		t.Errorf("eigenvalues of N = %d: %v", n, err)
	}
	if _, err := NewLogDeterminant(w, "eigen", LogDetOptions{}); err == nil || !strings.Contains(err.Error(), "cholesky") {
		t.Errorf("eigen log-determinant of N = %d: %v", n, err)
	}
	if err := WriteMatrixCSV(io.Discard, w); err == nil || !strings.Contains(err.Error(), "edge list") {
		t.Errorf("matrix CSV of N = %d: %v", n, err)
	}
	if _, err := InverseDistance(ids, pts, 1, 0, Euclidean); err == nil || !strings.Contains(err.Error(), "band") {
		t.Errorf("all pairs of %d points: %v", n, err)
	}
}
