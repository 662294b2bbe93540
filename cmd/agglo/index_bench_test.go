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
		f, err := os.Create(data)
		if err != nil {
			b.Fatal(err)
		}
		if err := benchdata.Long(f, 1000, s, 10, 1); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		args := []string{"lq", "--data", data, "--value", "employment", "--out", filepath.Join(dir, "lq.csv")}
		b.Run(fmt.Sprintf("rows=%d", 1000*s*10), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := runIndex(&cliEnv{stdout: io.Discard, stderr: io.Discard}, args); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
