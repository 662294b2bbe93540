package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"hash/maphash"
	"io"
	"math"
	"runtime"
	"slices"
	"sync"
)

// DefaultBlockSize is the size of the blocks ReadColumns parses in
// parallel; the first blocks are smaller (from firstBlockSize, doubling),
// so that a small input costs no large buffer and the workers start
// early.
const DefaultBlockSize = 2 << 20

const (
	firstBlockSize = 64 << 10
	maxWorkers     = 8
	// maxBlock bounds a block (a line longer than this is read record
	// by record), so that offsets into it fit in a uint32.
	maxBlock = math.MaxUint32 / 2
)

// block is a run of complete lines of the input and what a worker made
// of it: the cells of each column in rows local to the block.
type block struct {
	buf  []byte // the buffer, reused
	data []byte // complete lines; the last block runs to the end
	// fallback: data and the rest of the input are read record by record
	// (a line of data holds an odd number of double quotes: a quoted
	// field may go on to the next line).
	fallback bool
	readErr  error // the error that ended reading after data
	done     chan struct{}

	nl     int     // line ends ('\n') in data
	lines  []int32 // 1-based line of each row within data
	num    [][]float64
	odd    [][]Cell
	span   [][]uint32 // Text columns: start and end of each row's cell in data
	hash   [][]uint64 // Text columns: each row's cell hashed (levels.ix.seed)
	redo   []bool
	fields [][]byte
	// errLine > 0 is the line (within data) of a record with errFields
	// fields instead of ColumnsOptions.Width; the rows stop before it.
	errLine, errFields int
	// quoteErr is the quoting error (lines within data) of the record
	// the rows stop before.
	quoteErr *csv.ParseError
	// Lines with double quotes are read by sub (ReadBytes on the one
	// line), their text cells copied to extra (spans flagged inExtra).
	sub    *Reader
	subSrc bytes.Reader
	extra  []byte
}

// inExtra flags a span of block.extra in block.span.
const inExtra = 1 << 31

// readBlocks reads the rest of the input in blocks of complete lines,
// parsed by worker goroutines and joined in order into st. A block with
// a line holding an odd number of double quotes, and the rest of the
// input after it, are read by readRecords (a line end may lie inside a
// quoted field).
func (r *Reader) readBlocks(st *columnsState) error {
	bsize := r.BlockSize
	if bsize <= 0 {
		bsize = DefaultBlockSize
	}
	workers := r.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), maxWorkers)
	}
	nbuf := 2*workers + 2 // being read, parsed or joined, and slack for a descheduled joiner
	free := make(chan *block, nbuf)
	for range nbuf {
		free <- &block{done: make(chan struct{}, 1)}
	}
	order := make(chan *block, nbuf)
	jobs := make(chan *block, nbuf)
	quit := make(chan struct{})
	specs := make([]ColumnSpec, len(st.sinks))
	for i := range st.sinks {
		specs[i] = st.sinks[i].spec
	}
	comma := byte(r.comma)
	// The first block: small for a small or unknown input (then doubling),
	// the full size at once for a large file (no buffers outgrown).
	first := min(firstBlockSize, bsize)
	if st.opt.Size > 0 {
		first = int(min(int64(bsize), max(int64(first), st.opt.Size/int64(4*workers))))
	}
	var wg sync.WaitGroup
	wg.Go(func() { r.split(free, order, jobs, quit, first, bsize) })
	for range workers {
		wg.Go(func() {
			for b := range jobs {
				parseBlock(b, specs, comma, r.TrimLeadingSpace, st.opt, st.seed)
				b.done <- struct{}{}
			}
		})
	}
	stop := func() {
		close(quit)
		wg.Wait()
	}
	lineBase := r.numLine
	for b := range order {
		if b.fallback {
			stop()
			r.br = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(b.data), r.br), bufSize)
			r.numLine = lineBase
			return r.readRecords(st)
		}
		<-b.done
		st.merge(b, lineBase)
		r.offset += int64(len(b.data))
		if slices.Contains(b.redo[:len(st.sinks)], true) {
			// Before any error: the worker stops at the record at fault.
			stop() // the caller reads again
			return nil
		}
		if e := b.quoteErr; e != nil {
			stop()
			r.numLine = lineBase + e.Line
			return &csv.ParseError{StartLine: lineBase + e.StartLine, Line: lineBase + e.Line, Column: e.Column, Err: e.Err}
		}
		if b.errLine > 0 {
			stop()
			r.numLine = lineBase + b.errLine
			return &FieldCountError{Line: lineBase + b.errLine, Fields: b.errFields, Want: st.opt.Width}
		}
		lineBase += b.nl
		r.numLine = lineBase
		if b.readErr != nil {
			stop()
			return b.readErr
		}

		st.presize(r.offset)
		free <- b
	}
	wg.Wait()
	return nil
}

