package spatial

import (
	"fmt"
	"math"
	"slices"
	"sync"
)

// CholeskyLogDet is the exact log-determinant ln|I − ρW| by a sparse
// Cholesky factorisation, with a fill-reducing nested-dissection ordering
// and a symbolic factorisation computed once and reused for every ρ.
//
// When W is diagonally similar to a symmetric matrix S (W = D⁻¹A, A
// symmetric: row-standardised contiguity), |I − ρW| = |I − ρS| and I − ρS is
// symmetric positive definite for ρ in (1/λ_min, 1/λ_max), so
//
//	ln|I − ρW| = 2 sum_k ln L_kk,  P(I − ρS)Pᵀ = LLᵀ.
//
// Otherwise (k-nearest-neighbour weights) the factorised matrix is the
// symmetric positive definite (I − ρW)ᵀ(I − ρW) = I − ρ(W + Wᵀ) + ρ²WᵀW and
// ln|I − ρW| = sum_k ln L_kk, which holds while |I − ρW| > 0, that is on the
// interval containing 0 where I − ρW is non-singular.
//
// The factorisation is the up-looking algorithm of CSparse (Davis 2006,
// Direct Methods for Sparse Linear Systems, ch. 4) over the elimination
// tree; each LogDet is one numeric factorisation (O(N^{3/2}) flops on planar
// contiguity). It is safe for concurrent use.
type CholeskyLogDet struct {
	n       int
	squared bool    // factorising (I−ρW)ᵀ(I−ρW)
	cp      []int   // permuted upper triangle, CSC: column k rows ≤ k
	ci      []int32 //
	cb, cc  []float64
	parent  []int32 // elimination tree
	lp      []int   // column pointers of L
	lo, hi  float64
	pool    sync.Pool
	nnzL    int
	topA    int // rows [0, topA) and [topA, topA+topB) are independent
	topB    int
	// The symbolic factorisation, the same for every ρ: li holds the row
	// indices of L by columns (lp), and rpat[rp[k]:rp[k+1]] the
	// off-diagonal pattern of row k of L in the topological order of the
	// up-looking solve.
	li   []int32
	rp   []int
	rpat []int32
}

var _ LogDeterminant = (*CholeskyLogDet)(nil)

type cholWork struct {
	lx []float64
	x  []float64
	c  []int
}

// NewCholeskyLogDet orders and symbolically factorises I − ρW for w. The
// interval of ρ comes from guaranteed bounds on the extreme eigenvalues,
// Lanczos estimates certified by inertia checks with this factorisation at
// every N (see the package documentation); opts.Seed and opts.LanczosSteps
// tune that search.
func NewCholeskyLogDet(w *Weights, opts LogDetOptions) (*CholeskyLogDet, error) {
	a, b, s, f, err := spectrumBounds(w, opts, true)
	if err != nil {
		return nil, err
	}
	e := f
	if e == nil {
		e = newCholesky(w, s)
	}
	e.lo, e.hi = 1/a, 1/b
	return e, nil
}

