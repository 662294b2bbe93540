package spatial

import (
	"fmt"
	"math"
	"sort"
	"unicode"
	"unicode/utf8"
)

// fileLink is one link of a weights file in file order: region numbers
// (to is -1 for a row that only declares the region from), the weight and
// the 1-based line.
type fileLink struct {
	from, to int32
	w        float64
	line     int
}

// linkSource is a list of links read from a file, in file order.
type linkSource interface {
	Len() int
	At(k int) fileLink
}

// linkSlice is a linkSource held as one slice.
type linkSlice []fileLink

func (l linkSlice) Len() int          { return len(l) }
func (l linkSlice) At(k int) fileLink { return l[k] }

// linkColumns is a linkSource held as columns (an edge list's): to < 0
// for a row declaring a region without links; w nil for weights of 1.
type linkColumns struct {
	from, to []int32
	w        []float64
	line     []int
}

func (l *linkColumns) Len() int { return len(l.from) }
func (l *linkColumns) At(k int) fileLink {
	f := fileLink{from: l.from[k], to: l.to[k], w: 1, line: l.line[k]}
	if l.w != nil {
		f.w = l.w[k]
	}
	return f
}

// interner numbers region IDs read as bytes in order of first sight,
// with one string per distinct ID.
type interner struct {
	index map[string]int32
	names []string
}

func newInterner() *interner { return &interner{index: map[string]int32{}} }

// id returns the number of the ID b, adding it if new.
func (t *interner) id(b []byte) (int32, error) {
	if k, ok := t.index[string(b)]; ok {
		return k, nil
	}
	if len(t.names) == math.MaxInt32 {
		return 0, fmt.Errorf("more than %d regions", math.MaxInt32)
	}
	s := string(b)
	k := int32(len(t.names))
	t.index[s] = k
	t.names = append(t.names, s)
	return k, nil
}

// weightsFromFile builds the weights over ids from links in file order
// whose ends are indices into ids (a link with to < 0 is skipped). The
// error names the first line, in file order, holding a self-link or a
// link seen before (with the line of the first), as a reader checking
// each link as it comes would. ids must be distinct, index their
// lookup; weights finite.
func weightsFromFile[L linkSource](ids []string, index idIndex, links L) (*Weights, error) {
	n := len(ids)
	rowPtr := make([]int, n+1)
	selfAt := -1
	for k := range links.Len() {
		l := links.At(k)
		switch {
		case l.to < 0:
		case l.from == l.to:
			if selfAt < 0 {
				selfAt = k
			}
		default:
			rowPtr[l.from+1]++
		}
	}
	for i := 1; i <= n; i++ {
		rowPtr[i] += rowPtr[i-1]
	}
	nnz := rowPtr[n]
	colIdx := make([]int, nnz)
	vals := make([]float64, nnz)
	lines := make([]int, nnz)
	next := append([]int(nil), rowPtr[:n]...)
	binary := true
	for k := range links.Len() {
		l := links.At(k)
		if l.to < 0 || l.from == l.to {
			continue
		}
		k := next[l.from]
		colIdx[k], vals[k], lines[k] = int(l.to), l.w, l.line
		next[l.from]++
		if l.w != 1 {
			binary = false
		}
	}
	// Within a row the links are in file order; sort them by column (then
	// line) where they are not already, and find the earliest repeat.
	dupLine, dupPrev, dupRow, dupCol := math.MaxInt, 0, 0, 0
	for i := 0; i < n; i++ {
		lo, hi := rowPtr[i], rowPtr[i+1]
		sorted := true
		for k := lo + 1; k < hi; k++ {
			if colIdx[k] <= colIdx[k-1] {
				sorted = false
				break
			}
		}
		if sorted {
			continue
		}
		sort.Sort(fileRowSorter{colIdx[lo:hi], vals[lo:hi], lines[lo:hi]})
		for k := lo + 1; k < hi; k++ {
			if colIdx[k] == colIdx[k-1] && lines[k] < dupLine {
				dupLine, dupPrev, dupRow, dupCol = lines[k], lines[k-1], i, colIdx[k]
			}
		}
	}
	if selfAt >= 0 {
		if self := links.At(selfAt); self.line < dupLine {
			return nil, parseErr(self.line, "self-link at region %q", ids[self.from])
		}
	}
	if dupLine != math.MaxInt {
		return nil, parseErr(dupLine, "duplicate link %s→%s (first on line %d)", ids[dupRow], ids[dupCol], dupPrev)
	}
	w := &Weights{ids: ids, index: index, rowPtr: rowPtr, colIdx: colIdx, vals: vals, style: Unknown, sym: new(symCache)}
	if binary {
		w.style = Binary
	}
	return w, nil
}

// fileRowSorter sorts one row by column, then by line.
type fileRowSorter struct {
	col   []int
	val   []float64
	lines []int
}

func (r fileRowSorter) Len() int { return len(r.col) }
func (r fileRowSorter) Less(i, j int) bool {
	return r.col[i] < r.col[j] || r.col[i] == r.col[j] && r.lines[i] < r.lines[j]
}
func (r fileRowSorter) Swap(i, j int) {
	r.col[i], r.col[j] = r.col[j], r.col[i]
	r.val[i], r.val[j] = r.val[j], r.val[i]
	r.lines[i], r.lines[j] = r.lines[j], r.lines[i]
}

// appendFields appends the white-space-separated fields of b to dst, as
// bytes.Fields splits them (Unicode white space), without allocating
// beyond dst's growth.
func appendFields(dst [][]byte, b []byte) [][]byte {
	start := -1
	for i := 0; i < len(b); {
		c, size := rune(b[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRune(b[i:])
		}
		if unicode.IsSpace(c) {
			if start >= 0 {
				dst = append(dst, b[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, b[start:])
	}
	return dst
}