// split reads the input into blocks of complete lines (size bytes, then
// doubling up to bsize), taken from free
// and sent in order to order (for the join) and to jobs (for the
// workers), until the end of the input, a block with a double quote
// (sent to order only, marked fallback) or quit.
func (r *Reader) split(free <-chan *block, order, jobs chan<- *block, quit <-chan struct{}, size, bsize int) {
	defer close(jobs)
	defer close(order)
	var carry []byte // the start of a line cut at the end of the last block
	for {
		var b *block
		select {
		case b = <-free:
		case <-quit:
			return
		}
		if cap(b.buf) < max(size, 2*len(carry)) {
			b.buf = make([]byte, max(size, 2*len(carry)))
		}
		buf := b.buf[:cap(b.buf)]
		n := copy(buf, carry)
		eof := false
		b.readErr = nil
		for {
			m, err := io.ReadFull(r.br, buf[n:])
			n += m
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				eof = true
				break
			}
			if err != nil {
				b.readErr = err
				break
			}
			if bytes.LastIndexByte(buf[:n], '\n') >= 0 || len(buf) >= maxBlock {
				break
			}
			// A line longer than the buffer.
			nb := make([]byte, 2*len(buf))
			copy(nb, buf[:n])
			buf, b.buf = nb, nb
		}
		data := buf[:n]
		cut := n
		if !eof {
			cut = bytes.LastIndexByte(data, '\n') + 1
		}
		b.fallback = cut == 0 && n > 0 || !evenQuotes(data[:cut])
		if b.fallback {
			b.data = data
		} else {
			b.data = data[:cut]
			carry = append(carry[:0], data[cut:]...)
		}
		select {
		case order <- b:
		case <-quit:
			return
		}
		if b.fallback {
			return
		}
		select {
		case jobs <- b:
		case <-quit:
			return
		}
		if eof || b.readErr != nil {
			return
		}
		size = min(2*size, bsize)
	}
}

var newline, quote = []byte{'\n'}, []byte{'"'}

// evenQuotes reports whether every line of data holds an even number of
// double quotes. Then no quoted field goes on to the next line (a record
// that parses has an even number; one that does not fails on its own
// line), and the lines can be read one by one.
func evenQuotes(data []byte) bool {
	for i := 0; ; {
		q := bytes.IndexByte(data[i:], '"')
		if q < 0 {
			return true
		}
		q += i
		end := len(data)
		if e := bytes.IndexByte(data[q:], '\n'); e >= 0 {
			end = q + e
		}
		if bytes.Count(data[q:end], quote)%2 != 0 {
			return false
		}
		i = end
	}
}

