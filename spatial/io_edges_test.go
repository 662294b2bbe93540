package spatial

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/csvin"
)

// TestReadEdgeListMatchesStringReader compares ReadEdgeList with the
// string-per-field reader it replaced (readEdgeListOld, kept below as
// the reference) on inputs chosen to exercise every branch: region
// order, islands, quoting, white space, BOM, bad weights, self-links,
// duplicates (the first offending line wins) and field counts. Results
// and error messages must be identical.
func TestReadEdgeListMatchesStringReader(t *testing.T) {
	cases := []string{
		"from,to,weight\na,b,0.5\nb,a,0.25\nc,a,1\n",
		"from,to\nb,c\na,b\nc,a\n",
		"to,from,weight\n3,1,1\n1,2,2\n2,3,1e-3\n",
		"\xef\xbb\xbfFrom , To ,Weight\n x , y ,1\ny,x, 2 \n",
		"from,to,weight\nz,,\nb,a,1\na,b,1\n",
		"from,to,weight\na,b,1\nq,,\n",
		"from,to,weight\na,,1\n",
		"from,to,weight\n,b,1\n",
		"from;to;weight\na;b;1\n",
		"src,dst\na,b\n",
		"from,to,weight\n",
		"from,to,weight\na,b,x\n",
		"from,to,weight\na,b,NaN\n",
		"from,to,weight\na,b,-1\n",
		"from,to,weight\na,b,1\nb,a\n",
		"from,to,weight\na,a,1\n",
		"from,to,weight\na,b,1\nb,c,1\na,b,2\nc,c,1\n",
		"from,to,weight\na,b,1\nc,c,1\na,b,2\n",
		"from,to,weight\nc,b,1\nc,a,1\nc,d,1\nc,a,3\nc,b,2\n",
		"from,to,weight\nc,d,1\nc,b,1\nc,a,1\n",
		"from,to,weight\n\"a,1\",\"b\"\"2\",1\n\"b\"\"2\",\"a,1\",0x1p-2\n",
		"from,to,weight\n\"a\nb\",c,1\nc,\"a\nb\",1\nc,\"a\nb\",1\n",
		"from,to,weight\na,b\"x,1\n",
		"from,to,weight\r\na,b,1\r\nb,a,1e308\r\n\r\nb,c,+1.5\r\n",
		"from,to,weight\nα,β,1\nβ,α,1\n",
		"from,to,weight\na,b,1_0\n",
		"from,to,weight\na,b,Inf\n",
	}
	for i, in := range cases {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			want, errWant := readEdgeListOld(strings.NewReader(in))
			got, errGot := ReadEdgeList(strings.NewReader(in))
			if fmt.Sprint(errGot) != fmt.Sprint(errWant) {
				t.Fatalf("%q: error %v, want %v", in, errGot, errWant)
			}
			if errWant != nil {
				return
			}
			if !equalWeights(got, want) {
				t.Errorf("%q: weights %+v, want %+v", in, got, want)
			}
		})
	}
	// A lattice written and read back, in file order and reversed.
	l, _ := Lattice(7, 5, false)
	w, _ := l.Transform(RowStandardized)
	var b strings.Builder
	if err := WriteEdgeList(&b, w); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	rev := []string{lines[0]}
	for k := len(lines) - 1; k > 0; k-- {
		rev = append(rev, lines[k])
	}
	for _, in := range []string{b.String(), strings.Join(rev, "\n")} {
		want, err1 := readEdgeListOld(strings.NewReader(in))
		got, err2 := ReadEdgeList(strings.NewReader(in))
		if err1 != nil || err2 != nil || !equalWeights(got, want) {
			t.Errorf("lattice: errors %v, %v; equal %v", err2, err1, equalWeights(got, want))
		}
	}
}

