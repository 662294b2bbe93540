package spatial

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// LagBlock stores W·X in dst for a block of p vectors held row-major: X is
// N×p with x_q(i) = x[i·p+q], and so is dst. Each output entry is summed in
// the order of the row's non-zeros, so column q of dst equals LagTo of
// column q of X bit for bit; the block shares each row's index loads among
// the p vectors (one pass over W for all of them) and sums four vectors at
// a time in registers. dst and x must not overlap and must have length
// N·p, or LagBlock panics.
//
//	(WX)_iq = sum_j w_ij x_jq
func (w *Weights) LagBlock(dst, x []float64, p int) {
	n := w.N()
	if p < 1 || len(dst) != n*p || len(x) != n*p {
		panic("spatial: length mismatch in Weights.LagBlock")
	}
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	p4 := p &^ 3
	for i := 0; i < n; i++ {
		d := dst[i*p : (i+1)*p]
		cols, vals := ci[rp[i]:rp[i+1]], v[rp[i]:rp[i+1]]
		vals = vals[:len(cols)]
		for q := 0; q < p4; q += 4 {
			s0, s1, s2, s3 := rowDot4(cols, vals, x, p, q)
			dq := d[q : q+4]
			dq[0], dq[1], dq[2], dq[3] = s0, s1, s2, s3
		}
		for q := p4; q < p; q++ {
			var s float64
			for k, c := range cols {
				s += vals[k] * x[c*p+q]
			}
			d[q] = s
		}
	}
}

// probeBlock is how many probe vectors the stochastic estimators walk
// together (chebyshevProbes): four share each pass over W, summed in
// registers (LagBlock's unrolled width).
const probeBlock = 4

// chebyshevBlockStep takes p Chebyshev recurrences one step, for p
// Rademacher probes held row-major (entry i·p+q of each vector is row i of
// probe q): it overwrites prev with T_{j+1}(Ŵ)u = 2(sc·W·cur − sh·cur) −
// prev, where cur = T_j(Ŵ)u and prev = T_{j−1}(Ŵ)u, and adds u_qᵀT_{j+1}(Ŵ)u_q
// to d[q], u_q(i) = +1 where bit i of bits[q] is set and −1 where it is
// not. Each probe's numbers are those of LagTo followed by the update and
// dot, bit for bit (the same sums in the same order; u·x is x with its
// sign flipped where u = −1, which is exact); the p probes share one pass
// over W.
func (w *Weights) chebyshevBlockStep(prev, cur []float64, bits [][]uint64, p int, sc, sh float64, d []float64) {
	n := w.N()
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	prev, cur, d, bits = prev[:n*p], cur[:n*p], d[:p], bits[:p]
	// sign returns the sign bit that makes x into u_q(i)·x.
	sign := func(q, i int) uint64 { return (^(bits[q][i>>6] >> (i & 63)) & 1) << 63 }
	p4 := p &^ 3
	for i := 0; i < n; i++ {
		cols, vals := ci[rp[i]:rp[i+1]], v[rp[i]:rp[i+1]]
		vals = vals[:len(cols)]
		o := i * p
		for q := 0; q < p4; q += 4 {
			s0, s1, s2, s3 := rowDot4(cols, vals, cur, p, q)
			cr, pr := (*[4]float64)(cur[o+q:]), (*[4]float64)(prev[o+q:])
			x0 := 2*(sc*s0-sh*cr[0]) - pr[0]
			x1 := 2*(sc*s1-sh*cr[1]) - pr[1]
			x2 := 2*(sc*s2-sh*cr[2]) - pr[2]
			x3 := 2*(sc*s3-sh*cr[3]) - pr[3]
			pr[0], pr[1], pr[2], pr[3] = x0, x1, x2, x3
			dr := (*[4]float64)(d[q:])
			dr[0] += math.Float64frombits(math.Float64bits(x0) ^ sign(q, i))
			dr[1] += math.Float64frombits(math.Float64bits(x1) ^ sign(q+1, i))
			dr[2] += math.Float64frombits(math.Float64bits(x2) ^ sign(q+2, i))
			dr[3] += math.Float64frombits(math.Float64bits(x3) ^ sign(q+3, i))
		}
		for q := p4; q < p; q++ {
			var s float64
			for k, c := range cols {
				s += vals[k] * cur[c*p+q]
			}
			x := 2*(sc*s-sh*cur[o+q]) - prev[o+q]
			prev[o+q] = x
			d[q] += math.Float64frombits(math.Float64bits(x) ^ sign(q, i))
		}
	}
}

