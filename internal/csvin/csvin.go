// Package csvin opens agglo's CSV inputs in one way: a UTF-8 byte-order
// mark (Excel's "CSV UTF-8" writes one) is skipped, the separator is a
// choice (--delimiter), and a header that is one field holding semicolons
// or tabs gets a hint instead of a puzzling "no column" error. Its Reader
// parses with encoding/csv's rules but hands out fields as bytes, and
// Reader.ReadColumns types whole columns: numbers parsed in place (bit for
// bit as strconv.ParseFloat), text interned, the input cut into blocks of
// lines parsed in parallel. Package table (panels, long tables) and the
// edge-list reader of package spatial read through it.
package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"
)

// bom is the UTF-8 encoding of U+FEFF.
const bom = "\xef\xbb\xbf"

// StripBOM returns r without a leading UTF-8 byte-order mark.
func StripBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(bom)); err == nil && string(b) == bom {
		br.Discard(len(bom))
	}
	return br
}

// Reader reads CSV records with the semantics of encoding/csv (RFC 4180
// quoting: quoted fields with doubled quotes, separators and newlines
// inside; \r\n read as \n; empty lines skipped; a trailing \r before the
// end of the input dropped; the same *csv.ParseError values) and any
// number of fields per record, without encoding/csv's per-record copies:
// ReadBytes returns the fields as byte slices into a buffer that the next
// call reuses, for readers that parse numbers in place. It remembers the
// first line of its input, for Hint, and can go back to the start of a
// seekable input (Rewind).
type Reader struct {
	// TrimLeadingSpace drops leading white space of every field, as
	// csv.Reader's field of that name, except that a white-space separator
	// (tab) ends the trimming: encoding/csv trims the separator too, so a
	// tab-separated line with an empty cell ("a\t\tb") loses the cell and
	// shifts the ones after it; here the empty cell stays empty.
	TrimLeadingSpace bool

	// Sequential makes ReadColumns read record by record, without the
	// parallel blocks (for tests and comparisons).
	Sequential bool
	// BlockSize is the largest block ReadColumns parses in one piece
	// (0: DefaultBlockSize); Workers the number of goroutines parsing
	// blocks (0: GOMAXPROCS, at most maxWorkers).
	BlockSize, Workers int

	br    *bufio.Reader
	first string
	comma rune

	// src and start locate the beginning of a seekable input; seek is
	// nil when src cannot seek.
	src   io.Reader
	seek  io.Seeker
	start int64

	size      int64 // bytes from the start to the end of the input, 0 if unknown
	numLine   int
	offset    int64 // bytes read (after the byte-order mark)
	rawBuffer []byte
	// record holds the unquoted fields one after another; ends[i] is the
	// end of field i in record, pos[i] its position in the input.
	record []byte
	ends   []int
	pos    []position
	fields [][]byte
}

// position is the 1-based line and byte column where a field starts.
type position struct{ line, col int }

// Detect, given as the separator to NewReader, chooses it from the first
// line: see Sniff.
const Detect rune = -1

// bufSize is the size of the reader's buffer, and the longest first line
// that Sniff and Hint see.
const bufSize = 64 * 1024

// NewReader returns a CSV reader of r without its byte-order mark, with
// separator comma (0 means ',', Detect chooses it with Sniff) and any
// number of fields per record (the callers check them and name the line).
func NewReader(r io.Reader, comma rune) *Reader {
	cr := &Reader{src: r}
	if s, ok := r.(io.Seeker); ok {
		if off, err := s.Seek(0, io.SeekCurrent); err == nil {
			cr.seek, cr.start = s, off
		}
	}
	cr.size = inputSize(r)
	cr.reset(r)
	first, _ := cr.br.Peek(bufSize)
	line, _, _ := strings.Cut(string(first), "\n")
	switch comma {
	case 0:
		comma = ','
	case Detect:
		comma = Sniff(line)
	}
	cr.comma, cr.first = comma, line
	return cr
}

