package main

import (
	"errors"
	"flag"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/agglo/agglo/internal/csvin"
	"github.com/agglo/agglo/table"
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

// inputFlags are the options of a --data file: --delimiter and --sheet.
type inputFlags struct{ delim, sheet string }

// addInputFlags registers --delimiter and --sheet on fs.
func addInputFlags(fs *flag.FlagSet) *inputFlags {
	in := &inputFlags{}
	fs.StringVar(&in.delim, "delimiter", "", "field separator of a CSV --data file: one character, or tab (default: detected from the header, ',' ';' or tab)")
	fs.StringVar(&in.sheet, "sheet", "", "worksheet of an .xlsx --data file (default: the first)")
	return in
}

// options returns the table options of the flags (a usage error for a bad
// --delimiter).
func (in *inputFlags) options() (table.Options, error) {
	r, err := csvin.ParseDelimiter(in.delim)
	if err != nil {
		return table.Options{}, usagef("--%v", err)
	}
	return table.Options{Comma: r, Sheet: in.sheet}, nil
}
