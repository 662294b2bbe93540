package spatial

import "fmt"

// AutoEigenMaxN is the largest N for which NewLogDeterminant's "auto"
// method uses exact dense eigenvalues.
const AutoEigenMaxN = 1000

// AutoCholeskyMaxN is the largest N for which "auto" uses the exact sparse
// Cholesky factorisation; beyond it, the Chebyshev expansion (with exact
// low-order traces it had the smallest error bound of the stochastic
// methods at N = 10⁵ and 10⁶ on rook lattices, at the same speed as SLQ).
const AutoCholeskyMaxN = 20000

// LogDetMethods lists the methods NewLogDeterminant accepts.
var LogDetMethods = []string{"auto", "eigen", "chebyshev", "mc", "slq", "cholesky"}

// NewLogDeterminant returns the log-determinant ln|I − ρW| of w by method:
//
//	eigen      exact, dense eigenvalues (O(N³), N up to a few thousand)
//	cholesky   exact, sparse Cholesky with nested dissection (CholeskyLogDet)
//	slq        stochastic Lanczos quadrature (SLQLogDet)
//	chebyshev  Chebyshev expansion with stochastic traces (ChebyshevLogDet)
//	mc         Monte Carlo power series (MCLogDet)
//	auto       eigen for N ≤ AutoEigenMaxN, cholesky up to AutoCholeskyMaxN,
//	           then chebyshev
//
// "" means auto. An unknown method is an error listing the valid ones.
func NewLogDeterminant(w *Weights, method string, opts LogDetOptions) (LogDeterminant, error) {
	if method == "" || method == "auto" {
		switch {
		case w.N() <= AutoEigenMaxN:
			method = "eigen"
		case w.N() <= AutoCholeskyMaxN:
			method = "cholesky"
		default:
			method = "chebyshev"
		}
	}
	switch method {
	case "eigen":
		return NewEigenLogDet(w)
	case "cholesky":
		return NewCholeskyLogDet(w, opts)
	case "slq":
		return NewSLQLogDet(w, opts)
	case "chebyshev":
		return NewChebyshevLogDet(w, opts)
	case "mc":
		return NewMCLogDet(w, opts)
	}
	return nil, fmt.Errorf("spatial: unknown log-determinant method %q (want one of %v)", method, LogDetMethods)
}
