// Command agglo runs the econometrics of spatial agglomeration from the
// command line: weights, spatial autocorrelation, agglomeration indices,
// panel and spatial panel regressions, figures, and batch studies.
//
// Usage:
//
//	agglo <command> [flags]
//	agglo help [command]
//
// Exit codes: 0 on success, 1 on a runtime error (bad data, a model that
// fails), 2 on a usage error (unknown command or flag). Errors are printed
// on stderr as one line that names the file, line and field at fault.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// command is one subcommand of agglo.
type command struct {
	name    string
	summary string
	// run executes the command with its arguments (after the command
	// name). It returns a usageError for bad flags or arguments.
	run func(env *cliEnv, args []string) error
}

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
}

// mark reports the end of a phase to env.phase, if set.
func (env *cliEnv) mark(name string) {
	if env.phase != nil {
		env.phase(name)
	}
}

// usageError marks an error in the command line itself (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		// In the order of a study; each is defined in its own file.
		{"demo", "run the whole study on the embedded demo data into a report folder", runDemo},
		{"index", "agglomeration indices: LQ, Gini, EG, EGK, coagglomeration, virtual agglomeration", runIndex},
		{"weights", "build, convert and summarise spatial weights", runWeights},
		{"moran", "spatial autocorrelation: Moran's I, Geary's C, Getis-Ord G, local Moran (LISA)", runMoran},
		{"describe", "descriptive statistics of variables (Table 1): N, mean, SD, quartiles, between/within SD", runDescribe},
		{"fit", "panel and spatial panel regressions: ols, fe, re, between, sar, sem, sdm, sdem, slx, sac", runFit},
		{"batch", "run a study spec of many models into publication tables", runBatch},
		{"plot", "draw maps and charts: map, lisa, moran, series, coef, effects, heatmap", runPlot},
		{"bench", "time spatial panel models at large N per log-determinant method", runBench},
		{"version", "print agglo's version, commit and Go version", runVersion},
	}
}

func main() {
	env := &cliEnv{stdout: os.Stdout, stderr: os.Stderr, isTerminal: stderrIsTerminal()}
	os.Exit(run(env, os.Args[1:]))
}

// run dispatches args to a subcommand and returns the process exit code.
func run(env *cliEnv, args []string) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			for _, c := range cmds {
				if c.name == args[1] {
					return exitCode(env, c.run(env, []string{"-h"}))
				}
			}
			fmt.Fprintf(env.stderr, "agglo: unknown command %q\n", args[1])
			return 2
		}
		printHelp(env.stdout, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "--version" || args[0] == "-version" {
		return exitCode(env, runVersion(env, nil))
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return exitCode(env, c.run(env, args[1:]))
		}
	}
	fmt.Fprintf(env.stderr, "agglo: unknown command %q (run 'agglo help')\n", args[0])
	return 2
}

func exitCode(env *cliEnv, err error) int {
	if err == nil {
		return 0
	}
	var ue *usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(env.stderr, "agglo: %v\n", err)
		return 2
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	fmt.Fprintf(env.stderr, "agglo: %v\n", err)
	return 1
}

func printHelp(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "agglo: econometrics of spatial agglomeration")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: agglo <command> [flags]   (agglo <command> -h for its flags)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
}
