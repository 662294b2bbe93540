package spatial

import (
	"errors"
	"fmt"
	"math"
	"math/cmplx"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// Eigenvalues returns the eigenvalues of W, computed densely (O(N³) time,
// O(N²) memory: for N up to a few thousand).
//
// When W is diagonally similar to a symmetric matrix — W = D⁻¹A with A
// symmetric, as for row-standardised symmetric contiguity — the eigenvalues
// are those of the symmetric matrix S with s_ij = sqrt(w_ij w_ji) =
// D^{-1/2} A D^{-1/2}, found by mat.EigenSym; they are real and returned with
// zero imaginary parts, sorted ascending. Otherwise mat.Eigen computes the
// general, possibly complex, spectrum (sorted by real part).
func (w *Weights) Eigenvalues() ([]complex128, error) {
	n := w.N()
	if n == 0 {
		return nil, nil
	}
	// A dense copy and the workspace of the eigensolver.
	if err := CheckDense(n, n, 3, fmt.Sprintf("the eigenvalues of %d regions", n), "use the sparse log-determinants (cholesky, chebyshev)"); err != nil {
		return nil, err
	}
	if s, ok := w.symmetricSimilar(); ok {
		var es mat.EigenSym
		if !es.Factorize(s, false) {
			return nil, errors.New("spatial: symmetric eigendecomposition failed")
		}
		vals := es.Values(nil)
		out := make([]complex128, n)
		for i, v := range vals {
			out[i] = complex(v, 0)
		}
		return out, nil
	}
	var e mat.Eigen
	if !e.Factorize(w.Dense(), mat.EigenNone) {
		return nil, errors.New("spatial: eigendecomposition failed")
	}
	out := e.Values(nil)
	sortComplexByReal(out)
	return out, nil
}

func sortComplexByReal(v []complex128) {
	// Insertion sort is fine for the sizes dense eigen can reach; keep it
	// stable and dependency-free.
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && (real(v[j]) < real(v[j-1]) || (real(v[j]) == real(v[j-1]) && imag(v[j]) < imag(v[j-1]))); j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// SymmetricSimilar reports whether W is diagonally similar to a symmetric
// matrix (W = D⁻¹A with A symmetric and D positive diagonal) and, if it is,
// returns that symmetric matrix S = D^{1/2} W D^{-1/2}, s_ij = sqrt(w_ij w_ji),
// as a sparse Weights value. Row-standardised (W), variance-stabilised (S)
// and scaled versions of symmetric weights all qualify.
func (w *Weights) SymmetricSimilar() (*Weights, bool) {
	ok := w.symmetricScalable()
	if w.sym != nil {
		w.sym.once.Do(func() { w.sym.ok = ok })
	}
	if !ok {
		return nil, false
	}
	n := w.N()
	s := *w
	s.sym = new(symCache)
	s.vals = make([]float64, len(w.vals))
	for i := 0; i < n; i++ {
		for k := w.rowPtr[i]; k < w.rowPtr[i+1]; k++ {
			j := w.colIdx[k]
			kk, _ := w.find(j, i)
			s.vals[k] = math.Sqrt(w.vals[k] * w.vals[kk])
		}
	}
	s.style = Unknown
	return &s, true
}

// IsSymmetricSimilar reports what SymmetricSimilar reports, without making
// the symmetric matrix, and remembers it: the first call on w (or on a
// copy of it by WithStyle) costs a pass over its links, the others
// nothing (spatial panel fits ask at every standard error).
func (w *Weights) IsSymmetricSimilar() bool {
	if w.sym == nil {
		return w.symmetricScalable()
	}
	w.sym.once.Do(func() { w.sym.ok = w.symmetricScalable() })
	return w.sym.ok
}

// symCache remembers whether a Weights value is similar to a symmetric
// matrix (IsSymmetricSimilar); values made with other weights get their
// own.
type symCache struct {
	once sync.Once
	ok   bool
}

// symmetricScalable reports whether W = D⁻¹A with A symmetric and D
// positive diagonal: structurally symmetric, with non-negative weights, and
// a scaling d (by breadth-first search over each component) with w_ij d_i
// = w_ji d_j on every link (Kolmogorov's cycle criterion).
func (w *Weights) symmetricScalable() bool {
	if !w.IsStructurallySymmetric() {
		return false
	}
	n := w.N()
	d := make([]float64, n)
	queue := make([]int, 0, n)
	for s := 0; s < n; s++ {
		if d[s] != 0 {
			continue
		}
		d[s] = 1
		queue = append(queue[:0], s)
		for len(queue) > 0 {
			i := queue[0]
			queue = queue[1:]
			cols, vals := w.Neighbours(i)
			for k, j := range cols {
				kk, _ := w.find(j, i)
				wij, wji := vals[k], w.vals[kk]
				if (wij == 0) != (wji == 0) || wij < 0 || wji < 0 {
					return false
				}
				if wij == 0 {
					continue
				}
				if d[j] == 0 {
					d[j] = wij * d[i] / wji
					queue = append(queue, j)
				} else if math.Abs(wij*d[i]-wji*d[j]) > 1e-12*math.Max(math.Abs(wij*d[i]), math.Abs(wji*d[j])) {
					return false
				}
			}
		}
	}
	return true
}

func (w *Weights) symmetricSimilar() (*mat.SymDense, bool) {
	s, ok := w.SymmetricSimilar()
	if !ok {
		return nil, false
	}
	n := w.N()
	sym := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		cols, vals := s.Neighbours(i)
		for k, j := range cols {
			if j >= i {
				sym.SetSym(i, j, vals[k])
			}
		}
	}
	return sym, true
}

// EigenLogDet is the exact log-determinant ln|I − ρW| = sum_i ln|1 − ρλ_i|
// from the eigenvalues λ_i of W (Ord 1975). For complex eigenvalues the real
// log-modulus is summed; conjugate pairs make the total the log of the
// (positive) determinant on the feasible interval.
type EigenLogDet struct {
	values []complex128
	lo, hi float64
}

var _ LogDeterminant = (*EigenLogDet)(nil)

// NewEigenLogDet computes the eigenvalues of w and returns the exact
// log-determinant. The feasible interval of ρ is (1/λ_min, 1/λ_max) over the
// real parts of the eigenvalues; it is an error when W has no positive or no
// negative eigenvalue (the interval would be unbounded).
func NewEigenLogDet(w *Weights) (*EigenLogDet, error) {
	vals, err := w.Eigenvalues()
	if err != nil {
		return nil, err
	}
	return EigenLogDetFromValues(vals)
}

// EigenLogDetFromValues returns the exact log-determinant from eigenvalues
// already computed.
func EigenLogDetFromValues(vals []complex128) (*EigenLogDet, error) {
	minRe, maxRe := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		minRe = math.Min(minRe, real(v))
		maxRe = math.Max(maxRe, real(v))
	}
	if !(minRe < 0) || !(maxRe > 0) {
		return nil, fmt.Errorf("spatial: eigenvalues of W span [%g, %g]: no bounded interval for ρ", minRe, maxRe)
	}
	return &EigenLogDet{values: vals, lo: 1 / minRe, hi: 1 / maxRe}, nil
}

// Values returns the eigenvalues; the slice must not be modified.
func (e *EigenLogDet) Values() []complex128 { return e.values }

// LogDet returns ln|I − ρW|.
func (e *EigenLogDet) LogDet(rho float64) float64 {
	var s float64
	for _, v := range e.values {
		if imag(v) == 0 {
			s += math.Log(math.Abs(1 - rho*real(v)))
		} else {
			s += math.Log(cmplx.Abs(1 - complex(rho, 0)*v))
		}
	}
	return s
}

// Interval returns the open interval (1/λ_min, 1/λ_max) on which I − ρW is
// non-singular with a positive determinant.
func (e *EigenLogDet) Interval() (lo, hi float64) { return e.lo, e.hi }

// Method returns "eigen".
func (e *EigenLogDet) Method() string { return "eigen" }

// ErrorBound returns 0: the method is exact up to rounding.
func (e *EigenLogDet) ErrorBound() float64 { return 0 }
