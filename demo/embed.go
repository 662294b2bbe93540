package demo

import (
	"embed"
	"fmt"
)

// embedded holds the files of the default study, as Files renders
// Generate(DefaultConfig()); TestEmbeddedMatchesGenerator keeps them in step
// (go test ./demo -regen rewrites them).
//
//go:embed data/*
var embedded embed.FS

// EmbeddedFiles returns the files of the default study that ship inside the
// binary, by name (FileRegions, FileEmployment, FileSectors,
// FileInnovation).
func EmbeddedFiles() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, name := range []string{FileRegions, FileEmployment, FileSectors, FileInnovation} {
		b, err := embedded.ReadFile("data/" + name)
		if err != nil {
			return nil, fmt.Errorf("demo: embedded %s: %w", name, err)
		}
		out[name] = b
	}
	return out, nil
}
