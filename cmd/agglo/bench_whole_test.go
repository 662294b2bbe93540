package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/spatial"
)

// BenchmarkWholeFit times the whole agglo fit path (read the CSV panel and
// the edge list, set up, optimise, standard errors, 1,000 impact draws,
// tests, write JSON) for SAR with individual fixed effects, T = 10, on a
// rook lattice, per size tier: N = 1,600 and 10,000, and 100,000 with
// AGGLO_BENCH_BIG=1. agglo bench --whole reports the same path by phase.
func BenchmarkWholeFit(b *testing.B) {
	sides := []int{40, 100}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		sides = append(sides, 316)
	}
	for _, side := range sides {
		w, err := spatial.Lattice(side, side, false)
		if err != nil {
			b.Fatal(err)
		}
		rw, err := w.Transform(spatial.RowStandardized)
		if err != nil {
			b.Fatal(err)
		}
		p := simulateSARPanel(rw, 10, 0.4, 0, 0, 0, []float64{1, -0.5, 0.3}, 1)
		dir := b.TempDir()
		data, edges, err := writeBenchPanel(dir, p, w)
		if err != nil {
			b.Fatal(err)
		}
		args := []string{"--data", data, "--id", "id", "--time", "year", "--formula", "y ~ x1 + x2 + x3", "--model", "sar",
			"--effects", "individual", "--weights", edges, "--impacts-draws", "1000", "--format", "json", "--out", filepath.Join(dir, "fit.json")}
		b.Run(fmt.Sprintf("N=%d", p.N), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := execute(&cliEnv{stdout: io.Discard, stderr: io.Discard}, append([]string{"fit"}, args...)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