// inputSize returns the number of bytes left in r when it tells them (a
// regular file, an in-memory reader), else 0.
func inputSize(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }:
		return int64(r.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		st, err := r.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return 0
		}
		if s, ok := r.(io.Seeker); ok {
			if off, err := s.Seek(0, io.SeekCurrent); err == nil && off <= st.Size() {
				return st.Size() - off
			}
		}
		return st.Size()
	}
	return 0
}

// reset starts reading r from its beginning, skipping a byte-order mark.
func (r *Reader) reset(src io.Reader) {
	if r.br == nil {
		r.br = bufio.NewReaderSize(src, bufSize)
	} else {
		r.br.Reset(src)
	}
	if b, err := r.br.Peek(len(bom)); err == nil && string(b) == bom {
		r.br.Discard(len(bom))
	}
	r.numLine, r.offset = 0, 0
}

// Offset returns the number of bytes read so far (after a byte-order
// mark): the end of the last record.
func (r *Reader) Offset() int64 { return r.offset }

// Comma returns the field separator in use.
func (r *Reader) Comma() rune { return r.comma }

// CanRewind reports whether Rewind can go back to the start of the input.
func (r *Reader) CanRewind() bool { return r.seek != nil }

// Rewind goes back to the start of the input (the header line) when it is
// seekable (a file, not a pipe); see CanRewind.
func (r *Reader) Rewind() error {
	if r.seek == nil {
		return errors.New("csv: the input cannot be read again (not a seekable file)")
	}
	if _, err := r.seek.Seek(r.start, io.SeekStart); err != nil {
		return err
	}
	r.reset(r.src)
	return nil
}

// Read reads one record as encoding/csv's Read does: fresh strings that
// the caller may keep.
func (r *Reader) Read() ([]string, error) {
	fields, err := r.ReadBytes()
	if fields == nil {
		return nil, err
	}
	// One string for the record, as encoding/csv, sliced into fields.
	n := 0
	for _, f := range fields {
		n += len(f)
	}
	var b strings.Builder
	b.Grow(n)
	for _, f := range fields {
		b.Write(f)
	}
	str := b.String()
	rec := make([]string, len(fields))
	prev := 0
	for i, f := range fields {
		rec[i] = str[prev : prev+len(f)]
		prev += len(f)
	}
	return rec, err
}

// FieldPos returns the 1-based line and byte column where field i of the
// last record starts, as csv.Reader.FieldPos. It panics if i is out of
// range.
func (r *Reader) FieldPos(i int) (line, column int) {
	if i < 0 || i >= len(r.pos) {
		panic("csvin: out of range index passed to FieldPos")
	}
	return r.pos[i].line, r.pos[i].col
}

// Line returns the line on which the last record read starts (0 before
// the first).
func (r *Reader) Line() int {
	if len(r.pos) == 0 {
		return 0
	}
	return r.pos[0].line
}

// errInvalidDelim is encoding/csv's error for a separator it refuses.
var errInvalidDelim = errors.New("csv: invalid field or comment delimiter")

// validDelim reports whether encoding/csv accepts r as a separator.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// readLine reads the next line with its \n (\r\n turned into \n; a \r
// just before the end of the input dropped), as encoding/csv does. The
// result is valid until the next call.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.rawBuffer = append(r.rawBuffer[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = r.br.ReadSlice('\n')
			r.rawBuffer = append(r.rawBuffer, line...)
		}
		line = r.rawBuffer
	}
	n := len(line)
	r.offset += int64(n)
	if n > 0 && err == io.EOF {
		err = nil
		if line[n-1] == '\r' {
			line = line[:n-1]
		}
	}
	r.numLine++
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

// lengthNL is 1 when b ends with \n, else 0.
func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

// nextRune returns the first rune of b, or utf8.RuneError.
func nextRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

