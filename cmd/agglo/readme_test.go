package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// readmeCommand is one shell command of README.md: the text as a shell
// reads it (continuation lines and here-documents included) and the line
// where it starts.
type readmeCommand struct {
	Line int
	Text string
	// Section is the heading (## or ###) the command is under.
	Section string
	// Skip, when set, is why the command is not run (a
	// `<!-- readme-test: skip REASON -->` comment before its block).
	Skip string
}

// Languages of fenced blocks that hold shell commands; other fenced blocks
// (yaml, go, text, csv, …) are shown, not run.
var readmeShellFences = map[string]bool{"sh": true, "bash": true, "shell": true, "console": true}

var readmeSkipMarker = regexp.MustCompile(`^<!--\s*readme-test:\s*skip\s+(.+?)\s*-->$`)

// readmeCommands returns, in order, every command README.md shows: the
// lines of its indented code blocks and of its fenced blocks tagged sh,
// bash, shell or console. A fenced block without a language is an error:
// tag it sh to have it run or with its language (yaml, text, …) to have it
// shown only. A `<!-- readme-test: skip REASON -->` line skips the next
// block (e.g. a Slurm script that needs a cluster), with REASON reported.
func readmeCommands(path string) ([]readmeCommand, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), " \t\r"))
	}
	var cmds []readmeCommand
	skip, section := "", ""
	// block takes the code lines of one block (first at README line
	// first) and splits them into commands.
	block := func(code []string, first int) error {
		var cur *readmeCommand
		heredoc := ""
		for i, l := range code {
			switch {
			case heredoc != "":
				cur.Text += "\n" + l
				if strings.TrimSpace(l) == heredoc {
					heredoc = ""
					cmds = append(cmds, *cur)
					cur = nil
				}
				continue
			case cur == nil && (strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#")):
				continue
			case cur == nil:
				cur = &readmeCommand{Line: first + i, Text: l, Section: section, Skip: skip}
			default:
				cur.Text += "\n" + l
			}
			if m := regexp.MustCompile(`<<-?\s*'?"?(\w+)'?"?`).FindStringSubmatch(l); m != nil {
				heredoc = m[1]
				continue
			}
			if !strings.HasSuffix(l, "\\") {
				cmds = append(cmds, *cur)
				cur = nil
			}
		}
		if cur != nil {
			return fmt.Errorf("README.md:%d: the command does not end (a trailing \\ or an unclosed here-document)", cur.Line)
		}
		skip = ""
		return nil
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(l, "## ") || strings.HasPrefix(l, "### ") {
			section = strings.TrimSpace(strings.TrimLeft(l, "#"))
		}
		if m := readmeSkipMarker.FindStringSubmatch(l); m != nil {
			skip = m[1]
			continue
		}
		if strings.HasPrefix(l, "```") {
			lang := strings.TrimSpace(strings.TrimLeft(l, "`"))
			if f := strings.Fields(lang); len(f) > 0 {
				lang = f[0]
			}
			start := i + 1
			for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			}
			if i == len(lines) {
				return nil, fmt.Errorf("README.md:%d: unclosed ``` block", start)
			}
			switch {
			case lang == "":
				return nil, fmt.Errorf("README.md:%d: a ``` block without a language: tag it sh to have the test run it, or with its language (yaml, text, …)", start)
			case readmeShellFences[lang]:
				if err := block(lines[start:i], start+1); err != nil {
					return nil, err
				}
			default:
				skip = ""
			}
			continue
		}
		// An indented code block starts after a blank line and runs
		// while lines are indented or blank.
		if (strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t")) && (i == 0 || lines[i-1] == "") {
			start := i
			for i+1 < len(lines) && (lines[i+1] == "" || strings.HasPrefix(lines[i+1], "    ") || strings.HasPrefix(lines[i+1], "\t")) {
				i++
			}
			code := make([]string, 0, i-start+1)
			for _, c := range lines[start : i+1] {
				code = append(code, strings.TrimPrefix(strings.TrimPrefix(c, "    "), "\t"))
			}
			if err := block(code, start+1); err != nil {
				return nil, err
			}
		}
	}
	return cmds, nil
}