// newCholesky orders and symbolically factorises I − ρS (s non-nil) or
// (I − ρW)ᵀ(I − ρW) (s nil); the interval is left for the caller.
func newCholesky(w, s *Weights) *CholeskyLogDet {
	n := w.N()
	e := &CholeskyLogDet{n: n}
	// Full symmetric matrix M = I + ρB + ρ²C as triplets in original
	// indices (both triangles, diagonal included).
	var (
		tri []int // row start in ti
		ti  []int32
		tb  []float64
		tc  []float64
	)
	if s != nil {
		tri = make([]int, n+1)
		for i := 0; i < n; i++ {
			tri[i+1] = tri[i] + (s.rowPtr[i+1] - s.rowPtr[i]) + 1
		}
		ti = make([]int32, tri[n])
		tb = make([]float64, tri[n])
		tc = make([]float64, tri[n])
		for i := 0; i < n; i++ {
			k := tri[i]
			ti[k] = int32(i)
			k++
			for p := s.rowPtr[i]; p < s.rowPtr[i+1]; p++ {
				ti[k] = int32(s.colIdx[p])
				tb[k] = -s.vals[p]
				k++
			}
		}
	} else {
		e.squared = true
		tri, ti, tb, tc = normalPattern(w)
	}
	// Graph without the diagonal for the ordering.
	gptr := make([]int, n+1)
	for i := 0; i < n; i++ {
		gptr[i+1] = gptr[i]
		for k := tri[i]; k < tri[i+1]; k++ {
			if int(ti[k]) != i {
				gptr[i+1]++
			}
		}
	}
	gadj := make([]int32, gptr[n])
	for i, k2 := 0, 0; i < n; i++ {
		for k := tri[i]; k < tri[i+1]; k++ {
			if int(ti[k]) != i {
				gadj[k2] = ti[k]
				k2++
			}
		}
	}
	order, topA, topB := nestedDissection(n, gptr, gadj)
	if topA >= 1000 && topB >= 1000 {
		e.topA, e.topB = topA, topB
	}
	gadj = nil
	inv := make([]int32, n)
	for k, v := range order {
		inv[v] = int32(k)
	}
	// Permuted upper triangle by columns: entry (i, j) of M goes to
	// (inv[i], inv[j]) and is kept when inv[i] <= inv[j].
	cp := make([]int, n+1)
	for i := 0; i < n; i++ {
		for k := tri[i]; k < tri[i+1]; k++ {
			if pi, pj := inv[i], inv[ti[k]]; pi <= pj {
				cp[pj+1]++
			}
		}
	}
	for j := 0; j < n; j++ {
		cp[j+1] += cp[j]
	}
	next := slices.Clone(cp[:n])
	ci := make([]int32, cp[n])
	cb := make([]float64, cp[n])
	cc := make([]float64, cp[n])
	for i := 0; i < n; i++ {
		for k := tri[i]; k < tri[i+1]; k++ {
			if pi, pj := inv[i], inv[ti[k]]; pi <= pj {
				q := next[pj]
				next[pj]++
				ci[q] = pi
				cb[q] = tb[k]
				cc[q] = tc[k]
			}
		}
	}
	e.cp, e.ci, e.cb, e.cc = cp, ci, cb, cc
	// Elimination tree (Liu 1986) with path compression.
	parent := make([]int32, n)
	ancestor := make([]int32, n)
	for k := 0; k < n; k++ {
		parent[k], ancestor[k] = -1, -1
		for p := cp[k]; p < cp[k+1]; p++ {
			for i := ci[p]; i != -1 && int(i) < k; {
				inext := ancestor[i]
				ancestor[i] = int32(k)
				if inext == -1 {
					parent[i] = int32(k)
				}
				i = inext
			}
		}
	}
	e.parent = parent
	// Column counts of L from the row patterns (ereach), O(|L|).
	counts := make([]int, n)
	stamp := make([]int32, n)
	for i := range stamp {
		stamp[i] = -1
	}
	for k := 0; k < n; k++ {
		stamp[k] = int32(k)
		for p := cp[k]; p < cp[k+1]; p++ {
			for i := ci[p]; stamp[i] != int32(k); i = parent[i] {
				stamp[i] = int32(k)
				counts[i]++
			}
		}
		counts[k]++ // diagonal
	}
	lp := make([]int, n+1)
	for k := 0; k < n; k++ {
		lp[k+1] = lp[k] + counts[k]
	}
	e.lp = lp
	e.nnzL = lp[n]
	e.symbolic()
	return e
}

// symbolic computes the row patterns of L (ereach over the elimination
// tree, in topological order: Davis 2006, sec. 4.2) and L's row indices
// once, so that each numeric factorisation only does the arithmetic.
func (e *CholeskyLogDet) symbolic() {
	n := e.n
	cp, ci, parent, lp := e.cp, e.ci, e.parent, e.lp
	e.li = make([]int32, e.nnzL)
	e.rp = make([]int, n+1)
	e.rpat = make([]int32, 0, e.nnzL-n)
	c := slices.Clone(lp[:n])
	stamp := make([]int32, n)
	for i := range stamp {
		stamp[i] = -1
	}
	s := make([]int32, n)
	for k := 0; k < n; k++ {
		k32 := int32(k)
		top := n
		stamp[k] = k32
		for p := cp[k]; p < cp[k+1]; p++ {
			i := ci[p]
			ln := 0
			for ; stamp[i] != k32; i = parent[i] {
				s[ln] = i
				ln++
				stamp[i] = k32
			}
			for ln > 0 {
				top--
				ln--
				s[top] = s[ln]
			}
		}
		for ; top < n; top++ {
			i := s[top]
			e.rpat = append(e.rpat, i)
			e.li[c[i]] = k32
			c[i]++
		}
		e.li[c[k]] = k32
		c[k]++
		e.rp[k+1] = len(e.rpat)
	}
}

// positiveDefinite reports whether the factorised matrix is positive
// definite at ρ (the numeric factorisation runs to completion): for I − ρS
// this is Sylvester's inertia test that every eigenvalue λ of S has
// 1 − ρλ > 0.
func (e *CholeskyLogDet) positiveDefinite(rho float64) bool {
	_, err := e.logDet(rho)
	return err == nil
}

