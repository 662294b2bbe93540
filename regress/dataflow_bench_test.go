package regress

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/agglo/agglo/spatial"
)

// BenchmarkSpatialDataFlow times, stage by stage, what agglo fit does
// between the CSV file and the estimator for SAR with individual effects:
// reading the panel (ReadPanelFile), the design of y ~ x1 + x2 + x3,
// arranging it by period in the order of the weights
// (SpatialPanelFromDesign) and the estimator's transformed data (prepare),
// on a rook lattice of N regions, T = 10, rows in period order (as agglo
// bench --whole writes them): N = 10,000 and, with AGGLO_BENCH_BIG=1,
// 100,000 (issue 16: the whole process at 10⁶ regions within 10 s and
// 2 GiB).
func BenchmarkSpatialDataFlow(b *testing.B) {
	sides := []int{100}
	if os.Getenv("AGGLO_BENCH_BIG") != "" {
		sides = append(sides, 316)
	}
	const t = 10
	for _, side := range sides {
		w, err := spatial.Lattice(side, side, false)
		if err != nil {
			b.Fatal(err)
		}
		if w, err = w.Transform(spatial.RowStandardized); err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(b.TempDir(), "panel.csv")
		if err := writeDataFlowPanel(path, w.IDs(), t); err != nil {
			b.Fatal(err)
		}
		f, err := ParseFormula("y ~ x1 + x2 + x3")
		if err != nil {
			b.Fatal(err)
		}
		read := func(b *testing.B) *Panel {
			p, err := ReadPanelFile(path, "id", "year", PanelOptions{Columns: f.Variables()})
			if err != nil {
				b.Fatal(err)
			}
			return p
		}
		design := func(b *testing.B, p *Panel) *Design {
			d, err := p.DesignFormula(f)
			if err != nil {
				b.Fatal(err)
			}
			return d
		}
		arrange := func(b *testing.B, d *Design) *SpatialPanel {
			sp, _, err := SpatialPanelFromDesign(d, w, "individual")
			if err != nil {
				b.Fatal(err)
			}
			return sp
		}
		opt := SpatialOptions{Model: SAR, W: w, Effects: "individual"}
		transform := func(b *testing.B, sp *SpatialPanel) {
			if _, err := prepare(sp, &opt, "individual"); err != nil {
				b.Fatal(err)
			}
		}
		n := w.N()
		p := read(b)
		d := design(b, p)
		sp := arrange(b, d)
		b.Run(fmt.Sprintf("N=%d/read", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				read(b)
			}
		})
		b.Run(fmt.Sprintf("N=%d/design", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				design(b, p)
			}
		})
		b.Run(fmt.Sprintf("N=%d/arrange", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				arrange(b, d)
			}
		})
		b.Run(fmt.Sprintf("N=%d/prepare", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				transform(b, sp)
			}
		})
		b.Run(fmt.Sprintf("N=%d/all", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				transform(b, arrange(b, design(b, read(b))))
			}
		})
	}
}

// writeDataFlowPanel writes a panel CSV (id, year, y, x1, x2, x3) of the
// regions ids over t periods, period by period, values N(0, 1).
func writeDataFlowPanel(path string, ids []string, t int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.WriteString("id,year,y,x1,x2,x3\n")
	rng := rand.New(rand.NewPCG(1, 2))
	var buf []byte
	for s := range t {
		for _, id := range ids {
			buf = append(append(buf[:0], id...), ',')
			buf = strconv.AppendInt(buf, int64(2001+s), 10)
			for range 4 {
				buf = strconv.AppendFloat(append(buf, ','), rng.NormFloat64(), 'g', -1, 64)
			}
			bw.Write(append(buf, '\n'))
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
