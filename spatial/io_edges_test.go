package spatial

import (
	"fmt"
	"io"
	"math"
	"reflect"
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
			if !reflect.DeepEqual(got, want) {
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
		if err1 != nil || err2 != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("lattice: errors %v, %v; equal %v", err2, err1, reflect.DeepEqual(got, want))
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
