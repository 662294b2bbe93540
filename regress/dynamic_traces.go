package regress

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
)

// traces returns the Traces of the transformed W: W's own, or under the
// time transformation centredTraces.
func (f *dynFit) traces() Traces {
	if f.centre {
		return centredTraces{f}
	}
	return f.opt.Traces
}

// biasTraces returns tr(H), tr(WH), tr(GH), tr(GWH) and tr(G) of the
// transformed W at (ρ, γ, δ), with S = I − ρW, G = WS⁻¹ and H =
// ((1 − γ)I − (ρ + δ)W)⁻¹, and the number m of eigenvalues a(ω) = (γ +
// δω)/(1 − ρω) of A at or above 1 − 1/n, which are removed from A (there H
// acts as S⁻¹). From the eigenvalues of W they are exact sums; at large N
// they are the power series
//
//	tr(H) = Σ_k ψᵏ t_k/(1 − γ),  tr(WH) = Σ_k ψᵏ t_{k+1}/(1 − γ),
//	tr(GH) = Σ_m c_m t_{m+1}/(1 − γ),  tr(GWH) = Σ_m c_m t_{m+2}/(1 − γ),
//	tr(G) = Σ_j ρʲ t_{j+1},
//
// ψ = (ρ + δ)/(1 − γ), c_m = Σ_{j+k=m} ρʲψᵏ, t_k = tr(Wᵏ) (exact to the
// order of the power moments, stochastic beyond), less the unit
// eigenvalue's terms under the time transformation. A unit root at large
// N is an error (its count needs the eigenvalues).
func (f *dynFit) biasTraces(rho, gam, del float64) (trH, trWH, trGH, trGWH, trG float64, mm int, err error) {
	if f.vals != nil {
		r, g, dl := complex(rho, 0), complex(gam, 0), complex(del, 0)
		var sH, sWH, sGH, sGWH, sG complex128
		for i, w := range f.vals {
			if i == f.unit {
				continue
			}
			s := 1 - r*w
			a := (g + dl*w) / s
			var h complex128
			if real(a) > 1-1/f.nn {
				mm++
				h = 1 / s
			} else {
				h = 1 / ((1 - g) - (r+dl)*w)
			}
			gw := w / s
			sH += h
			sWH += w * h
			sGH += gw * h
			sGWH += gw * w * h
			sG += gw
		}
		return real(sH), real(sWH), real(sGH), real(sGWH), real(sG), mm, nil
	}
	lo, _ := f.ldW.Interval()
	for _, w := range []float64{1 / lo, 1} {
		if f.centre && w == 1 {
			continue
		}
		if (gam+del*w)/(1-rho*w) > 1-1/f.nn {
			return 0, 0, 0, 0, 0, 0, fmt.Errorf("regress: (I − ρW)⁻¹(γI + δW) has an eigenvalue near or above 1 at ρ = %g, γ = %g, δ = %g (a unit root); its bias correction needs the eigenvalues of W (--logdet eigen)", rho, gam, del)
		}
	}
	psi := (rho + del) / (1 - gam)
	K, err := f.st.seriesLen(math.Max(math.Abs(rho), math.Abs(psi)))
	if err != nil {
		return 0, 0, 0, 0, 0, 0, err
	}
	t := f.st.traces(K + 2)
	pr, pp, c := 1.0, 1.0, 1.0 // ρ^m, ψ^m, c_m
	for m := 0; m <= K; m++ {
		if m > 0 {
			pr *= rho
			pp *= psi
			c = psi*c + pr
		}
		trH += pp * t[m]
		trWH += pp * t[m+1]
		trGH += c * t[m+1]
		trGWH += c * t[m+2]
		trG += pr * t[m+1]
	}
	s := 1 / (1 - gam)
	trH, trWH, trGH, trGWH = s*trH, s*trWH, s*trGH, s*trGWH
	if f.centre {
		h1 := 1 / (1 - gam - rho - del)
		g1 := 1 / (1 - rho)
		trH -= h1
		trWH -= h1
		trGH -= g1 * h1
		trGWH -= g1 * h1
		trG -= g1
	}
	return trH, trWH, trGH, trGWH, trG, 0, nil
}

