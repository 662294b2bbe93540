package demo

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/agglo/agglo/regress"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// mcRow is one coefficient's Monte Carlo summary.
type mcRow struct {
	name                string
	truth, mean, sd, se float64 // se: mean reported standard error
	reject              float64 // share of |z| > 1.96
	n                   int
	ests                []float64 // the estimate of each study
}

// studyPanel generates the study of cfg and returns its data and the
// panel of log(patents) on the regressors, as RunStudy reads them.
func studyPanel(t *testing.T, cfg Config) (*StudyData, *regress.SpatialPanel) {
	t.Helper()
	study, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	files, err := study.Files()
	if err != nil {
		t.Fatal(err)
	}
	d, err := LoadStudy(files)
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.spatialPanel()
	if err != nil {
		t.Fatal(err)
	}
	return d, p
}

// studyMonteCarlo draws seeds studies from DefaultConfig with the given
// number of years (seeds first, first+1, …), fits the SDM of log(patents)
// with the given fixed effects exactly as RunStudy does (default options
// but for opt) and summarises each coefficient against the truth.
func studyMonteCarlo(t *testing.T, years, seeds int, first uint64, opt regress.SpatialOptions) []mcRow {
	t.Helper()
	tr := DefaultTruth()
	want := map[string]float64{"rho": tr.Rho}
	for j, name := range Regressors {
		want[name] = tr.Beta[j]
		want["W*"+name] = tr.Theta[j]
	}
	type acc struct {
		sum, sum2, se, rej float64
		ests               []float64
	}
	st := map[string]*acc{}
	var names []string
	for s := 0; s < seeds; s++ {
		cfg := DefaultConfig()
		cfg.Years = years
		cfg.Seed = first + uint64(s)
		d, p := studyPanel(t, cfg)
		o := opt
		o.Model, o.W, o.ImpactDraws = regress.SDM, d.W, -1
		if o.BiasCorrection.Method != "" {
			o.BiasCorrection.Seed = cfg.Seed // a bootstrap of its own per study
		}
		res, err := regress.FitSpatial(p, o)
		if err != nil {
			t.Fatalf("seed %d: %v", cfg.Seed, err)
		}
		for _, c := range res.Coefficients {
			v, ok := want[c.Name]
			if !ok {
				continue
			}
			a := st[c.Name]
			if a == nil {
				a = &acc{}
				st[c.Name] = a
				names = append(names, c.Name)
			}
			a.sum += c.Estimate
			a.ests = append(a.ests, c.Estimate)
			a.sum2 += c.Estimate * c.Estimate
			a.se += c.StdError
			if math.Abs(c.Estimate-v) > 1.959964*c.StdError {
				a.rej++
			}
		}
	}
	var rows []mcRow
	for _, nm := range names {
		a := st[nm]
		n := float64(seeds)
		m := a.sum / n
		rows = append(rows, mcRow{name: nm, truth: want[nm], mean: m, sd: math.Sqrt((a.sum2 - n*m*m) / (n - 1)),
			se: a.se / n, reject: a.rej / n, n: seeds, ests: a.ests})
	}
	return rows
}

