package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// The command tree of agglo is built afresh by newRootCmd for every run:
// no state outlives a run, and tests run commands in-process through run.
// Each command's constructor (newFitCmd, newWeightsBuildCmd, ...)
// registers its flags on cmd.Flags() and sets RunE; a RunE returns a
// usageError (usagef) for a bad command line and any other error for a
// failure of the work.

// usageError marks an error in the command line itself (exit code 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usagef returns a usageError with the formatted message.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// runError wraps the error a command's RunE returned, so that exitCode can
// tell it from cobra's own errors (which are all about the command line).
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// errNoCommand is returned by agglo without a command, after printing the
// help: exit code 2, no message.
var errNoCommand = errors.New("no command")

// newCommand returns a command named name with the one-line summary short
// and the help text usage, which is printed above the flags (a trailing
// "Flags:" line of usage is dropped: the help adds its own).
func newCommand(name, short, usage string) *cobra.Command {
	long := strings.TrimRight(usage, "\n")
	long = strings.TrimRight(strings.TrimSuffix(long, "Flags:"), "\n")
	return &cobra.Command{Use: name, Short: short, Long: long}
}

// newRootCmd builds the command tree of agglo, writing to env's streams.
func newRootCmd(env *cliEnv) *cobra.Command {
	var showVersion bool
	root := &cobra.Command{
		Use:   "agglo",
		Short: "econometrics of spatial agglomeration",
		Long: `agglo: econometrics of spatial agglomeration

Usage: agglo <command> [--flags]   (agglo <command> --help for its flags)`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Suggest commands within two edits ("fitt": fit).
		SuggestionsMinimumDistance: 2,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return unknownCommand(c, args[0])
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error {
			if showVersion {
				return printVersion(env)
			}
			writeHelp(env.stdout, c)
			return errNoCommand
		},
		PersistentPreRunE: func(c *cobra.Command, _ []string) error {
			if err := checkAliases(env, c); err != nil {
				return err
			}
			return checkInputFiles(c)
		},
	}
	root.Flags().BoolVar(&showVersion, "version", false, "print agglo's version, commit and Go version (as agglo version)")
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usagef("%s%s", commandPrefix(c), flagErrorText(err))
	})
	root.SetHelpFunc(func(c *cobra.Command, _ []string) { writeHelp(c.OutOrStdout(), c) })
	root.AddCommand(
		// In the order of a study; each is defined in its own file.
		newDemoCmd(env), newIndexCmd(env), newWeightsCmd(env), newMoranCmd(env), newDescribeCmd(env),
		newFitCmd(env), newBatchCmd(env), newPlotCmd(env), newBenchCmd(env), newVersionCmd(env))
	root.SetHelpCommand(&cobra.Command{
		Use:   "help [command]",
		Short: "help about a command",
		ValidArgsFunction: func(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			target, _, err := c.Root().Find(args)
			if err != nil || target == nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, s := range target.Commands() {
				if s.IsAvailableCommand() {
					names = append(names, cobra.CompletionWithDesc(s.Name(), s.Short))
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			target, rest, err := c.Root().Find(args)
			if err == nil && target != nil && len(rest) == 1 && slices.Contains(target.ValidArgs, rest[0]) {
				rest = nil // agglo help index lq: the help of index, which takes lq
			}
			if err != nil || target == nil || len(rest) > 0 {
				return unknownCommand(target, strings.Join(args, " "))
			}
			writeHelp(env.stdout, target)
			return nil
		},
	})
	fixCompletionCmd(root)
	wrapRunErrors(root)
	return root
}

// fixCompletionCmd adds cobra's completion command to root now (not at
// Execute), with a summary in agglo's style and a usage error (exit 2) for
// a missing or unknown shell, where cobra prints the help and exits 0.
func fixCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	comp, _, err := root.Find([]string{"completion"})
	if err != nil || comp == root {
		return
	}
	shells := "bash, zsh, fish or powershell"
	comp.Short = "print a shell-completion script: " + shells
	comp.Args = cobra.ArbitraryArgs
	comp.RunE = func(_ *cobra.Command, args []string) error {
		if len(args) == 0 {
			return usagef("completion: want a shell: %s (e.g. source <(agglo completion bash))", shells)
		}
		return usagef("completion: unknown shell %q (want %s)", args[0], shells)
	}
}

// unknownCommand is the usage error of an unknown command name under c,
// with cobra's suggestions.
func unknownCommand(c *cobra.Command, name string) error {
	hint := ""
	if c != nil {
		if s := c.SuggestionsFor(name); len(s) > 0 {
			hint = fmt.Sprintf(" (did you mean %s?)", strings.Join(s, ", "))
		}
	}
	return usagef("unknown command %q%s; run 'agglo help'", name, hint)
}

