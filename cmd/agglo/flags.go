package main

import (
	"os"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/agglo/agglo/internal/csvin"
	"github.com/agglo/agglo/table"
)

func stderrIsTerminal() bool {
	return term.IsTerminal(int(os.Stderr.Fd()))
}

// inputFlags are the options of a --data file: --delimiter and --sheet.
type inputFlags struct{ delim, sheet string }

// addInputFlags registers --delimiter and --sheet on fs.
func addInputFlags(fs *pflag.FlagSet) *inputFlags {
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
