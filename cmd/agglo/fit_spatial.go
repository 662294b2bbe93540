package main

import (
	"errors"
	"fmt"
	"github.com/spf13/pflag"
	"path/filepath"
	"slices"
	"strings"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
)

// spatialFlags are the options of `agglo fit` for spatial models.
type spatialFlags struct {
	model, weights, format, style, effects, logdet string
	errorWeights, ids                              string
	// dataIDs gives the data's region IDs, the region list of a GWT file
	// with islands when --ids is not given (nil: none).
	dataIDs             func() ([]string, error)
	impactsVcov, reVcov string
	biasCorrect         string
	durbin              string
	durbinCols          []string
	// onPanel, if not nil, is shown the panel before the fit (tests).
	onPanel             func(*regress.SpatialPanel)
	hausman, zeroPolicy bool
	subset              bool
	leeYu               leeYuFlag
	noBiasCorrection    bool
	sdpdmod             bool
	dlag                int
	draws, maxIter      int
	seed                uint64
	// phase, if not nil, is told as each phase of the fit ends (see
	// cliEnv.phase).
	phase func(name string)
}

// addSpatialFlags registers the spatial options on the flag set of fit.
// --effects is shared with the panel models and registered by the caller
// when it has its own; pass registerEffects = false then.
func addSpatialFlags(fs *pflag.FlagSet, registerEffects bool) *spatialFlags {
	sf := &spatialFlags{}
	fs.StringVar(&sf.weights, "weights", "", "spatial weights `FILE` (gal, gwt, edge-list or matrix CSV)")
	fs.StringVar(&sf.errorWeights, "error-weights", "", "SAC only: weights `FILE` of the error process (default: --weights), same format and style")
	fs.StringVar(&sf.format, "weights-format", "", "weights file format: gal, gwt, edges or matrix (default: from the extension)")
	fs.StringVar(&sf.ids, "ids", "", idsFlagUsage)
	fs.StringVar(&sf.style, "style", "W", "weights style: W (row-standardised), B, C, U or S")
	if registerEffects {
		fs.StringVar(&sf.effects, "effects", "", "effects: "+effectsHelp)
	}
	fs.BoolVar(&sf.zeroPolicy, "zero-policy", false, "allow regions without neighbours (islands) in spatial models, as spatialreg's zero.policy = TRUE: their spatial lags are 0 (a note names them)")
	fs.BoolVar(&sf.subset, "subset-weights", false, "drop the regions of the weights without data (re-standardised in the weights' style; the dropped regions are listed in the notes)")
	sf.leeYu = "true"
	// A bare --lee-yu is true.
	fs.VarPF(&sf.leeYu, "lee-yu", "", "fixed-effects spatial models: true (default) fits Lee and Yu's (2010) bias-corrected estimator; false the uncorrected ML of splm's default, whose SEs are √(T/(T−1)) too small; splm reproduces splm 1.6-5's LeeYu = TRUE (differs with two-way effects)").NoOptDefVal = "true"
	fs.IntVar(&sf.draws, "impacts-draws", 1000, "simulated draws for the impacts' standard errors of sar, sdm and sac (slx and sdem effects are exact; 0: no impacts)")
	fs.IntVar(&sf.dlag, "dlag", 0, "dynamic model (sar, sdm; individual, time or twoways effects): 1 adds y(t-1), 2 W*y(t-1), 3 both (xsmle's dlag); 0 static")
	fs.BoolVar(&sf.noBiasCorrection, "no-bias-correction", false, "with --dlag: report the quasi-ML estimates, not the Yu–de Jong–Lee / Lee–Yu bias-corrected ones")
	fs.BoolVar(&sf.sdpdmod, "sdpdmod-numerics", false, "with --dlag: reproduce SDPDmod 0.0.6 (tabulated log-determinant, R's optimize tolerance) for comparison with its published results; the default exact likelihood is better")
	fs.StringVar(&sf.biasCorrect, "bias-correct", "none", "static sar, sdm, sem, sdem, sac: none, or bootstrap[:B] to correct the finite-sample bias of ρ, λ and the coefficients by a parametric bootstrap of B samples (default 199; seeded by --seed)")
	fs.Uint64Var(&sf.seed, "seed", 1, "seed of the impacts simulation and of --bias-correct's bootstrap")
	fs.StringVar(&sf.logdet, "logdet", "auto", "log-determinant method: "+strings.Join(spatial.LogDetMethods, ", ")+" (auto: exact eigenvalues up to N = 1,000, exact sparse Cholesky up to 20,000, Chebyshev beyond)")
	fs.IntVar(&sf.maxIter, "max-iter", 1000, "most likelihood evaluations of the optimiser over ρ or λ (then the fit fails with the last iterate)")
	fs.StringVar(&sf.reVcov, "re-vcov", "full", "covariance of random-effects fits: full (inverse Hessian in all parameters), or splm (β given the variance parameters, as splm 1.6-5)")
	fs.BoolVar(&sf.hausman, "hausman", false, "with --effects individual or random (sar, sdm, sem, sdem): also fit the other and report the spatial Hausman test (splm's sphtest; its numbers need --re-vcov splm --lee-yu=false; the error models' random effects are sphtest's errors = \"BSK\", not its default \"KKP\")")
	fs.StringVar(&sf.durbin, "durbin", "", "sdm, sdem, slx: the `TERMS` that get a W·X term, as spatialreg's Durbin = ~ x1 + x2 (default: every column)")
	fs.StringVar(&sf.impactsVcov, "impacts-vcov", "full", "covariance of the impacts' draws: full, or splm (block-diagonal, as splm 1.6-5)")
	return sf
}

