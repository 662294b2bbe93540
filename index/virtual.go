package index

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// online returns the margins of the online volumes V_rs = o_rs E_rs.
func online(t *totals, o mat.Matrix) *totals {
	r, s := o.Dims()
	if r != t.r || s != t.s {
		panic("index: share matrix dimension mismatch")
	}
	od := asDense(o)
	v := mat.NewDense(r, s, nil)
	v.MulElem(t.e, od)
	return newTotals(v)
}

// onlineChecks reports zero online totals of regions and sectors.
func onlineChecks(v *totals, z *zeroCheck) (badR, badS []bool, err error) {
	badR = make([]bool, v.r)
	badS = make([]bool, v.s)
	if v.all <= 0 {
		if err := z.bad("all online", -1); err != nil {
			return nil, nil, err
		}
	}
	for j, x := range v.sector {
		if x <= 0 {
			badS[j] = true
			if err := z.bad("sector online", j); err != nil {
				return nil, nil, err
			}
		}
	}
	for i, x := range v.region {
		if x <= 0 {
			badR[i] = true
			if err := z.bad("region online", i); err != nil {
				return nil, nil, err
			}
		}
	}
	return badR, badS, nil
}

// OnlineLQ returns the online location quotient of each region and sector,
// the LQ of the online volumes V_rs = o_rs E_rs (o holds the online shares
// o_rs ∈ [0, 1], same shape as e):
//
//	VLQ_rs = (V_rs/V_r) / (V_s/V) = LQ_rs · o_rs ō / (ō_r ō_s),
//
// with ō = V/E, ō_r = V_r/E_r, ō_s = V_s/E_s: physical specialisation times
// relative online intensity. VLQ_rs = 0 where V_rs = 0. A region or sector
// with zero online total gives a *ZeroTotalError or NaN.
func OnlineLQ(e, o mat.Matrix, zero ZeroPolicy) (*mat.Dense, error) {
	t := newTotals(e)
	return onlineLQ(t, online(t, o), &zeroCheck{policy: zero})
}

func onlineLQ(t, v *totals, z *zeroCheck) (*mat.Dense, error) {
	out := mat.NewDense(t.r, t.s, nil)
	badR, badS, err := onlineChecks(v, z)
	if err != nil {
		return nil, err
	}
	if v.all <= 0 {
		fillNaN(out)
		return out, nil
	}
	for i := 0; i < t.r; i++ {
		in := v.e.RawRowView(i)
		row := out.RawRowView(i)
		for j, x := range in {
			switch {
			case badR[i] || badS[j]:
				row[j] = math.NaN()
			case x == 0:
				row[j] = 0
			default:
				row[j] = (x / v.region[i]) / (v.sector[j] / v.all)
			}
		}
	}
	return out, nil
}

// VA returns the virtual agglomeration index of each region and sector.
// Without normalisation it is the form used in the literature (Wang, Liang
// and Li 2018; Liu, He, Chen and Xie 2020),
//
//	VA_rs = o_rs · LQ_rs,
//
// physical specialisation weighted by the cell's online share. With
// normalise it is this toolkit's normalised form
//
//	VA*_rs = (o_rs/ō_s) · LQ_rs,  ō_s = V_s/E_s,
//
// whose x-weighted mean over regions, Σ_r x_r VA*_rs, is exactly 1 for every
// sector (as that of LQ is), so that values above 1 mean more virtual
// agglomeration than the sector's national average. Zero totals give a
// *ZeroTotalError or NaN.
func VA(e, o mat.Matrix, normalise bool, zero ZeroPolicy) (*mat.Dense, error) {
	t := newTotals(e)
	return va(t, o, normalise, &zeroCheck{policy: zero})
}

func va(t *totals, o mat.Matrix, normalise bool, z *zeroCheck) (*mat.Dense, error) {
	out := mat.NewDense(t.r, t.s, nil)
	if err := lqTo(out, t, z); err != nil {
		return nil, err
	}
	od := asDense(o)
	var obar []float64
	if normalise {
		v := online(t, o)
		obar = make([]float64, t.s)
		for j := range obar {
			obar[j] = math.NaN()
			if t.sector[j] > 0 && v.sector[j] > 0 {
				obar[j] = v.sector[j] / t.sector[j]
			} else if t.sector[j] > 0 {
				if err := z.bad("sector online", j); err != nil {
					return nil, err
				}
			}
		}
	}
	for i := 0; i < t.r; i++ {
		row := out.RawRowView(i)
		sh := od.RawRowView(i)
		for j := range row {
			if normalise {
				row[j] *= sh[j] / obar[j]
			} else {
				row[j] *= sh[j]
			}
		}
	}
	return out, nil
}

