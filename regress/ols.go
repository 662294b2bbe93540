package regress

import (
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// olsChunk is the number of rows of one block of the least-squares passes.
// Each block's partial sums are added in block order, so that the results
// do not depend on the number of goroutines.
const olsChunk = 1 << 13

// olsMaxCond is the largest condition number of the scaled Gram matrix
// D⁻¹XᵀXD⁻¹ (D the column norms; κ(XD⁻¹)² in the 1-norm estimate) that
// the one-pass factorisation handles; beyond it each response is fitted by
// Householder QR (olsQR). Iterative refinement contracts by about
// ε·κ ≤ 1e-6 per pass below it.
const olsMaxCond = 1e10

// olsRefineTol is the relative size of the last correction ‖D δ‖ ≤
// tol·‖D β‖ at which iterative refinement stops.
const olsRefineTol = 1e-14

// olsFactor is the least-squares factorisation of the columns xs (n rows
// each), computed once and used for every response: the Cholesky factor
// of the Gram matrix of the equilibrated columns, XᵀX = D RᵀR D, and per
// response the semi-normal equations RᵀR D β = D⁻¹Xᵀy corrected by
// iterative refinement on the explicit residuals r = y − Xβ until the
// correction is negligible (the corrected semi-normal equations; Björck
// 1987, BIT 27:71–90; Higham 2002, sec. 20.5). Every pass over the rows
// is blocked and runs in parallel with sums in a fixed order. A design
// whose scaled Gram matrix is too ill-conditioned (olsMaxCond), or whose
// refinement does not converge, is fitted by Householder QR (olsQR), which
// also refuses collinear designs as before.
type olsFactor struct {
	xs    [][]float64
	n     int
	scale []float64     // ‖x_j‖
	chol  *mat.Cholesky // of D⁻¹XᵀXD⁻¹; nil: olsQR per response
	g     []float64     // XᵀX, k×k row-major; nil if not computed
}

// newOLSFactor factorises the columns xs of length n.
func newOLSFactor(xs [][]float64, n int) *olsFactor {
	f := &olsFactor{xs: xs, n: n}
	k := len(xs)
	if k == 0 || n <= k {
		return f
	}
	for _, c := range xs {
		if len(c) != n {
			return f
		}
	}
	g := f.gram()
	f.g = g
	scale := make([]float64, k)
	for j := range scale {
		scale[j] = math.Sqrt(g[j*k+j])
		if !(scale[j] > 0) || math.IsInf(scale[j], 0) {
			return f
		}
	}
	gs := mat.NewSymDense(k, nil)
	for j := 0; j < k; j++ {
		for l := j; l < k; l++ {
			gs.SetSym(j, l, g[j*k+l]/(scale[j]*scale[l]))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(gs) || !(ch.Cond() <= olsMaxCond) {
		return f
	}
	// The unscaled factor R·D as QR would give it (up to the signs of its
	// rows): refuse here what olsQR would refuse as collinear.
	var u mat.TriDense
	ch.UTo(&u)
	r := make([]float64, k*k)
	for i := 0; i < k; i++ {
		for j := i; j < k; j++ {
			r[i*k+j] = u.At(i, j) * scale[j]
		}
	}
	rt := blas64.Triangular{Uplo: blas.Upper, Diag: blas.NonUnit, N: k, Stride: k, Data: r}
	rcond := lapack64.Trcon(lapack.MaxColumnSum, rt, make([]float64, 3*k), make([]int, k))
	if !(rcond > 0) || 1/rcond > mat.ConditionTolerance*1e-4 {
		return f
	}
	f.scale, f.chol = scale, &ch
	return f
}

// crossProducts returns XᵀX (k×k row-major) and Xᵀv, the blocked
// parallel sums of the factorisation.
func (f *olsFactor) crossProducts(v []float64) (g, xtv []float64) {
	if f.g == nil {
		f.g = f.gram()
	}
	return f.g, f.xt(v)
}

// forChunks runs fn over the nc row blocks of n rows: in parallel
// (forEach) from 2^16 rows, serially below, where starting goroutines
// costs more than the passes; the sums are the same either way.
func forChunks(n, nc int, fn func(c int)) {
	if n < 1<<16 {
		for c := 0; c < nc; c++ {
			fn(c)
		}
		return
	}
	forEach(nc, fn)
}

// chunks returns the number of row blocks.
func (f *olsFactor) chunks() int { return (f.n + olsChunk - 1) / olsChunk }

// bounds returns the rows of block c.
func (f *olsFactor) bounds(c int) (lo, hi int) { return c * olsChunk, min(f.n, (c+1)*olsChunk) }

// gram returns XᵀX, k×k row-major (both triangles).
func (f *olsFactor) gram() []float64 {
	k := len(f.xs)
	m := k * (k + 1) / 2
	nc := f.chunks()
	part := make([]float64, nc*m)
	forChunks(f.n, nc, func(c int) {
		lo, hi := f.bounds(c)
		p := part[c*m : (c+1)*m]
		q := 0
		for j := 0; j < k; j++ {
			for l := j; l < k; l++ {
				p[q] = dot4(f.xs[j][lo:hi], f.xs[l][lo:hi])
				q++
			}
		}
	})
	g := make([]float64, k*k)
	for c := 0; c < nc; c++ {
		q := 0
		for j := 0; j < k; j++ {
			for l := j; l < k; l++ {
				g[j*k+l] += part[c*m+q]
				q++
			}
		}
	}
	for j := 0; j < k; j++ {
		for l := 0; l < j; l++ {
			g[j*k+l] = g[l*k+j]
		}
	}
	return g
}

// xt returns Xᵀv.
func (f *olsFactor) xt(v []float64) []float64 {
	k := len(f.xs)
	nc := f.chunks()
	part := make([]float64, nc*k)
	forChunks(f.n, nc, func(c int) {
		lo, hi := f.bounds(c)
		for j, x := range f.xs {
			part[c*k+j] = dot4(x[lo:hi], v[lo:hi])
		}
	})
	return sumChunks(part, nc, k)
}

// residual sets r = y − Xβ and returns Xᵀr and rᵀr (with xtr false: nil
// and 0, r alone).
func (f *olsFactor) residual(r, y, beta []float64, xtr bool) ([]float64, float64) {
	k := len(f.xs)
	m := k + 1
	nc := f.chunks()
	var part []float64
	if xtr {
		part = make([]float64, nc*m)
	}
	forChunks(f.n, nc, func(c int) {
		lo, hi := f.bounds(c)
		rc := r[lo:hi]
		copy(rc, y[lo:hi])
		for j, x := range f.xs {
			b := beta[j]
			for i, v := range x[lo:hi] {
				rc[i] -= b * v
			}
		}
		if xtr {
			for j, x := range f.xs {
				part[c*m+j] = dot4(x[lo:hi], rc)
			}
			part[c*m+k] = dot4(rc, rc)
		}
	})
	if !xtr {
		return nil, 0
	}
	s := sumChunks(part, nc, m)
	return s[:k], s[k]
}

// gsolve returns (XᵀX)⁻¹v = D⁻¹(RᵀR)⁻¹D⁻¹v.
func (f *olsFactor) gsolve(v []float64) []float64 {
	k := len(v)
	b := make([]float64, k)
	for j := range b {
		b[j] = v[j] / f.scale[j]
	}
	bv := mat.NewVecDense(k, b)
	if err := f.chol.SolveVecTo(bv, bv); err != nil {
		return nil
	}
	for j := range b {
		b[j] /= f.scale[j]
	}
	return b
}

// solve regresses y on the columns and returns β and the residuals
// y − Xβ (a new slice).
func (f *olsFactor) solve(y []float64) ([]float64, []float64, error) {
	if f.chol == nil || len(y) != f.n {
		return olsQR(y, f.xs)
	}
	beta := f.gsolve(f.xt(y))
	if beta == nil {
		return olsQR(y, f.xs)
	}
	r := make([]float64, f.n)
	dPrev := math.Inf(1)
	for it := 0; it < 6; it++ {
		xtr, rr := f.residual(r, y, beta, true)
		delta := f.gsolve(xtr)
		if delta == nil {
			break
		}
		var dn, bn float64
		for j, d := range delta {
			dn += d * f.scale[j] * d * f.scale[j]
			bn += beta[j] * f.scale[j] * beta[j] * f.scale[j]
			beta[j] += d
		}
		if math.IsNaN(dn) || math.IsInf(dn, 0) {
			break
		}
		tol := olsRefineTol * olsRefineTol * bn
		if dn <= tol {
			f.residual(r, y, beta, false)
			return beta, r, nil
		}
		if dn > 1e-4*dPrev {
			// No longer contracting: the corrections are the rounding
			// noise of Xᵀr (the sensitivity of least squares to a large
			// residual, which QR shares), unless they are large.
			if dn > dPrev || dn > 1e-16*(bn+rr) {
				break
			}
			f.residual(r, y, beta, false)
			return beta, r, nil
		}
		dPrev = dn
	}
	return olsQR(y, f.xs)
}

// sumChunks returns the sums over the nc blocks of part (m values each),
// in block order.
func sumChunks(part []float64, nc, m int) []float64 {
	s := make([]float64, m)
	for c := 0; c < nc; c++ {
		for j, v := range part[c*m : (c+1)*m] {
			s[j] += v
		}
	}
	return s
}

// dot4 returns aᵀb with four partial sums (a fixed order).
func dot4(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// ols regresses y on the columns xs (olsFactor) and returns β and the
// residuals.
func ols(y []float64, xs [][]float64) ([]float64, []float64, error) {
	return newOLSFactor(xs, len(y)).solve(y)
}

// combine returns Σ_j β_j x_j (n rows), in blocks in parallel (each
// element summed in the order of j).
func combine(xs [][]float64, beta []float64, n int) []float64 {
	out := make([]float64, n)
	forChunks(n, (n+olsChunk-1)/olsChunk, func(c int) {
		lo, hi := c*olsChunk, min(n, (c+1)*olsChunk)
		o := out[lo:hi]
		for j, x := range xs {
			b := beta[j]
			for i, v := range x[lo:hi] {
				o[i] += b * v
			}
		}
	})
	return out
}

// dotsWith returns aᵀb for each b of bs in one blocked parallel pass (sums
// over fixed blocks of olsChunk rows, added in block order).
func dotsWith(a []float64, bs ...[]float64) []float64 {
	n, m := len(a), len(bs)
	nc := (n + olsChunk - 1) / olsChunk
	part := make([]float64, nc*m)
	forChunks(n, nc, func(c int) {
		lo, hi := c*olsChunk, min(n, (c+1)*olsChunk)
		for q, b := range bs {
			part[c*m+q] = dot4(a[lo:hi], b[lo:hi])
		}
	})
	return sumChunks(part, nc, m)
}
