package main

import (
	"bytes"
	"fmt"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/spatial"
	"github.com/agglo/agglo/table"
	"github.com/paulmach/orb"
)

// papersFlags are the flags of "agglo weights build" for the weights of
// issue 17: kernel, economic distance and nested, higher order and block.
type papersFlags struct {
	kernel            string
	bandwidth         float64
	kernelK           int
	adaptive          bool
	order             int
	cumulative        bool
	economic, block   string
	data, dataID, tim string
	in                *inputFlags
}

// register defines the flags on fs.
func (p *papersFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&p.kernel, "kernel", "", "kernel weights: gaussian, bisquare, triangular or uniform (libpysal Kernel)")
	fs.Float64Var(&p.bandwidth, "bandwidth", 0, "fixed kernel bandwidth `H` (km with --lonlat)")
	fs.IntVar(&p.kernelK, "kernel-k", 0, "kernel bandwidth from the `K`-th nearest neighbour (the largest, or each region's with --adaptive)")
	fs.BoolVar(&p.adaptive, "adaptive", false, "adaptive kernel bandwidth: each region's distance to its --kernel-k-th neighbour")
	fs.IntVar(&p.order, "order", 0, "higher-order neighbours: order `K` exactly (spdep nblag), or 1..K with --cumulative (nblag_cumul)")
	fs.BoolVar(&p.cumulative, "cumulative", false, "with --order: neighbours of orders 1 to K")
	fs.StringVar(&p.economic, "economic", "", "economic weights from the mean of `VAR` over periods in --data: 1/|z̄i−z̄j| alone, or nested W_geo·diag(z̄j/z̄) with a geometric method")
	fs.StringVar(&p.block, "block", "", "block weights: regions with the same value of `COLUMN` of --data are neighbours")
	fs.StringVar(&p.data, "data", "", "CSV `FILE` with the --economic or --block column")
	fs.StringVar(&p.dataID, "data-id", "", "region `column` of --data (default: --geo-id)")
	fs.StringVar(&p.tim, "time", "", "period `column` of --data (for --economic: the mean is over periods)")
	p.in = addInputFlags(fs)
}

// fromData reports whether the weights come from --data alone.
func (p *papersFlags) fromData(o *buildFlags) bool {
	return o.geojson == "" && o.points == "" && (p.economic != "" || p.block != "")
}

// validate checks the combination of the flags; failures are usage errors.
func (p *papersFlags) validate(o *buildFlags) error {
	if (p.economic != "" || p.block != "") && p.data == "" {
		return usagef("weights build: --economic and --block need --data FILE")
	}
	if p.data != "" && p.economic == "" && p.block == "" {
		return usagef("weights build: --data is for --economic or --block")
	}
	if p.economic != "" && p.block != "" {
		return usagef("weights build: give --economic or --block, not both")
	}
	if p.block != "" && !p.fromData(o) {
		return usagef("weights build: --block builds weights from --data alone; combine them with others by 'agglo weights combine'")
	}
	if p.dataID == "" {
		p.dataID = o.id
	}
	if p.fromData(o) && p.dataID == "" {
		return usagef("weights build: --id COL (the region column of --data) is required")
	}
	if o.set["kernel"] {
		if _, err := spatial.ParseKernel(p.kernel); err != nil {
			return usagef("--kernel %q: want gaussian, bisquare, triangular or uniform", p.kernel)
		}
		if o.set["bandwidth"] == o.set["kernel-k"] {
			return usagef("weights build: --kernel needs --bandwidth H or --kernel-k K")
		}
		if o.set["bandwidth"] && !(p.bandwidth > 0) || o.set["kernel-k"] && p.kernelK < 1 {
			return usagef("weights build: --bandwidth must be positive and --kernel-k at least 1")
		}
		if p.adaptive && !o.set["kernel-k"] {
			return usagef("weights build: --adaptive needs --kernel-k K")
		}
	} else if o.set["bandwidth"] || o.set["kernel-k"] || o.set["adaptive"] {
		return usagef("weights build: --bandwidth, --kernel-k and --adaptive are for --kernel")
	}
	if o.set["order"] && p.order < 1 {
		return usagef("--order %d: want K ≥ 1", p.order)
	}
	if p.cumulative && !o.set["order"] {
		return usagef("weights build: --cumulative needs --order K")
	}
	if o.set["order"] && p.fromData(o) {
		return usagef("weights build: --order applies to geometric weights (--contiguity, --knn, …)")
	}
	return nil
}

// binary reports whether the weights built are binary before --style.
func (p *papersFlags) binary(o *buildFlags) bool {
	switch {
	case p.economic != "":
		return false
	case p.order > 0 || p.block != "":
		return true
	}
	return false
}

// buildFromData builds economic-distance or block weights from --data.
func (p *papersFlags) buildFromData(o *buildFlags) (*spatial.Weights, string, error) {
	topt, err := p.in.options()
	if err != nil {
		return nil, "", err
	}
	if p.block != "" {
		ids, groups, err := index.ReadRegionLabelsFile(p.data, p.dataID, p.block, topt)
		if err != nil {
			return nil, "", err
		}
		w, err := spatial.Block(ids, groups)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", p.data, err)
		}
		return w, "block weights by " + p.block, nil
	}
	ids, means, err := p.means(topt)
	if err != nil {
		return nil, "", err
	}
	w, err := spatial.EconomicDistance(ids, means)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", p.data, err)
	}
	return w, "economic distance 1/|z̄i − z̄j| of the mean of " + p.economic, nil
}

