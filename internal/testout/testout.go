// Package testout holds the test helpers for agglo's outputs: golden
// files (rewritten with go test -regen), the compilation of LaTeX tables
// and the comparison of images. Only tests import it.
package testout

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Regen reports whether the tests run with -regen (rewrite golden files
// and images after a deliberate change of output).
func Regen() bool { return *regen }

// regen is the -regen flag of every test binary that imports testout.
var regen = flag.Bool("regen", false, "rewrite the golden files from the current output")

// Golden compares got with the golden file at path, or rewrites the file
// when the tests run with -regen (after a deliberate change of output).
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *regen {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run '%s' -regen creates it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -regen rewrites it after a deliberate change):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// Compile wraps the table fragment tex in a minimal article with the
// package agglo's tables need (booktabs) and compiles it
// with pdflatex in batch mode. It fails the test with pdflatex's log when
// compilation fails or when LaTeX warns of a missing character, and skips
// the test when pdflatex is not installed (Debian:
// texlive-latex-recommended). It returns pdflatex's log, for tests that
// check the layout (FitsPage).
func Compile(t testing.TB, name, tex string) string {
	t.Helper()
	pdflatex, err := exec.LookPath("pdflatex")
	if err != nil {
		t.Skipf("pdflatex is not installed (apt-get install texlive-latex-recommended): %s not compiled", name)
	}
	dir := t.TempDir()
	doc := "\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n" +
		tex + "\n\\end{document}\n"
	if err := os.WriteFile(filepath.Join(dir, "t.tex"), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(pdflatex, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "t.tex")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	logText, _ := os.ReadFile(filepath.Join(dir, "t.log"))
	if err != nil {
		t.Fatalf("%s does not compile with pdflatex: %v\n%s\n--- source ---\n%s", name, err, tail(string(out), 40), tex)
	}
	if strings.Contains(string(logText), "Missing character") {
		t.Errorf("%s: pdflatex reports a missing character:\n%s", name, tail(string(logText), 40))
	}
	return string(logText)
}

// FitsPage fails the test when the log of Compile reports a table wider
// than the text (an overfull box) or taller than the page (a float too
// large): a table a reader could not see whole on a page of the default
// article class.
func FitsPage(t testing.TB, name, log string) {
	t.Helper()
	for _, w := range []string{"Overfull \\hbox", "Float too large"} {
		if i := strings.Index(log, w); i >= 0 {
			t.Errorf("%s does not fit the page: pdflatex: %s", name, strings.SplitN(log[i:], "\n", 2)[0])
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// PixelDiff returns the fraction of the pixels of two images of the same
// size whose colour differs by more than tol (0–255) in any channel; an
// error when the sizes differ.
func PixelDiff(a, b image.Image, tol uint8) (float64, error) {
	ra, rb := a.Bounds(), b.Bounds()
	if ra.Dx() != rb.Dx() || ra.Dy() != rb.Dy() {
		return 1, fmt.Errorf("image sizes differ: %dx%d and %dx%d", ra.Dx(), ra.Dy(), rb.Dx(), rb.Dy())
	}
	t := uint32(tol) * 257
	bad := 0
	for y := 0; y < ra.Dy(); y++ {
		for x := 0; x < ra.Dx(); x++ {
			r1, g1, b1, a1 := a.At(ra.Min.X+x, ra.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(rb.Min.X+x, rb.Min.Y+y).RGBA()
			if absDiff(r1, r2) > t || absDiff(g1, g2) > t || absDiff(b1, b2) > t || absDiff(a1, a2) > t {
				bad++
			}
		}
	}
	return float64(bad) / float64(ra.Dx()*ra.Dy()), nil
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
