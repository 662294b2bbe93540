package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// writeFileAtomic writes data to path through a temporary file in the same
// folder and a rename, so that path holds either its old content or all of
// the new one. It refuses to write over any of the inputs.
func writeFileAtomic(path string, data []byte, inputs ...string) error {
	if err := refuseOverInput(path, inputs...); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	name := tmp.Name()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// refuseOverInput returns an error when out is the same file as one of the
// inputs (by path or, when both exist, by identity).
func refuseOverInput(out string, inputs ...string) error {
	absOut, _ := filepath.Abs(out)
	outInfo, outErr := os.Stat(out)
	for _, in := range inputs {
		if in == "" {
			continue
		}
		absIn, _ := filepath.Abs(in)
		if absIn == absOut {
			return fmt.Errorf("refusing to write %s: it is an input", out)
		}
		if outErr == nil {
			if inInfo, err := os.Stat(in); err == nil && os.SameFile(inInfo, outInfo) {
				return fmt.Errorf("refusing to write %s: it is an input (%s)", out, in)
			}
		}
	}
	return nil
}
