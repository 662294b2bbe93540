package spatial

import (
	"math"
	"runtime"
	"sync"
)

// PowerMoments holds exact low-order moments of the powers of W:
//
//	Traces[k]       = tr(W^k),                      k = 0 … max(Order, 4) (Traces[0] = N)
//	Frobenius[a][b] = <W^a, W^b>_F = tr((W^a)ᵀW^b),  0 ≤ a, b ≤ Order
//
// They are the leading terms of the power series behind the large-N
// log-determinants and traces (tr W(I−ρW)⁻¹ = sum_k ρ^k t_{k+1},
// ‖W(I−ρW)⁻¹‖²_F = sum_{a,b≥1} ρ^{a+b−2} <W^a, W^b>_F; LeSage and Pace
// 2009, ch. 4). Computed exactly, they leave the stochastic estimators only
// the remainder of order Order+1 and beyond, whose variance shrinks like
// |ρ|^(2·Order) (a control variate in the sense of Hutchinson 1989).
type PowerMoments struct {
	Order     int
	Traces    []float64
	Frobenius [][]float64
}

// MaxExactOrder is the largest order of the exact power moments the
// large-N log-determinants and traces use.
const MaxExactOrder = 12

// MomentsBudget returns the operations the large-N methods spend on exact
// power moments for n regions: 1,000 per region, at least 1e7 and at most
// 5e7 in all (about 0.05–0.3 s on two cores).
func MomentsBudget(n int) float64 {
	return math.Min(math.Max(1000*float64(n), 1e7), 5e7)
}

// DefaultPowerMoments returns pm when it holds moments of a matrix of w's
// size (traces to order 4 at least), and otherwise w's PowerMoments up to
// MaxExactOrder within MomentsBudget: the moments the large-N methods use.
func (w *Weights) DefaultPowerMoments(pm *PowerMoments, workers int) *PowerMoments {
	if pm == nil || pm.Order < 1 || len(pm.Traces) < 5 || pm.Traces[0] != float64(w.N()) {
		pm = w.PowerMoments(MaxExactOrder, MomentsBudget(w.N()), workers)
	}
	return pm
}

// exactTraces returns tr(W^k), k = 0 … max(K, 4), exact, with K the order
// of DefaultPowerMoments(pm).
func (w *Weights) exactTraces(pm *PowerMoments, workers int) []float64 {
	return w.DefaultPowerMoments(pm, workers).Traces
}

// powerMomentsPilot is the number of regions whose expansion is timed (in
// operations) to choose the order within the budget.
const powerMomentsPilot = 64

// PowerMoments returns the exact moments of W^k for k up to the largest
// order ≤ maxOrder whose cost, estimated from a pilot of regions, stays
// within budget floating-point operations (at least min(2, maxOrder)). For each
// region i it expands the columns W^a e_i, a = 1 … Order, as sparse vectors
// (so the cost per region grows with the number of regions within Order
// steps: about Order⁴/6 + 8·Order³/3 operations on a rook lattice, the
// first term halved when W's graph is bipartite, where the products of
// levels of unlike parity vanish), reads
// t_a off their i-th entries and accumulates the inner products
// <W^a e_i, W^b e_i>, whose sum over i is <W^a, W^b>_F. Regions are split
// over workers goroutines (runtime.GOMAXPROCS(0) when workers <= 0).
func (w *Weights) PowerMoments(maxOrder int, budget float64, workers int) *PowerMoments {
	n := w.N()
	if maxOrder < 1 {
		maxOrder = 1
	}
	wt := w.Transpose()
	order := maxOrder
	if n > powerMomentsPilot {
		e := newPowerExpander(w, wt, maxOrder)
		cost := make([]float64, maxOrder+1)
		step := n / powerMomentsPilot
		for p := 0; p < powerMomentsPilot; p++ {
			e.expand(p*step, maxOrder, cost)
		}
		order = min(2, maxOrder)
		for k := maxOrder; k > order; k-- {
			if cost[k]/powerMomentsPilot*float64(n) <= budget {
				order = k
				break
			}
		}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n/256))
	parts := make([]*powerExpander, workers)
	parity := order >= 3 && w.bipartite(wt)
	var wg sync.WaitGroup
	for g := range workers {
		parts[g] = newPowerExpander(w, wt, order)
		parts[g].parity = parity
		wg.Add(1)
		go func(e *powerExpander, lo, hi int) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				e.expand(i, order, nil)
			}
		}(parts[g], g*n/workers, (g+1)*n/workers)
	}
	wg.Wait()
	pm := &PowerMoments{Order: order, Traces: make([]float64, order+1), Frobenius: make([][]float64, order+1)}
	for a := range pm.Frobenius {
		pm.Frobenius[a] = make([]float64, order+1)
	}
	pm.Traces[0] = float64(n)
	for _, e := range parts {
		for k := 1; k <= order; k++ {
			pm.Traces[k] += e.tr[k]
		}
		for a := 1; a <= order; a++ {
			for b := a; b <= order; b++ {
				pm.Frobenius[a][b] += e.frob[a][b]
			}
		}
	}
	if order < 4 { // t_3, t_4 by the cheaper two-sided products
		pt := w.powerTraces(wt)
		pm.Traces = append(pm.Traces[:2], pt[1], pt[2], pt[3])
	}
	pm.Frobenius[0][0] = float64(n)
	for a := 1; a <= order; a++ {
		pm.Frobenius[0][a] = pm.Traces[a]
		pm.Frobenius[a][0] = pm.Traces[a]
		for b := a + 1; b <= order; b++ {
			pm.Frobenius[b][a] = pm.Frobenius[a][b]
		}
	}
	return pm
}