// parseBlock types the cells of the records in b.data: separator comma,
// records one a line (\r\n read as \n, a \r before the end dropped,
// empty lines skipped), as ReadBytes reads them; a line with double quotes
// (an even number) is read by ReadBytes itself, with trim as
// TrimLeadingSpace. Text cells are hashed with seed.
func parseBlock(b *block, specs []ColumnSpec, comma byte, trim bool, opt ColumnsOptions, seed maphash.Seed) {
	n := len(specs)
	if len(b.num) < n {
		b.num, b.odd, b.span, b.hash, b.redo = make([][]float64, n), make([][]Cell, n), make([][]uint32, n), make([][]uint64, n), make([]bool, n)
	}
	for i := range n {
		b.num[i], b.odd[i], b.span[i], b.hash[i], b.redo[i] = b.num[i][:0], b.odd[i][:0], b.span[i][:0], b.hash[i][:0], false
	}
	b.lines, b.nl, b.errLine, b.errFields, b.quoteErr, b.extra = b.lines[:0], 0, 0, 0, nil, b.extra[:0]
	data := b.data
	// Room for every line at once (the buffers are reused, but the first
	// blocks grow).
	if rows := bytes.Count(data, newline) + 1; cap(b.lines) < rows {
		b.lines = make([]int32, 0, rows)
		for i := range specs {
			if specs[i].Kind == Text {
				b.span[i] = make([]uint32, 0, 2*rows)
				b.hash[i] = make([]uint64, 0, rows)
			} else {
				b.num[i] = make([]float64, 0, rows)
			}
		}
	}
	c := cap(data)
	fields := b.fields[:0]
	line := int32(0)
	for pos := 0; pos < len(data); {
		var ln []byte
		lineStart := pos
		if end := bytes.IndexByte(data[pos:], '\n'); end >= 0 {
			ln = data[pos : pos+end]
			pos += end + 1
			b.nl++
		} else {
			ln = data[pos:]
			pos = len(data)
		}
		line++
		if k := len(ln); k > 0 && ln[k-1] == '\r' {
			ln = ln[:k-1]
		}
		if len(ln) == 0 {
			continue
		}
		quoted := bytes.IndexByte(ln, '"') >= 0
		var rec [][]byte // the fields
		if quoted {
			if b.sub == nil {
				b.sub = &Reader{comma: rune(comma), TrimLeadingSpace: trim, br: bufio.NewReaderSize(nil, 4096)}
			}
			b.subSrc.Reset(data[lineStart:pos])
			b.sub.br.Reset(&b.subSrc)
			b.sub.numLine = int(line) - 1
			fs, err := b.sub.ReadBytes()
			if err != nil {
				if e, ok := err.(*csv.ParseError); ok {
					b.quoteErr = e
				} else {
					// Not met: the line is not empty.
					b.quoteErr = &csv.ParseError{StartLine: int(line), Line: int(line), Err: err}
				}
				break
			}
			rec = fs
		} else {
			fields = fields[:0]
			for {
				i := bytes.IndexByte(ln, comma)
				if i < 0 {
					fields = append(fields, ln)
					break
				}
				fields = append(fields, ln[:i])
				ln = ln[i+1:]
			}
			rec = fields
		}
		if opt.SkipBlank && len(rec) == 1 && len(bytes.TrimSpace(rec[0])) == 0 {
			continue
		}
		if opt.Width > 0 && len(rec) != opt.Width {
			b.errLine, b.errFields = int(line), len(rec)
			break
		}
		row := len(b.lines)
		for i := range specs {
			s := &specs[i]
			var cell []byte
			if j := s.Index; j < len(rec) {
				cell = trimSpace(rec[j])
			}
			if s.Kind == Text {
				var start, flag uint32
				switch {
				case quoted:
					start, flag = uint32(len(b.extra)), inExtra
					b.extra = append(b.extra, cell...)
				case len(cell) > 0:
					start = uint32(c - cap(cell))
				}
				b.span[i] = append(b.span[i], start|flag, (start+uint32(len(cell)))|flag)
				b.hash[i] = append(b.hash[i], maphash.Bytes(seed, cell))
				continue
			}
			v, odd, ok := parseCell(s, cell)
			if odd {
				b.odd[i] = append(b.odd[i], Cell{Row: row, Text: string(cell)})
			}
			if !ok {
				b.redo[i] = true
			}
			b.num[i] = append(b.num[i], v)
		}
		b.lines = append(b.lines, line)
	}
	b.fields = fields
}

// trimSpace is bytes.TrimSpace, without the call for a cell that starts
// and ends with a printable ASCII character (most cells): only bytes up
// to ' ' and from 0x80 (Unicode spaces) can be space.
func trimSpace(c []byte) []byte {
	if n := len(c); n > 0 && c[0]-0x21 < 0x5f && c[n-1]-0x21 < 0x5f {
		return c
	}
	return bytes.TrimSpace(c)
}

// cell returns the text cell spanning start to end in b.data, or in
// b.extra when flagged inExtra.
func (b *block) cell(start, end uint32) []byte {
	if start&inExtra != 0 {
		return b.extra[start&^inExtra : end&^inExtra]
	}
	return b.data[start:end]
}

// merge appends the rows of block b, whose first line follows line
// lineBase of the input, to st: numbers copied, text interned in order.
func (st *columnsState) merge(b *block, lineBase int) {
	rowBase := st.rows()
	rows := len(b.lines)
	// Text row by row, as records are read (columns may share levels).
	var text []int
	for i := range st.sinks {
		if st.sinks[i].spec.Kind == Text {
			text = append(text, i)
		}
	}
	if len(text) == 1 {
		i := text[0]
		s, sp, h := &st.sinks[i], b.span[i], b.hash[i]
		for k := range rows {
			addText(s, b.cell(sp[2*k], sp[2*k+1]), h[k], true)
		}
	} else if len(text) > 1 {
		for k := range rows {
			for _, i := range text {
				sp := b.span[i]
				addText(&st.sinks[i], b.cell(sp[2*k], sp[2*k+1]), b.hash[i][k], true)
			}
		}
	}
	for i := range st.sinks {
		s := &st.sinks[i]
		if s.spec.Kind == Text {
			continue
		}
		s.col.Num = append(s.col.Num, b.num[i]...)
		for _, c := range b.odd[i] {
			s.col.Odd = append(s.col.Odd, Cell{Row: rowBase + c.Row, Text: c.Text})
		}
		if b.redo[i] {
			st.redo[i] = true
		}
	}
	for _, l := range b.lines {
		st.lines = append(st.lines, lineBase+int(l))
	}
}
