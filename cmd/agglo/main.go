// Command agglo runs the econometrics of spatial agglomeration from the
// command line: weights, spatial autocorrelation, agglomeration indices,
// panel and spatial panel regressions, figures, and batch studies.
//
// Usage:
//
//	agglo <command> [--flags]
//	agglo help [command]
//	agglo completion bash|zsh|fish|powershell
//
// The command tree is built with github.com/spf13/cobra (cli.go), flags are
// GNU-style (github.com/spf13/pflag): --name value or --name=value.
//
// Exit codes: 0 on success (and for help), 1 on a runtime error (bad data,
// a model that fails), 2 on a usage error (unknown command or flag, bad
// flag value, wrong number of arguments). Errors are printed on stderr as
// one line "agglo: ..." that names the file, line, field or flag at fault.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/agglo/agglo/regress"
)

// cliEnv carries the streams a command writes to, so that tests can run
// commands in-process.
type cliEnv struct {
	stdout io.Writer
	stderr io.Writer
	// isTerminal reports whether stderr is an interactive terminal (for
	// progress bars).
	isTerminal bool
	// phase, if not nil, is told as each phase of a command ends (agglo
	// bench --whole times agglo fit by it).
	phase func(name string)
	// onPanel, if not nil, is shown the spatial panel of agglo fit before
	// the fit (tests: what the fit holds of it).
	onPanel func(*regress.SpatialPanel)
}

// mark reports the end of a phase to env.phase, if set.
func (env *cliEnv) mark(name string) {
	if env.phase != nil {
		env.phase(name)
	}
}

func main() {
	env := &cliEnv{stdout: os.Stdout, stderr: os.Stderr, isTerminal: stderrIsTerminal()}
	os.Exit(run(env, os.Args[1:]))
}

// run runs the command line args (without the program name) and returns
// the process exit code: 0, 1 for a runtime error, 2 for a usage error.
func run(env *cliEnv, args []string) int {
	return exitCode(env, execute(env, args))
}

// exitCode prints err, if any, as one line "agglo: ..." on stderr and
// returns the exit code: 2 for usage errors (errors in the command line,
// including cobra's own: unknown command, unknown flag, bad flag value),
// 1 for errors of a command's run.
func exitCode(env *cliEnv, err error) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, errNoCommand) {
		return 2
	}
	fmt.Fprintf(env.stderr, "agglo: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	var re *runError
	if errors.As(err, &re) {
		return 1
	}
	return 2 // from cobra, before any command ran: the command line
}
