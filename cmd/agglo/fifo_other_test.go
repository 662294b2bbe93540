//go:build !unix

package main

import "errors"

// mkfifo: no named pipes on this system.
func mkfifo(string) error { return errors.New("no named pipes on this system") }
