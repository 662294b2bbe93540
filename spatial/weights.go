package spatial

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// ErrIsland is returned (wrapped) by operations that need every region to
// have at least one neighbour when some region has none.
var ErrIsland = errors.New("spatial: region has no neighbours")

// Compile-time checks that Weights composes with gonum.
var (
	_ mat.Matrix         = (*Weights)(nil)
	_ mat.RowNonZeroDoer = (*Weights)(nil)
)

// Weights is a sparse spatial weights matrix W over a fixed, ordered set of
// regions identified by string IDs. Row i holds the weights w_ij of the
// neighbours j of region i; the diagonal is always zero.
//
// Weights is stored in compressed sparse row (CSR) form with the column
// indices of each row sorted ascending. It implements mat.Matrix and
// mat.RowNonZeroDoer, so gonum routines that accept a matrix accept it and
// those that look for the sparse fast path find it.
//
// A Weights value is immutable: every transformation returns a new value.
type Weights struct {
	ids    []string
	index  idIndex
	rowPtr []int     // len n+1; row i is colIdx[rowPtr[i]:rowPtr[i+1]]
	colIdx []int     // column index of each non-zero
	vals   []float64 // weight of each non-zero
	style  Style
	sym    *symCache // whether W is similar to a symmetric matrix, once known
}

// Link is one directed, weighted neighbour relation i → j used to build a
// Weights value.
type Link struct {
	From, To int
	Weight   float64
}

// NewWeights builds a Weights value over the regions ids from a list of
// directed links between region indices. Duplicate links are an error, as are
// self-links, indices out of range, duplicate IDs and non-finite weights.
// Links with a zero weight are kept as structural neighbours. The style of the
// result is Binary when every weight is 1 and Unknown otherwise; use
// WithStyle to record the style of weights read from a file.
func NewWeights(ids []string, links []Link) (*Weights, error) {
	n := len(ids)
	index := make(map[string]int, n)
	for i, id := range ids {
		if _, dup := index[id]; dup {
			return nil, fmt.Errorf("spatial: duplicate region ID %q", id)
		}
		index[id] = i
	}
	counts := make([]int, n+1)
	binary := true
	for _, l := range links {
		if l.From < 0 || l.From >= n || l.To < 0 || l.To >= n {
			return nil, fmt.Errorf("spatial: link %d→%d out of range for %d regions", l.From, l.To, n)
		}
		if l.From == l.To {
			return nil, fmt.Errorf("spatial: self-link at region %q", ids[l.From])
		}
		if math.IsNaN(l.Weight) || math.IsInf(l.Weight, 0) {
			return nil, fmt.Errorf("spatial: non-finite weight %v on link %q→%q", l.Weight, ids[l.From], ids[l.To])
		}
		if l.Weight != 1 {
			binary = false
		}
		counts[l.From+1]++
	}
	for i := 1; i <= n; i++ {
		counts[i] += counts[i-1]
	}
	w := &Weights{
		ids:    append([]string(nil), ids...),
		index:  idIndex{pos: index},
		rowPtr: counts,
		colIdx: make([]int, len(links)),
		vals:   make([]float64, len(links)),
		style:  Unknown,
		sym:    new(symCache),
	}
	if binary {
		w.style = Binary
	}
	next := append([]int(nil), counts[:n]...)
	for _, l := range links {
		k := next[l.From]
		w.colIdx[k] = l.To
		w.vals[k] = l.Weight
		next[l.From]++
	}
	for i := 0; i < n; i++ {
		lo, hi := w.rowPtr[i], w.rowPtr[i+1]
		sort.Sort(rowSorter{w.colIdx[lo:hi], w.vals[lo:hi]})
		for k := lo + 1; k < hi; k++ {
			if w.colIdx[k] == w.colIdx[k-1] {
				return nil, fmt.Errorf("spatial: duplicate link %q→%q", ids[i], ids[w.colIdx[k]])
			}
		}
	}
	return w, nil
}

type rowSorter struct {
	col []int
	val []float64
}

func (r rowSorter) Len() int           { return len(r.col) }
func (r rowSorter) Less(i, j int) bool { return r.col[i] < r.col[j] }
func (r rowSorter) Swap(i, j int) {
	r.col[i], r.col[j] = r.col[j], r.col[i]
	r.val[i], r.val[j] = r.val[j], r.val[i]
}

