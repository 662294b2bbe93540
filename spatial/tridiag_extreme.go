package spatial

import "math"

// extremeRitz returns the smallest (lowest) or largest eigenvalue θ of the
// symmetric tridiagonal matrix T with diagonal alpha and off-diagonal beta
// (the Lanczos matrix), and the last component s_m of its unit
// eigenvector, in O(m) per step: θ by bisection on Sturm counts (the
// number of negative pivots of the LDLᵀ factorisation of T − xI is the
// number of eigenvalues below x; Golub and Van Loan 2013, sec. 8.4.1), s_m
// by three steps of inverse iteration with the definite T − σI, σ just
// outside θ (Parlett 1998, sec. 4.3). tridiagEigen gives the same values
// with every eigenpair, in O(m³).
func extremeRitz(alpha, beta []float64, lowest bool) (theta, last float64) {
	m := len(alpha)
	// Gershgorin interval.
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, a := range alpha {
		r := 0.0
		if i > 0 {
			r += math.Abs(beta[i-1])
		}
		if i < m-1 {
			r += math.Abs(beta[i])
		}
		lo, hi = math.Min(lo, a-r), math.Max(hi, a+r)
	}
	// below returns the number of eigenvalues of T below x.
	below := func(x float64) int {
		n := 0
		d := 1.0
		for i, a := range alpha {
			b2 := 0.0
			if i > 0 {
				b2 = beta[i-1] * beta[i-1]
			}
			d = a - x - b2/d
			if d == 0 {
				d = -1e-300 // a zero pivot counts as negative (x on an eigenvalue)
			}
			if d < 0 {
				n++
			}
		}
		return n
	}
	want := 1 // the smallest: one eigenvalue below x
	if !lowest {
		want = m // the largest: all of them
	}
	l, u := lo, hi
	for it := 0; it < 200 && u-l > 4e-16*math.Max(math.Abs(l), math.Abs(u)); it++ {
		mid := 0.5 * (l + u)
		if mid == l || mid == u {
			break
		}
		if below(mid) >= want {
			u = mid
		} else {
			l = mid
		}
	}
	theta = 0.5 * (l + u)
	// Inverse iteration with T − σI, σ a little outside θ so that the
	// matrix is definite and its LDLᵀ needs no pivoting.
	scale := math.Max(math.Abs(lo), math.Abs(hi))
	sigma := theta - 1e-10*scale
	if !lowest {
		sigma = theta + 1e-10*scale
	}
	x := make([]float64, m)
	for i := range x {
		x[i] = 1
	}
	d := make([]float64, m)
	lsub := make([]float64, m)
	for i, a := range alpha {
		d[i] = a - sigma
		if i > 0 {
			lsub[i] = beta[i-1] / d[i-1]
			d[i] -= lsub[i] * beta[i-1]
		}
	}
	for step := 0; step < 3; step++ {
		for i := 1; i < m; i++ { // L y = x
			x[i] -= lsub[i] * x[i-1]
		}
		for i := range x { // D z = y
			x[i] /= d[i]
		}
		for i := m - 2; i >= 0; i-- { // Lᵀ w = z
			x[i] -= lsub[i+1] * x[i+1]
		}
		var nrm float64
		for _, v := range x {
			nrm += v * v
		}
		nrm = math.Sqrt(nrm)
		for i := range x {
			x[i] /= nrm
		}
	}
	return theta, x[m-1]
}
