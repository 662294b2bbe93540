package spatial

// LogDeterminant evaluates ln|I − ρW| for one fixed weights matrix W, the
// Jacobian term of every spatial likelihood (Ord 1975). Implementations
// differ in set-up cost and accuracy: exact eigenvalues (EigenLogDet), and
// the large-N approximations and sparse factorisations.
type LogDeterminant interface {
	// LogDet returns ln|I − ρW| for ρ inside Interval.
	LogDet(rho float64) float64
	// Interval returns the open interval of ρ on which the model is
	// defined: (1/λ_min, 1/λ_max) for the extreme real eigenvalues of W.
	Interval() (lo, hi float64)
	// Method names the method ("eigen", "chebyshev", "mc", "slq",
	// "cholesky").
	Method() string
	// ErrorBound returns an estimate of the absolute error of LogDet on
	// the interval (0 for exact methods).
	ErrorBound() float64
}