// WithStyle returns a copy of w labelled with style s without changing any
// weight. It is for weights read from files whose style is known to the
// caller; to change the weights use Transform.
func (w *Weights) WithStyle(s Style) *Weights {
	c := *w
	c.style = s
	return &c
}

// Style reports the style the weights were built or transformed in.
func (w *Weights) Style() Style { return w.style }

// N returns the number of regions.
func (w *Weights) N() int { return len(w.ids) }

// NNZ returns the number of non-zero (structural) links.
func (w *Weights) NNZ() int { return len(w.colIdx) }

// IDs returns the region IDs in matrix order. The slice must not be modified.
func (w *Weights) IDs() []string { return w.ids }

// Index returns the matrix index of the region with the given ID.
func (w *Weights) Index(id string) (int, bool) {
	return w.index.get(id)
}

// idIndex maps a region ID to its matrix index: through a map of its own
// (NewWeights), or through the codes a reader interned the IDs to and the
// index of each code (-1 for a code that names no region), which spares
// a second map of every ID.
type idIndex struct {
	pos   map[string]int
	codes func(string) (int32, bool)
	order []int32
}

// get returns the index of id.
func (x idIndex) get(id string) (int, bool) {
	if x.pos != nil {
		i, ok := x.pos[id]
		return i, ok
	}
	c, ok := x.codes(id)
	if !ok || x.order[c] < 0 {
		return 0, false
	}
	return int(x.order[c]), true
}

// Neighbours returns the indices and weights of the neighbours of region i,
// sorted by index. The slices alias w and must not be modified.
func (w *Weights) Neighbours(i int) (idx []int, weights []float64) {
	lo, hi := w.rowPtr[i], w.rowPtr[i+1]
	return w.colIdx[lo:hi], w.vals[lo:hi]
}

// Cardinalities returns the number of neighbours of every region.
func (w *Weights) Cardinalities() []int {
	c := make([]int, w.N())
	for i := range c {
		c[i] = w.rowPtr[i+1] - w.rowPtr[i]
	}
	return c
}

// Islands returns the indices of regions without neighbours, ascending.
func (w *Weights) Islands() []int {
	var out []int
	for i := 0; i < w.N(); i++ {
		if w.rowPtr[i+1] == w.rowPtr[i] {
			out = append(out, i)
		}
	}
	return out
}

// IsSymmetric reports whether w_ij == w_ji for every pair, exactly.
func (w *Weights) IsSymmetric() bool {
	for i := 0; i < w.N(); i++ {
		cols, vals := w.Neighbours(i)
		for k, j := range cols {
			if w.At(j, i) != vals[k] {
				return false
			}
		}
	}
	return true
}

// IsStructurallySymmetric reports whether j is a neighbour of i exactly when
// i is a neighbour of j, whatever the weights.
func (w *Weights) IsStructurallySymmetric() bool {
	for i := 0; i < w.N(); i++ {
		cols, _ := w.Neighbours(i)
		for _, j := range cols {
			if _, ok := w.find(j, i); !ok {
				return false
			}
		}
	}
	return true
}

func (w *Weights) find(i, j int) (int, bool) {
	lo, hi := w.rowPtr[i], w.rowPtr[i+1]
	k := lo + sort.SearchInts(w.colIdx[lo:hi], j)
	if k < hi && w.colIdx[k] == j {
		return k, true
	}
	return 0, false
}

// Lag returns the spatial lag W·x.
//
//	(Wx)_i = sum_j w_ij x_j
//
// Lag panics if len(x) != w.N().
func (w *Weights) Lag(x []float64) []float64 {
	dst := make([]float64, w.N())
	w.LagTo(dst, x)
	return dst
}

// LagTo stores W·x in dst without allocating. dst and x must not overlap and
// must have length w.N(), or LagTo panics.
func (w *Weights) LagTo(dst, x []float64) {
	n := w.N()
	if len(dst) != n || len(x) != n {
		panic("spatial: length mismatch in LagTo")
	}
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	x = x[:n]
	dst = dst[:n]
	lo := rp[0]
	for i, hi := range rp[1 : n+1] {
		cols := ci[lo:hi]
		vals := v[lo:hi]
		vals = vals[:len(cols)]
		s := rowDot(cols, vals, x)
		dst[i] = s
		lo = hi
	}
}

