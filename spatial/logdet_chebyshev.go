package spatial

import (
	"math"
	"math/rand/v2"
)

// ChebyshevLogDet approximates ln|I − ρW| by the Chebyshev expansion of
// Pace and LeSage (2004, Computational Statistics & Data Analysis
// 45:179–196). With the spectrum of W in [a, b] and Ŵ = (2W − (a+b)I)/(b−a),
//
//	ln|I − ρW| = tr f_ρ(Ŵ) ≈ sum_{j=0}^{q} c_j(ρ) tr T_j(Ŵ) − c_0(ρ) N/2
//	c_j(ρ) = 2/(q+1) sum_{k=0}^{q} f_ρ(x_k) T_j(x_k),  x_k = cos(π(k+½)/(q+1))
//
// where f_ρ(x) = ln(1 − ρ((b−a)x + a + b)/2) and T_j are the Chebyshev
// polynomials (T_{j+1}(x) = 2x T_j(x) − T_{j−1}(x)). The traces of T_j for
// j up to the order of PowerMoments within MomentsBudget (at least 4) are
// exact, from the exact tr W^k; those of higher order are Hutchinson
// estimates u'T_j(Ŵ)u over seeded Rademacher probes u, one sparse product
// per order and probe; or, where W = D⁻¹A with A symmetric (W similar to
// the symmetric S = D^{1/2}WD^{−1/2}, whose traces are W's), estimates
// u'T_j(Ŝ)u from one product per two orders, by the doubling identities
// of the kernel polynomial method (Weiße et al. 2006, Rev. Mod. Phys. 78,
// 275–306): u'T_{2j}u = 2‖T_j u‖² − u'u and u'T_{2j−1}u = 2(T_j u)'T_{j−1}u
// − u'T_1u. The coefficients are cheap, so
// after set-up each LogDet costs O(q²). It works for any W whose spectrum
// lies in the bounds (complex eigenvalues of asymmetric W included, inside
// the ellipse where f_ρ is analytic).
type ChebyshevLogDet struct {
	n      float64
	a, b   float64
	q      int
	exact  []float64   // exact tr T_j(Ŵ), j = 0 … len−1
	probes [][]float64 // per probe: u'T_j(Ŵ)u, j = 0..q
	cos    []float64   // cos(jπ(k+½)/(q+1)), (q+1)×(q+1)
	lo, hi float64
	polyE  float64
	bound  float64
}

var _ LogDeterminant = (*ChebyshevLogDet)(nil)

// chebPolyTol is the polynomial accuracy aimed at by the default order.
const chebPolyTol = 1e-8

// NewChebyshevLogDet sets up the Chebyshev log-determinant of order
// opts.Order (default: the smallest order whose interpolation error of
// f_ρ on [−1, 1] is below 1e-8 for ρ at 95% of the interval ends, at most
// 200) with opts.Probes seeded probes (default DefaultProbes(N)).
func NewChebyshevLogDet(w *Weights, opts LogDetOptions) (*ChebyshevLogDet, error) {
	a, b, sym, _, err := spectrumBounds(w, opts, false)
	if err != nil {
		return nil, err
	}
	n := w.N()
	e := &ChebyshevLogDet{n: float64(n), a: a, b: b, lo: 1 / a, hi: 1 / b}
	q := opts.Order
	if q <= 0 {
		for q = 8; q < 200; q += 4 {
			e.setOrder(q)
			if e.polyError(0.95*e.lo) < chebPolyTol && e.polyError(0.95*e.hi) < chebPolyTol {
				break
			}
		}
	}
	e.setOrder(q)
	e.polyE = math.Max(e.polyError(0.95*e.lo), e.polyError(0.95*e.hi))
	nf := float64(n)
	sc, sh := 2/(b-a), (a+b)/(b-a) // Ŵ = sc·W − sh·I
	e.exact = chebyshevTraces(w.exactTraces(opts.Moments, opts.Workers), sc, sh, q)
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed))
	// The probes' random bits in the order one sequential pass would draw
	// them (rademacher), then the probes in parallel, each with its own
	// vectors and serial products: the same numbers as probe by probe.
	np := opts.probes(n)
	bits := make([][]uint64, np)
	for p := range bits {
		bits[p] = make([]uint64, (n+63)/64)
		for i := range bits[p] {
			bits[p][i] = rng.Uint64()
		}
	}
	// Where W is similar to a symmetric S (W = D⁻¹A, A symmetric: every
	// row-standardised symmetric contiguity or distance matrix), the
	// probes walk S, whose traces are W's (tr T_j(Ŝ) = tr T_j(Ŵ)), with
	// half the products (the doubling of chebyshevProbeTraces).
	if sym != nil {
		e.probes = chebyshevProbeTraces(sym, bits, q, sc, sh, opts.Workers, n >= chebBlockMinN, true)
	} else {
		e.probes = chebyshevProbeTraces(w, bits, q, sc, sh, opts.Workers, n >= chebBlockMinN, false)
	}
	for _, rho := range errorGrid(e.lo, e.hi) {
		_, se := e.estimate(rho)
		e.bound = math.Max(e.bound, 2*se)
	}
	e.bound += nf * e.polyE
	return e, nil
}

