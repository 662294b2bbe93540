package regress

import (
	"fmt"
	"math"
	"sort"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"
)

// sacGridPoints is the number of grid points per parameter of the grid
// over (ρ, λ) that starts the SAC search: spacing about 0.05 on (−1, 1).
const sacGridPoints = 41

// sacCandidates is the most local maxima of the grid's profile over ρ that
// the SAC search refines.
const sacCandidates = 3

// sacCloseMaxima is the gap in the concentrated log-likelihood below which
// a second local maximum of the SAC likelihood is reported: half the 95%
// quantile of χ² with 2 degrees of freedom (5.991/2), so that a likelihood
// ratio test at 5% would not tell the two maxima apart.
const sacCloseMaxima = 2.996

// sacHighCorrelation is the absolute correlation of ρ̂ and λ̂ (from the
// inverse information matrix) beyond which the SAC fit says that the two
// are weakly identified.
const sacHighCorrelation = 0.95

// sacObjective is the concentrated negative log-likelihood of a SAC model,
// −ℓc(ρ, λ) up to a constant (see fitSAC), on the open intervals of ρ
// (lo, hi) and λ (lo2, hi2), with the lagged responses it is built from.
type sacObjective struct {
	g                *mat.SymDense // Gram matrix of (ỹ, Wỹ, W2ỹ, W2Wỹ, X̃, W2X̃)
	dm               *mat.Dense
	c                []float64
	k, t             int
	nt               float64
	lo, hi, lo2, hi2 float64
	ld, ld2          spatial.LogDeterminant
	w2y, wwy         []float64 // W2ỹ and W2Wỹ (W2 = W with one matrix)
}

// sacMax is a local maximum of the SAC likelihood: ρ, λ and −ℓc there.
type sacMax struct{ rho, lam, negll float64 }

// newSACObjective returns the concentrated objective of the SAC model on
// the prepared data d: every SSE from one Gram matrix of (ỹ, Wỹ, W2ỹ,
// W2Wỹ, X̃, W2X̃), O(k³) per evaluation besides the log-determinants.
func newSACObjective(d *smlData, opt *SpatialOptions) *sacObjective {
	n, t := d.n, d.t
	k := len(d.xs)
	// With one W: w2y = Wỹ and w2wy = W²ỹ; with an error matrix W2:
	// W2ỹ and W2Wỹ.
	w2y := d.wy
	if d.we != d.w {
		w2y = lagPanel(d.we, d.y, n, t)
	}
	wwy := lagPanel(d.we, d.wy, n, t)
	cols := [][]float64{d.y, d.wy, w2y, wwy}
	cols = append(cols, d.xs...)
	cols = append(cols, d.wxs...)
	o := &sacObjective{g: gram(cols), k: k, t: t, nt: float64(n * t), w2y: w2y, wwy: wwy}
	m := len(cols)
	o.dm = mat.NewDense(m, k, nil)
	for j := 0; j < k; j++ {
		o.dm.Set(4+j, j, 1)
	}
	o.c = make([]float64, m)
	o.ld, o.ld2 = opt.LogDet, opt.LogDet
	if opt.LogDet2 != nil && d.we != d.w {
		o.ld2 = opt.LogDet2
	}
	o.lo, o.hi = searchInterval(o.ld)
	o.lo2, o.hi2 = searchInterval(o.ld2)
	return o
}

// halfLogSSE returns NT/2 ln SSE(ρ, λ), +Inf when the SSE is not
// positive.
func (o *sacObjective) halfLogSSE(rho, lam float64) float64 {
	// (I−λW2)(I−ρW)y = y − ρWy − λW2y + ρλW2Wy
	o.c[0], o.c[1], o.c[2], o.c[3] = 1, -rho, -lam, rho*lam
	for j := 0; j < o.k; j++ {
		o.dm.Set(4+o.k+j, j, -lam)
	}
	sse, ok := comboSSR(o.g, o.c, o.dm)
	if !ok || !(sse > 0) {
		return math.Inf(1)
	}
	return o.nt / 2 * math.Log(sse)
}

