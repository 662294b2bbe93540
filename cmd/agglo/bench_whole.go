package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/agglo/agglo/internal/nulljson"
	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
)

// wholeRow is one line of agglo bench --whole's output: the phases of one
// in-process agglo fit run, in CPU seconds of the process (user +
// system), and its total wall and CPU time and memory.
type wholeRow struct {
	N           int     `json:"n"`
	T           int     `json:"t"`
	Draws       int     `json:"impact_draws"`
	Method      string  `json:"logdet"`
	CSVMiB      float64 `json:"csv_mib"`
	ReadSec     float64 `json:"read_seconds"`
	SetupSec    float64 `json:"setup_seconds"`
	OptimSec    float64 `json:"optimise_seconds"`
	SESec       float64 `json:"std_errors_seconds"`
	ImpactsSec  float64 `json:"impacts_seconds"`
	TestsSec    float64 `json:"tests_seconds"`
	WriteSec    float64 `json:"write_seconds"`
	TotalSec    float64 `json:"total_seconds"`
	CPUSec      float64 `json:"cpu_seconds"`
	PeakHeapMiB float64 `json:"peak_heap_mib"`
	PeakRSSMiB  float64 `json:"peak_rss_mib"`
	Rho         float64 `json:"rho"`
	RhoSE       float64 `json:"rho_std_error"`
	Seed        uint64  `json:"seed"`
}

// writeBenchPanel writes the simulated panel p as the CSV agglo fit reads
// (columns id, year, y, x1 … xk; time-major rows; numbers in the shortest
// form that reads back exactly) and w as an edge list, into dir.
func writeBenchPanel(dir string, p *regress.SpatialPanel, w *spatial.Weights) (data, edges string, err error) {
	data = filepath.Join(dir, "panel.csv")
	edges = filepath.Join(dir, "edges.csv")
	f, err := os.Create(data)
	if err != nil {
		return "", "", err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.WriteString("id,year,y")
	for _, nm := range p.Names {
		bw.WriteString("," + nm)
	}
	bw.WriteByte('\n')
	ids := w.IDs()
	raw := p.X.RawMatrix()
	var buf []byte
	for s := 0; s < p.T; s++ {
		for i := 0; i < p.N; i++ {
			r := s*p.N + i
			buf = append(buf[:0], ids[i]...)
			buf = append(buf, ',')
			buf = append(buf, p.Periods[s]...)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, p.Y[r], 'g', -1, 64)
			for j := 0; j < raw.Cols; j++ {
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, raw.Data[r*raw.Stride+j], 'g', -1, 64)
			}
			buf = append(buf, '\n')
			bw.Write(buf)
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return "", "", fmt.Errorf("writing %s: %w", data, err)
	}
	if err := f.Close(); err != nil {
		return "", "", fmt.Errorf("writing %s: %w", data, err)
	}
	if err := spatial.WriteWeightsFile(edges, spatial.FormatEdges, w); err != nil {
		return "", "", err
	}
	return data, edges, nil
}

// benchPanel is a simulated panel written by writeBenchPanel: the files
// and what benchWhole reports and fits.
type benchPanel struct {
	data, edges string
	n, t        int
	names       []string
}

// writeBenchFiles writes p and w into dir (writeBenchPanel) and returns
// what benchWhole needs, so that the simulated panel itself can be
// collected before the timed run.
func writeBenchFiles(dir string, p *regress.SpatialPanel, w *spatial.Weights) (benchPanel, error) {
	data, edges, err := writeBenchPanel(dir, p, w)
	if err != nil {
		return benchPanel{}, err
	}
	return benchPanel{data: data, edges: edges, n: p.N, t: p.T, names: slices.Clone(p.Names)}, nil
}

