package spatial

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
			var s0, s1, s2, s3 float64
			for k, c := range cols {
				wk := vals[k]
				xr := x[c*p+q : c*p+q+4]
				s0 += wk * xr[0]
				s1 += wk * xr[1]
				s2 += wk * xr[2]
				s3 += wk * xr[3]
			}
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
