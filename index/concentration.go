package index

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// totals holds the margins of one period's region × sector matrix. When
// its sums could overflow, e and the margins are those of the matrix
// scaled by 2^−scale (unitScaleDense): every index computed from them is
// scale-free; absolute totals are Ldexp(v, scale).
type totals struct {
	e      *mat.Dense
	r, s   int
	region []float64 // E_r
	sector []float64 // E_s
	all    float64   // E
	scale  int
}

func asDense(m mat.Matrix) *mat.Dense {
	if d, ok := m.(*mat.Dense); ok {
		return d
	}
	return mat.DenseCopyOf(m)
}

func newTotals(m mat.Matrix) *totals {
	e, scale := unitScaleDense(asDense(m))
	r, s := e.Dims()
	t := &totals{e: e, r: r, s: s, region: make([]float64, r), sector: make([]float64, s), scale: scale}
	for i := 0; i < r; i++ {
		row := e.RawRowView(i)
		var sum float64
		for j, v := range row {
			sum += v
			t.sector[j] += v
		}
		t.region[i] = sum
		t.all += sum
	}
	return t
}

// checkAll reports a year without any activity.
func (t *totals) checkAll(z *zeroCheck) (ok bool, err error) {
	if t.all > 0 {
		return true, nil
	}
	return false, z.bad("all", -1)
}

// checkSectors reports sectors with zero total; bad[j] is true for them.
func (t *totals) checkSectors(z *zeroCheck) (bad []bool, err error) {
	bad = make([]bool, t.s)
	for j, v := range t.sector {
		if v <= 0 {
			bad[j] = true
			if err := z.bad("sector", j); err != nil {
				return nil, err
			}
		}
	}
	return bad, nil
}

// checkRegions reports regions with zero total; bad[i] is true for them.
func (t *totals) checkRegions(z *zeroCheck) (bad []bool, err error) {
	bad = make([]bool, t.r)
	for i, v := range t.region {
		if v <= 0 {
			bad[i] = true
			if err := z.bad("region", i); err != nil {
				return nil, err
			}
		}
	}
	return bad, nil
}

// x returns the regions' shares of total activity, x_r = E_r/E.
func (t *totals) x() []float64 {
	x := make([]float64, t.r)
	for i, v := range t.region {
		x[i] = v / t.all
	}
	return x
}

func nanSlice(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.NaN()
	}
	return v
}

// LQ returns the location quotients of the region × sector matrix e
// (rows regions, columns sectors, entries E_rs ≥ 0 of one period):
//
//	LQ_rs = (E_rs/E_r) / (E_s/E)
//
// with E_r = Σ_s E_rs, E_s = Σ_r E_rs, E = Σ_rs E_rs; LQ_rs = 0 where
// E_rs = 0 (Hoover 1936; Isard 1960). A region or sector with zero total
// gives a *ZeroTotalError, or NaN entries under ZeroNaN.
func LQ(e mat.Matrix, zero ZeroPolicy) (*mat.Dense, error) {
	r, s := e.Dims()
	dst := mat.NewDense(r, s, nil)
	return dst, lqTo(dst, newTotals(e), &zeroCheck{policy: zero})
}

// LQTo is LQ writing into dst, which must have the dimensions of e; it
// allocates only the margins, for repeated use on large panels.
func LQTo(dst *mat.Dense, e mat.Matrix, zero ZeroPolicy) error {
	r, s := e.Dims()
	if rr, ss := dst.Dims(); rr != r || ss != s {
		panic("index: LQTo dimension mismatch")
	}
	return lqTo(dst, newTotals(e), &zeroCheck{policy: zero})
}