func (e *ChebyshevLogDet) setOrder(q int) {
	e.q = q
	m := q + 1
	e.cos = make([]float64, m*m)
	for j := 0; j < m; j++ {
		for k := 0; k < m; k++ {
			e.cos[j*m+k] = math.Cos(float64(j) * math.Pi * (float64(k) + 0.5) / float64(m))
		}
	}
}

func (e *ChebyshevLogDet) f(rho, x float64) float64 {
	return math.Log(1 - rho*((e.b-e.a)*x+e.a+e.b)/2)
}

func (e *ChebyshevLogDet) coeffs(rho float64) []float64 {
	m := e.q + 1
	fk := make([]float64, m)
	for k := range fk {
		fk[k] = e.f(rho, math.Cos(math.Pi*(float64(k)+0.5)/float64(m)))
	}
	c := make([]float64, m)
	for j := range c {
		var s float64
		row := e.cos[j*m : (j+1)*m]
		for k, v := range fk {
			s += v * row[k]
		}
		c[j] = 2 * s / float64(m)
	}
	return c
}

// polyError returns the largest error of the Chebyshev interpolant of f_ρ
// on a fine grid of [−1, 1].
func (e *ChebyshevLogDet) polyError(rho float64) float64 {
	c := e.coeffs(rho)
	var worst float64
	for i := 0; i <= 400; i++ {
		x := math.Cos(math.Pi * float64(i) / 400)
		t0, t1 := 1.0, x
		p := c[0]/2 + c[1]*x
		for j := 2; j <= e.q; j++ {
			t0, t1 = t1, 2*x*t1-t0
			p += c[j] * t1
		}
		worst = math.Max(worst, math.Abs(p-e.f(rho, x)))
	}
	return worst
}

func (e *ChebyshevLogDet) estimate(rho float64) (est, se float64) {
	c := e.coeffs(rho)
	base := -c[0] * e.n / 2
	for j, t := range e.exact {
		base += c[j] * t
	}
	per := make([]float64, len(e.probes))
	for p, tr := range e.probes {
		var s float64
		for j := len(e.exact); j <= e.q; j++ {
			s += c[j] * tr[j]
		}
		per[p] = s
	}
	mean, se := meanSE(per)
	return base + mean, se
}

// LogDet returns the Chebyshev estimate of ln|I − ρW|.
func (e *ChebyshevLogDet) LogDet(rho float64) float64 {
	est, _ := e.estimate(rho)
	return est
}

// StdErr returns the probes' standard error of LogDet(rho).
func (e *ChebyshevLogDet) StdErr(rho float64) float64 {
	_, se := e.estimate(rho)
	return se
}

// Order returns the Chebyshev order q.
func (e *ChebyshevLogDet) Order() int { return e.q }

// Interval returns (1/λ_min, 1/λ_max) from guaranteed bounds on the
// spectrum (see SLQLogDet.Interval).
func (e *ChebyshevLogDet) Interval() (lo, hi float64) { return e.lo, e.hi }

// Method returns "chebyshev".
func (e *ChebyshevLogDet) Method() string { return "chebyshev" }

// ErrorBound returns N times the polynomial error at 95% of the interval
// ends plus the largest twice-standard-error of the probes over the
// central 95% of the interval (a statistical bound, about 95%).
func (e *ChebyshevLogDet) ErrorBound() float64 { return e.bound }

// chebyshevTraces returns tr T_j(Ŵ), j = 0 … min(K, q), of Ŵ = sc·W − sh·I
// from t_k = tr(W^k), k = 0 … K: each T_j(Ŵ) is a polynomial in W whose
// coefficients follow the recurrence T_{j+1} = 2Ŵ T_j − T_{j−1}.
func chebyshevTraces(t []float64, sc, sh float64, q int) []float64 {
	K := min(len(t)-1, q)
	prev := make([]float64, K+1) // coefficients of T_{j−1} in powers of W
	cur := make([]float64, K+1)
	cur[0] = 1
	out := make([]float64, K+1)
	for j := 0; j <= K; j++ {
		for k, c := range cur {
			out[j] += c * t[k]
		}
		next := make([]float64, K+1)
		for k, c := range cur {
			if k+1 <= K {
				next[k+1] += 2 * sc * c
			}
			next[k] -= 2 * sh * c
		}
		for k, c := range prev {
			next[k] -= c
		}
		if j == 0 { // T_1 = Ŵ, not 2Ŵ
			for k := range next {
				next[k] /= 2
			}
		}
		prev, cur = cur, next
	}
	return out
}

// chebBlockMinN is the number of regions from which the Chebyshev probes
// walk in blocks (chebyshevBlockStep): their vectors no longer fit in
// cache, and four probes sharing each pass over W cost 15% less at
// N = 10⁶; below, one probe per core with the fused serial step is
// faster (by 40% at N = 10⁵, 2 cores).
const chebBlockMinN = 1 << 19

