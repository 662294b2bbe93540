package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
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

// needShared skips the test when ../shared is absent (a user's fresh clone);
// see package sharedtest.
func needShared(t *testing.T) {
	t.Helper()
	sharedtest.Dir(t)
}

// sharedData returns the path of ../shared/data/name: it skips the test when
// ../shared is absent and fails it, naming the file, when ../shared is
// present but the file is not (sharedtest.Data).
func sharedData(t *testing.T, name string) string {
	t.Helper()
	return sharedtest.Data(t, name)
}