func lqTo(dst *mat.Dense, t *totals, z *zeroCheck) error {
	if ok, err := t.checkAll(z); !ok {
		fillNaN(dst)
		return err
	}
	badS, err := t.checkSectors(z)
	if err != nil {
		return err
	}
	badR, err := t.checkRegions(z)
	if err != nil {
		return err
	}
	// LQ_rs = E_rs · (E/E_s) / E_r, with the per-sector factor hoisted.
	inv := make([]float64, t.s)
	for j, v := range t.sector {
		inv[j] = t.all / v
	}
	for i := 0; i < t.r; i++ {
		in := t.e.RawRowView(i)
		out := dst.RawRowView(i)
		if badR[i] {
			for j := range out {
				out[j] = math.NaN()
			}
			continue
		}
		er := t.region[i]
		for j, v := range in {
			switch {
			case badS[j]:
				out[j] = math.NaN()
			case v == 0:
				out[j] = 0
			default:
				out[j] = (v / er) * inv[j]
			}
		}
	}
	return nil
}

func fillNaN(d *mat.Dense) {
	r, _ := d.Dims()
	for i := 0; i < r; i++ {
		row := d.RawRowView(i)
		for j := range row {
			row[j] = math.NaN()
		}
	}
}

// Hoover returns the Hoover (1936) coefficient of localisation of each
// sector (column of e):
//
//	H_s = ½ Σ_r |s_rs − x_r|,  s_rs = E_rs/E_s,  x_r = E_r/E,
//
// in [0, 1): 0 when the sector is distributed like all activity. R's
// EconGeo::Hoover.Gini and some texts report 100·H_s or Σ_r |s_rs − x_r|
// (= 2H_s, the Krugman-type index); divide accordingly. A sector with zero
// total gives a *ZeroTotalError or NaN.
func Hoover(e mat.Matrix, zero ZeroPolicy) ([]float64, error) {
	return hoover(newTotals(e), &zeroCheck{policy: zero})
}

func hoover(t *totals, z *zeroCheck) ([]float64, error) {
	if ok, err := t.checkAll(z); !ok {
		return nanSlice(t.s), err
	}
	badS, err := t.checkSectors(z)
	if err != nil {
		return nil, err
	}
	x := t.x()
	out := make([]float64, t.s)
	for j := range out {
		if badS[j] {
			out[j] = math.NaN()
			continue
		}
		var sum float64
		for i := 0; i < t.r; i++ {
			sum += math.Abs(t.e.At(i, j)/t.sector[j] - x[i])
		}
		out[j] = sum / 2
	}
	return out, nil
}

// Krugman returns the Krugman (1991) specialisation index of each region
// (row of e):
//
//	K_r = Σ_s |E_rs/E_r − E_s/E|,
//
// in [0, 2]: 0 when the region's sector mix mirrors the nation's, 2 when
// they share no sector. A region with zero total gives a *ZeroTotalError
// or NaN.
func Krugman(e mat.Matrix, zero ZeroPolicy) ([]float64, error) {
	return krugman(newTotals(e), &zeroCheck{policy: zero})
}

func krugman(t *totals, z *zeroCheck) ([]float64, error) {
	if ok, err := t.checkAll(z); !ok {
		return nanSlice(t.r), err
	}
	badR, err := t.checkRegions(z)
	if err != nil {
		return nil, err
	}
	out := make([]float64, t.r)
	for i := range out {
		if badR[i] {
			out[i] = math.NaN()
			continue
		}
		row := t.e.RawRowView(i)
		var sum float64
		for j, v := range row {
			sum += math.Abs(v/t.region[i] - t.sector[j]/t.all)
		}
		out[i] = sum
	}
	return out, nil
}

// KrugmanDissimilarity returns the Krugman (1991) dissimilarity of the
// sector mixes of regions (rows) a and b of e:
//
//	K_ab = Σ_s |E_as/E_a − E_bs/E_b|,
//
// in [0, 2]. A region with zero total gives a *ZeroTotalError (or NaN).
func KrugmanDissimilarity(e mat.Matrix, a, b int, zero ZeroPolicy) (float64, error) {
	t := newTotals(e)
	z := &zeroCheck{policy: zero}
	for _, i := range []int{a, b} {
		if t.region[i] <= 0 {
			if err := z.bad("region", i); err != nil {
				return 0, err
			}
			return math.NaN(), nil
		}
	}
	var sum float64
	for j := 0; j < t.s; j++ {
		sum += math.Abs(t.e.At(a, j)/t.region[a] - t.e.At(b, j)/t.region[b])
	}
	return sum, nil
}