// leeYuFlag is the value of --lee-yu (and batch's lee_yu): "true" (the
// default, Lee and Yu's correction), "false" (uncorrected ML, splm's
// default) or "splm" (splm 1.6-5's LeeYu = TRUE). A bare --lee-yu is true.
type leeYuFlag string

func (f *leeYuFlag) String() string { return string(*f) }

func (f *leeYuFlag) Set(s string) error {
	v, err := parseLeeYu(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// Type names the values of --lee-yu in help.
func (f *leeYuFlag) Type() string { return "true|false|splm" }

// parseLeeYu reads a --lee-yu or lee_yu value.
func parseLeeYu(s string) (leeYuFlag, error) {
	switch strings.ToLower(s) {
	case "", "true", "t", "1", "yes":
		return "true", nil
	case "false", "f", "0", "no":
		return "false", nil
	case "splm":
		return "splm", nil
	}
	return "", fmt.Errorf("%q: want true, false or splm", s)
}

// isSpatialModel reports whether model names a spatial model.
func isSpatialModel(model string) bool {
	switch strings.ToLower(model) {
	case "sar", "sem", "sdm", "sdem", "slx", "sac":
		return true
	}
	return false
}

// spatialWeights reads --weights (and --error-weights) and applies --style.
func (sf *spatialFlags) spatialWeights(model string) (w, w2 *spatial.Weights, err error) {
	if sf.weights == "" {
		return nil, nil, usagef("--model %s needs --weights FILE", model)
	}
	style, err := spatial.ParseStyle(sf.style)
	if err != nil {
		return nil, nil, usagef("--style: %s", libMessage(err))
	}
	if sf.reVcov != "" && !slices.Contains(regress.RandomVcovs, sf.reVcov) {
		return nil, nil, usagef("--re-vcov %q: want full or splm", sf.reVcov)
	}
	if sf.maxIter < 0 {
		return nil, nil, usagef("--max-iter %d: want at least 1 (0: the default, 1000)", sf.maxIter)
	}
	if !slices.Contains(spatial.LogDetMethods, sf.logdet) {
		return nil, nil, usagef("--logdet %q: want one of %s", sf.logdet, strings.Join(spatial.LogDetMethods, ", "))
	}
	if w, err = readWeights(sf.weights, sf.format, sf.ids, sf.dataIDs); err != nil {
		return nil, nil, fmt.Errorf("reading weights %s: %w", sf.weights, err)
	}
	if w, err = w.Transform(style); err != nil {
		return nil, nil, fmt.Errorf("weights %s: style %s: %w", sf.weights, sf.style, err)
	}
	if sf.errorWeights != "" {
		if !strings.EqualFold(model, "sac") {
			return nil, nil, usagef("--error-weights is for --model sac")
		}
		if w2, err = readWeights(sf.errorWeights, sf.format, sf.ids, sf.dataIDs); err != nil {
			return nil, nil, fmt.Errorf("reading error weights %s: %w", sf.errorWeights, err)
		}
		if w2, err = w2.Transform(style); err != nil {
			return nil, nil, fmt.Errorf("weights %s: style %s: %w", sf.errorWeights, sf.style, err)
		}
		// Same regions, put in the order of W.
		for _, id := range w2.IDs() {
			if _, ok := w.Index(id); !ok {
				return nil, nil, fmt.Errorf("region %q of error weights %s is not in %s", id, sf.errorWeights, sf.weights)
			}
		}
		if w2, err = w2.Subset(w.IDs()); err != nil {
			return nil, nil, fmt.Errorf("matching error weights %s to %s: %w", sf.errorWeights, sf.weights, err)
		}
	}
	return w, w2, nil
}

// fitHandingOver is regress.FitSpatial of the panel *pp, set to nil
// first: no frame but FitSpatial's refers to the panel during the fit,
// which may transform its values in place (SpatialOptions.Overwrite).
func fitHandingOver(pp **regress.SpatialPanel, opts regress.SpatialOptions) (*regress.Result, error) {
	p := *pp
	*pp = nil
	opts.Overwrite = true
	return regress.FitSpatial(p, opts)
}

func (sf *spatialFlags) effectsOrNone() string {
	if sf.effects == "" {
		return "none"
	}
	return sf.effects
}

// fitSpatialDesign fits a spatial model to a formula's design (the path of
// `agglo fit --model sar|sem|sdm|sdem|slx|sac`): the design is arranged in
// the order of the weights, in the design's memory
// (regress.SpatialPanelTakingDesign), the intercept
// dropped under fixed effects with a message. Nothing refers to d during
// the fit, so that its N·T values can be collected.
func fitSpatialDesign(sf *spatialFlags, model string, d *regress.Design) (*regress.Result, error) {
	ids := d.IDLevels
	sf.dataIDs = func() ([]string, error) { return ids, nil }
	w, w2, err := sf.spatialWeights(model)
	if err != nil {
		return nil, err
	}
	var notes []string
	if sf.subset {
		if w, notes, err = subsetToData(w, d, sf.weights); err != nil {
			return nil, err
		}
		if w2 != nil {
			var n2 []string
			if w2, n2, err = subsetToData(w2, d, sf.errorWeights); err != nil {
				return nil, err
			}
			notes = append(notes, n2...)
		}
	}
	if sf.durbin != "" {
		switch strings.ToLower(model) {
		case "sdm", "sdem", "slx":
		default:
			return nil, usagef("fit: --durbin is for sdm, sdem and slx models, not %s", model)
		}
		if sf.durbinCols, err = d.DurbinColumns(sf.durbin); err != nil {
			return nil, usagef("fit: --durbin: %s", libMessage(err))
		}
	}
	// The design is ours (agglo fit's): the panel takes its memory over.
	p, msgs, err := regress.SpatialPanelTakingDesign(d, w, sf.effectsOrNone())
	if err != nil {
		if errors.Is(err, regress.ErrWeightsWithoutData) {
			return nil, fmt.Errorf("matching %s to weights %s: %w (--subset-weights does it)", d.Source, sf.weights, err)
		}
		if h := idHint(w, d.IDLevels); h != "" {
			return nil, fmt.Errorf("matching %s to weights %s: %w; %s", d.Source, sf.weights, err, h)
		}
		return nil, fmt.Errorf("matching %s to weights %s: %w", d.Source, sf.weights, err)
	}
	msgs = append(append(slices.Clone(d.Messages), notes...), msgs...)
	return sf.fit(model, &p, w, w2, msgs)
}

// subsetToData restricts the weights to the design's regions
// (--subset-weights) and returns the notes on what was dropped.
func subsetToData(w *spatial.Weights, d *regress.Design, path string) (*spatial.Weights, []string, error) {
	s, rep, err := w.Restrict(d.IDLevels)
	if err != nil {
		return nil, nil, fmt.Errorf("--subset-weights: weights %s to the regions of %s: %w", path, d.Source, err)
	}
	var notes []string
	for _, line := range strings.Split(strings.TrimSpace(restrictionNote(rep)), "\n") {
		if line != "" {
			notes = append(notes, "weights "+filepath.Base(path)+": "+line)
		}
	}
	return s, notes, nil
}

// fit fits the spatial model to the panel *pp with weights w (and w2 for
// the SAC errors), the messages msgs first. The panel is handed over: *pp
// is set to nil before the fit (fitHandingOver), so that no frame of the
// caller's holds it (an argument's stack slot was seen to keep what it
// pointed to alive for the whole call), and the fit may let its N·T
// values go once it has made its own copies (regress.FitSpatial does for
// SAR models with fixed effects).
func (sf *spatialFlags) fit(model string, pp **regress.SpatialPanel, w, w2 *spatial.Weights, msgs []string) (*regress.Result, error) {
	// The log-determinant and the traces: exact eigenvalues (auto up to
	// N = 1,000) or a large-N method with stochastic traces.
	ld, tr, err := regress.LargeN(w, sf.logdet, spatial.LogDetOptions{Seed: sf.seed})
	if err != nil {
		return nil, fmt.Errorf("log-determinant of %s: %w", sf.weights, err)
	}
	draws := sf.draws
	if draws <= 0 {
		draws = -1
	}
	opts := regress.SpatialOptions{
		Model:       regress.SpatialModel(strings.ToLower(model)),
		Effects:     sf.effectsOrNone(),
		W:           w,
		NoLeeYu:     sf.leeYu == "false",
		SplmLeeYu:   sf.leeYu == "splm",
		ImpactDraws: draws,
		Seed:        sf.seed,
		ImpactsVcov: sf.impactsVcov,
		RandomVcov:  sf.reVcov,
		LogDet:      ld,
		Traces:      tr,
		W2:          w2,
		MaxEval:     sf.maxIter,
		ZeroPolicy:  sf.zeroPolicy,
		Durbin:      sf.durbinCols,

		Dynamic:          sf.dlag,
		NoBiasCorrection: sf.noBiasCorrection,
		SDPDmodNumerics:  sf.sdpdmod,
		Phase:            sf.phase,
	}
	if sf.dlag == 0 && (sf.noBiasCorrection || sf.sdpdmod) {
		return nil, usagef("--no-bias-correction and --sdpdmod-numerics are for dynamic models (--dlag 1, 2 or 3)")
	}
	if opts.BiasCorrection, err = regress.ParseBiasCorrection(sf.biasCorrect); err != nil {
		return nil, usagef("--bias-correct %v", err)
	}
	if opts.BiasCorrection.Method != "" {
		opts.BiasCorrection.Seed = sf.seed
		if sf.dlag != 0 || opts.Model == regress.SLX || opts.Effects == "random" || sf.hausman || opts.SplmLeeYu {
			return nil, usagef("--bias-correct is for static sar, sdm, sem, sdem and sac models with fixed effects or none (not --dlag, slx, random effects, --hausman or --lee-yu=splm)")
		}
	}
	if sf.dlag < 0 || sf.dlag > 3 {
		return nil, usagef("--dlag %d: want 0 (static), 1 (y(t-1)), 2 (W*y(t-1)) or 3 (both)", sf.dlag)
	}
	if sf.phase != nil {
		sf.phase("set-up")
	}
	if sf.onPanel != nil {
		sf.onPanel(*pp)
	}
	// Only the Hausman test needs the panel after the fit (unchanged).
	var hp *regress.SpatialPanel
	var res *regress.Result
	if sf.hausman {
		hp = *pp
		res, err = regress.FitSpatial(hp, opts)
	} else {
		res, err = fitHandingOver(pp, opts)
	}
	if errors.Is(err, spatial.ErrIsland) {
		return nil, fmt.Errorf("weights %s: %w; --zero-policy allows them", sf.weights, err)
	}
	if err != nil {
		return nil, err
	}
	if sf.hausman {
		if err := addSpatialHausman(res, hp, opts); err != nil {
			return nil, err
		}
	}
	res.Messages = append(msgs, res.Messages...)
	res.Options["weights"] = sf.weights
	if sf.errorWeights != "" {
		res.Options["error_weights"] = sf.errorWeights
	}
	res.Options["seed"] = sf.seed
	return res, nil
}

// addSpatialHausman fits the model with the other kind of individual
// effects (random for fixed, fixed for random) and adds the spatial
// Hausman test to res.Tests. A random-effects fit with an intercept gives
// the fixed-effects fit the same regressors without it.
func addSpatialHausman(res *regress.Result, p *regress.SpatialPanel, opts regress.SpatialOptions) error {
	var fe, re *regress.Result
	other := opts
	other.ImpactDraws = -1
	other.Phase = nil
	switch opts.Effects {
	case "individual":
		other.Effects = "random"
		var err error
		if re, err = regress.FitSpatial(p.WithIntercept(), other); err != nil {
			return fmt.Errorf("--hausman: random-effects fit: %w", err)
		}
		fe = res
	case "random":
		other.Effects = "individual"
		fe2, err := regress.FitSpatial(p, other)
		if err != nil {
			return fmt.Errorf("--hausman: fixed-effects fit: %w", err)
		}
		fe, re = fe2, res
	default:
		return usagef("--hausman needs --effects individual or random, not %s", opts.Effects)
	}
	h, err := regress.SpatialHausman(fe, re)
	if err != nil {
		return err
	}
	if res.Tests == nil {
		res.Tests = map[string]regress.Test{}
	}
	res.Tests["spatial_hausman"] = h
	return nil
}