// negll returns −ℓc(ρ, λ) up to a constant; +Inf where it is undefined.
func (o *sacObjective) negll(rho, lam float64) float64 {
	return o.nlp(o.halfLogSSE(rho, lam), o.ld.LogDet(rho)+o.ld2.LogDet(lam))
}

// logLik returns the log-likelihood that fitSAC reports, concentrated and
// up to a constant, with nn·tt observations and tt periods (leeYuDims):
//
//	tt·(ln|I − ρW| + ln|I − λW2|) − nn·tt/2 · ln SSE(ρ, λ).
//
// Without the Lee–Yu correction it is −negll.
func (o *sacObjective) logLik(rho, lam, nn, tt float64) float64 {
	return tt*(o.ld.LogDet(rho)+o.ld2.LogDet(lam)) - nn*tt/o.nt*o.halfLogSSE(rho, lam)
}

func (o *sacObjective) nlp(hl, ldet float64) float64 {
	v := hl - float64(o.t)*ldet
	if math.IsNaN(v) {
		return math.Inf(1)
	}
	return v
}

// sacGrid returns sacGridPoints points evenly inside (lo, hi).
func sacGrid(lo, hi float64) []float64 { return searchGrid(lo, hi, sacGridPoints, false) }

// searchGrid returns m points evenly inside (lo, hi), spacing (hi−lo)/(m+1),
// and with ends also the points 10⁻²(hi−lo) … 10⁻⁶(hi−lo) from each end,
// where a maximum squeezed against a bound of the interval (a spatial
// parameter near 1/ω_max, say) falls between the even points; ascending.
func searchGrid(lo, hi float64, m int, ends bool) []float64 {
	xs := make([]float64, 0, m+10)
	if ends {
		for k := 2; k <= 6; k++ {
			xs = append(xs, lo+(hi-lo)*math.Pow(10, -float64(k)))
		}
	}
	for i := 0; i < m; i++ {
		xs = append(xs, lo+(hi-lo)*float64(i+1)/float64(m+1))
	}
	if ends {
		for k := 6; k >= 2; k-- {
			xs = append(xs, hi-(hi-lo)*math.Pow(10, -float64(k)))
		}
	}
	sort.Float64s(xs)
	return xs
}

// gridMinimise minimises f on (lo, hi) from its values on the ascending
// grid xs: the best cands local minima over the grid (gridLocalMinima)
// are refined by refineCell, and the lowest refined one is returned. ok
// is false when f is not finite anywhere on the grid or a refinement did
// not converge within maxEval evaluations.
func gridMinimise(f func(float64) float64, xs []float64, lo, hi float64, cands int, tol float64, maxEval int) (x, fx float64, ok bool) {
	fs := make([]float64, len(xs))
	for i, v := range xs {
		fs[i] = f(v)
	}
	idx := gridLocalMinima(fs)
	if len(idx) == 0 {
		return math.NaN(), math.Inf(1), false
	}
	if len(idx) > cands {
		idx = idx[:cands]
	}
	fx, ok = math.Inf(1), true
	for _, j := range idx {
		xj, fj, okj := refineCell(f, xs, lo, hi, j, tol, maxEval)
		ok = ok && okj
		if fj < fx || math.IsInf(fx, 1) {
			x, fx = xj, fj
		}
	}
	return x, fx, ok
}

// gridLocalMinima returns the indices of the local minima of the finite
// values f (no smaller neighbour), smallest value first.
func gridLocalMinima(f []float64) []int {
	var idx []int
	for i, v := range f {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		if (i == 0 || !(f[i-1] < v)) && (i == len(f)-1 || !(f[i+1] < v)) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return f[idx[a]] < f[idx[b]] })
	return idx
}

// refineCell minimises f by Brent's method on the two cells of the grid xs
// around xs[j] (the ends of the grid extended to lo and hi), moving one
// cell on while the minimum lies at an inner end of the bracket.
func refineCell(f func(float64) float64, xs []float64, lo, hi float64, j int, tol float64, maxEval int) (x, fx float64, ok bool) {
	for range xs {
		a, b := lo, hi
		if j > 0 {
			a = xs[j-1]
		}
		if j < len(xs)-1 {
			b = xs[j+1]
		}
		x, fx, _, ok = brentMin(f, a, b, tol, maxEval)
		if !ok {
			return x, fx, false
		}
		w := 1e-6 * (b - a)
		switch {
		case j > 0 && x-a < w:
			j--
		case j < len(xs)-1 && b-x < w:
			j++
		default:
			return x, fx, true
		}
	}
	return x, fx, true
}

