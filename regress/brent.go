package regress

import "math"

// brentMin minimises f on [a, b] by Brent's (1973, Algorithms for
// Minimization without Derivatives, ch. 5) combination of golden-section
// search and successive parabolic interpolation. It stops when the bracket
// around the minimiser is narrower than 2·tol + 4·1e-12·|x| and returns the
// minimiser, the minimum, the number of function evaluations and whether it
// converged within maxEval evaluations.
//
// Unlike the classical routine, whose relative tolerance is sqrt(machine
// epsilon), the relative term here is 1e-12 so that tol = 1e-10 is honoured
// for parameters of order one.
func brentMin(f func(float64) float64, a, b, tol float64, maxEval int) (x, fx float64, evals int, ok bool) {
	return brent(f, a, b, tol, 1e-12, maxEval)
}

// brent is brentMin with the relative tolerance reps: with reps =
// sqrt(machine epsilon) and tol = ε^¼ it takes the steps of R's optimize
// (Brent_fmin) at its default tolerance.
func brent(f func(float64) float64, a, b, tol, reps float64, maxEval int) (x, fx float64, evals int, ok bool) {
	cgold := (3 - math.Sqrt(5)) * 0.5
	if a > b {
		a, b = b, a
	}
	v := a + cgold*(b-a)
	w, x := v, v
	var d, e float64
	fx = f(x)
	evals = 1
	fv, fw := fx, fx
	for evals < maxEval {
		xm := 0.5 * (a + b)
		tol1 := reps*math.Abs(x) + tol/3
		tol2 := 2 * tol1
		if math.Abs(x-xm) <= tol2-0.5*(b-a) {
			return x, fx, evals, true
		}
		golden := true
		if math.Abs(e) > tol1 {
			// Fit a parabola through x, v, w.
			r := (x - w) * (fx - fv)
			q := (x - v) * (fx - fw)
			p := (x-v)*q - (x-w)*r
			q = 2 * (q - r)
			if q > 0 {
				p = -p
			} else {
				q = -q
			}
			r = e
			e = d
			if math.Abs(p) < math.Abs(0.5*q*r) && p > q*(a-x) && p < q*(b-x) {
				d = p / q
				u := x + d
				if u-a < tol2 || b-u < tol2 {
					d = tol1
					if x >= xm {
						d = -d
					}
				}
				golden = false
			}
		}
		if golden {
			if x >= xm {
				e = a - x
			} else {
				e = b - x
			}
			d = cgold * e
		}
		var u float64
		switch {
		case math.Abs(d) >= tol1:
			u = x + d
		case d > 0:
			u = x + tol1
		default:
			u = x - tol1
		}
		fu := f(u)
		evals++
		if fu <= fx {
			if u >= x {
				a = x
			} else {
				b = x
			}
			v, fv = w, fw
			w, fw = x, fx
			x, fx = u, fu
		} else {
			if u < x {
				a = u
			} else {
				b = u
			}
			if fu <= fw || w == x {
				v, fv = w, fw
				w, fw = u, fu
			} else if fu <= fv || v == x || v == w {
				v, fv = u, fu
			}
		}
	}
	return x, fx, evals, false
}
