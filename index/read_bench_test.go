package index_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/index"
	"github.com/agglo/agglo/internal/benchdata"
)

// BenchmarkReadCSVFile reads a long table (region, sector, year,
// employment) of 1,000 regions × S sectors × 10 years from a CSV file:
// 100,000 rows and, with AGGLO_BENCH_BIG=1, 1,000,000 rows (the reading
// part of agglo index lq, target < 1 s in all; issue 16).
func BenchmarkReadCSVFile(b *testing.B) {
	sectors := []int{10}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		sectors = append(sectors, 100)
	}
	for _, s := range sectors {
		path := filepath.Join(b.TempDir(), "long.csv")
		size, err := benchdata.WriteFile(path, func(w io.Writer) error { return benchdata.Long(w, 1000, s, 10, 1) })
		if err != nil {
			b.Fatal(err)
		}
		cols := index.Columns{Region: "region", Sector: "sector", Time: "year", Value: "employment"}
		b.Run(fmt.Sprintf("rows=%d", 1000*s*10), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(size)
			for b.Loop() {
				if _, err := index.ReadCSVFile(path, cols); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
