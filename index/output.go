package index

import (
	"bufio"
	"encoding/csv"
	"io"
	"iter"
	"math"
	"runtime"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Header returns the column names of the long-form result: the key
// columns, the period, "value", then the parts.
func (r *Result) Header() []string {
	h := append([]string{}, r.KeyNames...)
	h = append(h, r.TimeName, "value")
	return append(h, r.PartNames...)
}

// Len returns the number of rows of the result: len(Rows) plus the rows
// kept compactly (Options.Compact).
func (r *Result) Len() int {
	n := len(r.Rows)
	for range r.blocks {
		n += len(r.regions) * len(r.sectors)
	}
	return n
}

// All yields the rows of the result in order: Rows, then the rows kept
// compactly (Options.Compact), one region × sector block per period in
// row-major order, each with its own Keys.
func (r *Result) All() iter.Seq[Row] {
	return func(yield func(Row) bool) {
		for _, row := range r.Rows {
			if !yield(row) {
				return
			}
		}
		for _, b := range r.blocks {
			for i, reg := range r.regions {
				for j, v := range b.v.RawRowView(i) {
					if !yield(Row{Keys: []string{reg, r.sectors[j]}, Time: b.time, Value: v}) {
						return
					}
				}
			}
		}
	}
}

// WriteCSV writes the result in long form, one row per (keys…, period),
// with the columns of Header. Numbers are written in the shortest form that
// reads back exactly; NaN as "NaN".
func (r *Result) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Header()); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	// The rows, as csv.Writer writes them but without a string per
	// number: labels quoted when they need it (quoted only once each).
	bw := bufio.NewWriterSize(w, 64<<10)
	quoted := map[string][]byte{}
	var buf []byte
	for _, row := range r.Rows {
		buf = buf[:0]
		for _, k := range row.Keys {
			buf = append(appendField(buf, k, quoted), ',')
		}
		buf = append(appendField(buf, row.Time, quoted), ',')
		buf = appendFloat(buf, row.Value)
		for _, p := range row.Parts {
			buf = appendFloat(append(buf, ','), p)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return r.writeBlocks(w)
}

// appendField appends the CSV field of s, quoted when csv.Writer would
// quote it; quoted caches the quoted labels.
func appendField(buf []byte, s string, quoted map[string][]byte) []byte {
	if !needsQuotes(s) {
		return append(buf, s...)
	}
	q, ok := quoted[s]
	if !ok {
		q = append([]byte{'"'}, strings.ReplaceAll(s, `"`, `""`)...)
		q = append(q, '"')
		quoted[s] = q
	}
	return append(buf, q...)
}

// blockChunkRows is about the number of rows a worker of writeBlocks
// formats at a time (about 1 MB of CSV).
const blockChunkRows = 1 << 15

// writeBlocks writes the rows kept compactly, as WriteCSV writes Rows.
// The numbers are formatted in chunks of regions on all cores and written
// in order.
func (r *Result) writeBlocks(w io.Writer) error {
	if len(r.blocks) == 0 || len(r.regions) == 0 || len(r.sectors) == 0 {
		return nil
	}
	quoted := map[string][]byte{}
	field := func(labels []string) [][]byte {
		f := make([][]byte, len(labels))
		for i, l := range labels {
			f[i] = append(appendField(nil, l, quoted), ',')
		}
		return f
	}
	regions, sectors := field(r.regions), field(r.sectors)
	// A chunk's size: its labels and time plus at most 24 bytes a number.
	widest := func(f [][]byte) int {
		n := 0
		for _, b := range f {
			n = max(n, len(b))
		}
		return n
	}
	rowBytes := widest(regions) + widest(sectors) + 24 + 1
	format := func(buf []byte, b cellBlock, timeField []byte, i0, i1 int) []byte {
		for i := i0; i < i1; i++ {
			for j, v := range b.v.RawRowView(i) {
				buf = append(buf, regions[i]...)
				buf = append(buf, sectors[j]...)
				buf = append(buf, timeField...)
				buf = append(appendFloat(buf, v), '\n')
			}
		}
		return buf
	}
	per := max(1, blockChunkRows/len(r.sectors)) // regions per chunk
	type job struct {
		b         cellBlock
		timeField []byte
		i0, i1    int
		out       chan []byte
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan job)
	order := make(chan chan []byte, 2*workers)
	free := make(chan []byte, 3*workers)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(order)
		defer close(jobs)
		for _, b := range r.blocks {
			tf := append(appendField(nil, b.time, quoted), ',')
			for i0 := 0; i0 < len(r.regions); i0 += per {
				j := job{b: b, timeField: tf, i0: i0, i1: min(i0+per, len(r.regions)), out: make(chan []byte, 1)}
				select {
				case order <- j.out:
				case <-done:
					return
				}
				select {
				case jobs <- j:
				case <-done:
					return
				}
			}
		}
	}()
	for range workers {
		go func() {
			for j := range jobs {
				var buf []byte
				select {
				case buf = <-free:
				default:
				}
				timeBytes := len(j.timeField)
				if need := (j.i1 - j.i0) * len(r.sectors) * (rowBytes + timeBytes); cap(buf) < need {
					buf = make([]byte, 0, need)
				}
				j.out <- format(buf[:0], j.b, j.timeField, j.i0, j.i1)
			}
		}()
	}
	for out := range order {
		buf := <-out
		if _, err := w.Write(buf); err != nil {
			return err
		}
		select {
		case free <- buf:
		default:
		}
	}
	return nil
}

// needsQuotes reports whether csv.Writer (separator ',') quotes s: when
// it holds a separator, quote, \r or \n, starts with white space, or is
// the field \. (which PostgreSQL reads as the end of data).
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	if c := s[0]; c < utf8.RuneSelf {
		return asciiSpace[c]
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// asciiSpace marks the ASCII characters unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// appendFloat appends formatFloat(v).
func appendFloat(buf []byte, v float64) []byte {
	if math.IsNaN(v) {
		return append(buf, "NaN"...)
	}
	return strconv.AppendFloat(buf, v, 'g', -1, 64)
}

func formatFloat(v float64) string {
	if math.IsNaN(v) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