// readEdgeListOld is ReadEdgeList as it was before the byte-slice reader
// (commit 99e0f9f), the reference of TestReadEdgeListMatchesStringReader.
func readEdgeListOld(r io.Reader) (*Weights, error) {
	cr := csvin.NewReader(r, 0)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	fi, okF := col["from"]
	ti, okT := col["to"]
	wi, okW := col["weight"]
	if !okF || !okT {
		return nil, parseErr(1, "header %q: want columns from,to[,weight]%s", strings.Join(header, ","), cr.Hint())
	}
	type rawLink struct {
		from, to string
		w        float64
		line     int
	}
	var raw []rawLink
	for {
		rec, err := cr.Read()
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
		l := rawLink{from: strings.TrimSpace(rec[fi]), to: strings.TrimSpace(rec[ti]), w: 1, line: line}
		if l.from == "" {
			return nil, parseErr(line, "column %s: empty region ID", header[fi])
		}
		if l.to == "" {
			if okW && strings.TrimSpace(rec[wi]) != "" {
				return nil, parseErr(line, "column %s: empty region ID with weight %q", header[ti], rec[wi])
			}
			raw = append(raw, rawLink{from: l.from, line: line})
			continue
		}
		if okW {
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[wi]), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, parseErr(line, "column weight: %q is not a finite number", rec[wi])
			}
			if err := checkWeight(v); err != nil {
				return nil, parseErr(line, "link %s→%s: %v", l.from, l.to, err)
			}
			l.w = v
		}
		raw = append(raw, l)
	}
	if len(raw) == 0 {
		return nil, parseErr(1, "a header and no links: the edge list names no region")
	}
	index := map[string]int{}
	var ids []string
	for _, l := range raw {
		if _, ok := index[l.from]; !ok {
			index[l.from] = len(ids)
			ids = append(ids, l.from)
		}
	}
	for _, l := range raw {
		if _, ok := index[l.to]; !ok && l.to != "" {
			index[l.to] = len(ids)
			ids = append(ids, l.to)
		}
	}
	links := make([]Link, 0, len(raw))
	have := make(map[[2]int]int, len(raw))
	for _, l := range raw {
		if l.to == "" {
			continue // a declared region
		}
		i, j := index[l.from], index[l.to]
		if i == j {
			return nil, parseErr(l.line, "self-link at region %q", l.from)
		}
		if prev, dup := have[[2]int{i, j}]; dup {
			return nil, parseErr(l.line, "duplicate link %s→%s (first on line %d)", l.from, l.to, prev)
		}
		have[[2]int{i, j}] = l.line
		links = append(links, Link{From: i, To: j, Weight: l.w})
	}
	return NewWeights(ids, links)
}

// TestReadGWTMatchesStringReader compares ReadGWTRegions with the
// string-per-field reader it replaced (readGWTRegionsOld below), with and
// without a region list, on tricky inputs: results and error messages
// must be identical.
func TestReadGWTMatchesStringReader(t *testing.T) {
	cases := []string{
		"3\n1 2 1\n2 3 0.5\n3 1 2\n",
		"0 4 shape id\n2 1 1\n1 2 1\n4 1 1\n",
		"0 3 a b\nc a 1\na b 1\nb c 1e-3\n",
		"\xef\xbb\xbf3\n  x\ty  1 \n\n y x 1\nz x 1\n",
		"3\n1 2 1\n2 1 x\n",
		"3\n1 2 1\n2 1 -0.5\n",
		"3\n1 2 1\n2 1 NaN\n",
		"3\n1 2\n",
		"3\n1 2 1\n2 2 1\n1 2 3\n",
		"3\n1 2 1\n1 3 1\n1 2 3\n3 3 1\n",
		"3\n3 1 1\n3 2 1\n3 1 1\n",
		"2\n1 5 1\n5 1 1\n",
		"5\n1 2 1\n2 1 1\n",
		"2\na b 1\nb c 1\nc a 1\n",
		"3\nα β 1\nβ γ 1\nγ α 1\n",
		"3\na\u00a0b 1\nb a 1\n",
		"",
		"x\n",
	}
	lists := [][]string{nil, {"1", "2", "3"}, {"c", "a", "b"}, {"x", "y", "z"}, {"1", "2", "3", "4", "5"}, {"a", "a", "b"}}
	for i, in := range cases {
		for j, ids := range lists {
			t.Run(fmt.Sprintf("%d/%d", i, j), func(t *testing.T) {
				want, errWant := readGWTRegionsOld(strings.NewReader(in), ids)
				got, errGot := ReadGWTRegions(strings.NewReader(in), ids)
				if fmt.Sprint(errGot) != fmt.Sprint(errWant) {
					t.Fatalf("%q with %q: error %v, want %v", in, ids, errGot, errWant)
				}
				if errWant == nil && !equalWeights(got, want) {
					t.Errorf("%q with %q: weights %+v, want %+v", in, ids, got, want)
				}
			})
		}
	}
}

