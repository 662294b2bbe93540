package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/agglo/agglo/internal/nulljson"
	"github.com/agglo/agglo/regress"
)

// copyShared copies files of ../shared/data into a fresh folder.
func copyShared(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		b, err := os.ReadFile(sharedData(t, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestOutNeverAnInput is issue 13 item 1: every input of fit, reached by
// name, through a symbolic link or through "..", is refused as --out.
func TestOutNeverAnInput(t *testing.T) {
	dir := copyShared(t, "columbus.csv", "columbus.gal")
	data, w := filepath.Join(dir, "columbus.csv"), filepath.Join(dir, "columbus.gal")
	g := filepath.Join(dir, "G.gal")
	b, _ := os.ReadFile(w)
	os.WriteFile(g, b, 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	link := filepath.Join(dir, "link.gal")
	if err := os.Symlink(g, link); err != nil {
		t.Fatal(err)
	}
	base := []string{"fit", "--data", data, "--id", "id", "--formula", "CRIME ~ INC + HOVAL", "--model", "sac",
		"--weights", w, "--error-weights", g, "--impacts-draws", "0"}
	for _, out := range []string{g, link, filepath.Join(dir, "sub", "..", "G.gal"), w, data} {
		code, _, stderr := runCLI(t, append(base, "--out", out)...)
		if code != 2 || !strings.Contains(stderr, "would overwrite the input") {
			t.Errorf("--out %s: exit %d, %q", out, code, stderr)
		}
	}
	if b2, _ := os.ReadFile(g); string(b2) != string(b) {
		t.Error("the error-weights file was changed")
	}
	// index and weights convert use the same check.
	code, _, stderr := runCLI(t, "weights", "convert", g, link)
	if code != 2 || !strings.Contains(stderr, "overwrite") {
		t.Errorf("weights convert onto a link to its input: exit %d %q", code, stderr)
	}
}

// TestOutSpecialFiles is issue 13 item 2: a device, a FIFO, a symbolic
// link, "-" and a directory as --out.
func TestOutSpecialFiles(t *testing.T) {
	dir := copyShared(t, "columbus.csv", "columbus.gal")
	base := []string{"fit", "--data", filepath.Join(dir, "columbus.csv"), "--id", "id", "--formula", "CRIME ~ INC + HOVAL", "--format", "json"}

	// "-" and /dev/stdout are standard output.
	for _, out := range []string{"-", "/dev/stdout"} {
		code, stdout, stderr := runCLI(t, append(base, "--out", out)...)
		if code != 0 || !strings.Contains(stdout, `"coefficients"`) {
			t.Errorf("--out %s: exit %d, stdout %.40q, stderr %q", out, code, stdout, stderr)
		}
	}
	// weights convert to standard output: the weights there, the report
	// on stderr.
	code, stdout, stderr := runCLI(t, "weights", "convert", filepath.Join(dir, "columbus.gal"), "-", "--out-format", "gwt")
	if code != 0 || !strings.HasPrefix(stdout, "0 49") || !strings.Contains(stderr, "Wrote -") {
		t.Errorf("convert to -: exit %d, stdout %.20q, stderr %q", code, stdout, stderr)
	}
	// A directory is refused with a message.
	code, _, stderr = runCLI(t, append(base, "--out", dir)...)
	if code != 2 || !strings.Contains(stderr, "is a directory") {
		t.Errorf("--out DIR: exit %d, %q", code, stderr)
	}
	// A symbolic link: its target gets the output, the link stays.
	target := filepath.Join(dir, "target.json")
	os.WriteFile(target, []byte("old"), 0o644)
	link := filepath.Join(dir, "out.json")
	os.Symlink(target, link)
	if code, _, stderr := runCLI(t, append(base, "--out", link)...); code != 0 {
		t.Fatalf("--out symlink: exit %d, %q", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symbolic link was replaced: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); !strings.Contains(string(b), `"coefficients"`) {
		t.Errorf("target not written: %.40q", b)
	}
	// A device is written in place and stays a device.
	if code, _, stderr := runCLI(t, append(base, "--out", "/dev/null")...); code != 0 {
		t.Errorf("--out /dev/null: exit %d, %q", code, stderr)
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v %v", fi.Mode(), err)
	}
	if _, err := os.Stat("/dev/full"); err == nil {
		code, _, stderr := runCLI(t, append(base, "--out", "/dev/full")...)
		if code != 1 || !strings.Contains(stderr, "/dev/full") {
			t.Errorf("--out /dev/full: exit %d, %q", code, stderr)
		}
		if fi, _ := os.Stat("/dev/full"); fi.Mode()&os.ModeCharDevice == 0 {
			t.Fatal("/dev/full is no longer a device")
		}
	}
	// A FIFO without a reader fails at once and stays a FIFO.
	if runtime.GOOS != "windows" {
		fifo := filepath.Join(dir, "pipe")
		if err := mkfifo(fifo); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		code, _, stderr := runCLI(t, append(base, "--out", fifo)...)
		if code != 1 || !strings.Contains(stderr, "no reader") {
			t.Errorf("--out FIFO: exit %d, %q", code, stderr)
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the FIFO was replaced: %v", err)
		}
	}
}

// TestOutFolderTransaction is issue 13 item 3 at the level of the folder:
// an aborted run leaves the previous folder as it was and nothing beside
// it; a commit replaces the whole folder; a live lock refuses a second run
// and a stale one is taken over.
func TestOutFolderTransaction(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	os.MkdirAll(filepath.Join(dir, "models"), 0o755)
	os.WriteFile(filepath.Join(dir, "models", "stale.json"), []byte("{}"), 0o644)

	if _, err := openOutFolder(dir, false, nil); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("existing folder without --force: %v", err)
	}
	f, err := openOutFolder(dir, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openOutFolder(dir, true, nil); err == nil || !strings.Contains(err.Error(), "another agglo run") {
		t.Errorf("second concurrent run: %v", err)
	}
	os.WriteFile(f.path("new.txt"), []byte("x"), 0o644)
	f.abort()
	if _, err := os.Stat(filepath.Join(dir, "models", "stale.json")); err != nil {
		t.Errorf("aborted run changed the previous folder: %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("aborted run left %d entries beside the folder, want only it", len(entries))
	}

	// A lock left by a process that is gone is taken over.
	os.WriteFile(filepath.Join(parent, ".out.lock"), []byte(strconv.Itoa(deadPID(t))+"\n"), 0o644)
	f, err = openOutFolder(dir, true, nil)
	if err != nil {
		t.Fatalf("stale lock: %v", err)
	}
	os.WriteFile(f.path("new.txt"), []byte("x"), 0o644)
	if err := f.commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "models", "stale.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--force kept a stale file of the earlier run: %v", err)
	}
	for _, n := range []string{"new.txt", completeMarker} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Errorf("committed folder lacks %s: %v", n, err)
		}
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("commit left %d entries beside the folder", len(entries))
	}
	// A folder that holds an input is refused (through "..").
	in := filepath.Join(dir, "new.txt")
	if _, err := openOutFolder(filepath.Join(dir, "..", "out"), true, []string{in}); err == nil || !strings.Contains(err.Error(), "holds the input") {
		t.Errorf("folder holding an input: %v", err)
	}
}

// deadPID returns the ID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skipf("cannot start a process: %v", err)
	}
	p.Wait()
	return p.Pid
}