// chebyshevBlockStepSym takes p Chebyshev recurrences one step as
// chebyshevBlockStep does (prev is overwritten with T_{j+1}(Ŵ)u) and adds
// xᵀx to xx[q] and xᵀcur to xc[q] for the new vector x of each probe q
// (the doubling step of chebyshevProbeTraces): each probe's numbers are
// those of chebyshevStepSym, bit for bit.
func (w *Weights) chebyshevBlockStepSym(prev, cur []float64, p int, sc, sh float64, xx, xc []float64) {
	n := w.N()
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	prev, cur, xx, xc = prev[:n*p], cur[:n*p], xx[:p], xc[:p]
	p4 := p &^ 3
	for i := 0; i < n; i++ {
		cols, vals := ci[rp[i]:rp[i+1]], v[rp[i]:rp[i+1]]
		vals = vals[:len(cols)]
		o := i * p
		for q := 0; q < p4; q += 4 {
			s0, s1, s2, s3 := rowDot4(cols, vals, cur, p, q)
			cr, pr := (*[4]float64)(cur[o+q:]), (*[4]float64)(prev[o+q:])
			x0 := 2*(sc*s0-sh*cr[0]) - pr[0]
			x1 := 2*(sc*s1-sh*cr[1]) - pr[1]
			x2 := 2*(sc*s2-sh*cr[2]) - pr[2]
			x3 := 2*(sc*s3-sh*cr[3]) - pr[3]
			pr[0], pr[1], pr[2], pr[3] = x0, x1, x2, x3
			dxx, dxc := (*[4]float64)(xx[q:]), (*[4]float64)(xc[q:])
			dxx[0] += x0 * x0
			dxx[1] += x1 * x1
			dxx[2] += x2 * x2
			dxx[3] += x3 * x3
			dxc[0] += x0 * cr[0]
			dxc[1] += x1 * cr[1]
			dxc[2] += x2 * cr[2]
			dxc[3] += x3 * cr[3]
		}
		for q := p4; q < p; q++ {
			var s float64
			for k, c := range cols {
				s += vals[k] * cur[c*p+q]
			}
			c := cur[o+q]
			x := 2*(sc*s-sh*c) - prev[o+q]
			prev[o+q] = x
			xx[q] += x * x
			xc[q] += x * c
		}
	}
}

// rowDot4 returns the products of one row of W (its columns cols and
// values vals) with four vectors q … q+3 of a block of p held row-major
// (entry c·p+q of x is row c of vector q), each summed in the order of
// the row's non-zeros: the shared inner loop of the block steps.
func rowDot4(cols []int, vals, x []float64, p, q int) (s0, s1, s2, s3 float64) {
	for k, c := range cols {
		wk := vals[k]
		xr := (*[4]float64)(x[c*p+q:])
		s0 += wk * xr[0]
		s1 += wk * xr[1]
		s2 += wk * xr[2]
		s3 += wk * xr[3]
	}
	return s0, s1, s2, s3
}

// forProbeBlocks runs m independent probe computations in blocks of up
// to probeBlock probes: body(j0, p) computes probes j0 … j0+p−1 together.
// With several workers (runtime.GOMAXPROCS(0) when workers <= 0) and N
// large enough the blocks run in parallel, one block per goroutine at a
// time; each block's numbers do not depend on the schedule.
func forProbeBlocks(n, m, workers int, body func(j0, p int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	blocks := (m + probeBlock - 1) / probeBlock
	run := func(b int) { body(b*probeBlock, min(probeBlock, m-b*probeBlock)) }
	if min(workers, blocks) < 2 || n < minRowsPerBlock {
		for b := range blocks {
			run(b)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, blocks) {
		wg.Go(func() {
			for {
				b := int(next.Add(1) - 1)
				if b >= blocks {
					return
				}
				run(b)
			}
		})
	}
	wg.Wait()
}
