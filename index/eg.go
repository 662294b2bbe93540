package index

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// EGResult holds the Ellison–Glaeser or Maurel–Sédillot index of each
// sector and its parts.
type EGResult struct {
	// Gamma is the agglomeration index γ_s.
	Gamma []float64
	// G is the raw geographic concentration Σ_r (s_rs − x_r)² (EG) or
	// Σ_r s_rs² − Σ_r x_r² (MS).
	G []float64
	// H is the plant Herfindahl used.
	H []float64
}

// EllisonGlaeser returns the Ellison and Glaeser (1997) index of each
// sector (column of e):
//
//	G_s = Σ_r (s_rs − x_r)²
//	γ_s = (G_s/(1 − Σ_r x_r²) − H_s) / (1 − H_s)
//
// with s_rs = E_rs/E_s, x_r = E_r/E and H_s = Σ_k z_k² the Herfindahl of
// the sector's plants (z_k = plant k's share of E_s; see PlantHerfindahl).
// h holds H_s per sector; nil means H_s = 0 (the limit of many small
// plants). Under random location of plants (the "dartboard"), E[γ_s] = 0.
// A sector with zero total, H_s = 1, or fewer than two regions with activity
// give a *ZeroTotalError, or NaN under ZeroNaN.
func EllisonGlaeser(e mat.Matrix, h []float64, zero ZeroPolicy) (*EGResult, error) {
	return egIndex(newTotals(e), h, false, &zeroCheck{policy: zero})
}

// MaurelSedillot returns the Maurel and Sédillot (1999) index of each
// sector:
//
//	γ_s = ((Σ_r s_rs² − Σ_r x_r²)/(1 − Σ_r x_r²) − H_s) / (1 − H_s)
//
// with the notation of EllisonGlaeser; G in the result is
// Σ_r s_rs² − Σ_r x_r². Like EG's it has expectation 0 under random
// location; it differs from EG's by 2Σ_r x_r(s_rs − x_r)/(1 − Σ x²)/(1 − H).
func MaurelSedillot(e mat.Matrix, h []float64, zero ZeroPolicy) (*EGResult, error) {
	return egIndex(newTotals(e), h, true, &zeroCheck{policy: zero})
}

func egIndex(t *totals, h []float64, ms bool, z *zeroCheck) (*EGResult, error) {
	if h != nil && len(h) != t.s {
		panic("index: EllisonGlaeser h length mismatch")
	}
	res := &EGResult{Gamma: nanSlice(t.s), G: nanSlice(t.s), H: make([]float64, t.s)}
	if h != nil {
		copy(res.H, h)
	}
	if ok, err := t.checkAll(z); !ok {
		return res, err
	}
	badS, err := t.checkSectors(z)
	if err != nil {
		return nil, err
	}
	x := t.x()
	var sx2 float64
	for _, v := range x {
		sx2 += v * v
	}
	denom := 1 - sx2
	if denom <= 0 {
		if err := z.bad("regions", -1); err != nil {
			return nil, err
		}
	}
	for j := 0; j < t.s; j++ {
		if badS[j] {
			continue
		}
		var g float64
		for i := 0; i < t.r; i++ {
			sh := t.e.At(i, j) / t.sector[j]
			if ms {
				g += sh * sh
			} else {
				d := sh - x[i]
				g += d * d
			}
		}
		if ms {
			g -= sx2
		}
		res.G[j] = g
		hj := res.H[j]
		if hj >= 1 {
			if err := z.bad("plant Herfindahl", j); err != nil {
				return nil, err
			}
			continue
		}
		if denom > 0 {
			res.Gamma[j] = (g/denom - hj) / (1 - hj)
		}
	}
	return res, nil
}

// EGK returns the Ellison, Glaeser and Kerr (2010) coagglomeration index of
// every pair of sectors (columns of e), the symmetric S × S matrix
//
//	γ^c_ij = Σ_r (s_ri − x_r)(s_rj − x_r) / (1 − Σ_r x_r²),
//
// computed as one matrix product C^T C / (1 − Σ x²) over the R × S centred
// share matrix C_rs = s_rs − x_r. Its diagonal is the Ellison–Glaeser γ
// with H = 0. The result is exactly symmetric (the upper triangle is
// mirrored). A sector with zero total gives a *ZeroTotalError, or NaN in its
// row and column under ZeroNaN.
func EGK(e mat.Matrix, zero ZeroPolicy) (*mat.Dense, error) {
	return egk(newTotals(e), &zeroCheck{policy: zero})
}

func egk(t *totals, z *zeroCheck) (*mat.Dense, error) {
	out := mat.NewDense(t.s, t.s, nil)
	if ok, err := t.checkAll(z); !ok {
		fillNaN(out)
		return out, err
	}
	badS, err := t.checkSectors(z)
	if err != nil {
		return nil, err
	}
	x := t.x()
	var sx2 float64
	for _, v := range x {
		sx2 += v * v
	}
	denom := 1 - sx2
	if denom <= 0 {
		if err := z.bad("regions", -1); err != nil {
			return nil, err
		}
		fillNaN(out)
		return out, nil
	}
	inv := make([]float64, t.s)
	for j, v := range t.sector {
		if !badS[j] {
			inv[j] = 1 / v
		}
	}
	// C_rs = (s_rs − x_r)/sqrt(1 − Σx²), so that C^T C is the index. C is
	// stored transposed (sectors × regions) so that the product C^T C =
	// Ct Ct^T runs on gonum's dot-product Dgemm kernel (about 15% faster
	// than the axpy kernel of Mul(C^T, C)).
	sc := 1 / math.Sqrt(denom)
	ct := mat.NewDense(t.s, t.r, nil)
	raw := ct.RawMatrix()
	for i := 0; i < t.r; i++ {
		in := t.e.RawRowView(i)
		for j, v := range in {
			if !badS[j] {
				raw.Data[j*raw.Stride+i] = (v*inv[j] - x[i]) * sc
			}
		}
	}
	out.Mul(ct, ct.T())
	for i := 0; i < t.s; i++ {
		row := out.RawRowView(i)
		for j := 0; j < i; j++ {
			row[j] = out.At(j, i)
		}
		if badS[i] {
			for j := range row {
				row[j] = math.NaN()
			}
		}
	}
	for j := 0; j < t.s; j++ {
		if badS[j] {
			for i := 0; i < t.s; i++ {
				out.Set(i, j, math.NaN())
			}
		}
	}
	return out, nil
}

// Herfindahl returns Σ_k z_k² with z_k = sizes_k / Σ sizes, the plant
// Herfindahl H of Ellison and Glaeser (1997) when sizes are the
// employments of one sector's plants. It returns NaN for an empty or
// all-zero slice.
func Herfindahl(sizes []float64) float64 {
	var mx float64
	for _, v := range sizes {
		mx = math.Max(mx, math.Abs(v))
	}
	e := overflowExp(mx, len(sizes)) // H is scale-free: keep Σ sizes finite
	var tot float64
	for _, v := range sizes {
		tot += math.Ldexp(v, -e)
	}
	if tot <= 0 {
		return math.NaN()
	}
	var h float64
	for _, v := range sizes {
		z := math.Ldexp(v, -e) / tot
		h += z * z
	}
	return h
}
