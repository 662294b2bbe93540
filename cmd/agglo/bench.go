package main

import (
	"fmt"
	"github.com/spf13/cobra"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/mat"

	"github.com/agglo/agglo/internal/nulljson"
)

const benchUsage = `usage: agglo bench [--n 1600,10000] [--t 10] [--logdet auto,cholesky,slq] [--seed S] [--dlag 3]

Times the SAR model with two-way fixed effects, standard errors included,
on a simulated panel over a rook lattice (side = round(sqrt(N))) with
T periods (ρ = 0.4, β = (1, −0.5, 0.3), μ_i ~ N(0,1), τ_t ~ N(0, 0.25),
ε ~ N(0,1)), for each N and each log-determinant method: auto, eigen,
cholesky (exact sparse), slq, chebyshev, mc. It reports the set-up time of
the log-determinant, the total fitting time, the peak heap in use and the
memory obtained from the OS (runtime.MemStats), ρ̂ and the method's error
bound. It also reports the process's CPU time (user + system) over the
fit: on a shared machine the wall time overstates the cost. Simulating the
data is not timed.

With --whole N,... it times the whole agglo fit path instead, in process:
for each N it writes the simulated panel (individual effects μ_i, no
period effects) as a CSV (id, year, y, x1, x2, x3) and the lattice as
an edge list into a temporary folder, then runs agglo fit --model sar
--effects individual on them (--logdet as given, --impacts-draws draws, 0:
none, the default 1,000) and reports the wall time of each phase (read:
the CSV into the design; set-up: the weights and the log-determinant;
optimise: ρ̂; standard errors; impacts; tests: the LM diagnostics; write:
the JSON output) in CPU seconds of the process (user + system: on a shared
machine wall time overstates the cost), the total wall and CPU time, the peak heap sampled every
5 ms and the peak resident set size (VmHWM). --dir FOLDER keeps the
files (panel-N.csv, edges-N.csv) for fitting them in R (docs/bench_splm.R).
--cpuprofile FILE writes a Go CPU profile of the timed runs.

With --dlag 1|2|3 it times the dynamic SDM with two-way effects instead
(bias-corrected, standard errors and --impacts-draws short- and long-run
effect draws included), on data simulated with γ = 0.4, δ = 0.1 added
(y_0 = 0).
`

// benchRow is one line of agglo bench's output.
type benchRow struct {
	Method      string  `json:"method"`
	N           int     `json:"n"`
	T           int     `json:"t"`
	SetupSec    float64 `json:"setup_seconds"`
	TotalSec    float64 `json:"total_seconds"`
	CPUSec      float64 `json:"cpu_seconds"`
	PeakHeapMiB float64 `json:"peak_heap_mib"`
	SysMiB      float64 `json:"sys_mib"`
	Dlag        int     `json:"dlag,omitempty"`
	Rho         float64 `json:"rho"`
	RhoSE       float64 `json:"rho_std_error"`
	LogDetError float64 `json:"logdet_error"`
	Seed        uint64  `json:"seed"`
}

func newBenchCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("bench", "time spatial panel models at large N per log-determinant method", benchUsage)
	fs := cmd.Flags()
	ns := fs.String("n", "1600,10000", "comma-separated numbers of regions")
	t := fs.Int("t", 10, "number of periods")
	methods := fs.String("logdet", "auto", "comma-separated log-determinant methods: "+strings.Join(spatial.LogDetMethods, ", "))
	seed := fs.Uint64("seed", 1, "seed of the simulated data and of the probes")
	probes := fs.Int("probes", 0, "probe vectors of the stochastic methods (0: 30)")
	draws := fs.Int("impacts-draws", 0, "simulated draws for the impacts (0: no impacts), as fit's --impacts-draws (before this release: --impact-draws)")
	aliasFlag(fs, "impact-draws", "impacts-draws", true, "")
	format := fs.String("format", "text", "output format: text or json")
	whole := fs.String("whole", "", "comma-separated numbers of regions: time the whole agglo fit path (read, fit, standard errors, impacts, write) instead")
	keep := fs.String("dir", "", "with --whole: write the panels into `FOLDER` (panel-N.csv, edges-N.csv) and keep them, for splm's side (docs/bench_splm.R)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the timed runs to `FILE`")
	dlag := fs.Int("dlag", 0, "time the dynamic SDM with these lags (1 y(t-1), 2 W*y(t-1), 3 both) instead of the static SAR")
	completeValues(cmd, "format", "text", "json")
	completeValues(cmd, "logdet", spatial.LogDetMethods...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if fs.NArg() > 0 {
			return usagef("bench takes no arguments, got %q", fs.Arg(0))
		}
		if *t < 2 || *dlag > 0 && *t < 3 {
			return usagef("--t must be at least 2 (3 with --dlag), got %d", *t)
		}
		if *dlag < 0 || *dlag > 3 {
			return usagef("--dlag %d: want 1, 2 or 3 (0: the static SAR)", *dlag)
		}
		if *format != "text" && *format != "json" {
			return usagef("--format must be text or json, got %q", *format)
		}
		if err := notNegative("bench", "impacts-draws", *draws); err != nil {
			return err
		}
		if err := notNegative("bench", "probes", *probes); err != nil {
			return err
		}
		if *whole != "" && *dlag != 0 {
			return usagef("--whole times the static SAR; it does not take --dlag")
		}
		if *cpuprofile != "" {
			if err := checkOutput("--cpuprofile", *cpuprofile); err != nil {
				return err
			}
			f, err := os.Create(*cpuprofile)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return fmt.Errorf("--cpuprofile %s: %w", *cpuprofile, err)
			}
			defer pprof.StopCPUProfile()
		}
		sizeFlag := "--n"
		if *whole != "" {
			*ns, sizeFlag = *whole, "--whole"
		}
		var sizes []int
		for _, f := range strings.Split(*ns, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 9 {
				return usagef("bench: %s: %q is not a number of regions >= 9", sizeFlag, f)
			}
			sizes = append(sizes, n)
		}
		var ms []string
		for _, m := range strings.Split(*methods, ",") {
			m = strings.TrimSpace(m)
			ok := false
			for _, v := range spatial.LogDetMethods {
				ok = ok || v == m
			}
			if !ok {
				return usagef("--logdet: unknown method %q (want %s)", m, strings.Join(spatial.LogDetMethods, ", "))
			}
			ms = append(ms, m)
		}
		if *whole != "" {
			return runBenchWhole(env, sizes, ms, *t, *seed, *draws, *format, *keep)
		}
		var rows []benchRow
		tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		if *format == "text" {
			fmt.Fprintln(tw, "method\tN\tT\tsetup s\ttotal s\tcpu s\tpeak heap MiB\tsys MiB\trho\tse(rho)\tlogdet err\t")
		}
		for _, n := range sizes {
			side := int(math.Round(math.Sqrt(float64(n))))
			w, err := spatial.Lattice(side, side, false)
			if err != nil {
				return err
			}
			if w, err = w.Transform(spatial.RowStandardized); err != nil {
				return err
			}
			var gam, del float64
			if *dlag > 0 {
				gam, del = 0.4, 0.1
			}
			p := simulateSARPanel(w, *t, 0.4, gam, del, 0.5, []float64{1, -0.5, 0.3}, *seed)
			for _, m := range ms {
				row, err := benchOne(p, w, m, *seed, *probes, *draws, *dlag)
				if err != nil {
					return fmt.Errorf("bench %s at N = %d: %w", m, w.N(), err)
				}
				rows = append(rows, row)
				if *format == "text" {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.0f\t%.0f\t%.6f\t%.6f\t%.3g\t\n", row.Method, row.N, row.T,
						row.SetupSec, row.TotalSec, row.CPUSec, row.PeakHeapMiB, row.SysMiB, row.Rho, row.RhoSE, row.LogDetError)
				}
			}
		}
		if *format == "text" {
			return tw.Flush()
		}
		if *format == "json" {
			b, err := nulljson.MarshalIndent(rows, "", "  ")
			if err != nil {
				return err
			}
			_, err = env.stdout.Write(append(b, '\n'))
			return err
		}
		return nil
	}
	return cmd
}

