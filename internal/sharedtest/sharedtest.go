// Package sharedtest gives the tests of every agglo package one way to reach
// the reference data and oracle results in ../shared, the folder beside the
// checkout that holds the R outputs the numbers are checked against.
//
// It exists because Go test packages cannot import each other's _test.go
// helpers: before it, spatial, index, regress, plot and cmd/agglo each had
// their own copy, and each copy skipped the test when any file was missing,
// so deleting one oracle file turned its checks into silent skips.
//
// The rule is the same everywhere: a test skips only when ../shared itself is
// absent (a user's fresh clone); when ../shared is present, a missing or
// unreadable file fails the test, naming the file.
//
// A package that uses the helpers reports its skips in one line from
// TestMain:
//
//	func TestMain(m *testing.M) { sharedtest.Main(m, "agglo/spatial") }
//
// prints, after the tests, "agglo/spatial: 12 tests skipped: ../shared
// absent". The go command shows a passing package's output only in local
// directory mode (go test in the package folder) or with -v; in package list
// mode (go test ./...) the line is written to the go command's own terminal
// or pipe instead (Linux), so the count shows without -v.
package sharedtest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// skipped counts the tests that skipped because ../shared is absent.
var skipped atomic.Int64

// place is where ../shared was looked for and what was found.
type place struct {
	root    string // ../shared beside the module root
	present bool   // root exists and is a directory
	err     error  // the module root or ../shared could not be checked
}

var (
	hereOnce sync.Once
	here     place
)

// current returns the place of ../shared for the working directory, found
// once per test binary.
func current() place {
	hereOnce.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			here = place{err: fmt.Errorf("sharedtest: working directory: %w", err)}
			return
		}
		here = find(wd)
	})
	return here
}

// find walks up from dir to the module root (the nearest folder with a
// go.mod) and checks ../shared beside it.
func find(dir string) place {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return place{err: errors.New("sharedtest: no go.mod above the working directory")}
		}
		dir = parent
	}
	p := place{root: filepath.Join(dir, "..", "shared")}
	fi, err := os.Stat(p.root)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		p.err = fmt.Errorf("sharedtest: reference folder %s: %w", p.root, err)
	case !fi.IsDir():
		p.err = fmt.Errorf("sharedtest: reference folder %s is not a directory", p.root)
	default:
		p.present = true
	}
	return p
}

func (p place) dir(t testing.TB) string {
	t.Helper()
	if p.err != nil {
		t.Fatal(p.err)
	}
	if !p.present {
		skipped.Add(1)
		t.Skipf("reference folder %s absent (a fresh clone without ../shared)", p.root)
	}
	return p.root
}

func (p place) path(t testing.TB, elem ...string) string {
	t.Helper()
	name := filepath.Join(append([]string{p.dir(t)}, elem...)...)
	f, err := os.Open(name)
	if err != nil {
		t.Fatalf("reference file %s: %v (../shared is present, so a missing file is an error)", name, err)
	}
	f.Close()
	return name
}

// Present reports whether ../shared exists beside the module root. Tests that
// add optional cases when it does must still reach its files through Path,
// so that a missing file fails.
func Present() bool {
	p := current()
	return p.present && p.err == nil
}

// Dir returns the ../shared folder, skipping the test when it is absent and
// failing it when it cannot be checked.
func Dir(t testing.TB) string {
	t.Helper()
	return current().dir(t)
}

// Path returns the path of a file under ../shared (elem joined, e.g.
// "data", "columbus.gal"). It skips the test when ../shared is absent and
// fails it, naming the file, when the file is missing or cannot be opened.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return current().path(t, elem...)
}

// Data returns the path of ../shared/data/name; see Path.
func Data(t testing.TB, name string) string {
	t.Helper()
	return Path(t, "data", name)
}

// Oracle returns the path of ../shared/oracle/name; see Path.
func Oracle(t testing.TB, name string) string {
	t.Helper()
	return Path(t, "oracle", name)
}

// ReadFile returns the contents of a file under ../shared; see Path for
// when it skips and when it fails.
func ReadFile(t testing.TB, elem ...string) []byte {
	t.Helper()
	p := Path(t, elem...)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("reference file %s: %v", p, err)
	}
	return b
}

// ReadJSON decodes the JSON file under ../shared into v, failing the test,
// naming the file, when it does not decode; see Path for when it skips.
func ReadJSON(t testing.TB, v any, elem ...string) {
	t.Helper()
	b := ReadFile(t, elem...)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("reference file %s: %v", filepath.Join(elem...), err)
	}
}

// CSV returns the records of ../shared/data/name, a CSV file with a header
// (records may differ in length), failing the test, naming the file, when
// it does not parse; see Path for when it skips.
func CSV(t testing.TB, name string) [][]string {
	t.Helper()
	p := Data(t, name)
	r := csv.NewReader(bytes.NewReader(ReadFile(t, "data", name)))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reference file %s: %v", p, err)
	}
	if len(recs) < 2 {
		t.Fatalf("reference file %s: %d records, want a header and rows", p, len(recs))
	}
	return recs
}

// Float parses a number of a reference file, failing the test with where
// (file, row, column) when it is not one: a value that does not parse must
// not become a silent 0.
func Float(t testing.TB, s, where string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		t.Fatalf("%s: %q is not a number", where, s)
	}
	return v
}

// Skipped returns the number of tests (and benchmarks) of this test binary
// that skipped because ../shared is absent.
func Skipped() int { return int(skipped.Load()) }

// Main runs the tests of a package and then prints, when any skipped
// because ../shared is absent, one line "name: N tests skipped: ../shared
// absent". Call it from TestMain.
func Main(m *testing.M, name string) {
	code := m.Run()
	if n := Skipped(); n > 0 {
		noun := "tests"
		if n == 1 {
			noun = "test"
		}
		line := fmt.Sprintf("%s: %d %s skipped: ../shared absent\n", name, n, noun)
		fmt.Print(line)
		announce(line)
	}
	os.Exit(code)
}
