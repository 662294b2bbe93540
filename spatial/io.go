package spatial

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/agglo/agglo/internal/atomicfile"
	"github.com/agglo/agglo/internal/csvin"
)

// ParseError reports a malformed line of a weights file.
type ParseError struct {
	// Line is the 1-based line (or CSV record) number.
	Line int
	// Msg says what is wrong.
	Msg string
}

func (e *ParseError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func parseErr(line int, format string, args ...any) error {
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// lineReader yields the non-blank lines of r with their numbers.
type lineReader struct {
	s    *bufio.Scanner
	line int
}

func newLineReader(r io.Reader) *lineReader {
	s := bufio.NewScanner(csvin.StripBOM(r))
	s.Buffer(make([]byte, 64*1024), 64*1024*1024)
	return &lineReader{s: s}
}

// nextBytes appends the fields of the next non-blank line to dst, as
// slices valid until the next call, and returns them.
func (l *lineReader) nextBytes(dst [][]byte) ([][]byte, bool) {
	for l.s.Scan() {
		l.line++
		if dst = appendFields(dst[:0], l.s.Bytes()); len(dst) > 0 {
			return dst, true
		}
	}
	return dst, false
}

func (l *lineReader) next() ([]string, bool) {
	for l.s.Scan() {
		l.line++
		f := strings.Fields(l.s.Text())
		if len(f) > 0 {
			return f, true
		}
	}
	return nil, false
}

// parseHeader reads the first line of a GAL or GWT file. Both "n" (spdep's
// and GeoDa's old form) and "0 n shapefile idvariable" (GeoDa's form, also
// written by PySAL) are accepted.
func parseHeader(f []string, line int) (int, error) {
	var field string
	switch {
	case len(f) == 1:
		field = f[0]
	case len(f) >= 2 && len(f) <= 4, len(f) > 4 && f[0] == "0": // a shape name may contain spaces
		field = f[1]
	default:
		return 0, parseErr(line, "header: want \"n\" or \"0 n [shape] [idvar]\", got %d fields", len(f))
	}
	n, err := strconv.Atoi(field)
	if err != nil || n < 0 {
		return 0, parseErr(line, "header: number of regions %q is not a non-negative integer", field)
	}
	return n, nil
}

// ReadGAL reads a GeoDa GAL file: a header line with the number of regions
// n, then for each region a line "id k" and a line with its k neighbour IDs.
// Region order is the order of the records; IDs are kept as strings. The
// result is Binary.
func ReadGAL(r io.Reader) (*Weights, error) {
	lr := newLineReader(r)
	f, ok := lr.next()
	if !ok {
		if err := lr.s.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("empty GAL file")
	}
	n, err := parseHeader(f, lr.line)
	if err != nil {
		return nil, err
	}
	// The header's n is untrusted: grow the slices as records arrive.
	var ids []string
	var nbIDs [][]string
	var lines []int
	for len(ids) < n {
		f, ok := lr.next()
		if !ok {
			return nil, parseErr(lr.line+1, "expected %d region records, found %d", n, len(ids))
		}
		if len(f) != 2 {
			return nil, parseErr(lr.line, "region record: want \"id count\", got %d fields", len(f))
		}
		k, err := strconv.Atoi(f[1])
		if err != nil || k < 0 {
			return nil, parseErr(lr.line, "region %q: neighbour count %q is not a non-negative integer", f[0], f[1])
		}
		ids = append(ids, f[0])
		lines = append(lines, lr.line)
		var nb []string
		if k > 0 {
			g, ok := lr.next()
			if !ok {
				return nil, parseErr(lr.line+1, "region %q: missing neighbour line", f[0])
			}
			if len(g) != k {
				return nil, parseErr(lr.line, "region %q: header says %d neighbours, line lists %d", f[0], k, len(g))
			}
			nb = g
		}
		nbIDs = append(nbIDs, nb)
	}
	if f, ok := lr.next(); ok {
		return nil, parseErr(lr.line, "unexpected content after %d region records: %q", n, strings.Join(f, " "))
	}
	if err := lr.s.Err(); err != nil {
		return nil, err
	}
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, dup := index[id]; dup {
			return nil, parseErr(lines[i], "duplicate region %q", id)
		}
		index[id] = i
	}
	var links []Link
	for i, nb := range nbIDs {
		seen := make(map[string]bool, len(nb))
		for _, id := range nb {
			if seen[id] {
				return nil, parseErr(lines[i]+1, "region %q lists neighbour %q twice", ids[i], id)
			}
			seen[id] = true
			j, ok := index[id]
			if !ok {
				return nil, parseErr(lines[i]+1, "region %q: unknown neighbour %q", ids[i], id)
			}
			if j == i {
				return nil, parseErr(lines[i]+1, "region %q lists itself as a neighbour", id)
			}
			links = append(links, Link{From: i, To: j, Weight: 1})
		}
	}
	w, err := NewWeights(ids, links)
	if err != nil {
		return nil, err
	}
	return w, nil
}

// WriteGAL writes w as a GAL file with the header "0 n unknown id". A GAL
// file holds only binary neighbours, so WriteGAL returns an error, and
// writes nothing, when a weight differs from 1 (transform to Binary first,
// or write GWT or CSV) or when an ID is empty or contains white space.
func WriteGAL(out io.Writer, w *Weights) error {
	if err := checkTokenIDs(w, "GAL"); err != nil {
		return err
	}
	for i, id := range w.IDs() {
		_, vals := w.Neighbours(i)
		for _, v := range vals {
			if v != 1 {
				return fmt.Errorf("region %q has a link of weight %v: a GAL file holds only binary neighbours (use style B, or write GWT or CSV)", id, v)
			}
		}
	}
	bw := bufio.NewWriter(out)
	fmt.Fprintf(bw, "0 %d unknown id\n", w.N())
	for i, id := range w.IDs() {
		cols, _ := w.Neighbours(i)
		fmt.Fprintf(bw, "%s %d\n", id, len(cols))
		if len(cols) == 0 {
			continue
		}
		for k, j := range cols {
			if k > 0 {
				bw.WriteByte(' ')
			}
			bw.WriteString(w.IDs()[j])
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// ReadGWT reads a GeoDa GWT file: a header ("n" or "0 n shape idvar"),
// then one line "from to weight" per link. Regions are ordered numerically
// when every ID is an integer (and then IDs 1…n absent from the links are
// islands), otherwise by first appearance; a header count that the links
// cannot account for (regions without links, whose IDs a GWT file does not
// list) is an error wrapping ErrGWTIslands: give the region list to
// ReadGWTRegions. The style is Unknown unless every weight is 1.
func ReadGWT(r io.Reader) (*Weights, error) { return ReadGWTRegions(r, nil) }

// ErrGWTIslands is wrapped by the error of ReadGWT when the header counts
// more regions than the links name: the regions without links (islands)
// can only be placed with the region list (ReadGWTRegions).
var ErrGWTIslands = errors.New("regions of the header have no links")

// ReadGWTRegions reads a GWT file as ReadGWT does, with the regions given
// by ids in their order (nil: as ReadGWT), as spdep's read.gwt2nb(region.id
// =): the header count must equal len(ids), every link must name IDs of
// the list (an error names the line), and regions of the list without
// links are islands.
func ReadGWTRegions(r io.Reader, ids []string) (*Weights, error) {
	lr := newLineReader(r)
	f, ok := lr.next()
	if !ok {
		if err := lr.s.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("empty GWT file")
	}
	n, err := parseHeader(f, lr.line)
	if err != nil {
		return nil, err
	}
	in := newInterner()
	var links []fileLink
	var g [][]byte
	for {
		var ok bool
		if g, ok = lr.nextBytes(g[:0]); !ok {
			break
		}
		if len(g) != 3 {
			return nil, parseErr(lr.line, "link: want \"from to weight\", got %d fields", len(g))
		}
		// string(…) of a short field is converted on the stack.
		v, err := strconv.ParseFloat(string(g[2]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, parseErr(lr.line, "link %s→%s: weight %q is not a finite number", g[0], g[1], g[2])
		}
		if err := checkWeight(v); err != nil {
			return nil, parseErr(lr.line, "link %s→%s: %v", g[0], g[1], err)
		}
		l := fileLink{w: v, line: lr.line}
		if l.from, err = in.id(g[0]); err == nil {
			l.to, err = in.id(g[1])
		}
		if err != nil {
			return nil, parseErr(lr.line, "%v", err)
		}
		links = append(links, l)
	}
	if err := lr.s.Err(); err != nil {
		return nil, err
	}
	names := in.names
	index := make(map[string]int, n)
	if ids != nil {
		if len(ids) != n {
			return nil, parseErr(1, "header says %d regions, the region list has %d (a region list holds one ID per line, in the file's index order, without a header)", n, len(ids))
		}
		for i, id := range ids {
			if _, dup := index[id]; dup {
				return nil, fmt.Errorf("region list: ID %q appears twice", id)
			}
			index[id] = i
		}
		ids = append([]string(nil), ids...)
		for _, l := range links {
			for _, p := range []int32{l.from, l.to} {
				if _, ok := index[names[p]]; !ok {
					return nil, parseErr(l.line, "region %q is not in the region list", names[p])
				}
			}
		}
	} else {
		from := make([]string, len(links))
		to := make([]string, len(links))
		for k, l := range links {
			from[k], to[k] = names[l.from], names[l.to]
		}
		ids = gwtOrder(from, to, n)
		if len(ids) != n {
			// Integer IDs that cannot be indices 1…n of the header: name
			// the first one out of range.
			if _, ints := allInts(ids); ints {
				for _, l := range links {
					for _, id := range []string{names[l.from], names[l.to]} {
						if v, _ := strconv.Atoi(id); v < 1 || v > n {
							return nil, parseErr(l.line, "region index %d is outside 1…%d of the header (if the IDs are not indices, give the region list: --ids FILE)", v, n)
						}
					}
				}
			}
			if len(ids) < n {
				return nil, fmt.Errorf("%w: header says %d regions, links name %d: %d region(s) of the header have no links (islands); give the region list (--ids FILE, or the data's IDs)",
					ErrGWTIslands, n, len(ids), n-len(ids))
			}
			return nil, parseErr(1, "header says %d regions, links name %d", n, len(ids))
		}
		for i, id := range ids {
			index[id] = i
		}
	}
	// Every name is a region of ids now: renumber the links.
	order := make([]int32, len(names))
	for p, name := range names {
		order[p] = int32(index[name])
	}
	for k := range links {
		l := &links[k]
		l.from, l.to = order[l.from], order[l.to]
	}
	return weightsFromFile(ids, idIndex{pos: index}, linkSlice(links))
}

// gwtOrder returns the regions of a GWT file with n regions and the given
// links, as ReadGWT orders them: by first appearance (origins first), or
// numerically when every ID is an integer and there are at most n of them
// (then 1…n when the largest is n, so that IDs without links are islands).
func gwtOrder(from, to []string, n int) []string {
	seen := map[string]bool{}
	var ids []string
	for _, list := range [][]string{from, to} {
		for _, id := range list {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if nums, ok := allInts(ids); ok && len(ids) <= n {
		ids = ids[:0]
		maxID := 0
		for _, v := range nums {
			maxID = max(maxID, v)
		}
		// The islands 1…n absent from the links are allocated from the
		// header's untrusted n: allow at most a million more of them than
		// regions with links.
		if len(nums) > 0 && maxID == n && nums[0] >= 1 && n-len(nums) <= len(nums)+1_000_000 {
			for i := 1; i <= n; i++ {
				ids = append(ids, strconv.Itoa(i))
			}
		} else {
			for _, v := range nums {
				ids = append(ids, strconv.Itoa(v))
			}
		}
	}
	return ids
}

// allInts parses every ID as an integer and returns them sorted.
func allInts(ids []string) ([]int, bool) {
	out := make([]int, len(ids))
	for i, id := range ids {
		v, err := strconv.Atoi(id)
		if err != nil || strconv.Itoa(v) != id {
			return nil, false
		}
		out[i] = v
	}
	sort.Ints(out)
	return out, true
}

// WriteGWT writes w as a GWT file with the header "0 n unknown id". Weights
// are written in the shortest form that reads back exactly. A GWT file lists
// only links, so WriteGWT returns an error, and writes nothing, when ReadGWT
// could not recover the regions in their order (a region without links
// whose ID is not one of 1…n, or integer IDs out of numeric order), or when
// an ID is empty or contains white space; write GAL or CSV instead.
func WriteGWT(out io.Writer, w *Weights) error {
	if err := checkTokenIDs(w, "GWT"); err != nil {
		return err
	}
	ids := w.IDs()
	var from, to []string
	for i := 0; i < w.N(); i++ {
		cols, _ := w.Neighbours(i)
		for _, j := range cols {
			from = append(from, ids[i])
			to = append(to, ids[j])
		}
	}
	order := gwtOrder(from, to, w.N())
	for i, id := range ids {
		if i >= len(order) || order[i] != id {
			return fmt.Errorf("region %q: a GWT file cannot keep the regions in this order (regions without links need IDs 1…n, integer IDs must be in numeric order); write GAL or CSV", id)
		}
	}
	bw := bufio.NewWriter(out)
	fmt.Fprintf(bw, "0 %d unknown id\n", w.N())
	for i := 0; i < w.N(); i++ {
		cols, vals := w.Neighbours(i)
		for k, j := range cols {
			fmt.Fprintf(bw, "%s %s %s\n", ids[i], ids[j], strconv.FormatFloat(vals[k], 'g', -1, 64))
		}
	}
	return bw.Flush()
}

// checkTokenIDs returns an error if an ID of w cannot be written as one
// white-space-separated token of a GAL or GWT file.
func checkTokenIDs(w *Weights, format string) error {
	for _, id := range w.IDs() {
		if f := strings.Fields(id); len(f) != 1 || f[0] != id {
			return fmt.Errorf("region ID %q is empty or contains white space: it cannot be written to a %s file (write CSV)", id, format)
		}
	}
	return nil
}

// ReadEdgeList reads a CSV edge list with a header naming the columns from,
// to and, optionally, weight (a missing weight column means 1). A row whose
// to (and weight) cell is empty declares a region without links, as
// WriteEdgeList writes islands. Regions are ordered by first appearance
// (from-column first); a row naming a region only as a destination still
// adds it. Use Subset to impose an order.
func ReadEdgeList(r io.Reader) (*Weights, error) {
	cr := csvin.NewReader(r, 0)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	e := edgeColumns{header: header}
	var okF, okT bool
	e.from, okF = col["from"]
	e.to, okT = col["to"]
	e.weight, e.hasWeight = col["weight"]
	if !okF || !okT {
		return nil, parseErr(1, "header %q: want columns from,to[,weight]%s", strings.Join(header, ","), cr.Hint())
	}
	w, err := e.read(cr)
	if err == nil || !cr.CanRewind() {
		return w, err
	}
	// Read again record by record for the message, which quotes the
	// cell at fault as it stands in the file.
	if cr.Rewind() != nil {
		return nil, err
	}
	if _, err := cr.Read(); err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	return e.readRecords(cr)
}

// edgeColumns locates the columns of an edge list in its header.
type edgeColumns struct {
	header           []string
	from, to, weight int
	hasWeight        bool
}

// read reads the links of an edge list after its header as typed columns
// (csvin.Reader.ReadColumns: blocks of lines parsed in parallel), the
// region IDs of both columns interned together. Its errors are those of
// readRecords, for the same first record at fault, except that a weight
// is quoted without its surrounding blanks (a number as Go writes it).
func (e *edgeColumns) read(cr *csvin.Reader) (*Weights, error) {
	specs := []csvin.ColumnSpec{{Index: e.from, Kind: csvin.Text}, {Index: e.to, Kind: csvin.Text, SharedWith: 1}}
	if e.hasWeight {
		specs = append(specs, csvin.ColumnSpec{Index: e.weight, Kind: csvin.Number})
	}
	cols, _, rerr := cr.ReadColumns(specs, csvin.ColumnsOptions{Width: len(e.header)})
	if cols == nil {
		return nil, rerr
	}
	from, to := cols.Cols[0].Codes, cols.Cols[1].Codes
	names := cols.Cols[1].Levels
	var num []float64
	var odd []csvin.Cell
	if e.hasWeight {
		num, odd = cols.Cols[2].Num, cols.Cols[2].Odd
	}
	// The columns become the links in place: to is -1 on a row that
	// declares a region without links.
	for k, line := range cols.Line {
		f, t := names[from[k]], names[to[k]]
		if f == "" {
			return nil, parseErr(line, "column %s: empty region ID", e.header[e.from])
		}
		bad := len(odd) > 0 && odd[0].Row == k
		var text string
		if bad {
			text, odd = odd[0].Text, odd[1:]
		}
		if t == "" {
			if e.hasWeight && !(bad && text == "") {
				if !bad {
					text = strconv.FormatFloat(num[k], 'g', -1, 64)
				}
				return nil, parseErr(line, "column %s: empty region ID with weight %q", e.header[e.to], text)
			}
			to[k] = -1 // a declared region
			continue
		}
		if e.hasWeight {
			if bad {
				return nil, parseErr(line, "column weight: %q is not a finite number", text)
			}
			if err := checkWeight(num[k]); err != nil {
				return nil, parseErr(line, "link %s→%s: %v", f, t, err)
			}
		}
	}
	if rerr != nil {
		if fe, ok := errors.AsType[*csvin.FieldCountError](rerr); ok {
			return nil, parseErr(fe.Line, "want %d fields, got %d", fe.Want, fe.Fields)
		}
		return nil, rerr
	}
	return edgeWeights(names, cols.Cols[1].Code, &linkColumns{from: from, to: to, w: num, line: cols.Line})
}

// readRecords reads the links of an edge list after its header record by
// record.
func (e *edgeColumns) readRecords(cr *csvin.Reader) (*Weights, error) {
	header, fi, ti, wi, okW := e.header, e.from, e.to, e.weight, e.hasWeight
	in := newInterner()
	links := &linkColumns{}
	if okW {
		links.w = []float64{}
	}
	add := func(l fileLink) {
		links.from, links.to, links.line = append(links.from, l.from), append(links.to, l.to), append(links.line, l.line)
		if okW {
			links.w = append(links.w, l.w)
		}
	}
	for {
		rec, err := cr.ReadBytes()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, parseErr(line, "want %d fields, got %d", len(header), len(rec))
		}
		from, to := bytes.TrimSpace(rec[fi]), bytes.TrimSpace(rec[ti])
		if len(from) == 0 {
			return nil, parseErr(line, "column %s: empty region ID", header[fi])
		}
		l := fileLink{to: -1, w: 1, line: line}
		if l.from, err = in.id(from); err != nil {
			return nil, parseErr(line, "%v", err)
		}
		if len(to) == 0 {
			if okW && len(bytes.TrimSpace(rec[wi])) != 0 {
				return nil, parseErr(line, "column %s: empty region ID with weight %q", header[ti], rec[wi])
			}
			add(l) // a declared region
			continue
		}
		if okW {
			// string(…) of a short field is converted on the stack.
			v, err := strconv.ParseFloat(string(bytes.TrimSpace(rec[wi])), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, parseErr(line, "column weight: %q is not a finite number", rec[wi])
			}
			if err := checkWeight(v); err != nil {
				return nil, parseErr(line, "link %s→%s: %v", from, to, err)
			}
			l.w = v
		}
		if l.to, err = in.id(to); err != nil {
			return nil, parseErr(line, "%v", err)
		}
		add(l)
	}
	return edgeWeights(in.names, func(id string) (int32, bool) { c, ok := in.index[id]; return c, ok }, links)
}

// edgeWeights builds the weights of an edge list from its links, whose
// ends index names (in order of first sight; codes finds each name's
// index): regions by first appearance, origins first. The weights look
// IDs up through codes.
func edgeWeights(names []string, codes func(string) (int32, bool), links *linkColumns) (*Weights, error) {
	if links.Len() == 0 {
		return nil, parseErr(1, "a header and no links: the edge list names no region")
	}
	order := make([]int32, len(names))
	for i := range order {
		order[i] = -1
	}
	ids := make([]string, 0, len(names))
	for _, f := range links.from {
		if order[f] < 0 {
			order[f] = int32(len(ids))
			ids = append(ids, names[f])
		}
	}
	for _, t := range links.to {
		if t >= 0 && order[t] < 0 {
			order[t] = int32(len(ids))
			ids = append(ids, names[t])
		}
	}
	for k, f := range links.from {
		links.from[k] = order[f]
		if t := links.to[k]; t >= 0 {
			links.to[k] = order[t]
		}
	}
	return weightsFromFile(ids, idIndex{codes: codes, order: order}, links)
}

// WriteEdgeList writes w as a CSV edge list "from,to,weight", in row order,
// with a row "id,," for each region without links in its place, so that
// ReadEdgeList recovers the same regions in the same order. It returns an
// error for an empty ID.
func WriteEdgeList(out io.Writer, w *Weights) error {
	ids := w.IDs()
	for _, id := range ids {
		if id == "" {
			return errors.New("an empty region ID cannot be written to an edge list")
		}
	}
	cw := csv.NewWriter(out)
	cw.Write([]string{"from", "to", "weight"})
	for i := 0; i < w.N(); i++ {
		cols, vals := w.Neighbours(i)
		if len(cols) == 0 {
			cw.Write([]string{ids[i], "", ""})
		}
		for k, j := range cols {
			cw.Write([]string{ids[i], ids[j], strconv.FormatFloat(vals[k], 'g', -1, 64)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadMatrixCSV reads a dense weights matrix from CSV: a header row of the
// n region IDs, then n rows of n weights, each optionally preceded by its
// region ID (which must then match the header's order; the header then has
// n+1 fields, the first one a label such as "id" that is ignored).
func ReadMatrixCSV(r io.Reader) (*Weights, error) {
	cr := csvin.NewReader(r, 0)
	var recs [][]string
	var recLines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		recs = append(recs, rec)
		recLines = append(recLines, line)
	}
	if len(recs) == 0 {
		return nil, errors.New("empty matrix file")
	}
	header := recs[0]
	rows := recs[1:]
	n := len(rows)
	if n == 0 {
		return nil, parseErr(recLines[0], "a header and no rows: the matrix names no region")
	}
	withIDs := false
	switch len(header) {
	case n:
	case n + 1:
		withIDs = true
	default:
		return nil, parseErr(recLines[0], "the matrix is not square: the header has %d fields for %d rows (want n region IDs, or a label and n IDs, for n rows)", len(header), n)
	}
	ids := header
	if withIDs {
		ids = header[1:]
	}
	ids = append([]string(nil), ids...)
	for i := range ids {
		ids[i] = strings.TrimSpace(ids[i])
	}
	var links []Link
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if id == "" || seen[id] {
			return nil, parseErr(recLines[0], "header: region ID %q is empty or repeated", id)
		}
		seen[id] = true
	}
	for i, rec := range rows {
		line := recLines[i+1]
		if len(rec) != len(header) {
			return nil, parseErr(line, "want %d fields, got %d", len(header), len(rec))
		}
		vals := rec
		if withIDs {
			if id := strings.TrimSpace(rec[0]); id != ids[i] {
				return nil, parseErr(line, "row ID %q does not match column %d of the header (%q)", id, i+1, ids[i])
			}
			vals = rec[1:]
		}
		for j, s := range vals {
			v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, parseErr(line, "column %q: %q is not a finite number", ids[j], s)
			}
			if err := checkWeight(v); err != nil {
				return nil, parseErr(line, "row %q, column %q: %v", ids[i], ids[j], err)
			}
			if v == 0 {
				continue
			}
			if i == j {
				return nil, parseErr(line, "region %q: non-zero diagonal %v", ids[i], v)
			}
			links = append(links, Link{From: i, To: j, Weight: v})
		}
	}
	return NewWeights(ids, links)
}

// WriteMatrixCSV writes w as a dense CSV matrix with an "id" column. It is
// for small N: the file has N² numbers. A link of weight 0 cannot be told
// from no link in a dense matrix, so WriteMatrixCSV returns an error, and
// writes nothing, when w has one (write GWT or an edge list).
func WriteMatrixCSV(out io.Writer, w *Weights) error {
	// At least two bytes per cell ("0,"), held in memory by WriteWeightsFile.
	if err := CheckDense(w.N(), w.N(), 1, fmt.Sprintf("a dense matrix CSV of %d regions", w.N()), "write an edge list (.csv with from,to,weight) or GWT"); err != nil {
		return err
	}
	for i, id := range w.IDs() {
		cols, vals := w.Neighbours(i)
		for k, v := range vals {
			if v == 0 {
				return fmt.Errorf("link %q→%q has weight 0: a dense matrix cannot hold it (write GWT or an edge list)", id, w.IDs()[cols[k]])
			}
		}
	}
	cw := csv.NewWriter(out)
	n := w.N()
	cw.Write(append([]string{"id"}, w.IDs()...))
	row := make([]string, n+1)
	for i := 0; i < n; i++ {
		row[0] = w.IDs()[i]
		for j := 1; j <= n; j++ {
			row[j] = "0"
		}
		cols, vals := w.Neighbours(i)
		for k, j := range cols {
			row[j+1] = strconv.FormatFloat(vals[k], 'g', -1, 64)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// Weights file formats understood by ReadWeightsFile and WriteWeightsFile.
const (
	FormatGAL    = "gal"
	FormatGWT    = "gwt"
	FormatEdges  = "edges"
	FormatMatrix = "matrix"
)

// DetectFormat returns the weights format of path from its extension (.gal,
// .gwt; for .csv the first line decides: a header with from and to columns
// is an edge list, anything else a matrix).
func DetectFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".gal":
		return FormatGAL, nil
	case ".gwt":
		return FormatGWT, nil
	case ".csv":
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		header, err := csvin.NewReader(f, 0).Read()
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("%s: empty file (want an edge list from,to[,weight] or a matrix)", path)
		}
		if err != nil {
			return "", fmt.Errorf("%s: reading header: %w", path, err)
		}
		hasFrom, hasTo := false, false
		for _, h := range header {
			switch strings.ToLower(strings.TrimSpace(h)) {
			case "from":
				hasFrom = true
			case "to":
				hasTo = true
			}
		}
		if hasFrom && hasTo && len(header) <= 3 {
			return FormatEdges, nil
		}
		return FormatMatrix, nil
	}
	return "", fmt.Errorf("%s: cannot tell the weights format from the extension (use gal, gwt, edges or matrix)", path)
}

// ReadWeightsFile reads weights from path in the given format (gal, gwt,
// edges or matrix), or the format DetectFormat finds when format is "".
// Errors name the file and line.
func ReadWeightsFile(path, format string) (*Weights, error) {
	return ReadWeightsFileRegions(path, format, nil)
}

// ReadWeightsFileRegions reads weights as ReadWeightsFile does, with the
// region list ids (nil: none) for the formats that list only links: a GWT
// file is read by ReadGWTRegions (its islands need the list). The other
// formats name every region; for them ids must hold the same regions (an
// error names the first missing one) and give their order.
func ReadWeightsFileRegions(path, format string, ids []string) (*Weights, error) {
	// A missing file or a folder is said so, not blamed on its extension.
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if st.IsDir() {
		return nil, fmt.Errorf("%s: is a folder, not a weights file", path)
	}
	if format == "" {
		var err error
		if format, err = DetectFormat(path); err != nil {
			return nil, err
		}
	}
	var read func(io.Reader) (*Weights, error)
	switch format {
	case FormatGAL:
		read = ReadGAL
	case FormatGWT:
		read = func(r io.Reader) (*Weights, error) { return ReadGWTRegions(r, ids) }
	case FormatEdges:
		read = ReadEdgeList
	case FormatMatrix:
		read = ReadMatrixCSV
	default:
		return nil, fmt.Errorf("%s: unknown weights format %q (want gal, gwt, edges or matrix)", path, format)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var in io.Reader = bufio.NewReader(f)
	if format == FormatEdges {
		in = f // buffered by the reader, which reads a file in parallel blocks
	}
	w, err := read(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if ids == nil || format == FormatGWT {
		return w, nil
	}
	if len(ids) != w.N() {
		return nil, fmt.Errorf("%s: %d regions, the region list has %d (a region list holds one ID per line, without a header)", path, w.N(), len(ids))
	}
	if w, err = w.Subset(ids); err != nil {
		return nil, fmt.Errorf("%s: matching the region list: %w", path, err)
	}
	return w, nil
}

// WriteWeightsFile writes w to path in the given format (or the one its
// extension implies, .csv meaning an edge list), whole or not at all
// (through a temporary file renamed into place; a device or FIFO is
// written in place).
func WriteWeightsFile(path, format string, w *Weights) error {
	if format == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".gal":
			format = FormatGAL
		case ".gwt":
			format = FormatGWT
		case ".csv":
			format = FormatEdges
		default:
			return fmt.Errorf("%s: cannot tell the weights format from the extension", path)
		}
	}
	var b bytes.Buffer
	if err := WriteWeights(&b, format, w); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.WriteFile(path, b.Bytes())
}

// WriteWeights writes w to out in format (FormatGAL, FormatGWT,
// FormatEdges or FormatMatrix).
func WriteWeights(out io.Writer, format string, w *Weights) error {
	switch format {
	case FormatGAL:
		return WriteGAL(out, w)
	case FormatGWT:
		return WriteGWT(out, w)
	case FormatEdges:
		return WriteEdgeList(out, w)
	case FormatMatrix:
		return WriteMatrixCSV(out, w)
	}
	return fmt.Errorf("unknown weights format %q (want gal, gwt, edges or matrix)", format)
}

// checkWeight refuses a negative weight, as spdep's nb2listw does: Moran's
// I, the log-determinants and the row standardisation all assume w ≥ 0.
func checkWeight(v float64) error {
	if v < 0 {
		return fmt.Errorf("negative weight %v (spatial weights must be non-negative)", v)
	}
	return nil
}
