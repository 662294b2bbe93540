package spatial

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// BenchmarkReadWeights reads a 300 × 300 rook lattice (359,400 links),
// row-standardised, in each file format.
func BenchmarkReadWeights(b *testing.B) {
	l, _ := Lattice(300, 300, false)
	w, _ := l.Transform(RowStandardized)
	bin := l
	for _, f := range []struct {
		name  string
		w     *Weights
		write func(*bytes.Buffer, *Weights) error
		read  func(*bytes.Reader) (*Weights, error)
	}{
		{"gal", bin, func(b *bytes.Buffer, w *Weights) error { return WriteGAL(b, w) }, func(r *bytes.Reader) (*Weights, error) { return ReadGAL(r) }},
		{"gwt", w, func(b *bytes.Buffer, w *Weights) error { return WriteGWT(b, w) }, func(r *bytes.Reader) (*Weights, error) { return ReadGWT(r) }},
		{"edges", w, func(b *bytes.Buffer, w *Weights) error { return WriteEdgeList(b, w) }, func(r *bytes.Reader) (*Weights, error) { return ReadEdgeList(r) }},
	} {
		var buf bytes.Buffer
		if err := f.write(&buf, f.w); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(fmt.Sprintf("%s/N=%d", f.name, f.w.N()), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := f.read(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(f.w.NNZ()), "ns/link")
		})
	}
}

// BenchmarkReadEdgeList reads the edge list of a row-standardised rook
// lattice as agglo bench --whole writes it: 316 × 316 regions (398,160
// links), or 1000 × 1000 (3,996,000 links, the N = 10⁶ panel's W) with
// AGGLO_BENCH_BIG=1.
func BenchmarkReadEdgeList(b *testing.B) {
	side := 316
	if os.Getenv("AGGLO_BENCH_BIG") == "1" {
		side = 1000
	}
	l, err := Lattice(side, side, false)
	if err != nil {
		b.Fatal(err)
	}
	w, err := l.Transform(RowStandardized)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteEdgeList(&buf, w); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.Run(fmt.Sprintf("links=%d", w.NNZ()), func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := ReadEdgeList(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(w.NNZ()), "ns/link")
	})
}