// rowDot returns sum_k vals[k]·x[cols[k]], summed in order: one row of
// W·x (its columns cols and values vals), the inner loop of the serial
// products (inlined).
func rowDot(cols []int, vals, x []float64) float64 {
	var s float64
	for k, j := range cols {
		s += vals[k] * x[j]
	}
	return s
}

// AffineLagTo stores u + ρW·x in dst in one pass and returns the squared
// norms of the change, sum_i (dst_i − x_i)², and of dst: the step of the
// fixed-point iteration x ← u + ρWx for (I − ρW)⁻¹u, each row summed as
// LagTo sums it. dst must not overlap x or u; all three must have length
// w.N(), or AffineLagTo panics.
//
//	dst_i = u_i + ρ sum_j w_ij x_j
func (w *Weights) AffineLagTo(dst, x, u []float64, rho float64) (diff, norm float64) {
	n := w.N()
	if len(dst) != n || len(x) != n || len(u) != n {
		panic("spatial: length mismatch in AffineLagTo")
	}
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	x, u, dst = x[:n], u[:n], dst[:n]
	lo := rp[0]
	for i, hi := range rp[1 : n+1] {
		cols := ci[lo:hi]
		vals := v[lo:hi]
		vals = vals[:len(cols)]
		s := rowDot(cols, vals, x)
		nz := u[i] + rho*s
		d := nz - x[i]
		diff += d * d
		norm += nz * nz
		dst[i] = nz
		lo = hi
	}
	return diff, norm
}

// ChebyshevLagTo is one step of the Chebyshev semi-iterative method
// (Golub and Varga 1961) for z = u + ρWz: on entry dst holds the iterate
// before x, on return the next one,
//
//	dst_i ← ω (u_i + ρ sum_j w_ij x_j) + (1 − ω) dst_i,
//
// each row's sum as LagTo sums it; it returns the squared norms of the
// change from x, sum_i (dst_i − x_i)², and of dst. With ω = 1 it is
// AffineLagTo's step. dst must not overlap x or u; all three must have length
// w.N(), or ChebyshevLagTo panics.
func (w *Weights) ChebyshevLagTo(dst, x, u []float64, rho, omega float64) (diff, norm float64) {
	n := w.N()
	if len(dst) != n || len(x) != n || len(u) != n {
		panic("spatial: length mismatch in ChebyshevLagTo")
	}
	rp, ci, v := w.rowPtr, w.colIdx, w.vals
	x, u, dst = x[:n], u[:n], dst[:n]
	lo := rp[0]
	for i, hi := range rp[1 : n+1] {
		cols := ci[lo:hi]
		vals := v[lo:hi]
		vals = vals[:len(cols)]
		s := rowDot(cols, vals, x)
		nz := omega*(u[i]+rho*s) + (1-omega)*dst[i]
		d := nz - x[i]
		diff += d * d
		norm += nz * nz
		dst[i] = nz
		lo = hi
	}
	return diff, norm
}

// MaxAbsRowSum returns ‖W‖∞ = max_i sum_j |w_ij|, which bounds the modulus
// of every eigenvalue of W (1 for row-standardised weights; 0 without
// links).
func (w *Weights) MaxAbsRowSum() float64 {
	var m float64
	for i := 0; i < w.N(); i++ {
		var s float64
		for k := w.rowPtr[i]; k < w.rowPtr[i+1]; k++ {
			s += math.Abs(w.vals[k])
		}
		m = math.Max(m, s)
	}
	return m
}

// Sums returns the constants of Cliff and Ord (1981) used in the moments of
// Moran's I and Geary's C:
//
//	S0 = sum_i sum_j w_ij
//	S1 = 1/2 sum_i sum_j (w_ij + w_ji)^2
//	S2 = sum_i (w_i. + w_.i)^2
func (w *Weights) Sums() (s0, s1, s2 float64) {
	n := w.N()
	rowSum := make([]float64, n)
	colSum := make([]float64, n)
	for i := 0; i < n; i++ {
		cols, vals := w.Neighbours(i)
		for k, j := range cols {
			v := vals[k]
			s0 += v
			rowSum[i] += v
			colSum[j] += v
			kk, ok := w.find(j, i)
			if ok {
				vt := w.vals[kk]
				s1 += (v + vt) * (v + vt)
			} else {
				// w_ji = 0: the ordered pairs (i,j) and (j,i) each
				// contribute v², and (j,i) is never visited from row j.
				s1 += 2 * v * v
			}
		}
	}
	s1 /= 2
	for i := 0; i < n; i++ {
		t := rowSum[i] + colSum[i]
		s2 += t * t
	}
	return s0, s1, s2
}

