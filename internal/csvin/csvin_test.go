package csvin

import (
	"bytes"
	"strings"
	"testing"
)

func TestReaderBOMAndHint(t *testing.T) {
	r := NewReader(strings.NewReader("\ufeff\"id\",\"v\"\na,1\n"), 0)
	h, err := r.Read()
	if err != nil || h[0] != "id" || h[1] != "v" {
		t.Fatalf("BOM not stripped: %q %v", h, err)
	}
	for _, tc := range []struct {
		first string
		comma rune
		want  string
	}{
		{"id;v;w", ',', "semicolon-separated: use --delimiter ';'"},
		{"id\tv", ',', "tab-separated: use --delimiter tab"},
		{"id,v;w", ',', ""}, // has the separator: no hint
		{"id;v", ';', ""},
	} {
		got := Hint(tc.first, tc.comma)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("Hint(%q, %q) = %q, want %q", tc.first, tc.comma, got, tc.want)
		}
	}
	r = NewReader(strings.NewReader("a;b\n1;2\n"), 0)
	r.Read()
	if !strings.Contains(r.Hint(), "--delimiter ';'") {
		t.Errorf("reader hint %q", r.Hint())
	}
	for in, want := range map[string]rune{"": 0, "auto": 0, ";": ';', "tab": '\t', `\t`: '\t', "|": '|'} {
		if got, err := ParseDelimiter(in); err != nil || got != want {
			t.Errorf("ParseDelimiter(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseDelimiter("ab"); err == nil {
		t.Error("two characters accepted")
	}
}

// TestTrimSpace checks the fast path of trimSpace against bytes.TrimSpace
// on every one- and two-byte cell and on cells with Unicode spaces
// (U+00A0, U+0085, U+3000) and ASCII ones at either end.
func TestTrimSpace(t *testing.T) {
	var cells [][]byte
	for a := range 256 {
		cells = append(cells, []byte{byte(a)})
		for b := range 256 {
			cells = append(cells, []byte{byte(a), 'x', byte(b)})
		}
	}
	for _, s := range []string{"", " a", "a ", "\ta\n", "\u00a0a", "a\u00a0", "\u0085a\u0085", "\u3000x\u3000", "x", "1.5", "-2e-3", "r0c0"} {
		cells = append(cells, []byte(s))
	}
	for _, c := range cells {
		if got, want := trimSpace(c), bytes.TrimSpace(c); !bytes.Equal(got, want) {
			t.Errorf("trimSpace(%q) = %q, want %q", c, got, want)
		}
	}
}
