package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs agglo in-process and returns its exit code and streams.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(&cliEnv{stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	code, _, stderr := runCLI(t, "no-such-command")
	if code != 2 || !strings.Contains(stderr, "no-such-command") {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
}

func TestHelpListsCommands(t *testing.T) {
	code, stdout, _ := runCLI(t, "help")
	if code != 0 || !strings.Contains(stdout, "Commands:") {
		t.Fatalf("code %d stdout %q", code, stdout)
	}
}

// sharedDir is the reference data beside the checkout (../shared/data from
// the project root).
const sharedDir = "../../../shared/data"

// needShared skips the test when the reference data are absent (a user's
// fresh clone).
func needShared(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skipf("reference data %s absent (../shared not beside the checkout): %v", sharedDir, err)
	}
}

// sharedData returns the path of a file in ../shared/data, skipping the
// test when the reference data are absent.
func sharedData(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(sharedDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("reference data %s absent (../shared not beside the checkout): %v", name, err)
	}
	return p
}