// spectralRadius returns max |(γ + δω)/(1 − ρω)| over the eigenvalues ω of
// W: the spectral radius of A = (I − ρW)⁻¹(γI + δW), below 1 when the
// dynamic model is stable (Elhorst 2014, §4.2; Yu, de Jong and Lee 2008).
// At large N it is the larger value at the extreme eigenvalues 1/lo and 1
// of a row-standardised W with real spectrum (a(ω) is monotone between
// its poles).
func (f *dynFit) spectralRadius(rho, gam, del float64) float64 {
	r, g, d := complex(rho, 0), complex(gam, 0), complex(del, 0)
	var m float64
	if f.vals == nil {
		lo, _ := f.ldW.Interval()
		for _, w := range []float64{1 / lo, 1} {
			m = math.Max(m, math.Abs((gam+del*w)/(1-rho*w)))
		}
		return m
	}
	for _, w := range f.vals {
		m = math.Max(m, cmplx.Abs((g+d*w)/(1-r*w)))
	}
	return m
}

// diagProbes is the number of Rademacher probes of the large-N estimate of
// diag(G) in the fourth-moment term.
const diagProbes = 32

// diagG2 returns Σᵢ G_ii² of G = W(I − ρW)⁻¹ (under the time transformation
// the diagonal of JGJ, J = I − 11ᵀ/N): densely up to N = 1,000, beyond
// from diagProbes seeded Rademacher probes z split in two halves A and B,
// each giving diag(G) ≈ mean z ∘ Gz (Bekas, Kokiopoulou and Saad 2007),
// and Σᵢ d_i^A d_i^B, which is unbiased (the square of one estimate is
// not). It enters only the small non-normality term Ω.
func (f *dynFit) diagG2(rho float64) (float64, error) {
	n := f.d.n
	if et, ok := f.opt.Traces.(*ExactTraces); ok && n <= 1000 {
		g, err := et.wTilde(rho)
		if err != nil {
			return 0, err
		}
		return sumDiag2(n, f.centre, func(i int) []float64 { return g.RawRowView(i) }), nil
	}
	rng := rand.New(rand.NewPCG(f.opt.Seed, 0xd1a6))
	half := [2][]float64{make([]float64, n), make([]float64, n)}
	z := make([]float64, n)
	s := make([]float64, n)
	gz := make([]float64, n)
	for p := 0; p < diagProbes; p++ {
		for i := range z {
			z[i] = float64(rng.IntN(2)*2 - 1)
		}
		u := append([]float64(nil), z...)
		if f.centre {
			centrePeriods(u, n, 1)
		}
		if err := solveIRWPeriod(f.opt.W, rho, u, s); err != nil {
			return 0, err
		}
		f.opt.W.LagTo(gz, s)
		if f.centre {
			centrePeriods(gz, n, 1)
		}
		d := half[p%2]
		for i := range d {
			d[i] += z[i] * gz[i] / (diagProbes / 2)
		}
	}
	return dot(half[0], half[1]), nil
}

// sumDiag2 returns Σᵢ M_ii² of the dense n×n M given by its rows, or of
// JMJ when centre is set.
func sumDiag2(n int, centre bool, row func(i int) []float64) float64 {
	var s float64
	if !centre {
		for i := 0; i < n; i++ {
			v := row(i)[i]
			s += v * v
		}
		return s
	}
	rs := make([]float64, n)
	cs := make([]float64, n)
	var tot float64
	for i := 0; i < n; i++ {
		for j, v := range row(i) {
			rs[i] += v
			cs[j] += v
			tot += v
		}
	}
	nf := float64(n)
	for i := 0; i < n; i++ {
		v := row(i)[i] - rs[i]/nf - cs[i]/nf + tot/(nf*nf)
		s += v * v
	}
	return s
}