// powerExpander is one goroutine's scratch for PowerMoments.
type powerExpander struct {
	w, wt *Weights
	acc   []float64 // the level being built, dense (zero elsewhere)
	stamp []int     // stamp[j] = id of the last level that touched j
	next  int       // next level id
	idx   [][]int   // per level a, the support of W^a e_i
	val   [][]float64
	tr    []float64
	frob  [][]float64
	// parity: W's graph is bipartite, so W^a e_i and W^b e_i live on
	// opposite colours when a − b is odd and their inner product is 0.
	parity bool
}

func newPowerExpander(w, wt *Weights, order int) *powerExpander {
	n := w.N()
	e := &powerExpander{w: w, wt: wt, acc: make([]float64, n),
		stamp: make([]int, n), idx: make([][]int, order+1), val: make([][]float64, order+1),
		tr: make([]float64, order+1), frob: make([][]float64, order+1)}
	for j := range e.stamp {
		e.stamp[j] = -1
	}
	for a := range e.frob {
		e.frob[a] = make([]float64, order+1)
	}
	return e
}

// expand adds region i's contributions up to order K; with cost non-nil it
// only adds the operations each order takes (cumulatively) to cost.
func (e *powerExpander) expand(i, K int, cost []float64) {
	// Locals, not fields: the stores into acc would otherwise make the
	// compiler reload every field in the inner loops. acc is zero outside
	// the level being built, and holds it densely for the inner products.
	rowPtr, colIdx, wv := e.wt.rowPtr, e.wt.colIdx, e.wt.vals
	acc, stamp := e.acc, e.stamp
	e.idx[0] = append(e.idx[0][:0], i)
	e.val[0] = append(e.val[0][:0], 1)
	var ops int
	for a := 1; a <= K; a++ {
		id := e.next
		e.next++
		idx, val := e.idx[a][:0], e.val[a][:0]
		// (W v)_r = sum_c w_rc v_c: column c of W is row c of Wᵀ.
		prevIdx, prevVal := e.idx[a-1], e.val[a-1]
		prevVal = prevVal[:len(prevIdx)]
		for p, c := range prevIdx {
			vc := prevVal[p]
			lo, hi := rowPtr[c], rowPtr[c+1]
			cols, vals := colIdx[lo:hi], wv[lo:hi]
			vals = vals[:len(cols)]
			for q, r := range cols {
				if stamp[r] != id {
					stamp[r] = id
					idx = append(idx, r)
				}
				acc[r] += vals[q] * vc
			}
			ops += hi - lo
		}
		for _, r := range idx {
			val = append(val, acc[r])
		}
		e.idx[a], e.val[a] = idx, val
		// Inner products of level a (dense in acc) with levels 1 … a, over
		// their supports.
		if cost == nil {
			e.tr[a] += acc[i]
			frob := e.frob
			for l := 1; l <= a; l++ {
				if e.parity && (a-l)&1 == 1 {
					continue // disjoint supports: the product is 0
				}
				var s float64
				il, vl := e.idx[l], e.val[l]
				vl = vl[:len(il)]
				for p, r := range il {
					s += vl[p] * acc[r]
				}
				frob[l][a] += s
			}
		}
		for l := 1; l <= a; l++ {
			ops += len(e.idx[l])
		}
		for _, r := range idx {
			acc[r] = 0
		}
		if cost != nil {
			cost[a] += float64(ops)
		}
	}
}

// bipartite reports whether the graph of W's pattern (a link either way
// joins two regions; wt is W's transpose) can be two-coloured so that
// every link joins the two colours: then every walk from a region back to
// itself has even length, and W^a e_i lies on the colour of i when a is
// even and on the other one when a is odd (rook lattices, trees). A
// self-link is an odd cycle.
func (w *Weights) bipartite(wt *Weights) bool {
	n := w.N()
	colour := make([]int8, n) // 0 unseen, ±1
	queue := make([]int, 0, n)
	for s := 0; s < n; s++ {
		if colour[s] != 0 {
			continue
		}
		colour[s] = 1
		queue = append(queue[:0], s)
		for q := 0; q < len(queue); q++ {
			i := queue[q]
			for _, m := range [2]*Weights{w, wt} {
				for _, j := range m.colIdx[m.rowPtr[i]:m.rowPtr[i+1]] {
					switch colour[j] {
					case 0:
						colour[j] = -colour[i]
						queue = append(queue, j)
					case colour[i]:
						return false
					}
				}
			}
		}
	}
	return true
}