// Gini returns the locational Gini coefficient of each sector (Krugman
// 1991). For sector s the regions are sorted by LQ_rs ascending (ties by
// ids, or by row when ids is nil); with X_k and Y_k the cumulative shares of
// total activity (x_r) and of the sector's activity (s_rs) over the first k
// regions (X_0 = Y_0 = 0),
//
//	G_s = 1 − Σ_k (X_k − X_{k−1})(Y_k + Y_{k−1}),
//
// twice the area between the sector's localisation curve and the
// diagonal, in [0, 1). Regions without activity have x_r = 0 and add
// nothing. A sector with zero total gives a *ZeroTotalError or NaN.
func Gini(e mat.Matrix, ids []string, zero ZeroPolicy) ([]float64, error) {
	return gini(newTotals(e), ids, &zeroCheck{policy: zero})
}

func gini(t *totals, ids []string, z *zeroCheck) ([]float64, error) {
	if ids != nil && len(ids) != t.r {
		panic("index: Gini ids length mismatch")
	}
	if ok, err := t.checkAll(z); !ok {
		return nanSlice(t.s), err
	}
	badS, err := t.checkSectors(z)
	if err != nil {
		return nil, err
	}
	x := t.x()
	out := make([]float64, t.s)
	order := make([]int, t.r)
	lq := make([]float64, t.r)
	for j := range out {
		if badS[j] {
			out[j] = math.NaN()
			continue
		}
		for i := range order {
			order[i] = i
			lq[i] = 0
			if t.region[i] > 0 {
				lq[i] = (t.e.At(i, j) / t.region[i]) / (t.sector[j] / t.all)
			}
		}
		sort.SliceStable(order, func(a, b int) bool {
			ia, ib := order[a], order[b]
			if lq[ia] != lq[ib] {
				return lq[ia] < lq[ib]
			}
			if ids != nil {
				return ids[ia] < ids[ib]
			}
			return ia < ib
		})
		var X, Y, sum float64
		for _, i := range order {
			nx := X + x[i]
			ny := Y + t.e.At(i, j)/t.sector[j]
			sum += (nx - X) * (ny + Y)
			X, Y = nx, ny
		}
		out[j] = 1 - sum
	}
	return out, nil
}

// HHISector returns the Herfindahl–Hirschman index (Hirschman 1945;
// Herfindahl 1950) of each sector's spatial distribution, Σ_r s_rs² with s_rs = E_rs/E_s (1/R when spread
// evenly over R regions, 1 when in one region). A sector with zero total
// gives a *ZeroTotalError or NaN.
func HHISector(e mat.Matrix, zero ZeroPolicy) ([]float64, error) {
	return hhiSector(newTotals(e), &zeroCheck{policy: zero})
}

func hhiSector(t *totals, z *zeroCheck) ([]float64, error) {
	badS, err := t.checkSectors(z)
	if err != nil {
		return nil, err
	}
	out := make([]float64, t.s)
	for i := 0; i < t.r; i++ {
		for j, v := range t.e.RawRowView(i) {
			if !badS[j] {
				sh := v / t.sector[j]
				out[j] += sh * sh
			}
		}
	}
	for j := range out {
		if badS[j] {
			out[j] = math.NaN()
		}
	}
	return out, nil
}

// HHIRegion returns the Herfindahl–Hirschman index of each region's sector
// mix, Σ_s (E_rs/E_r)² (a measure of specialisation). A region with zero
// total gives a *ZeroTotalError or NaN.
func HHIRegion(e mat.Matrix, zero ZeroPolicy) ([]float64, error) {
	return hhiRegion(newTotals(e), &zeroCheck{policy: zero})
}

func hhiRegion(t *totals, z *zeroCheck) ([]float64, error) {
	badR, err := t.checkRegions(z)
	if err != nil {
		return nil, err
	}
	out := make([]float64, t.r)
	for i := range out {
		if badR[i] {
			out[i] = math.NaN()
			continue
		}
		var sum float64
		for _, v := range t.e.RawRowView(i) {
			sh := v / t.region[i]
			sum += sh * sh
		}
		out[i] = sum
	}
	return out, nil
}
