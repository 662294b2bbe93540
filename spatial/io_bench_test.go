package spatial

import (
	"bytes"
	"fmt"
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
