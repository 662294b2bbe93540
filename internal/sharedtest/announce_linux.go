//go:build linux

package sharedtest

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// announce writes line to the go command's standard output when the go
// command would otherwise hide it. In package list mode (go test ./...)
// the go command buffers a test binary's output and drops it when the
// package passes, so a skip summary printed by the binary never reaches
// the user. When the binary's parent is the go command, -v and -json are
// off, and the parent's standard output is a terminal or a pipe (never a
// regular file, whose offset the go command owns), the line is written
// there directly. It is a no-op when the binary's own standard output
// already is the parent's (local directory mode, or a binary run by
// hand), so the line is never printed twice.
func announce(line string) {
	if f := flag.Lookup("test.v"); f != nil && f.Value.String() != "false" {
		return // -v streams the output; -json (test2json) must not be mixed
	}
	ppid := os.Getppid()
	comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", ppid))
	if err != nil || strings.TrimSpace(string(comm)) != "go" {
		return
	}
	target := fmt.Sprintf("/proc/%d/fd/1", ppid)
	var parent, own syscall.Stat_t
	if syscall.Stat(target, &parent) != nil || syscall.Fstat(1, &own) != nil {
		return
	}
	if parent.Dev == own.Dev && parent.Ino == own.Ino {
		return
	}
	switch parent.Mode & syscall.S_IFMT {
	case syscall.S_IFCHR, syscall.S_IFIFO:
	default:
		return
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return
	}
	defer f.Close()
	f.WriteString(line)
}
