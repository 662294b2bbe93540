// Package csvin opens agglo's CSV inputs in one way: a UTF-8 byte-order
// mark (Excel's "CSV UTF-8" writes one) is skipped, the separator is a
// choice (--delimiter), and a header that is one field holding semicolons
// or tabs gets a hint instead of a puzzling "no column" error.
package csvin

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
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

// Reader is a csv.Reader that remembers the first line of its input, for
// Hint.
type Reader struct {
	*csv.Reader
	first string
	comma rune
}

// Detect, given as the separator to NewReader, chooses it from the first
// line: see Sniff.
const Detect rune = -1

// NewReader returns a CSV reader of r without its byte-order mark, with
// separator comma (0 means ',', Detect chooses it with Sniff) and any
// number of fields per record (the callers check them and name the line).
func NewReader(r io.Reader, comma rune) *Reader {
	br := bufio.NewReaderSize(StripBOM(r), 64*1024)
	first, _ := br.Peek(64 * 1024)
	line, _, _ := strings.Cut(string(first), "\n")
	cr := csv.NewReader(br)
	switch comma {
	case 0:
		comma = ','
	case Detect:
		comma = Sniff(line)
	}
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	return &Reader{Reader: cr, first: line, comma: comma}
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
