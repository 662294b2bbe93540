//go:build linux

package sharedtest

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// childEnv marks the go test run that TestSkipCountShownWithoutV starts.
const childEnv = "AGGLO_SHAREDTEST_ANNOUNCE_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		Main(m, "agglo/sharedtest-child")
		return
	}
	os.Exit(m.Run())
}

// TestChildSkips counts one skip in the child run (and does nothing in the
// ordinary run).
func TestChildSkips(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("only in the child run of TestSkipCountShownWithoutV")
	}
	skipped.Add(1)
}

// TestSkipCountShownWithoutV runs this package in package list mode, as
// `go test ./...` does, and checks that the skip summary reaches the go
// command's output although the package passes and -v is off (issue 14,
// item 17).
func TestSkipCountShownWithoutV(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		t.Skip("child run")
	}
	if testing.Short() {
		t.Skip("runs go test in a subprocess")
	}
	gobin := runtime.GOROOT() + "/bin/go"
	if _, err := os.Stat(gobin); err != nil {
		t.Skipf("go command not found at %s", gobin)
	}
	cmd := exec.Command(gobin, "test", "-count=1", "-run", "TestChildSkips", "github.com/agglo/agglo/internal/sharedtest")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.Output() // standard output is a pipe, as in a CI log
	if err != nil {
		t.Fatalf("go test: %v\n%s", err, out)
	}
	want := "agglo/sharedtest-child: 1 test skipped: ../shared absent"
	if !strings.Contains(string(out), want) {
		t.Fatalf("package list mode output lacks %q:\n%s", want, out)
	}
	if n := strings.Count(string(out), want); n != 1 {
		t.Fatalf("summary printed %d times:\n%s", n, out)
	}
}
