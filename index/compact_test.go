package index_test

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/agglo/agglo/index"
)

// compactTable is a table whose labels need quoting in CSV, with a zero
// sector total (NaN under ZeroNaN) and enough regions that WriteCSV's
// compact path formats several chunks per period.
func compactTable(t *testing.T) *index.Table {
	t.Helper()
	sectors := []string{"m", "s,x", `q"`, "zero"}
	regions := make([]string, 20000)
	for i := range regions {
		regions[i] = fmt.Sprintf("R%05d", i)
	}
	regions[3] = " lead"
	tab, err := index.NewTable(regions, sectors, []string{"2020", "a,b"}, true)
	if err != nil {
		t.Fatal(err)
	}
	for k, tm := range tab.Times {
		for i, r := range regions {
			for j, s := range sectors[:3] {
				v := float64((i*7+j*13+k*5)%97) / 3
				if err := tab.Set(r, s, tm, v, float64((i+j)%10)/10); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return tab
}

// TestCompactMatchesRows checks that a Compact result writes the same CSV
// as the Rows of the same index, and that All and Len give the Rows (the
// values are compared bit for bit, NaN with NaN).
func TestCompactMatchesRows(t *testing.T) {
	tab := compactTable(t)
	for _, name := range []string{"lq", "online-lq", "va", "hoover"} {
		t.Run(name, func(t *testing.T) {
			opt := index.Options{ZeroTotals: index.ZeroNaN}
			full, err := index.Compute(name, tab, opt)
			if err != nil {
				t.Fatal(err)
			}
			opt.Compact = true
			compact, err := index.Compute(name, tab, opt)
			if err != nil {
				t.Fatal(err)
			}
			if name != "hoover" && compact.Rows != nil {
				t.Errorf("Compact result has %d Rows", len(compact.Rows))
			}
			if compact.Len() != len(full.Rows) || full.Len() != len(full.Rows) {
				t.Fatalf("Len %d and %d, want %d", compact.Len(), full.Len(), len(full.Rows))
			}
			var got, want bytes.Buffer
			if err := compact.WriteCSV(&got); err != nil {
				t.Fatal(err)
			}
			if err := full.WriteCSV(&want); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("compact CSV (%d bytes) differs from the Rows' CSV (%d bytes)", got.Len(), want.Len())
			}
			n := 0
			for r := range compact.All() {
				w := full.Rows[n]
				if !slices.Equal(r.Keys, w.Keys) || r.Time != w.Time || math.Float64bits(r.Value) != math.Float64bits(w.Value) {
					t.Fatalf("row %d: All gives %v, Rows %v", n, r, w)
				}
				n++
			}
			if n != len(full.Rows) {
				t.Errorf("All yielded %d rows, want %d", n, len(full.Rows))
			}
		})
	}
}

// errWriter fails after limit bytes.
type errWriter struct{ n, limit int }

func (w *errWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		return 0, fmt.Errorf("disk full")
	}
	w.n += len(p)
	return len(p), nil
}

// TestCompactWriteError checks that an error of the writer in the middle
// of the compact rows comes back (and the writer goroutines stop).
func TestCompactWriteError(t *testing.T) {
	res, err := index.Compute("lq", compactTable(t), index.Options{ZeroTotals: index.ZeroNaN, Compact: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteCSV(&errWriter{limit: 1 << 20}); err == nil || err.Error() != "disk full" {
		t.Errorf("error %v, want disk full", err)
	}
}
