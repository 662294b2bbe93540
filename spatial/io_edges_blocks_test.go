package spatial

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/agglo/agglo/internal/csvin"
)

// randomEdgeList writes an edge list of up to n regions with, now and
// then, islands, blanks around cells, CRLF, quoted IDs, and faults: an
// empty origin, a weight on an island, a weight that is not a number or
// is negative, a self-link, a repeated link, a row with another number of
// fields.
func randomEdgeList(rng *rand.Rand, n, rows int, faults bool) string {
	var b strings.Builder
	nl := "\n"
	if rng.IntN(3) == 0 {
		nl = "\r\n"
	}
	b.WriteString("from,to,weight" + nl)
	for k := range rows {
		from := k * n / rows
		to := rng.IntN(n)
		if to == from {
			to = (to + 1) % n
		}
		f := []string{"r" + strconv.Itoa(from), "r" + strconv.Itoa(to), strconv.FormatFloat(rng.Float64(), 'g', -1, 64)}
		switch x := rng.IntN(200); {
		case x < 3:
			f[1], f[2] = "", ""
		case x < 5:
			f[0] = " " + f[0] + " "
		case x == 5:
			f[1] = `"` + f[1] + `"`
		case faults && x == 6:
			f[0] = " "
		case faults && x == 7:
			f[1] = ""
		case faults && x == 8:
			f[2] = []string{"x", " NaN ", "-1", "1e400", ""}[rng.IntN(5)]
		case faults && x == 9:
			f[1] = f[0]
		case faults && x == 10:
			f = f[:2]
		}
		b.WriteString(strings.Join(f, ",") + nl)
		if faults && rng.IntN(300) == 0 {
			b.WriteString(strings.Join(f, ",") + nl) // a repeated link
		}
	}
	return b.String()
}

// TestReadEdgeListBlocks compares the edge list read as columns in
// parallel blocks (tiny blocks, one to three workers; a stream, which
// cannot be read again for the exact message) with the record-by-record
// reader on random edge lists, faulty or not: the same weights, or the
// same error on the same line (the message may quote a weight without
// its blanks, or a number as Go writes it).
func TestReadEdgeListBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	for trial := range 200 {
		n := 2 + rng.IntN(60)
		in := randomEdgeList(rng, n, 1+rng.IntN(4*n), trial%2 == 1)
		cr := csvin.NewReader(strings.NewReader(in), 0)
		header, _ := cr.Read()
		e := edgeColumns{header: header, from: 0, to: 1, weight: 2, hasWeight: true}
		want, wantErr := e.readRecords(cr)
		whole, wholeErr := ReadEdgeList(strings.NewReader(in))
		if !reflect.DeepEqual(wantErr, wholeErr) || wantErr == nil && !equalWeights(want, whole) {
			t.Fatalf("trial %d: ReadEdgeList %v, record by record %v\n%q", trial, wholeErr, wantErr, in)
		}
		for _, bs := range []int{1, 16, 300} {
			cr := csvin.NewReader(iotest.HalfReader(strings.NewReader(in)), 0)
			cr.BlockSize, cr.Workers = bs, 1+trial%3
			cr.Read()
			got, err := e.read(cr)
			if (err == nil) != (wantErr == nil) {
				t.Fatalf("trial %d block size %d: error %v, record by record %v\n%q", trial, bs, err, wantErr, in)
			}
			if err != nil {
				pe, ok1 := err.(*ParseError)
				we, ok2 := wantErr.(*ParseError)
				if ok1 != ok2 || ok1 && (pe.Line != we.Line || !sameStart(pe.Msg, we.Msg)) || !ok1 && err.Error() != wantErr.Error() {
					t.Fatalf("trial %d block size %d: error %v, record by record %v\n%q", trial, bs, err, wantErr, in)
				}
				continue
			}
			if !equalWeights(got, want) {
				t.Fatalf("trial %d block size %d: weights differ\n%q", trial, bs, in)
			}
		}
	}
}

// sameStart reports whether two messages agree up to a quoted cell.
func sameStart(a, b string) bool {
	i, j := strings.IndexByte(a, '"'), strings.IndexByte(b, '"')
	if i < 0 || j < 0 {
		return a == b
	}
	return a[:i] == b[:j]
}

// TestReadEdgeListExactMessage checks that a seekable input gets the
// message of the record reader, the weight quoted as it stands.
func TestReadEdgeListExactMessage(t *testing.T) {
	for in, want := range map[string]string{
		"from,to,weight\na,b,1\nc,, 0.50 \n":   `line 3: column to: empty region ID with weight " 0.50 "`,
		"from,to,weight\na,b,1\nc,d, abc \n":   `line 3: column weight: " abc " is not a finite number`,
		"from,to,weight\na,b,1\n,d,1\nx,y\n":   `line 3: column from: empty region ID`,
		"from,to,weight\na,b,1\nc,d,1\nx,y\n":  `line 4: want 3 fields, got 2`,
		"from,to,weight\na,b,1\nc,d,-1\nx,y\n": `line 3: link c→d: negative weight -1 (`,
	} {
		_, err := ReadEdgeList(strings.NewReader(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %s", in, err, want)
		}
	}
}