// chebyshevProbeTraces returns, for each probe p (Rademacher, drawn from
// bits[p]), its traces u'T_j(Ŵ)u, j = 0 … q, Ŵ = sc·W − sh·I: the probes
// one per core (fused serial steps) or, with blocks, probeBlock at a
// time sharing each pass over W. Both give the same numbers bit for bit.
//
// When sym, W is symmetric and the traces take ⌈q/2⌉ products instead of
// q, by the doubling identities of the kernel polynomial method (Weiße,
// Wellein, Alvermann and Fehske 2006, Rev. Mod. Phys. 78, §II.D):
// T_j² = (T_{2j} + T_0)/2 and T_jT_{j−1} = (T_{2j−1} + T_1)/2 give, with
// v_j = T_j(Ŵ)u, u'T_{2j}u = 2v_jᵀv_j − uᵀu and u'T_{2j−1}u = 2v_jᵀv_{j−1}
// − uᵀv_1 (Ŵᵀ = Ŵ, so T_j(Ŵ)ᵀ = T_j(Ŵ)).
func chebyshevProbeTraces(w *Weights, bits [][]uint64, q int, sc, sh float64, workers int, blocks, sym bool) [][]float64 {
	n, np := w.N(), len(bits)
	nf := float64(n)
	out := make([][]float64, np)
	// steps is the number of products after the first: v_2 … v_steps+1.
	steps := q - 1
	if sym {
		steps = (q+1)/2 - 1
	}
	// double stores the traces of step j (v_j made, j ≥ 2) from
	// v_jᵀv_j and v_jᵀv_{j−1}.
	double := func(tr []float64, j int, xx, xc float64) {
		tr[2*j-1] = 2*xc - tr[1]
		if 2*j <= q {
			tr[2*j] = 2*xx - nf
		}
	}
	if !blocks {
		forProbes(w, np, workers, func(lag func(dst, x []float64), serial bool) func(p int) {
			u := make([]float64, n)
			prev, cur, nxt := make([]float64, n), make([]float64, n), make([]float64, n)
			return func(p int) {
				rademacherBits(bits[p], u)
				tr := make([]float64, q+1)
				copy(prev, u)
				tr[0] = nf
				if q >= 1 {
					lag(cur, u)
					for i := range cur {
						cur[i] = sc*cur[i] - sh*u[i]
					}
					tr[1] = dot(u, cur)
					if sym && q >= 2 {
						tr[2] = 2*dot(cur, cur) - nf
					}
				}
				for j := 2; j <= steps+1; j++ {
					switch {
					case serial && sym:
						xx, xc := w.chebyshevStepSym(nxt, cur, prev, sc, sh)
						double(tr, j, xx, xc)
					case serial:
						tr[j] = w.chebyshevStep(nxt, cur, prev, u, sc, sh)
					default:
						lag(nxt, cur)
						var xx, xc, ux float64
						for i := range nxt {
							c := cur[i]
							x := 2*(sc*nxt[i]-sh*c) - prev[i]
							nxt[i] = x
							xx += x * x
							xc += x * c
							ux += u[i] * x
						}
						if sym {
							double(tr, j, xx, xc)
						} else {
							tr[j] = ux
						}
					}
					prev, cur, nxt = cur, nxt, prev
				}
				out[p] = tr
			}
		})
		return out
	}
	forProbeBlocks(n, np, workers, func(j0, p int) {
		// prev and cur hold T_{j−1}(Ŵ)u and T_j(Ŵ)u row-major; the step
		// overwrites prev with T_{j+1}(Ŵ)u. The probes stay as bits.
		pb := bits[j0 : j0+p]
		prev, cur := make([]float64, n*p), make([]float64, n*p)
		col := make([]float64, n)
		for k := range p {
			rademacherBits(pb[k], col)
			for i, x := range col {
				prev[i*p+k] = x
			}
		}
		tr := make([][]float64, p)
		for k := range tr {
			tr[k] = make([]float64, q+1)
			tr[k][0] = nf
		}
		d, xx := make([]float64, p), make([]float64, p)
		if q >= 1 {
			w.LagBlock(cur, prev, p)
			for i := range cur {
				cur[i] = sc*cur[i] - sh*prev[i]
			}
			for i, x := range cur {
				d[i%p] += prev[i] * x
				xx[i%p] += x * x
			}
			for k := range p {
				tr[k][1] = d[k]
				if sym && q >= 2 {
					tr[k][2] = 2*xx[k] - nf
				}
			}
		}
		for j := 2; j <= steps+1; j++ {
			clear(d)
			if sym {
				clear(xx)
				w.chebyshevBlockStepSym(prev, cur, p, sc, sh, xx, d)
				for k := range p {
					double(tr[k], j, xx[k], d[k])
				}
			} else {
				w.chebyshevBlockStep(prev, cur, pb, p, sc, sh, d)
				for k := range p {
					tr[k][j] = d[k]
				}
			}
			prev, cur = cur, prev
		}
		for k := range p {
			out[j0+k] = tr[k]
		}
	})
	return out
}
