package index

import (
	"bufio"
	"encoding/csv"
	"io"
	"math"
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
	field := func(buf []byte, s string) []byte {
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
	var buf []byte
	for _, row := range r.Rows {
		buf = buf[:0]
		for _, k := range row.Keys {
			buf = append(field(buf, k), ',')
		}
		buf = append(field(buf, row.Time), ',')
		buf = appendFloat(buf, row.Value)
		for _, p := range row.Parts {
			buf = appendFloat(append(buf, ','), p)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
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