// flagErrorText is the message of pflag's error err in agglo's words: a
// value that does not parse is `--digits "x": want an integer`, not Go's
// strconv message; other errors (unknown flag, missing value) are pflag's.
func flagErrorText(err error) string {
	var ive *pflag.InvalidValueError
	if !errors.As(err, &ive) || ive.GetFlag() == nil {
		return err.Error()
	}
	name, value := ive.GetFlag().Name, ive.GetValue()
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		want := "a number"
		switch t := ive.GetFlag().Value.Type(); {
		case t == "bool":
			want = "true or false"
		case strings.HasPrefix(t, "uint"):
			want = "a whole number, 0 or more"
		case strings.HasPrefix(t, "int"):
			want = "a whole number"
		}
		if errors.Is(ne.Err, strconv.ErrRange) {
			want += " in range"
		}
		return fmt.Sprintf("--%s %q: want %s", name, value, want)
	}
	cause := errors.Unwrap(err).Error()
	if q := strconv.Quote(value); strings.HasPrefix(cause, q) {
		return "--" + name + " " + cause // the Value's own message starts with the value
	}
	return fmt.Sprintf("--%s %q: %s", name, value, cause)
}

// unexpectedArgs is the usage error of positional arguments that the
// command c (named by prefix, e.g. "fit") does not take. When a flag with
// an optional value (--lee-yu, a bool) was given, the argument is most
// likely its value written with a space: the message says to use =.
func unexpectedArgs(c *cobra.Command, prefix string, args []string) error {
	what := fmt.Sprintf("unexpected argument %q", args[0])
	if len(args) > 1 {
		what = fmt.Sprintf("unexpected arguments %q", args)
	}
	var hint []string
	c.Flags().Visit(func(f *pflag.Flag) {
		if _, err := strconv.ParseBool(args[0]); f.NoOptDefVal != "" && !f.Hidden && (f.Value.Type() != "bool" || err == nil) {
			hint = append(hint, fmt.Sprintf("--%s=%s", f.Name, args[0]))
		}
	})
	if len(hint) > 0 {
		return usagef("%s: %s (an optional flag value follows '=': did you mean %s?)", prefix, what, strings.Join(hint, " or "))
	}
	return usagef("%s: %s", prefix, what)
}

// inputFileFlags are the flags that name one input file (results: a
// comma-separated list of them) in every command that has them.
var inputFileFlags = []string{"data", "weights", "geometry", "points", "result", "results", "labels", "ids", "keep", "plants", "cpuprofile"}

// checkInputFiles refuses a folder given to a flag of inputFileFlags, which
// would otherwise fail later with a message about its format or a read
// error of the operating system.
func checkInputFiles(c *cobra.Command) error {
	for _, name := range inputFileFlags {
		f := c.Flags().Lookup(name)
		if f == nil || !f.Changed || f.Value.Type() != "string" {
			continue
		}
		for _, p := range strings.Split(f.Value.String(), ",") {
			if st, err := os.Stat(strings.TrimSpace(p)); err == nil && st.IsDir() {
				return usagef("%s--%s %s: is a folder; want a file", commandPrefix(c), name, p)
			}
		}
	}
	return nil
}

// libPrefix matches the package name that library errors start with.
var libPrefix = regexp.MustCompile(`^(spatial|plot|regress|index|table|formula): `)

// libMessage is err's message without the library's package name at its
// start ("plot: unknown palette" is "unknown palette" after --palette).
func libMessage(err error) string {
	s := err.Error()
	for libPrefix.MatchString(s) {
		s = libPrefix.ReplaceAllString(s, "")
	}
	return s
}

// notNegative is the usage error of a count flag (--impacts-draws,
// --permutations, ...) of the command named prefix given a negative value v,
// or nil.
func notNegative(prefix, name string, v int) error {
	if v < 0 {
		return usagef("%s: --%s %d: want 0 or more", prefix, name, v)
	}
	return nil
}

// commandPrefix is "fit: " for agglo fit, "weights build: " for agglo
// weights build and "" for agglo itself.
func commandPrefix(c *cobra.Command) string {
	p := strings.TrimPrefix(c.CommandPath(), c.Root().Name())
	if p = strings.TrimSpace(p); p == "" {
		return ""
	}
	return p + ": "
}

// wrapRunErrors marks the errors of every RunE in the tree as runErrors.
func wrapRunErrors(c *cobra.Command) {
	if f := c.RunE; f != nil {
		c.RunE = func(c *cobra.Command, args []string) error {
			if err := f(c, args); err != nil {
				return &runError{err}
			}
			return nil
		}
	}
	for _, s := range c.Commands() {
		wrapRunErrors(s)
	}
}

// execute runs args (without the program name) through a fresh command
// tree and returns the error of the command, if any (see exitCode).
func execute(env *cliEnv, args []string) error {
	root := newRootCmd(env)
	root.SetArgs(translateOldGeometryID(env, root, normaliseSingleDash(env, root, args)))
	_, err := root.ExecuteC()
	return err
}

