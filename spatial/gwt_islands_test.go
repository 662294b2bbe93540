package spatial

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadGWTIslands checks issue 13 item 16: a GeoDa distance-band GWT
// whose header counts a region without links (here "e", 5 regions, links
// name 4) is refused with ErrGWTIslands and a message asking for the region
// list, and read with it (as spdep's read.gwt2nb(region.id =)): "e" is an
// island in its place; integer indices out of the header's range name the
// line and the index.
func TestReadGWTIslands(t *testing.T) {
	const gwt = "0 5 shape id\na b 1\nb a 1\nb c 1\nc b 1\nd c 1\nc d 1\n"
	_, err := ReadGWT(strings.NewReader(gwt))
	if !errors.Is(err, ErrGWTIslands) || !strings.Contains(err.Error(), "1 region(s) of the header have no links") || !strings.Contains(err.Error(), "--ids") {
		t.Fatalf("err = %v", err)
	}
	ids := []string{"a", "b", "c", "e", "d"}
	w, err := ReadGWTRegions(strings.NewReader(gwt), ids)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(w.IDs(), ","); got != "a,b,c,e,d" || w.NNZ() != 6 {
		t.Fatalf("ids %s, %d links", got, w.NNZ())
	}
	if isl := w.Islands(); len(isl) != 1 || w.IDs()[isl[0]] != "e" {
		t.Errorf("islands %v", isl)
	}
	for _, tc := range []struct {
		name, gwt string
		ids       []string
		want      string
	}{
		{"list too short", gwt, []string{"a", "b", "c", "d"}, "header says 5 regions, the region list has 4"},
		{"unknown region", gwt, []string{"a", "b", "c", "x", "y"}, `line 6: region "d" is not in the region list`},
		{"index out of range", "4\n1 2 1\n2 1 1\n2 7 1\n", nil, "line 4: region index 7 is outside 1…4"},
		{"index zero", "3\n0 1 1\n1 0 1\n", nil, "line 2: region index 0 is outside 1…3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadGWTRegions(strings.NewReader(tc.gwt), tc.ids)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	// Through the file reader with a region list file; other formats are
	// reordered by the list.
	dir := t.TempDir()
	gp := filepath.Join(dir, "band.gwt")
	ip := filepath.Join(dir, "ids.txt")
	os.WriteFile(gp, []byte(gwt), 0o644)
	os.WriteFile(ip, []byte("a\nb\n\nc\ne\nd\n"), 0o644)
	list, err := ReadIDsFile(ip, "")
	if err != nil {
		t.Fatal(err)
	}
	if w, err = ReadWeightsFileRegions(gp, "", list); err != nil || w.N() != 5 {
		t.Fatalf("%v, %v", w, err)
	}
	os.WriteFile(ip, []byte("a\nb\na\n"), 0o644)
	if _, err := ReadIDsFile(ip, ""); err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("repeated ID: %v", err)
	}
}