// asciiSpace marks the ASCII characters that unicode.IsSpace accepts.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// notSpace reports whether c is not white space (for TrimLeadingSpace).
func notSpace(c rune) bool { return !unicode.IsSpace(c) }

// trimLeading drops the leading white space of line (with its newline
// when it is all white space), moving pos as encoding/csv does with
// TrimLeadingSpace, but stops at the separator comma when it is white
// space itself.
func trimLeading(line []byte, pos *position, comma rune) []byte {
	i := bytes.IndexFunc(line, func(c rune) bool { return c == comma || notSpace(c) })
	if i < 0 {
		i = len(line)
		pos.col -= lengthNL(line)
	}
	pos.col += i
	return line[i:]
}

// mayTrim reports whether line may start with white space: not when it
// starts with a visible ASCII character, the common case.
func mayTrim(line []byte) bool {
	return len(line) == 0 || line[0] >= utf8.RuneSelf || asciiSpace[line[0]]
}

// unquoted returns the field without quotes at the start of line and the
// index of the separator after it (-1 at the end of the line).
func (r *Reader) unquoted(line []byte) (int, []byte) {
	var i int
	if r.comma < utf8.RuneSelf {
		i = bytes.IndexByte(line, byte(r.comma))
	} else {
		i = bytes.IndexRune(line, r.comma)
	}
	if i >= 0 {
		return i, line[:i]
	}
	return i, line[:len(line)-lengthNL(line)]
}

// ReadBytes reads one record and returns its fields as slices of a
// buffer that the next call overwrites: copy what you keep. It returns
// nil, io.EOF after the last record, and the fields read so far with a
// *csv.ParseError (csv.ErrBareQuote, csv.ErrQuote) on a quoting error, as
// encoding/csv's Read with FieldsPerRecord = -1 and LazyQuotes off.
func (r *Reader) ReadBytes() ([][]byte, error) {
	if !validDelim(r.comma) {
		return nil, errInvalidDelim
	}
	// Read a line, skipping empty ones.
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = r.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue
		}
		break
	}
	if errRead == io.EOF {
		return nil, errRead
	}
	const quoteLen = len(`"`)
	comma := r.comma
	commaLen := utf8.RuneLen(comma)
	recLine := r.numLine
	r.record, r.ends, r.pos, r.fields = r.record[:0], r.ends[:0], r.pos[:0], r.fields[:0]
	pos := position{line: r.numLine, col: 1}
	if bytes.IndexByte(line, '"') < 0 {
		// No quotes: the record is this line and its fields are slices
		// of it, found as below but without copies.
		for {
			if r.TrimLeadingSpace && mayTrim(line) {
				line = trimLeading(line, &pos, comma)
			}
			i, field := r.unquoted(line)
			r.fields = append(r.fields, field[:len(field):len(field)])
			r.pos = append(r.pos, pos)
			if i < 0 {
				return r.fields, errRead
			}
			line = line[i+commaLen:]
			pos.col += i + commaLen
		}
	}
	var err error
