package sharedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB whose Fatal and Skip record the message and end
// the goroutine, as the real ones do.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(args ...any) {
	r.fatal = fmt.Sprint(args...)
	runtime.Goexit()
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Skipf(format string, args ...any) {
	r.skip = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// call runs f with a recorder on its own goroutine and returns the recorder.
func call(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSkipOnlyWhenSharedAbsent builds module/ with and without shared/
// beside it: absent → skip (counted); present with the file → its path;
// present without the file → failure naming the file.
func TestSkipOnlyWhenSharedAbsent(t *testing.T) {
	tmp := t.TempDir()
	mod := filepath.Join(tmp, "module")
	write(t, filepath.Join(mod, "go.mod"), "module x\n")
	pkg := filepath.Join(mod, "pkg", "sub")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}

	before := Skipped()
	absent := find(pkg)
	if absent.present || absent.err != nil {
		t.Fatalf("without ../shared: %+v", absent)
	}
	r := call(t, func(tb testing.TB) { absent.path(tb, "data", "a.csv"); tb.Fatal("not stopped") })
	if r.fatal != "" || !strings.Contains(r.skip, "absent") {
		t.Errorf("without ../shared: fatal %q, skip %q; want a skip", r.fatal, r.skip)
	}
	if Skipped() != before+1 {
		t.Errorf("skips counted %d, want %d", Skipped(), before+1)
	}

	write(t, filepath.Join(tmp, "shared", "data", "a.csv"), "x\n1\n")
	present := find(pkg)
	if !present.present || present.err != nil {
		t.Fatalf("with ../shared: %+v", present)
	}
	var got string
	r = call(t, func(tb testing.TB) { got = present.path(tb, "data", "a.csv") })
	if r.fatal != "" || r.skip != "" || got != filepath.Join(tmp, "module", "..", "shared", "data", "a.csv") {
		t.Errorf("present file: path %q, fatal %q, skip %q", got, r.fatal, r.skip)
	}
	r = call(t, func(tb testing.TB) { present.path(tb, "oracle", "gone.json"); tb.Fatal("not stopped") })
	if r.skip != "" || !strings.Contains(r.fatal, filepath.Join("oracle", "gone.json")) {
		t.Errorf("missing file with ../shared present: skip %q, fatal %q; want a failure naming oracle/gone.json", r.skip, r.fatal)
	}
	if Skipped() != before+1 {
		t.Errorf("a failure was counted as a skip: %d", Skipped())
	}

	// ../shared that is a file, not a folder, is an error too.
	tmp2 := t.TempDir()
	write(t, filepath.Join(tmp2, "m", "go.mod"), "module x\n")
	write(t, filepath.Join(tmp2, "shared"), "")
	if p := find(filepath.Join(tmp2, "m")); p.err == nil {
		t.Errorf("../shared as a file: %+v, want an error", p)
	}
}
