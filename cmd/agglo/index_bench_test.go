package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/internal/benchdata"
)

// BenchmarkIndexLQ times agglo index lq in process, from the long CSV
// table (1,000 regions × S sectors × 10 years) to the CSV of location
// quotients: 100,000 rows and, with AGGLO_BENCH_BIG=1, 1,000,000 rows
// (target < 1 s; issue 16).
func BenchmarkIndexLQ(b *testing.B) {
	sectors := []int{10}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		sectors = append(sectors, 100)
	}
	for _, s := range sectors {
		dir := b.TempDir()
		data := filepath.Join(dir, "long.csv")
		if _, err := benchdata.WriteFile(data, func(w io.Writer) error { return benchdata.Long(w, 1000, s, 10, 1) }); err != nil {
			b.Fatal(err)
		}
		args := []string{"index", "lq", "--data", data, "--value", "employment", "--out", filepath.Join(dir, "lq.csv")}
		b.Run(fmt.Sprintf("rows=%d", 1000*s*10), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := execute(&cliEnv{stdout: io.Discard, stderr: io.Discard}, args); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