// TestStudyMonteCarloSlow is the Monte Carlo of issue 20 (AGGLO_SLOW=1):
// 1,000 studies of the demo generator (N = 100 regions) fitted as `agglo
// demo` fits them, an SDM with region fixed effects, at T = 5 and T = 10,
// and with two-way effects at T = 5, under the default Lee–Yu correction.
// Every coefficient's |z| > 1.96 rate must lie in 3.5–6.5%, and its mean
// within 2 Monte Carlo SEs (sd/√R) of the truth plus 0.2 sd: ML's O(1/(NT))
// bias of ρ (the profile score's mean −tr(P_X G) + k·tr(G)/n from
// estimating β, with the W·X columns close to GX) is −0.0095 ≈ 0.17 sd at
// T = 5, 5 Monte Carlo SEs at R = 1,000, and carries over to the W·X terms;
// it is logged. The uncorrected fit (NoLeeYu) must fail the rate check at
// T = 5, as the issue found (8–9.4%).
func TestStudyMonteCarloSlow(t *testing.T) {
	if os.Getenv("AGGLO_SLOW") == "" {
		t.Skip("set AGGLO_SLOW=1 for the 1,000-study Monte Carlo")
	}
	const seeds = 1000
	for _, tc := range []struct {
		effects string
		years   int
		noLeeYu bool
	}{
		{"individual", 5, false},
		{"individual", 10, false},
		{"twoways", 5, false},
		{"individual", 5, true},
	} {
		name := fmt.Sprintf("%s/T=%d", tc.effects, tc.years)
		if tc.noLeeYu {
			name += "/uncorrected"
		}
		t.Run(name, func(t *testing.T) {
			rows := studyMonteCarlo(t, tc.years, seeds, 1000, regress.SpatialOptions{Effects: tc.effects, NoLeeYu: tc.noLeeYu})
			var tab strings.Builder
			fmt.Fprintf(&tab, "| coefficient | truth | mean | bias/MCSE | sd | mean SE | |z|>1.96 |\n|:--|--:|--:|--:|--:|--:|--:|\n")
			worst := 0.0
			for _, r := range rows {
				mcse := r.sd / math.Sqrt(float64(r.n))
				fmt.Fprintf(&tab, "| %s | %.3f | %.4f | %.1f | %.4f | %.4f | %.1f%% |\n", r.name, r.truth, r.mean, (r.mean-r.truth)/mcse, r.sd, r.se, 100*r.reject)
				worst = math.Max(worst, math.Abs(r.reject-0.05))
				if tc.noLeeYu {
					continue
				}
				if r.reject < 0.035 || r.reject > 0.065 {
					t.Errorf("%s: |z| > 1.96 in %.1f%% of %d studies, want 3.5–6.5%%", r.name, 100*r.reject, r.n)
				}
				if !(math.Abs(r.mean-r.truth) <= 2*mcse+0.2*r.sd) {
					t.Errorf("%s: mean %.4f, truth %.4f: %.1f Monte Carlo SEs (sd %.4f)", r.name, r.mean, r.truth, (r.mean-r.truth)/mcse, r.sd)
				}
			}
			if tc.noLeeYu && worst < 0.015 {
				t.Errorf("the uncorrected fit rejects at most %.1f%% from 5%%: the Monte Carlo cannot tell the estimators apart", 100*worst)
			}
			t.Logf("%d studies, %s effects, T = %d:\n%s", seeds, tc.effects, tc.years, tab.String())
		})
	}
}

