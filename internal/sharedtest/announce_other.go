//go:build !linux

package sharedtest

// announce is a no-op where the go command's standard output cannot be
// reached (see announce_linux.go): the summary shows with -v only.
func announce(line string) {}