// benchOne fits the SAR two-way model (dlag > 0: the dynamic SDM) with one
// log-determinant method, sampling the heap in use every 5 ms.
func benchOne(p *regress.SpatialPanel, w *spatial.Weights, method string, seed uint64, probes, draws, dlag int) (benchRow, error) {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stopSampling := sampleHeap()
	cpu0 := cpuSeconds()
	start := time.Now()
	ld, tr, err := regress.LargeN(w, method, spatial.LogDetOptions{Seed: seed, Probes: probes})
	setup := time.Since(start)
	var res *regress.Result
	if err == nil {
		d := draws
		if d <= 0 {
			d = -1
		}
		model := regress.SAR
		if dlag > 0 {
			model = regress.SDM
		}
		res, err = regress.FitSpatial(p, regress.SpatialOptions{Model: model, Effects: "twoways", W: w, LogDet: ld, Traces: tr, ImpactDraws: d, Seed: seed, Dynamic: dlag})
	}
	total := time.Since(start)
	cpu := cpuSeconds() - cpu0
	peak := stopSampling()
	if err != nil {
		return benchRow{}, err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapInuse)
	row := benchRow{Method: ld.Method(), N: p.N, T: p.T, SetupSec: setup.Seconds(), TotalSec: total.Seconds(), CPUSec: cpu,
		PeakHeapMiB: float64(peak) / (1 << 20), SysMiB: float64(ms.Sys) / (1 << 20), LogDetError: ld.ErrorBound(), Seed: seed, Dlag: dlag}
	for _, c := range res.Coefficients {
		if c.Name == "rho" {
			row.Rho, row.RhoSE = c.Estimate, c.StdError
		}
	}
	return row, nil
}

// simulateSARPanel draws y_t = (I − ρW)⁻¹(γy_{t−1} + δWy_{t−1} + X_tβ + μ +
// τ_t + ε_t), t = 1..T (y_0 = 0; γ = δ = 0 for the static SAR; τ_t ~
// N(0, tauSD²), drawn even when tauSD = 0 so that the other draws stay the
// same), stacked
// time-major, solving by the fixed-point iteration z ← b + ρWz.
func simulateSARPanel(w *spatial.Weights, t int, rho, gam, del, tauSD float64, beta []float64, seed uint64) *regress.SpatialPanel {
	n := w.N()
	k := len(beta)
	rng := rand.New(rand.NewPCG(seed, seed))
	x := mat.NewDense(n*t, k, nil)
	raw := x.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.NormFloat64()
	}
	mu := make([]float64, n)
	for i := range mu {
		mu[i] = rng.NormFloat64()
	}
	y := make([]float64, n*t)
	b := make([]float64, n)
	tmp := make([]float64, n)
	mul := spatial.NewMultiplier(w, 0)
	wl := make([]float64, n)
	for s := 0; s < t; s++ {
		tau := tauSD * rng.NormFloat64()
		if s > 0 && (gam != 0 || del != 0) {
			mul.Lag(wl, y[(s-1)*n:s*n])
		}
		for i := 0; i < n; i++ {
			r := s*n + i
			v := mu[i] + tau + rng.NormFloat64()
			if s > 0 && (gam != 0 || del != 0) {
				v += gam*y[r-n] + del*wl[i]
			}
			for j := 0; j < k; j++ {
				v += beta[j] * raw[r*k+j]
			}
			b[i] = v
		}
		z := y[s*n : (s+1)*n]
		copy(z, b)
		for it := 0; it < 200; it++ {
			mul.Lag(tmp, z)
			var diff float64
			for i := range z {
				v := b[i] + rho*tmp[i]
				diff = math.Max(diff, math.Abs(v-z[i]))
				z[i] = v
			}
			if diff < 1e-14 {
				break
			}
		}
	}
	names := make([]string, k)
	for j := range names {
		names[j] = fmt.Sprintf("x%d", j+1)
	}
	periods := make([]string, t)
	for s := range periods {
		periods[s] = strconv.Itoa(s + 1)
	}
	return &regress.SpatialPanel{Y: y, X: x, Names: names, N: n, T: t, Periods: periods, Response: "y"}
}

// heapInUse returns the bytes in in-use heap spans (MemStats.HeapInuse)
// from runtime/metrics: object bytes plus the unused part of those spans.
func heapInUse() uint64 {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
	}
	metrics.Read(samples)
	var b uint64
	for _, s := range samples {
		if s.Value.Kind() == metrics.KindUint64 {
			b += s.Value.Uint64()
		}
	}
	return b
}

// sampleHeap samples the heap in use every 5 ms until the returned function
// is called, which returns the largest sample. runtime/metrics, unlike
// runtime.ReadMemStats, does not stop the world, so sampling does not slow
// the timed work down.
func sampleHeap() (stop func() uint64) {
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				peak = max(peak, heapInUse())
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}