// TestMergeRefusesIncompleteShard: a shard folder without the COMPLETE
// marker (an interrupted run, or one still going) is refused by merge.
func TestMergeRefusesIncompleteShard(t *testing.T) {
	dir := t.TempDir()
	shard := filepath.Join(dir, "s1")
	os.MkdirAll(filepath.Join(shard, "models"), 0o755)
	os.WriteFile(filepath.Join(shard, "models", "m1.json"), []byte(`{"spec":{"id":"m1"}}`), 0o644)
	code, _, stderr := runCLI(t, "batch", "merge", "--out", filepath.Join(dir, "m"), shard)
	if code != 1 || !strings.Contains(stderr, "incomplete") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "m")); !errors.Is(err, os.ErrNotExist) {
		t.Error("merge created its output folder")
	}
}

// TestBatchNonFiniteModel is issue 13 item 4: a model whose estimates are
// NaN is recorded as failed with its error while the others go on, and a
// result with non-finite statistics is written with null and read back as
// NaN.
func TestBatchNonFiniteModel(t *testing.T) {
	models := []modelSpec{{ID: "m1"}, {ID: "m2"}, {ID: "m3"}}
	fit := func(m modelSpec) (*regress.Result, error) {
		r := &regress.Result{Model: "ols", R2: map[string]float64{"r2": math.Inf(-1)},
			Coefficients: []regress.Coefficient{{Name: "x", Estimate: 1, StdError: math.NaN(), Statistic: math.NaN(), PValue: math.NaN()}}}
		if m.ID == "m2" {
			r.Coefficients[0].Estimate = math.NaN()
		}
		if m.ID == "m3" {
			panic("boom")
		}
		return r, nil
	}
	out := runModels(models, 2, fit, nil)
	if out[0].Error != "" || out[0].Result == nil {
		t.Errorf("m1 should succeed: %+v", out[0])
	}
	if !strings.Contains(out[1].Error, "estimate of x is NaN") || out[1].Result != nil {
		t.Errorf("m2: %+v", out[1])
	}
	if !strings.Contains(out[2].Error, "boom") {
		t.Errorf("m3: %+v", out[2])
	}
	dir := t.TempDir()
	if err := writeOutcomes(dir, out); err != nil {
		t.Fatalf("writing outcomes with NaN and Inf: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "models", "m1.json"))
	if !strings.Contains(string(b), `"r2": null`) || !strings.Contains(string(b), `"std_error": null`) {
		t.Errorf("non-finite numbers not null:\n%s", b)
	}
	back, err := readOutcomes([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if r := back[0].Result; r == nil || !math.IsNaN(r.R2["r2"]) || !math.IsNaN(r.Coefficients[0].StdError) {
		t.Errorf("read back: %+v", back[0].Result)
	}
	if err := writeBatchTables(dir, regress.TableOptions{}); err != nil {
		t.Errorf("tables: %v", err)
	}
	var probe struct {
		R2 map[string]float64 `json:"r2"`
	}
	if err := nulljson.Unmarshal([]byte(`{"r2":{"a":null}}`), &probe); err != nil || !math.IsNaN(probe.R2["a"]) {
		t.Errorf("nulljson: %v %v", probe, err)
	}
}

// TestHelperAgglo is not a test: TestInterruptedBatch runs the test binary
// with AGGLO_HELPER_ARGS set to run agglo in a child process.
func TestHelperAgglo(t *testing.T) {
	args := os.Getenv("AGGLO_HELPER_ARGS")
	if args == "" {
		t.Skip("helper process only")
	}
	env := &cliEnv{stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(run(env, strings.Split(args, "\x1f")))
}

// TestInterruptedBatch is issue 13 item 3: Ctrl-C during a batch run with
// --force leaves the previous folder as it was, and nothing beside it (no
// temporary folder, no lock).
func TestInterruptedBatch(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to a child on windows")
	}
	dir := demoStudyDir(t)
	spec := filepath.Join(dir, "spec.yaml")
	write := func(draws int) {
		s := strings.Replace(specHeader, "impacts_draws: 50", "impacts_draws: "+strconv.Itoa(draws), 1)
		s += "models:\n  formulas: [\"log(patents) ~ va + coagg\", \"log(patents) ~ va\", \"log(patents) ~ coagg\", \"log(patents) ~ va + log_rd\"]\n  models: [sar, sem, sdm, sdem]\n  effects: [individual, twoways]\n  weights: [queen, knn6]\n"
		os.WriteFile(spec, []byte(s), 0o644)
	}
	out := filepath.Join(dir, "run")
	write(10)
	if code, _, stderr := runCLI(t, "batch", spec, "--out", out, "--jobs", "2"); code != 0 {
		t.Fatalf("first run: %d %s", code, stderr)
	}
	before := hashTree(t, out)
	write(20000) // long enough to be interrupted
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperAgglo$")
	cmd.Env = append(os.Environ(), "AGGLO_HELPER_ARGS="+strings.Join([]string{"batch", spec, "--out", out, "--jobs", "1", "--force"}, "\x1f"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the new folder is being written.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(dir, ".run.tmp-*")); len(m) > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if err == nil {
		t.Skip("the run finished before the interrupt")
	}
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, stderr %s", err, stderr.String())
	}
	after := hashTree(t, out)
	if len(after) != len(before) {
		t.Errorf("interrupted run changed the folder: %d files, had %d", len(after), len(before))
	}
	for k, h := range before {
		if after[k] != h {
			t.Errorf("interrupted run changed %s", k)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".run") {
			t.Errorf("left beside the folder: %s", e.Name())
		}
	}
}

// TestOutFolderLockAcrossHostsAndRestarts: a lock of an earlier process
// with this process's ID (a restarted container's agglo is process 1 each
// time) is taken over; a lock of another host is never taken over and the
// refusal names the host; this process's own live lock refuses.
func TestOutFolderLockAcrossHostsAndRestarts(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	lock := filepath.Join(parent, ".out.lock")
	me := strings.Fields(lockOwner)
	os.WriteFile(lock, []byte(fmt.Sprintf("%d %s 0123456789abcdef\n", os.Getpid(), me[1])), 0o644)
	f, err := openOutFolder(dir, false, nil)
	if err != nil {
		t.Fatalf("lock of an earlier process with this ID: %v", err)
	}
	if _, err := openOutFolder(dir, false, nil); err == nil || !strings.Contains(err.Error(), "another agglo run") {
		t.Errorf("this process's own lock: %v", err)
	}
	f.abort()
	os.WriteFile(lock, []byte(fmt.Sprintf("%d other-node-7 0123456789abcdef\n", deadPID(t))), 0o644)
	if _, err := openOutFolder(dir, false, nil); err == nil || !strings.Contains(err.Error(), "on host other-node-7") {
		t.Errorf("lock of another host: %v", err)
	}
}