// maximise returns the global maximum of ℓc and the other local maxima of
// its profile over ρ that the search found. A grid of sacGridPoints² values
// (the log-determinants only at the grid's ρ and λ) gives the profile
// min_λ −ℓc at each grid ρ; the best sacCandidates local minima of that
// profile are refined by Brent's method on ρ around them, the profile
// evaluated at each ρ by the best two local minima over the grid of λ,
// each refined by Brent's method on λ. tol and maxEval are those of each
// one-dimensional search.
func (o *sacObjective) maximise(tol float64, maxEval int) (best sacMax, others []sacMax, err error) {
	rs, ls := sacGrid(o.lo, o.hi), sacGrid(o.lo2, o.hi2)
	ldl := make([]float64, len(ls))
	for j, l := range ls {
		ldl[j] = o.ld2.LogDet(l)
	}
	col := make([]float64, len(ls))
	var lamAt float64
	failed := false
	// λ̂(ρ) of each evaluated ρ: Brent returns a point it evaluated, whose
	// λ̂ is then looked up rather than searched for again.
	lamOf := map[float64]float64{}
	profile := func(rho float64) float64 {
		ldr := o.ld.LogDet(rho)
		for j, l := range ls {
			col[j] = o.nlp(o.halfLogSSE(rho, l), ldr+ldl[j])
		}
		cand := gridLocalMinima(col)
		if len(cand) == 0 {
			lamAt = math.NaN()
			return math.Inf(1)
		}
		if len(cand) > 2 {
			cand = cand[:2]
		}
		fbest := math.Inf(1)
		for _, j := range cand {
			l, f, ok := refineCell(func(l float64) float64 {
				return o.nlp(o.halfLogSSE(rho, l), ldr+o.ld2.LogDet(l))
			}, ls, o.lo2, o.hi2, j, tol/10, maxEval)
			if !ok {
				failed = true
			}
			if f < fbest || math.IsInf(fbest, 1) {
				fbest, lamAt = f, l
			}
		}
		lamOf[rho] = lamAt
		return fbest
	}
	prof := make([]float64, len(rs))
	for i, r := range rs {
		ldr := o.ld.LogDet(r)
		prof[i] = math.Inf(1)
		for j, l := range ls {
			prof[i] = math.Min(prof[i], o.nlp(o.halfLogSSE(r, l), ldr+ldl[j]))
		}
	}
	cand := gridLocalMinima(prof)
	if len(cand) == 0 {
		return sacMax{}, nil, fmt.Errorf("%w: the SAC log-likelihood is undefined on the whole grid over (ρ, λ)", ErrNoConvergence)
	}
	if len(cand) > sacCandidates {
		cand = cand[:sacCandidates]
	}
	var found []sacMax
	for _, i := range cand {
		r, f, ok := refineCell(profile, rs, o.lo, o.hi, i, tol, maxEval)
		if !ok || failed {
			return sacMax{}, nil, fmt.Errorf("%w after %d evaluations: last iterate ρ = %g, λ = %g", ErrNoConvergence, maxEval, r, lamAt)
		}
		lam, seen := lamOf[r]
		if !seen {
			f = profile(r)
			lam = lamAt
		}
		found = append(found, sacMax{rho: r, lam: lam, negll: f})
	}
	sort.SliceStable(found, func(a, b int) bool { return found[a].negll < found[b].negll })
	best = found[0]
	for _, m := range found[1:] {
		dup := math.Abs(m.rho-best.rho) < 1e-4*(o.hi-o.lo)
		for _, q := range others {
			dup = dup || math.Abs(m.rho-q.rho) < 1e-4*(o.hi-o.lo)
		}
		if !dup {
			others = append(others, m)
		}
	}
	return best, others, nil
}