// writeHelp writes the help of c: its text, its sub-commands and its
// flags, GNU-style (--name).
func writeHelp(w io.Writer, c *cobra.Command) {
	text := c.Long
	if text == "" {
		text = "Usage: " + c.CommandPath() + " [--flags]\n\n" + c.Short
	}
	for _, line := range strings.Split(text, "\n") {
		fmt.Fprintln(w, wrapHelpLine(line, helpWidth))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintln(w, "\nCommands:")
		for _, s := range c.Commands() {
			if s.IsAvailableCommand() {
				fmt.Fprintf(w, "  %-10s %s\n", s.Name(), s.Short)
			}
		}
	}
	if fl := c.LocalFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", fl.FlagUsagesWrapped(helpWidth))
	}
	if c.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\nRun '%s <command> --help' for the flags of a command.\n", c.CommandPath())
	}
}

// helpWidth is the width help text is wrapped to; lines of the help texts
// up to helpLongLine runes are left as written.
const (
	helpWidth    = 100
	helpLongLine = 110
)

// wrapHelpLine breaks a line of help text longer than helpLongLine at
// spaces to width, keeping bracketed groups ([--classes K]) whole where
// they fit. A usage line ("Usage: agglo plot map --geometry FILE ...", or
// "  agglo weights convert IN OUT ...") continues under its first flag or
// argument; any other line under its own start, four spaces in. Shorter
// lines are left as written (some are aligned by hand).
func wrapHelpLine(line string, width int) string {
	if utf8.RuneCountInString(line) <= helpLongLine {
		return line
	}
	body := strings.TrimLeft(line, " ")
	lead := len(line) - len(body)
	indent := lead + 4
	if rest, ok := strings.CutPrefix(body, "Usage: "); ok || strings.HasPrefix(body, "agglo ") {
		if !ok {
			rest = body
		}
		words := strings.Fields(rest)
		n := 0 // the command path: the lower-case words before the first flag or argument
		for n < len(words) && words[n][0] >= 'a' && words[n][0] <= 'z' {
			n++
		}
		indent = len(line) - len(rest) + len(strings.Join(words[:n], " ")) + 1
	}
	// Units: words, with a bracketed group joined into one.
	var units []string
	depth := 0
	for _, word := range strings.Fields(body) {
		if depth > 0 {
			units[len(units)-1] += " " + word
		} else {
			units = append(units, word)
		}
		depth += strings.Count(word, "[") + strings.Count(word, "(") - strings.Count(word, "]") - strings.Count(word, ")")
		depth = max(depth, 0)
	}
	var b strings.Builder
	b.WriteString(line[:lead])
	col := lead
	for i, u := range units {
		for j, word := range strings.Fields(u) {
			wl := utf8.RuneCountInString(word)
			room := width - col - 1
			if j == 0 && utf8.RuneCountInString(u) <= width-indent {
				wl = utf8.RuneCountInString(u) // the group moves whole
			}
			if i+j > 0 {
				if wl > room && col > indent {
					b.WriteString("\n" + strings.Repeat(" ", indent))
					col = indent
				} else {
					b.WriteByte(' ')
					col++
				}
			}
			b.WriteString(word)
			col += utf8.RuneCountInString(word)
		}
	}
	return b.String()
}

// completeValues makes shell completion offer values for the flag name of
// cmd (a flag of fixed choices: no file names).
func completeValues(cmd *cobra.Command, name string, values ...string) {
	if err := cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err) // a flag that does not exist: a programming error, found by every test
	}
}

// aliasAnnotation marks a flag registered by aliasFlag: its values are the
// flag's current name, "deprecated" or "", and the message of a conflict.
const aliasAnnotation = "agglo-alias-of"

// aliasFlag registers old as a hidden alias of the flag name of fs: both
// set the same value. A deprecated alias prints a one-line note on stderr
// when used (checkAliases); old and name together are a usage error, with
// the message conflict if not "".
func aliasFlag(fs *pflag.FlagSet, old, name string, deprecated bool, conflict string) {
	f := fs.Lookup(name)
	if f == nil {
		panic("aliasFlag: no flag --" + name) // a programming error, found by every test
	}
	mark := ""
	if deprecated {
		mark = "deprecated"
	}
	fs.AddFlag(&pflag.Flag{
		Name:        old,
		Usage:       "old name of --" + name,
		Value:       f.Value,
		DefValue:    f.DefValue,
		NoOptDefVal: f.NoOptDefVal,
		Hidden:      true,
		Annotations: map[string][]string{aliasAnnotation: {name, mark, conflict}},
	})
}

