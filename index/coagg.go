package index

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// CoaggResult holds a region-level coagglomeration index and its parts.
type CoaggResult struct {
	// Value is C_r = Quality_r + Level_r.
	Value []float64
	// Quality is 1 − |LQ_m − LQ_p|/(LQ_m + LQ_p), in [0, 1]: 1 when the two
	// groups are equally specialised in the region.
	Quality []float64
	// Level is LQ_m + LQ_p, the joint degree of specialisation.
	Level []float64
	// LQm and LQp are the two groups' location quotients.
	LQm, LQp []float64
}

// Coagg returns the location-quotient coagglomeration index of two sector
// groups in each region (row of e), the form used throughout regional
// studies of manufacturing and producer-services coagglomeration (see the
// package documentation for its origin):
//
//	C_r = 1 − |LQ_m − LQ_p|/(LQ_m + LQ_p) + (LQ_m + LQ_p)
//
// where LQ_m and LQ_p are the location quotients of the columns listed in m
// and in p, each group summed as one sector: LQ_g,r = (E_gr/E_r)/(E_g/E),
// E_r still the total over all sectors. A region with zero total, a group
// with zero total, or a region where both groups are absent give a
// *ZeroTotalError, or NaN under ZeroNaN.
func Coagg(e mat.Matrix, m, p []int, zero ZeroPolicy) (*CoaggResult, error) {
	t := newTotals(e)
	return coagg(t, groupLQ(t, m), p, t, &zeroCheck{policy: zero})
}

// groupSums returns E_gr for the columns in g, and E_g.
func groupSums(e *mat.Dense, g []int) ([]float64, float64) {
	r, _ := e.Dims()
	out := make([]float64, r)
	var tot float64
	for i := 0; i < r; i++ {
		row := e.RawRowView(i)
		for _, j := range g {
			out[i] += row[j]
		}
		tot += out[i]
	}
	return out, tot
}

// groupLQ is a deferred computation of a group's LQs under t's margins.
type groupLQFunc func(z *zeroCheck) ([]float64, error)

func groupLQ(t *totals, g []int) groupLQFunc {
	return func(z *zeroCheck) ([]float64, error) {
		eg, tot := groupSums(t.e, g)
		out := nanSlice(t.r)
		if ok, err := t.checkAll(z); !ok {
			return out, err
		}
		if tot <= 0 {
			return out, z.bad("group", -1)
		}
		for i := range out {
			if t.region[i] > 0 {
				out[i] = (eg[i] / t.region[i]) / (tot / t.all)
			}
		}
		return out, nil
	}
}

// coagg combines a manufacturing LQ (from lqm) with the LQ of group p
// computed on the margins of pt (t itself, or the online volumes).
func coagg(t *totals, lqm groupLQFunc, p []int, pt *totals, z *zeroCheck) (*CoaggResult, error) {
	lm, err := lqm(z)
	if err != nil {
		return nil, err
	}
	lp, err := groupLQ(pt, p)(z)
	if err != nil {
		return nil, err
	}
	res := &CoaggResult{Value: nanSlice(t.r), Quality: nanSlice(t.r), Level: nanSlice(t.r), LQm: lm, LQp: lp}
	for i := 0; i < t.r; i++ {
		if t.region[i] <= 0 {
			if err := z.bad("region", i); err != nil {
				return nil, err
			}
			continue
		}
		if pt != t && pt.region[i] <= 0 {
			if err := z.bad("region online", i); err != nil {
				return nil, err
			}
			continue
		}
		if math.IsNaN(lm[i]) || math.IsNaN(lp[i]) {
			continue
		}
		level := lm[i] + lp[i]
		if level <= 0 {
			if err := z.bad("region in both groups", i); err != nil {
				return nil, err
			}
			continue
		}
		q := 1 - math.Abs(lm[i]-lp[i])/level
		res.Quality[i] = q
		res.Level[i] = level
		res.Value[i] = q + level
	}
	return res, nil
}