parseField:
	for {
		if r.TrimLeadingSpace && mayTrim(line) {
			line = trimLeading(line, &pos, comma)
		}
		if len(line) == 0 || line[0] != '"' {
			// A field without quotes.
			i, field := r.unquoted(line)
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: pos.col + j, Err: csv.ErrBareQuote}
				break parseField
			}
			r.record = append(r.record, field...)
			r.ends = append(r.ends, len(r.record))
			r.pos = append(r.pos, pos)
			if i >= 0 {
				line = line[i+commaLen:]
				pos.col += i + commaLen
				continue parseField
			}
			break parseField
		}
		// A quoted field, possibly over several lines.
		fieldPos := pos
		line = line[quoteLen:]
		pos.col += quoteLen
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				r.record = append(r.record, line[:i]...)
				line = line[i+quoteLen:]
				pos.col += i + quoteLen
				switch rn := nextRune(line); {
				case rn == '"': // "" is a quote
					r.record = append(r.record, '"')
					line = line[quoteLen:]
					pos.col += quoteLen
				case rn == comma: // end of the field
					line = line[commaLen:]
					pos.col += commaLen
					r.ends = append(r.ends, len(r.record))
					r.pos = append(r.pos, fieldPos)
					continue parseField
				case lengthNL(line) == len(line): // end of the record
					r.ends = append(r.ends, len(r.record))
					r.pos = append(r.pos, fieldPos)
					break parseField
				default:
					err = &csv.ParseError{StartLine: recLine, Line: r.numLine, Column: pos.col - quoteLen, Err: csv.ErrQuote}
					break parseField
				}
			case len(line) > 0: // the field goes on to the next line
				r.record = append(r.record, line...)
				if errRead != nil {
					break parseField
				}
				pos.col += len(line)
				line, errRead = r.readLine()
				if len(line) > 0 {
					pos.line++
					pos.col = 1
				}
				if errRead == io.EOF {
					errRead = nil
				}
			default: // the input ends inside the quotes
				if errRead == nil {
					err = &csv.ParseError{StartLine: recLine, Line: pos.line, Column: pos.col, Err: csv.ErrQuote}
					break parseField
				}
				r.ends = append(r.ends, len(r.record))
				r.pos = append(r.pos, fieldPos)
				break parseField
			}
		}
	}
	if err == nil {
		err = errRead
	}
	prev := 0
	for _, e := range r.ends {
		r.fields = append(r.fields, r.record[prev:e:e])
		prev = e
	}
	return r.fields, err
}

// Hint returns "; " and a sentence for an error about the header when the
// first line looks separated by another character than the reader's:
// "; the file looks semicolon-separated: use --delimiter ';'". It returns
// "" otherwise.
func (r *Reader) Hint() string {
	if h := Hint(r.first, r.comma); h != "" {
		return "; " + h
	}
	return ""
}

// ParseDelimiter reads a --delimiter value: one character, or "tab",
// "\t", "semicolon"; empty (or "auto") returns 0, which package table reads
// as "detect".
func ParseDelimiter(s string) (rune, error) {
	switch s {
	case "", "auto":
		return 0, nil
	case ",", "comma":
		return ',', nil
	case "tab", `\t`, "\t":
		return '\t', nil
	case "semicolon":
		return ';', nil
	}
	r := []rune(s)
	if len(r) != 1 || r[0] == '"' || r[0] == '\r' || r[0] == '\n' {
		return 0, fmt.Errorf("delimiter %q: want one character such as ';' or tab", s)
	}
	return r[0], nil
}

// Hint returns "the file looks semicolon-separated: use --delimiter ';'"
// (or tab-, pipe-) when the first line of a CSV file holds no separator
// comma (0 meaning ',') but semicolons, tabs or pipes; "" otherwise.
func Hint(firstLine string, comma rune) string {
	if comma == 0 {
		comma = ','
	}
	if strings.ContainsRune(firstLine, comma) {
		return ""
	}
	for _, c := range []struct {
		sep        rune
		name, flag string
	}{{';', "semicolon", "';'"}, {'\t', "tab", "tab"}, {'|', "pipe", "'|'"}} {
		if c.sep != comma && strings.ContainsRune(firstLine, c.sep) {
			return fmt.Sprintf("the file looks %s-separated: use --delimiter %s", c.name, c.flag)
		}
	}
	return ""
}

// Sniff returns the separator of a CSV file from its first line: the most
// frequent of ',', ';' and tab outside double quotes (',' on a tie or when
// none occurs, so a one-column file reads as before).
func Sniff(firstLine string) rune {
	var n [3]int
	seps := [3]rune{',', ';', '\t'}
	quoted := false
	for _, c := range firstLine {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		for i, s := range seps {
			if c == s {
				n[i]++
			}
		}
	}
	best := 0
	for i := 1; i < len(seps); i++ {
		if n[i] > n[best] {
			best = i
		}
	}
	return seps[best]
}