// checkAliases prints a note for each deprecated alias used on the command
// line of c, and refuses an alias given together with its flag.
func checkAliases(env *cliEnv, c *cobra.Command) error {
	var err error
	c.Flags().Visit(func(f *pflag.Flag) {
		a := f.Annotations[aliasAnnotation]
		if len(a) != 3 || err != nil {
			return
		}
		if c.Flags().Changed(a[0]) {
			if a[2] != "" {
				err = usagef("%s%s", commandPrefix(c), a[2])
			} else {
				what := "another"
				if a[1] == "deprecated" {
					what = "the old"
				}
				err = usagef("%s--%s is %s name of --%s: give one of them", commandPrefix(c), f.Name, what, a[0])
			}
			return
		}
		if a[1] == "deprecated" {
			fmt.Fprintf(env.stderr, "agglo: %s--%s is deprecated, use --%s (the old name goes in a later release)\n", commandPrefix(c), f.Name, a[0])
		}
	})
	return err
}

// normaliseSingleDash rewrites the single-dash long flags of the standard
// library's flag package that agglo accepted before it moved to pflag
// (-data FILE, -n=5) into --data FILE, --n=5, for the flag names that the
// command in args has, and prints one deprecation note naming them.
// Anything else (negative numbers, "-" for standard input, values of
// flags, everything after "--") is left alone.
func normaliseSingleDash(env *cliEnv, root *cobra.Command, args []string) []string {
	target, _, err := root.Find(args)
	if err != nil || target == nil {
		target = root
	}
	lookup := func(name string) (*pflag.Flag, bool) {
		if f := target.Flags().Lookup(name); f != nil {
			return f, true
		}
		return nil, name == "help"
	}
	out := make([]string, 0, len(args))
	var rewritten []string
	value := false // the argument is the value of the flag before it
	for i, a := range args {
		if a == "--" {
			out = append(out, args[i:]...)
			break
		}
		if value {
			value = false
			out = append(out, a)
			continue
		}
		if len(a) > 1 && a[0] == '-' {
			dashes := 2
			if a[1] != '-' {
				dashes = 1
			}
			name, _, hasValue := strings.Cut(a[dashes:], "=")
			// A one-letter name after one dash is a long flag of the old
			// syntax (-x lon) unless it is a shorthand (-h).
			f, ok := lookup(name)
			if ok && dashes == 1 && len(name) == 1 && target.Flags().ShorthandLookup(name) != nil {
				ok = false
			}
			if ok {
				if dashes == 1 {
					rewritten = append(rewritten, "--"+name)
					a = "-" + a
				}
				value = f != nil && !hasValue && f.NoOptDefVal == ""
			}
		}
		out = append(out, a)
	}
	if len(rewritten) > 0 {
		fmt.Fprintf(env.stderr, "agglo: single-dash long flags are deprecated, write %s (accepted until a later release)\n", strings.Join(rewritten, " "))
	}
	return out
}

// translateOldGeometryID keeps the command lines of plot map and plot lisa
// from before the flag renames working for one release: there --key named
// the data's region column and --id the geometry's property, now --id and
// --geo-id. When args give both --key and --id and no --geo-id, they are
// read the old way (--key → --id, --id → --geo-id) with one deprecation
// note. Other command lines are returned unchanged (--key alone is an
// alias of --id; --key with --geo-id is the new meaning).
func translateOldGeometryID(env *cliEnv, root *cobra.Command, args []string) []string {
	target, _, err := root.Find(args)
	if err != nil || target == nil || target.Parent() == nil || target.Parent().Name() != "plot" ||
		(target.Name() != "map" && target.Name() != "lisa") {
		return args
	}
	// flagAt[i] is the flag name of args[i] when it is a flag.
	flagAt := make(map[int]string)
	value := false
	for i, a := range args {
		if a == "--" {
			break
		}
		if value {
			value = false
			continue
		}
		if !strings.HasPrefix(a, "--") || len(a) == 2 {
			continue
		}
		name, _, hasValue := strings.Cut(a[2:], "=")
		f := target.Flags().Lookup(name)
		if f == nil {
			continue
		}
		flagAt[i] = name
		value = !hasValue && f.NoOptDefVal == ""
	}
	has := map[string]bool{}
	for _, name := range flagAt {
		has[name] = true
	}
	if !has["key"] || !has["id"] || has["geo-id"] {
		return args
	}
	out := slices.Clone(args)
	for i, name := range flagAt {
		rename := map[string]string{"key": "id", "id": "geo-id"}[name]
		if rename != "" {
			out[i] = "--" + rename + strings.TrimPrefix(args[i], "--"+name)
		}
	}
	fmt.Fprintf(env.stderr, "agglo: plot %s: read the old way: --key as --id (the data's region column) and --id as --geo-id (the geometry's property); write --id and --geo-id (the old names go in a later release)\n", target.Name())
	return out
}
