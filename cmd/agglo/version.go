package main

import (
	"fmt"
	"github.com/spf13/cobra"
	"runtime"
	"runtime/debug"
)

// buildInfo is what the Go toolchain recorded about this binary: the
// module version ("(devel)" or a pseudo-version when built from a
// checkout), the VCS commit and whether the tree had local changes, and
// the Go version. Batch manifests record it.
type buildInfo struct {
	Version  string `json:"version"`
	Commit   string `json:"commit,omitempty"`
	Time     string `json:"commit_time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
}

// readBuildInfo returns the build information of the running binary
// (runtime/debug.ReadBuildInfo); Version is "unknown" when the binary has
// none.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: "unknown", Go: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}

// String is the one-line form: "v0.3.0 (commit 0123456789ab, modified; go1.26.0)".
func (b buildInfo) String() string {
	s := b.Version + " ("
	if b.Commit != "" {
		c := b.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		s += "commit " + c
		if b.Modified {
			s += ", modified"
		}
		s += "; "
	}
	return s + b.Go + ")"
}

// version returns the one-line build information (see buildInfo.String).
func version() string { return readBuildInfo().String() }

// newVersionCmd is agglo version.
func newVersionCmd(env *cliEnv) *cobra.Command {
	cmd := newCommand("version", "print agglo's version, commit and Go version", "Usage: agglo version\n\nPrints agglo's version, commit and Go version (also: agglo --version).")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("version: unexpected argument %q", args[0])
		}
		return printVersion(env)
	}
	return cmd
}

// printVersion writes the build information of agglo to env.stdout.
func printVersion(env *cliEnv) error {
	b := readBuildInfo()
	fmt.Fprintf(env.stdout, "agglo %s\n", b.Version)
	if b.Commit != "" {
		mod := ""
		if b.Modified {
			mod = " (with local changes)"
		}
		fmt.Fprintf(env.stdout, "commit %s%s %s\n", b.Commit, mod, b.Time)
	}
	fmt.Fprintf(env.stdout, "built with %s\n", b.Go)
	return nil
}