// readGWTRegionsOld is ReadGWTRegions as it was before the byte-slice
// reader (commit 99e0f9f), the reference of TestReadGWTMatchesStringReader.
func readGWTRegionsOld(r io.Reader, ids []string) (*Weights, error) {
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
	type rawLink struct {
		from, to string
		w        float64
		line     int
	}
	var raw []rawLink
	for {
		f, ok := lr.next()
		if !ok {
			break
		}
		if len(f) != 3 {
			return nil, parseErr(lr.line, "link: want \"from to weight\", got %d fields", len(f))
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, parseErr(lr.line, "link %s→%s: weight %q is not a finite number", f[0], f[1], f[2])
		}
		if err := checkWeight(v); err != nil {
			return nil, parseErr(lr.line, "link %s→%s: %v", f[0], f[1], err)
		}
		raw = append(raw, rawLink{f[0], f[1], v, lr.line})
	}
	if err := lr.s.Err(); err != nil {
		return nil, err
	}
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
		for _, l := range raw {
			for _, id := range []string{l.from, l.to} {
				if _, ok := index[id]; !ok {
					return nil, parseErr(l.line, "region %q is not in the region list", id)
				}
			}
		}
	} else {
		from := make([]string, len(raw))
		to := make([]string, len(raw))
		for k, l := range raw {
			from[k], to[k] = l.from, l.to
		}
		ids = gwtOrder(from, to, n)
		if len(ids) != n {
			// Integer IDs that cannot be indices 1…n of the header: name
			// the first one out of range.
			if _, ints := allInts(ids); ints {
				for _, l := range raw {
					for _, id := range []string{l.from, l.to} {
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
	links := make([]Link, 0, len(raw))
	have := make(map[[2]int]int, len(raw))
	for _, l := range raw {
		i, j := index[l.from], index[l.to]
		if i == j {
			return nil, parseErr(l.line, "self-link at region %q", l.from)
		}
		if prev, dup := have[[2]int{i, j}]; dup {
			return nil, parseErr(l.line, "duplicate link %s→%s (first on line %d)", l.from, l.to, prev)
		}
		have[[2]int{i, j}] = l.line
		links = append(links, Link{From: i, To: j, Weight: l.w})
	}
	return NewWeights(ids, links)
}

// equalWeights reports whether a and b hold the same regions in the same
// order, the same links with bit-identical weights and the same style,
// and look IDs up alike (every ID, the empty ID and an absent one): the
// equality of reflect.DeepEqual, whatever table each uses for Index.
func equalWeights(a, b *Weights) bool {
	if a == nil || b == nil {
		return a == b
	}
	if !slices.Equal(a.ids, b.ids) || !slices.Equal(a.rowPtr, b.rowPtr) || !slices.Equal(a.colIdx, b.colIdx) ||
		a.style != b.style || len(a.vals) != len(b.vals) {
		return false
	}
	for k := range a.vals {
		if math.Float64bits(a.vals[k]) != math.Float64bits(b.vals[k]) {
			return false
		}
	}
	for _, id := range append(slices.Clone(a.ids), "", "\x00absent") {
		i, ok := a.Index(id)
		j, ok2 := b.Index(id)
		if i != j || ok != ok2 {
			return false
		}
	}
	return true
}
