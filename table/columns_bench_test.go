package table

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/internal/benchdata"
)

// BenchmarkReadColumns reads a panel CSV file (id, year, y, x1 … x3; ids
// and years as text, the rest Auto) into typed columns: 100,000 rows and,
// with AGGLO_BENCH_BIG=1, 1,000,000 rows (about 86 MiB); in parallel
// blocks (the default) and record by record ("/records").
func BenchmarkReadColumns(b *testing.B) {
	ns := []int{10_000}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		ns = append(ns, 100_000)
	}
	specs := []ColumnSpec{{Index: 0, Kind: Text}, {Index: 1, Kind: Text}, {Index: 2, Kind: Auto}, {Index: 3, Kind: Auto},
		{Index: 4, Kind: Auto}, {Index: 5, Kind: Auto}}
	for _, n := range ns {
		path := filepath.Join(b.TempDir(), "panel.csv")
		size, err := benchdata.WriteFile(path, func(w io.Writer) error { return benchdata.Panel(w, n, 10, 3, 1) })
		if err != nil {
			b.Fatal(err)
		}
		for _, way := range []string{"", "/records"} {
			b.Run(fmt.Sprintf("rows=%d%s", n*10, way), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(size)
				for b.Loop() {
					r, err := Open(path, Options{TrimLeadingSpace: true})
					if err != nil {
						b.Fatal(err)
					}
					// "/records": one record at a time, without the
					// parallel blocks, for comparison.
					r.csv.Sequential = way != ""
					if _, err := r.Read(); err != nil {
						b.Fatal(err)
					}
					if _, err := r.ReadColumns(specs, ColumnsOptions{Width: 6}); err != nil {
						b.Fatal(err)
					}
					r.Close()
				}
			})
		}
	}
}