// RowSums returns sum_j w_ij for every region.
func (w *Weights) RowSums() []float64 {
	s := make([]float64, w.N())
	for i := range s {
		_, vals := w.Neighbours(i)
		for _, v := range vals {
			s[i] += v
		}
	}
	return s
}

// Dims returns the dimensions of W; it implements mat.Matrix.
func (w *Weights) Dims() (r, c int) { return w.N(), w.N() }

// At returns w_ij; it implements mat.Matrix. It panics if i or j is out of
// range.
func (w *Weights) At(i, j int) float64 {
	if i < 0 || i >= w.N() || j < 0 || j >= w.N() {
		panic(mat.ErrIndexOutOfRange)
	}
	if k, ok := w.find(i, j); ok {
		return w.vals[k]
	}
	return 0
}

// T returns the transpose of W as a mat.Matrix; it implements mat.Matrix.
func (w *Weights) T() mat.Matrix { return mat.Transpose{Matrix: w} }

// DoRowNonZero calls fn for each non-zero element of row i; it implements
// mat.RowNonZeroDoer.
func (w *Weights) DoRowNonZero(i int, fn func(i, j int, v float64)) {
	cols, vals := w.Neighbours(i)
	for k, j := range cols {
		fn(i, j, vals[k])
	}
}

// Transpose returns W' as a new Weights value over the same regions (a
// counting-sort transpose of the compressed rows: O(N + nnz), the region
// IDs shared with w).
func (w *Weights) Transpose() *Weights {
	n := w.N()
	t := &Weights{ids: w.ids, index: w.index, rowPtr: make([]int, n+1),
		colIdx: make([]int, len(w.colIdx)), vals: make([]float64, len(w.vals)), style: Unknown, sym: new(symCache)}
	if w.style == Binary {
		t.style = Binary
	}
	for _, j := range w.colIdx {
		t.rowPtr[j+1]++
	}
	for j := 0; j < n; j++ {
		t.rowPtr[j+1] += t.rowPtr[j]
	}
	next := append([]int(nil), t.rowPtr[:n]...)
	for i := 0; i < n; i++ {
		for p := w.rowPtr[i]; p < w.rowPtr[i+1]; p++ {
			j := w.colIdx[p]
			q := next[j]
			next[j]++
			t.colIdx[q] = i
			t.vals[q] = w.vals[p]
		}
	}
	return t
}

// Dense returns W as a gonum dense matrix. It is for small N: it allocates
// N² values; callers check the size with CheckDense first.
func (w *Weights) Dense() *mat.Dense {
	n := w.N()
	d := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		cols, vals := w.Neighbours(i)
		for k, j := range cols {
			d.Set(i, j, vals[k])
		}
	}
	return d
}

// Links returns every link of W in row order.
func (w *Weights) Links() []Link {
	links := make([]Link, 0, w.NNZ())
	for i := 0; i < w.N(); i++ {
		cols, vals := w.Neighbours(i)
		for k, j := range cols {
			links = append(links, Link{From: i, To: j, Weight: vals[k]})
		}
	}
	return links
}

// Subset returns the weights restricted to the regions ids, in that order,
// keeping only links between them. Unknown IDs are an error that names them.
func (w *Weights) Subset(ids []string) (*Weights, error) {
	pos := make([]int, w.N())
	for i := range pos {
		pos[i] = -1
	}
	for k, id := range ids {
		i, ok := w.index.get(id)
		if !ok {
			return nil, fmt.Errorf("spatial: region %q is not in the weights", id)
		}
		pos[i] = k
	}
	var links []Link
	for k, id := range ids {
		i, _ := w.index.get(id)
		cols, vals := w.Neighbours(i)
		for m, j := range cols {
			if pos[j] >= 0 {
				links = append(links, Link{From: k, To: pos[j], Weight: vals[m]})
			}
		}
	}
	s, err := NewWeights(ids, links)
	if err != nil {
		return nil, err
	}
	s.style = w.style
	return s, nil
}