// benchWhole times one in-process agglo fit of the SAR model with
// individual fixed effects on the panel bp written to dir: the phases are
// told by cliEnv.phase and timed in process CPU seconds, the peak heap is
// sampled every 5 ms and the peak RSS is the kernel's high-water mark
// (VmHWM, reset before the run where Linux allows it, after the memory
// the runtime holds free is returned to the system, so that what the
// simulation left does not count).
func benchWhole(dir string, bp benchPanel, method string, draws int, seed uint64) (wholeRow, error) {
	data, edges := bp.data, bp.edges
	row := wholeRow{N: bp.n, T: bp.t, Draws: draws, Method: method, Seed: seed}
	if st, err := os.Stat(data); err == nil {
		row.CSVMiB = float64(st.Size()) / (1 << 20)
	}
	out := filepath.Join(dir, "fit.json")
	formula := "y ~ " + strings.Join(bp.names, " + ")
	args := []string{"--data", data, "--id", "id", "--time", "year", "--formula", formula, "--model", "sar",
		"--effects", "individual", "--weights", edges, "--logdet", method, "--impacts-draws", strconv.Itoa(draws),
		"--seed", strconv.FormatUint(seed, 10), "--format", "json", "--out", out}
	debug.FreeOSMemory() // a garbage collection, then the free memory returned
	resetPeakRSS()
	stopSampling := sampleHeap()
	phases := map[string]float64{}
	cpu0 := cpuSeconds()
	start := time.Now()
	last := cpu0
	env := &cliEnv{stdout: io.Discard, stderr: io.Discard, phase: func(name string) {
		now := cpuSeconds()
		phases[name] += now - last
		last = now
	}}
	err := execute(env, append([]string{"fit"}, args...))
	row.TotalSec = time.Since(start).Seconds()
	row.CPUSec = cpuSeconds() - cpu0
	peak := stopSampling()
	if err != nil {
		return wholeRow{}, err
	}
	row.ReadSec, row.SetupSec, row.OptimSec = phases["read"], phases["set-up"], phases["optimise"]
	row.SESec, row.ImpactsSec, row.TestsSec, row.WriteSec = phases["standard errors"], phases["impacts"], phases["tests"], phases["write"]
	row.PeakHeapMiB = float64(max(peak, heapInUse())) / (1 << 20)
	row.PeakRSSMiB = peakRSSMiB()
	b, err := os.ReadFile(out)
	if err != nil {
		return wholeRow{}, err
	}
	var res struct {
		Coefficients []struct {
			Name     string  `json:"name"`
			Estimate float64 `json:"estimate"`
			StdError float64 `json:"std_error"`
		} `json:"coefficients"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		return wholeRow{}, fmt.Errorf("reading back %s: %w", out, err)
	}
	for _, c := range res.Coefficients {
		if c.Name == "rho" {
			row.Rho, row.RhoSE = c.Estimate, c.StdError
		}
	}
	return row, nil
}

// runBenchWhole is agglo bench --whole: for each size and method, one
// whole agglo fit run on a panel written to a temporary folder.
func runBenchWhole(env *cliEnv, sizes []int, methods []string, t int, seed uint64, draws int, format, keep string) error {
	dir, err := os.MkdirTemp("", "agglo-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if keep != "" {
		if st, err := os.Stat(keep); err != nil || !st.IsDir() {
			return usagef("--dir %s: not a folder", keep)
		}
	}
	if draws == 0 {
		draws = 1000
	} else if draws < 0 {
		draws = 0
	}
	var rows []wholeRow
	tw := tabwriter.NewWriter(env.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	if format == "text" {
		fmt.Fprintln(tw, "N\tT\tdraws\tlogdet\tCSV MiB\tcpu s: read\tset-up\toptimise\tSEs\timpacts\ttests\twrite\twall s\tcpu s\tpeak heap MiB\tpeak RSS MiB\trho\tse(rho)\t")
	}
	for _, n := range sizes {
		side := int(math.Round(math.Sqrt(float64(n))))
		w, err := spatial.Lattice(side, side, false)
		if err != nil {
			return err
		}
		rw, err := w.Transform(spatial.RowStandardized)
		if err != nil {
			return err
		}
		bp, err := writeBenchFiles(dir, simulateSARPanel(rw, t, 0.4, 0, 0, 0, []float64{1, -0.5, 0.3}, seed), w)
		if err != nil {
			return err
		}
		for _, m := range methods {
			row, err := benchWhole(dir, bp, m, draws, seed)
			if err != nil {
				return fmt.Errorf("bench --whole %s at N = %d: %w", m, bp.n, err)
			}
			if keep != "" {
				for _, f := range []string{"panel", "edges"} {
					to := filepath.Join(keep, fmt.Sprintf("%s-%d.csv", f, bp.n))
					b, err := os.ReadFile(filepath.Join(dir, f+".csv"))
					if err == nil {
						err = writeFileAtomic(to, b)
					}
					if err != nil {
						return fmt.Errorf("--dir: keeping %s: %w", to, err)
					}
				}
			}
			rows = append(rows, row)
			if format == "text" {
				fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%.0f\t%.0f\t%.6f\t%.6f\t\n",
					row.N, row.T, row.Draws, row.Method, row.CSVMiB, row.ReadSec, row.SetupSec, row.OptimSec, row.SESec, row.ImpactsSec,
					row.TestsSec, row.WriteSec, row.TotalSec, row.CPUSec, row.PeakHeapMiB, row.PeakRSSMiB, row.Rho, row.RhoSE)
			}
		}
	}
	if format == "text" {
		return tw.Flush()
	}
	b, err := nulljson.MarshalIndent(rows, "", "  ")
	if err != nil {
		return err
	}
	_, err = env.stdout.Write(append(b, '\n'))
	return err
}