// TestREADMECommands runs every command of README.md, in order, as written,
// in a temporary folder with the agglo built from this checkout first on
// PATH: `agglo demo` writes the data the later sections use (its data/
// folder, then `cd agglo-demo/data`), and a command on a file that no
// earlier command writes fails, naming its README line. Special cases:
// `go run ./cmd/agglo ARGS` runs the built binary with ARGS, `go doc`
// runs in the module, `go install …@latest` (the network) and `go test`
// (this test itself) are skipped with the reason logged.
func TestREADMECommands(t *testing.T) {
	sh, err := exec.LookPath("bash")
	if err != nil {
		if sh, err = exec.LookPath("sh"); err != nil {
			t.Skip("no shell (bash or sh) to run the README's commands")
		}
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build agglo")
	}
	readme, err := filepath.Abs(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	module := filepath.Dir(readme)
	cmds, err := readmeCommands(readme)
	if err != nil {
		t.Fatal(err)
	}
	if len(cmds) < 10 {
		t.Fatalf("README.md: only %d commands found", len(cmds))
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	build := exec.Command(gobin, "build", "-o", filepath.Join(bin, "agglo"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/agglo: %v\n%s", err, out)
	}
	work := filepath.Join(tmp, "work")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := work
	for _, c := range cmds {
		text := c.Text
		where := fmt.Sprintf("README.md:%d", c.Line)
		fields := strings.Fields(text)
		runIn := dir
		switch {
		case c.Skip != "":
			t.Logf("%s: skipped (%s): %s", where, c.Skip, text)
			continue
		case len(fields) >= 2 && fields[0] == "go" && fields[1] == "install":
			t.Logf("%s: skipped (needs the network; the test builds from the checkout): %s", where, text)
			continue
		case len(fields) >= 2 && fields[0] == "go" && fields[1] == "test":
			t.Logf("%s: skipped (it would run this test again): %s", where, text)
			continue
		case len(fields) >= 3 && fields[0] == "go" && fields[1] == "run" && fields[2] == "./cmd/agglo":
			text = "agglo" + strings.TrimPrefix(text, "go run ./cmd/agglo")
		case len(fields) >= 2 && fields[0] == "go" && fields[1] == "doc":
			runIn = module
		case fields[0] == "go":
			t.Fatalf("%s: a go command the test does not know how to run: %s", where, text)
		case fields[0] == "cd":
			if len(fields) != 2 {
				t.Fatalf("%s: want `cd DIR`: %s", where, text)
			}
			next := filepath.Join(dir, fields[1])
			if st, err := os.Stat(next); err != nil || !st.IsDir() {
				t.Fatalf("%s: %s: no folder %s written by the commands before it", where, text, fields[1])
			}
			dir = next
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, sh, "-e", "-c", text)
		cmd.Dir, cmd.Env = runIn, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		err := cmd.Run()
		cancel()
		if testing.Verbose() {
			t.Logf("%s: %.1f s: %s", where, time.Since(start).Seconds(), strings.SplitN(text, "\n", 2)[0])
		}
		if err != nil {
			t.Errorf("%s: the README's command fails (%v):\n%s\nstderr:\n%s", where, err, text, readmeTail(stderr.String(), 2000))
		}
	}
}

// readmeTail returns the last n bytes of s.
func readmeTail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// TestREADMECommandsParse checks the README reader on a small document: an
// indented block with a continuation line and a comment, a tagged fence
// with a here-document, a yaml fence that is shown only, a skipped block,
// and an untagged fence, which is an error.
func TestREADMECommandsParse(t *testing.T) {
	doc := "# t\n\ntext\n\n    agglo a \\\n      --b c   # note\n    agglo d\n\n" +
		"```sh\ncat > s.yaml <<'EOF'\nx: 1\nEOF\nagglo e s.yaml\n```\n\n" +
		"```yaml\nnot: run\n```\n## S\n<!-- readme-test: skip needs a cluster -->\n\n    sbatch job.sh\n"
	path := filepath.Join(t.TempDir(), "README.md")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readmeCommands(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []readmeCommand{
		{Line: 5, Text: "agglo a \\\n  --b c   # note"},
		{Line: 7, Text: "agglo d"},
		{Line: 10, Text: "cat > s.yaml <<'EOF'\nx: 1\nEOF"},
		{Line: 13, Text: "agglo e s.yaml"},
		{Line: 22, Text: "sbatch job.sh", Section: "S", Skip: "needs a cluster"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("commands:\n got %+v\nwant %+v", got, want)
	}
	if err := os.WriteFile(path, []byte("# t\n\n```\nagglo x\n```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readmeCommands(path); err == nil || !strings.Contains(err.Error(), "README.md:3") {
		t.Errorf("an untagged fence: err = %v, want one naming README.md:3", err)
	}
}
