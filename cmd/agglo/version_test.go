package main

import (
	"runtime"
	"strings"
	"testing"
)

// TestVersion checks that agglo version and --version print the build
// information, with the Go version the test binary was built with.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, stdout, stderr := runCLI(t, args...)
		if code != 0 || !strings.HasPrefix(stdout, "agglo ") || !strings.Contains(stdout, runtime.Version()) {
			t.Errorf("%v: code %d stdout %q stderr %q", args, code, stdout, stderr)
		}
	}
	if code, _, _ := runCLI(t, "version", "extra"); code != 2 {
		t.Errorf("version extra: code %d, want 2", code)
	}
	b := buildInfo{Version: "v0.3.0", Commit: "0123456789abcdef0123", Modified: true, Go: "go1.26.0"}
	if got := b.String(); got != "v0.3.0 (commit 0123456789ab, modified; go1.26.0)" {
		t.Errorf("String = %q", got)
	}
	if got := (buildInfo{Version: "(devel)", Go: "go1.26.0"}).String(); got != "(devel) (go1.26.0)" {
		t.Errorf("String = %q", got)
	}
}