// normalPattern returns, row by row in CSR-like triplets, the symmetric
// matrix (I − ρW)ᵀ(I − ρW) = I + ρB + ρ²C with B = −(W + Wᵀ) and C = WᵀW,
// diagonal first in each row.
func normalPattern(w *Weights) (ptr []int, idx []int32, bv, cv []float64) {
	n := w.N()
	wt := w.Transpose()
	// Row i of C: sum over k with w_ki ≠ 0 of w_ki · row k of W.
	acc := make([]float64, n)
	accB := make([]float64, n)
	mark := make([]int32, n)
	for i := range mark {
		mark[i] = -1
	}
	ptr = make([]int, n+1)
	var cols []int32
	for i := 0; i < n; i++ {
		cols = cols[:0]
		add := func(j int32) {
			if mark[j] != int32(i) {
				mark[j] = int32(i)
				acc[j], accB[j] = 0, 0
				cols = append(cols, j)
			}
		}
		add(int32(i))
		for p := w.rowPtr[i]; p < w.rowPtr[i+1]; p++ {
			j := int32(w.colIdx[p])
			add(j)
			accB[j] -= w.vals[p]
		}
		for p := wt.rowPtr[i]; p < wt.rowPtr[i+1]; p++ {
			k := wt.colIdx[p]
			wki := wt.vals[p]
			add(int32(k))
			accB[k] -= wki
			for q := w.rowPtr[k]; q < w.rowPtr[k+1]; q++ {
				j := int32(w.colIdx[q])
				add(j)
				acc[j] += wki * w.vals[q]
			}
		}
		for _, j := range cols {
			idx = append(idx, j)
			bv = append(bv, accB[j])
			cv = append(cv, acc[j])
		}
		ptr[i+1] = len(idx)
	}
	return ptr, idx, bv, cv
}

// NNZ returns the number of non-zeros of the Cholesky factor L.
func (e *CholeskyLogDet) NNZ() int { return e.nnzL }

// LogDet returns ln|I − ρW|, exact up to rounding; NaN when ρ is outside
// the interval where the factorised matrix is positive definite.
func (e *CholeskyLogDet) LogDet(rho float64) float64 {
	ld, err := e.logDet(rho)
	if err != nil {
		return math.NaN()
	}
	return ld
}

func (e *CholeskyLogDet) work() *cholWork {
	if v := e.pool.Get(); v != nil {
		return v.(*cholWork)
	}
	n := e.n
	return &cholWork{
		lx: make([]float64, e.nnzL),
		x:  make([]float64, n),
		c:  make([]int, n),
	}
}

func (e *CholeskyLogDet) logDet(rho float64) (float64, error) {
	wk := e.work()
	defer e.pool.Put(wk)
	n := e.n
	copy(wk.c, e.lp[:n])
	var logdet float64
	start := 0
	if e.topA > 0 {
		// The two halves of the first dissection share no column of L:
		// factor their rows concurrently (disjoint parts of x, c, stamp,
		// L), then the separator's rows.
		var ldB float64
		var errB error
		done := make(chan struct{})
		go func() {
			ldB, errB = e.rows(wk, rho, e.topA, e.topA+e.topB)
			close(done)
		}()
		ldA, errA := e.rows(wk, rho, 0, e.topA)
		<-done
		if errA != nil {
			return math.NaN(), errA
		}
		if errB != nil {
			return math.NaN(), errB
		}
		logdet = ldA + ldB
		start = e.topA + e.topB
	}
	ld, err := e.rows(wk, rho, start, n)
	if err != nil {
		return math.NaN(), err
	}
	logdet += ld
	if e.squared {
		return logdet, nil
	}
	return 2 * logdet, nil
}

// rows computes rows lo..hi−1 of L (up-looking: a sparse triangular solve
// over the row's pattern, precomputed by symbolic) and returns
// sum ln L_kk over them.
func (e *CholeskyLogDet) rows(wk *cholWork, rho float64, lo, hi int) (float64, error) {
	cp, ci, cb, cc, lp, li, rp, rpat := e.cp, e.ci, e.cb, e.cc, e.lp, e.li, e.rp, e.rpat
	lx, x, c := wk.lx, wk.x, wk.c
	rho2 := rho * rho
	var logdet float64
	for k := lo; k < hi; k++ {
		x[k] = 0
		for p := cp[k]; p < cp[k+1]; p++ {
			i := ci[p]
			v := cb[p]*rho + cc[p]*rho2
			if int(i) == k {
				v++
			}
			x[i] = v
		}
		d := x[k]
		x[k] = 0
		for _, i := range rpat[rp[k]:rp[k+1]] {
			lki := x[i] / lx[lp[i]]
			x[i] = 0
			end := c[i]
			lxi := lx[lp[i]+1 : end]
			lii := li[lp[i]+1 : end]
			for p, r := range lii {
				x[r] -= lxi[p] * lki
			}
			d -= lki * lki
			lx[end] = lki
			c[i]++
		}
		if !(d > 0) {
			return math.NaN(), fmt.Errorf("spatial: I − ρW not positive definite at ρ = %g (pivot %d)", rho, k)
		}
		ld := math.Sqrt(d)
		lx[c[k]] = ld
		c[k]++
		logdet += math.Log(ld)
	}
	return logdet, nil
}

// Interval returns (1/λ_min, 1/λ_max) from guaranteed bounds on the
// extreme eigenvalues.
func (e *CholeskyLogDet) Interval() (lo, hi float64) { return e.lo, e.hi }

// Method returns "cholesky".
func (e *CholeskyLogDet) Method() string { return "cholesky" }

// ErrorBound returns 0: the method is exact up to rounding.
func (e *CholeskyLogDet) ErrorBound() float64 { return 0 }