// TestStudyMonteCarloBiasCorrectedSlow is the Monte Carlo of the optional
// bootstrap bias correction of ρ (AGGLO_SLOW=1; AGGLO_MC_SEEDS overrides
// the 1,000 studies): the same studies as TestStudyMonteCarloSlow (demo
// generator, N = 100, SDM with region effects, T = 5 and 10, and two-way
// effects at T = 5), fitted by
// default (Lee–Yu) and with BiasCorrection{Method: bootstrap} (B = 199,
// seed = the study's). With the correction every coefficient's |z| > 1.96
// rate must lie in 3.5–6.5%, the mean of ρ within 2 Monte Carlo SEs of the
// truth, the means of all coefficients jointly unbiased (Hotelling's T²,
// p > 0.01) and each within 3 Monte Carlo SEs: with 7 coefficients in 3
// settings, one of 21 unbiased means beyond 2 SEs is what chance gives
// (each has a 4.6% chance), so those are logged rather than failed. The
// table (default vs corrected) is logged.
func TestStudyMonteCarloBiasCorrectedSlow(t *testing.T) {
	if os.Getenv("AGGLO_SLOW") == "" {
		t.Skip("set AGGLO_SLOW=1 for the bias-corrected Monte Carlo")
	}
	seeds := 1000
	if s := os.Getenv("AGGLO_MC_SEEDS"); s != "" {
		if _, err := fmt.Sscan(s, &seeds); err != nil || seeds < 2 {
			t.Fatalf("AGGLO_MC_SEEDS=%q: want an integer ≥ 2", s)
		}
	}
	for _, tc := range []struct {
		effects string
		years   int
	}{{"individual", 5}, {"individual", 10}, {"twoways", 5}} {
		effects, years := tc.effects, tc.years
		t.Run(fmt.Sprintf("%s/T=%d", effects, years), func(t *testing.T) {
			def := studyMonteCarlo(t, years, seeds, 1000, regress.SpatialOptions{Effects: effects})
			bc := studyMonteCarlo(t, years, seeds, 1000, regress.SpatialOptions{Effects: effects,
				BiasCorrection: regress.BiasCorrection{Method: regress.BiasBootstrap}})
			var tab strings.Builder
			fmt.Fprintf(&tab, "| coefficient | truth | default: mean | bias/MCSE | sd | mean SE | |z|>1.96 | corrected: mean | bias/MCSE | sd | mean SE | |z|>1.96 |\n|:--|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
			for i, r := range bc {
				d := def[i]
				if d.name != r.name {
					t.Fatalf("coefficient %d: %s in the default fit, %s in the corrected one", i, d.name, r.name)
				}
				dm := d.sd / math.Sqrt(float64(d.n))
				mcse := r.sd / math.Sqrt(float64(r.n))
				fmt.Fprintf(&tab, "| %s | %.3f | %.4f | %.1f | %.4f | %.4f | %.1f%% | %.4f | %.1f | %.4f | %.4f | %.1f%% |\n", r.name, r.truth,
					d.mean, (d.mean-d.truth)/dm, d.sd, d.se, 100*d.reject, r.mean, (r.mean-r.truth)/mcse, r.sd, r.se, 100*r.reject)
				if r.reject < 0.035 || r.reject > 0.065 {
					t.Errorf("%s: |z| > 1.96 in %.1f%% of %d bias-corrected fits, want 3.5–6.5%%", r.name, 100*r.reject, r.n)
				}
				z := (r.mean - r.truth) / mcse
				switch {
				case !(math.Abs(z) <= 3):
					t.Errorf("%s: bias-corrected mean %.4f, truth %.4f: %.1f Monte Carlo SEs", r.name, r.mean, r.truth, z)
				case r.name == "rho" && !(math.Abs(z) <= 2):
					t.Errorf("rho: bias-corrected mean %.4f, truth %.4f: %.1f Monte Carlo SEs", r.mean, r.truth, z)
				case !(math.Abs(z) <= 2):
					t.Logf("%s: bias-corrected mean %.1f Monte Carlo SEs from the truth (beyond 2, within 3)", r.name, z)
				}
			}
			t2d, pd := hotelling(t, def)
			t2, pc := hotelling(t, bc)
			if !(pc > 0.01) {
				t.Errorf("the bias-corrected means are jointly off the truth: Hotelling T² = %.1f, p = %.2g", t2, pc)
			}
			t.Logf("%d studies, %s effects, T = %d, default (Lee–Yu) vs ρ bias-corrected (bootstrap, B = %d):\n%s"+
				"Hotelling T² of all %d means against the truth: default %.1f (p = %.2g), corrected %.1f (p = %.2g)",
				seeds, effects, years, regress.DefaultBiasDraws, tab.String(), len(bc), t2d, pd, t2, pc)
		})
	}
}

// hotelling returns Hotelling's T² = R·dᵀS⁻¹d of the deviations d of the
// rows' means from their truths, S the sample covariance of the R
// studies' estimates, and its p-value from (R−k)/(k(R−1))·T² ~ F(k, R−k),
// the exact law for normal estimates (Hotelling 1931), under the
// hypothesis that every estimator is unbiased.
func hotelling(t *testing.T, rows []mcRow) (t2, p float64) {
	t.Helper()
	k, r := len(rows), rows[0].n
	s := mat.NewSymDense(k, nil)
	d := mat.NewVecDense(k, nil)
	for a := range rows {
		d.SetVec(a, rows[a].mean-rows[a].truth)
		for b := a; b < k; b++ {
			var c float64
			for i := 0; i < r; i++ {
				c += (rows[a].ests[i] - rows[a].mean) * (rows[b].ests[i] - rows[b].mean)
			}
			s.SetSym(a, b, c/float64(r-1))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(s) {
		t.Fatal("the covariance of the Monte Carlo estimates is singular")
	}
	var x mat.VecDense
	if err := ch.SolveVecTo(&x, d); err != nil {
		t.Fatal(err)
	}
	t2 = float64(r) * mat.Dot(d, &x)
	f := float64(r-k) / float64(k*(r-1)) * t2
	return t2, distuv.F{D1: float64(k), D2: float64(r - k)}.Survival(f)
}
