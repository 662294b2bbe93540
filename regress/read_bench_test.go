package regress_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/internal/benchdata"
	"github.com/agglo/agglo/regress"
)

// BenchmarkReadPanelDesign reads a panel CSV file (id, year, y, x1 … x3;
// T = 10, about 90 bytes a row) and builds the design of y ~ x1 + x2 + x3,
// the read phase of agglo fit, per size tier: 100,000 rows and, with
// AGGLO_BENCH_BIG=1, 1,000,000 rows (target < 0.5 s; issue 16).
func BenchmarkReadPanelDesign(b *testing.B) {
	ns := []int{10_000}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		ns = append(ns, 100_000)
	}
	for _, n := range ns {
		path := filepath.Join(b.TempDir(), "panel.csv")
		size, err := benchdata.WriteFile(path, func(w io.Writer) error { return benchdata.Panel(w, n, 10, 3, 1) })
		if err != nil {
			b.Fatal(err)
		}
		form, err := regress.ParseFormula("y ~ x1 + x2 + x3")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("rows=%d", n*10), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(size)
			for b.Loop() {
				p, err := regress.ReadPanelFile(path, "id", "year", regress.PanelOptions{Columns: form.Variables()})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := p.DesignFormula(form); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
