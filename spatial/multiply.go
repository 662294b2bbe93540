package spatial

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// minRowsPerBlock is the smallest row block worth a goroutine: below it the
// synchronisation costs more than the arithmetic.
const minRowsPerBlock = 4096

// LagParallel stores W·x in dst, splitting the rows into contiguous blocks
// of roughly equal numbers of non-zeros over runtime.GOMAXPROCS(0)
// goroutines. The inner loop does not allocate; each call starts its
// goroutines afresh (use a Multiplier to amortise the block split in loops).
// For small N it runs serially. dst and x must not overlap and must have
// length w.N(), or LagParallel panics.
//
//	(Wx)_i = sum_j w_ij x_j
func (w *Weights) LagParallel(dst, x []float64) {
	NewMultiplier(w, 0).Lag(dst, x)
}

// Multiplier computes W·x in parallel over fixed row blocks. It holds no
// per-call state, so one Multiplier may be shared by concurrent callers.
type Multiplier struct {
	w      *Weights
	bounds []int // row block boundaries, len blocks+1
}

// NewMultiplier splits the rows of w into blocks of about equal non-zeros
// for workers goroutines (runtime.GOMAXPROCS(0) when workers <= 0).
func NewMultiplier(w *Weights, workers int) *Multiplier {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n := w.N()
	if max := n / minRowsPerBlock; workers > max {
		workers = max
	}
	if workers < 1 {
		workers = 1
	}
	bounds := make([]int, 0, workers+1)
	bounds = append(bounds, 0)
	nnz := w.NNZ()
	for b := 1; b < workers; b++ {
		target := nnz * b / workers
		// First row whose start reaches the target share of non-zeros.
		lo, hi := bounds[len(bounds)-1], n
		for lo < hi {
			mid := (lo + hi) / 2
			if w.rowPtr[mid] < target {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		if lo > bounds[len(bounds)-1] && lo < n {
			bounds = append(bounds, lo)
		}
	}
	bounds = append(bounds, n)
	return &Multiplier{w: w, bounds: bounds}
}

// Lag stores W·x in dst. dst and x must not overlap and must have length
// w.N(), or Lag panics.
func (m *Multiplier) Lag(dst, x []float64) {
	n := m.w.N()
	if len(dst) != n || len(x) != n {
		panic("spatial: length mismatch in Multiplier.Lag")
	}
	if len(m.bounds) <= 2 {
		m.w.lagRows(dst, x, 0, n)
		return
	}
	var wg sync.WaitGroup
	for b := 1; b < len(m.bounds)-1; b++ {
		wg.Add(1)
		go func(lo, hi int) {
			m.w.lagRows(dst, x, lo, hi)
			wg.Done()
		}(m.bounds[b], m.bounds[b+1])
	}
	m.w.lagRows(dst, x, m.bounds[0], m.bounds[1])
	wg.Wait()
}

// lagRows computes rows lo..hi-1 of W·x.
func (w *Weights) lagRows(dst, x []float64, lo, hi int) {
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	for i := lo; i < hi; i++ {
		var s float64
		for k := rp[i]; k < rp[i+1]; k++ {
			s += v[k] * x[ci[k]]
		}
		dst[i] = s
	}
}

// forProbes runs the m independent probe computations of a stochastic
// estimator: newBody(lag) is called once per goroutine (allocate its
// vectors there; serial tells whether lag runs on one goroutine, so that
// the body may use a fused serial kernel instead) and its result for each
// probe p = 0 … m−1. With several
// workers (runtime.GOMAXPROCS(0) when workers <= 0) and N large enough,
// the probes run in parallel, each with serial products lag; otherwise
// one after another with products parallel over row blocks (Multiplier).
// Each row of W·x is summed in the same order either way, so the results
// are the same bit for bit.
func forProbes(w *Weights, m, workers int, newBody func(lag func(dst, x []float64), serial bool) func(p int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if min(workers, m) < 2 || w.N() < minRowsPerBlock {
		mul := NewMultiplier(w, workers)
		body := newBody(mul.Lag, len(mul.bounds) <= 2)
		for p := 0; p < m; p++ {
			body(p)
		}
		return
	}
	serial := func(dst, x []float64) {
		if len(dst) != w.N() || len(x) != w.N() {
			panic("spatial: length mismatch in a probe's product")
		}
		w.lagRows(dst, x, 0, w.N())
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, m) {
		wg.Go(func() {
			body := newBody(serial, true)
			for {
				p := int(next.Add(1) - 1)
				if p >= m {
					return
				}
				body(p)
			}
		})
	}
	wg.Wait()
}

// chebyshevStepSym sets nxt = 2(sc·W·cur − sh·cur) − prev, as
// chebyshevStep, in one serial pass and returns nxtᵀnxt and nxtᵀcur (the
// doubling step of chebyshevProbeTraces), with the arithmetic of LagTo
// followed by the update and the two dots.
func (w *Weights) chebyshevStepSym(nxt, cur, prev []float64, sc, sh float64) (xx, xc float64) {
	n := w.N()
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	nxt, cur, prev = nxt[:n], cur[:n], prev[:n]
	lo := rp[0]
	for i, hi := range rp[1 : n+1] {
		cols := ci[lo:hi]
		vals := v[lo:hi]
		vals = vals[:len(cols)]
		s := rowDot(cols, vals, cur)
		c := cur[i]
		x := 2*(sc*s-sh*c) - prev[i]
		nxt[i] = x
		xx += x * x
		xc += x * c
		lo = hi
	}
	return xx, xc
}

// chebyshevStep sets nxt = 2(sc·W·cur − sh·cur) − prev, the Chebyshev
// recurrence T_{j+1}(Ŵ)u = 2Ŵ T_j(Ŵ)u − T_{j−1}(Ŵ)u with Ŵ = sc·W − sh·I,
// in one serial pass and returns uᵀnxt, with the arithmetic of LagTo
// followed by the update and dot.
func (w *Weights) chebyshevStep(nxt, cur, prev, u []float64, sc, sh float64) float64 {
	n := w.N()
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	nxt, cur, prev, u = nxt[:n], cur[:n], prev[:n], u[:n]
	var d float64
	lo := rp[0]
	for i, hi := range rp[1 : n+1] {
		cols := ci[lo:hi]
		vals := v[lo:hi]
		vals = vals[:len(cols)]
		s := rowDot(cols, vals, cur)
		x := 2*(sc*s-sh*cur[i]) - prev[i]
		nxt[i] = x
		d += u[i] * x
		lo = hi
	}
	return d
}
