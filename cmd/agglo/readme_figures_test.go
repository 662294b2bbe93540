package main

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/agglo/agglo/demo"
	"github.com/agglo/agglo/internal/testout"
)

// TestREADMEFigures runs the commands of the README's section "6. Figures"
// as written, on Produc and the US states as `agglo demo` ships them in
// agglo-demo/data (demo.ExampleFiles), and compares
// the figures they write with the README's images under docs/ (at most
// 0.5% of the pixels may differ by more than 24 levels, for font
// rasterisation across platforms). go test -run READMEFigures -regen
// rewrites docs/ from them.
func TestREADMEFigures(t *testing.T) {
	readme, err := filepath.Abs(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(filepath.Dir(readme), "docs")
	cmds, images := readmeFigureCommands(t, readme)
	if len(cmds) < 3 || len(images) < 3 {
		t.Fatalf("README section 6: %d commands and %d images", len(cmds), len(images))
	}
	dir := t.TempDir()
	examples, err := demo.ExampleFiles()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range examples {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, args := range cmds {
		if code, _, stderr := runCLI(t, args[1:]...); code != 0 {
			t.Fatalf("README command %q: code %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	for _, img := range images {
		got := filepath.Join(dir, img)
		want := filepath.Join(docs, img)
		if testout.Regen() {
			b, err := os.ReadFile(got)
			if err != nil {
				t.Fatalf("the README shows docs/%s but its commands do not write %s: %v", img, img, err)
			}
			if err := os.WriteFile(want, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		a, b := decodePNG(t, got), decodePNG(t, want)
		frac, err := testout.PixelDiff(a, b, 24)
		if err != nil || frac > 0.005 {
			t.Errorf("docs/%s is not what the README's command draws (%.2f%% of pixels differ, %v); go test ./cmd/agglo -run READMEFigures -regen updates it", img, 100*frac, err)
		}
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// readmeFigureCommands returns the agglo commands of the README's section
// 6 (as readmeCommands reads them, continuation lines joined, split as a
// shell would for double quotes, comments dropped) and the docs/ images it
// shows.
func readmeFigureCommands(t *testing.T, path string) (cmds [][]string, images []string) {
	all, err := readmeCommands(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if !strings.HasPrefix(c.Section, "6. Figures") {
			continue
		}
		line := strings.ReplaceAll(c.Text, "\\\n", " ")
		if k := strings.Index(line, " #"); k >= 0 {
			line = line[:k]
		}
		if strings.Contains(line, "\n") || !strings.HasPrefix(line, "agglo ") {
			t.Fatalf("README.md:%d: section 6 shows a command this test cannot run in-process: %s", c.Line, c.Text)
		}
		cmds = append(cmds, shellWords(t, line))
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "#") {
			in = strings.HasPrefix(line, "### 6. Figures")
		}
		if !in {
			continue
		}
		for _, part := range strings.Split(line, "(docs/")[1:] {
			images = append(images, part[:strings.Index(part, ")")])
		}
	}
	return cmds, images
}

// shellWords splits a command line at spaces outside double quotes.
func shellWords(t *testing.T, s string) []string {
	var words []string
	var w strings.Builder
	quoted, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		t.Fatalf("unbalanced quotes in %q", s)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}