// means reads the mean of --economic over periods for every region.
func (p *papersFlags) means(topt table.Options) ([]string, []float64, error) {
	d, err := index.ReadIndicatorsFile(p.data, p.dataID, p.tim, []string{p.economic}, topt)
	if err != nil {
		return nil, nil, err
	}
	ids, means := d.RegionMeans(0)
	return ids, means, nil
}

// kernelWeights builds kernel weights of the points.
func (p *papersFlags) kernelWeights(ids []string, pts []orb.Point, metric spatial.Metric) (*spatial.Weights, string, error) {
	k, _ := spatial.ParseKernel(p.kernel)
	w, err := spatial.KernelWeights(ids, pts, spatial.KernelOptions{Kernel: k, Bandwidth: p.bandwidth, K: p.kernelK, Adaptive: p.adaptive}, metric)
	what := fmt.Sprintf("%s kernel, bandwidth %g", k, p.bandwidth)
	if p.kernelK > 0 {
		what = fmt.Sprintf("%s kernel, bandwidth of the %d-th nearest neighbour", k, p.kernelK)
		if p.adaptive {
			what += " (adaptive)"
		} else {
			what += " (the largest, fixed)"
		}
	}
	return w, what, err
}

// apply applies --order and nested --economic to geometric weights w.
func (p *papersFlags) apply(w *spatial.Weights, what string) (*spatial.Weights, string, error) {
	var err error
	if p.order > 0 {
		if w, err = spatial.HigherOrder(w, p.order, p.cumulative); err != nil {
			return nil, "", err
		}
		if p.cumulative {
			what = fmt.Sprintf("orders 1 to %d of %s", p.order, what)
		} else {
			what = fmt.Sprintf("order %d of %s", p.order, what)
		}
	}
	if p.economic != "" {
		topt, err := p.in.options()
		if err != nil {
			return nil, "", err
		}
		ids, means, err := p.means(topt)
		if err != nil {
			return nil, "", err
		}
		pos := make(map[string]int, len(ids))
		for k, id := range ids {
			pos[id] = k
		}
		z := make([]float64, w.N())
		for i, id := range w.IDs() {
			k, ok := pos[id]
			if !ok {
				return nil, "", fmt.Errorf("%s: region %q of the geometry has no %s in column %q", p.data, id, p.economic, p.dataID)
			}
			z[i] = means[k]
		}
		if w, err = spatial.NestedEconomic(w, z); err != nil {
			return nil, "", fmt.Errorf("%s: %w", p.data, err)
		}
		what = "nested economic–geographic (" + what + ") · diag(z̄j/z̄) of " + p.economic
	}
	return w, what, nil
}

// newWeightsCombineCmd is "agglo weights combine".
func newWeightsCombineCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("combine", "combine two weights: union, intersection or Hadamard product", weightsUsage)
	fs := cmd.Flags()
	op := fs.String("op", "", "set operation: union, intersection or hadamard (element-wise product)")
	wformat := fs.String("weights-format", "", "format of A and B: gal, gwt, edges or matrix (default: from the extension)")
	out := fs.String("out", "", "write the result to `FILE` (.gal, .gwt or .csv)")
	format := fs.String("format", "text", "summary `format`: text or json")
	completeValues(cmd, "op", "union", "intersection", "hadamard")
	completeValues(cmd, "weights-format", "gal", "gwt", "edges", "matrix")
	completeValues(cmd, "format", "text", "json")
	cmd.RunE = func(_ *cobra.Command, pos []string) error {
		var err error
		if len(pos) != 2 {
			return usagef("weights combine: want two weights files A B, got %d arguments", len(pos))
		}
		sop, err := spatial.ParseSetOp(*op)
		if err != nil {
			return usagef("--op %q: want union, intersection or hadamard", *op)
		}
		if err := checkOutputFormat(*format); err != nil {
			return err
		}
		if err := checkWeightsFormat("weights-format", *wformat); err != nil {
			return err
		}
		if *out != "" {
			if err := checkOutput("--out", *out, pos...); err != nil {
				return err
			}
		}
		a, err := readWeights(pos[0], *wformat, "", nil)
		if err != nil {
			return err
		}
		b, err := readWeights(pos[1], *wformat, "", nil)
		if err != nil {
			return err
		}
		w, err := spatial.Combine(a, b, sop)
		if err != nil {
			return fmt.Errorf("%s, %s: %w", pos[0], pos[1], err)
		}
		if *out != "" {
			var buf bytes.Buffer
			if err := spatial.WriteWeights(&buf, weightsFormatOf(*out), w); err != nil {
				return fmt.Errorf("%s: %w", *out, err)
			}
			if err := writeOutput(env, *out, buf.Bytes(), pos...); err != nil {
				return err
			}
		}
		return printSummary(env.stdout, *format, fmt.Sprintf("Weights: %s of %s and %s", *op, pos[0], pos[1]), *out, w)
	}
	return cmd
}
