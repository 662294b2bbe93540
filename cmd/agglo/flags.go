package main

import (
	"errors"
	"flag"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/agglo/agglo/internal/csvin"
)

// errHelp is returned when the user asked for a command's help; it exits 0.
var errHelp = errors.New("help requested")

// newFlagSet returns a flag set for a subcommand that prints its usage to
// env.stderr and reports errors as usage errors.
func newFlagSet(env *cliEnv, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("agglo "+name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		io.WriteString(env.stderr, usage)
		if usage != "" && usage[len(usage)-1] != '\n' {
			io.WriteString(env.stderr, "\n")
		}
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs and maps the flag package's errors onto
// errHelp (for -h) and usageError.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usagef("%v", err)
	}
	return nil
}

func stderrIsTerminal() bool {
	return term.IsTerminal(int(os.Stderr.Fd()))
}

// delimiterFlag registers --delimiter on fs; its value is read with
// delimiter.
func delimiterFlag(fs *flag.FlagSet) *string {
	return fs.String("delimiter", ",", "field separator of the data CSV: one character, or tab")
}

// delimiter parses the value of --delimiter (a usage error when bad).
func delimiter(s string) (rune, error) {
	r, err := csvin.ParseDelimiter(s)
	if err != nil {
		return 0, usagef("--%v", err)
	}
	return r, nil
}