// VARegion aggregates a region × sector index (such as VA) over sector
// groups: for group g (the columns listed in groups[g]) and region r,
//
//	A_rg = Σ_{s∈g} w_rs VA_rs / Σ_{s∈g} w_rs,
//
// with weights w = e (activity-weighted, the default when w is nil) or the
// user's. Cells with zero weight are left out (their VA may be NaN). A
// region with zero weight in a group gives a *ZeroTotalError or NaN. The
// result is R × len(groups).
func VARegion(e, vaIdx, w mat.Matrix, groups [][]int, zero ZeroPolicy) (*mat.Dense, error) {
	if w == nil {
		w = e
	}
	// A_rg is a weighted mean, free of the scale of w: scale w so that its
	// group sums cannot overflow.
	ws, _ := unitScaleDense(asDense(w))
	return vaRegion(asDense(vaIdx), ws, groups, &zeroCheck{policy: zero})
}

func vaRegion(v, w *mat.Dense, groups [][]int, z *zeroCheck) (*mat.Dense, error) {
	r, _ := v.Dims()
	out := mat.NewDense(r, len(groups), nil)
	for i := 0; i < r; i++ {
		vr, wr := v.RawRowView(i), w.RawRowView(i)
		for g, cols := range groups {
			var num, den float64
			for _, j := range cols {
				if wr[j] != 0 {
					num += wr[j] * vr[j]
					den += wr[j]
				}
			}
			if den == 0 {
				if err := z.bad("region×group", i*len(groups)+g); err != nil {
					return nil, err
				}
				out.Set(i, g, math.NaN())
				continue
			}
			out.Set(i, g, num/den)
		}
	}
	return out, nil
}

// VAGap returns, for each sector, the change in Ellison–Glaeser raw
// concentration when online volumes replace physical activity:
//
//	ΔG_s = Σ_r (V_rs/V_s − x_r)² − Σ_r (s_rs − x_r)²,
//
// with x_r = E_r/E the physical shares in both terms. It is negative when
// online activity is more evenly spread (relative to all activity) than
// physical activity: the "breaking through space" of virtual agglomeration.
// This is the toolkit's own construction. Zero totals give a
// *ZeroTotalError or NaN.
func VAGap(e, o mat.Matrix, zero ZeroPolicy) ([]float64, error) {
	t := newTotals(e)
	return vaGap(t, online(t, o), &zeroCheck{policy: zero})
}

func vaGap(t, v *totals, z *zeroCheck) ([]float64, error) {
	out := nanSlice(t.s)
	if ok, err := t.checkAll(z); !ok {
		return out, err
	}
	badS, err := t.checkSectors(z)
	if err != nil {
		return nil, err
	}
	x := t.x()
	for j := range out {
		if badS[j] {
			continue
		}
		if v.sector[j] <= 0 {
			if err := z.bad("sector online", j); err != nil {
				return nil, err
			}
			continue
		}
		var gv, ge float64
		for i := 0; i < t.r; i++ {
			dv := v.e.At(i, j)/v.sector[j] - x[i]
			de := t.e.At(i, j)/t.sector[j] - x[i]
			gv += dv * dv
			ge += de * de
		}
		out[j] = gv - ge
	}
	return out, nil
}

// VirtualCoagg returns the Coagg index with the online LQ of group p (its
// online volumes summed as one sector, (V_pr/V_r)/(V_p/V)) in place of its
// physical LQ, group m keeping its physical LQ: the coagglomeration of
// manufacturing with the virtual agglomeration of producer services. This
// is the toolkit's own construction. Zero totals give a *ZeroTotalError or
// NaN.
func VirtualCoagg(e, o mat.Matrix, m, p []int, zero ZeroPolicy) (*CoaggResult, error) {
	t := newTotals(e)
	return coagg(t, groupLQ(t, m), p, online(t, o), &zeroCheck{policy: zero})
}
