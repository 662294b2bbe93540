package main

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/agglo/agglo/internal/atomicfile"
	"github.com/agglo/agglo/internal/nulljson"
)

// This file is the one place where agglo decides what it may write: every
// command passes its --out and all of its inputs (data, weights, error
// weights, groups, plants, geometry, results, a spec and the files it
// names) to checkOutput, writeOutput or openOutFolder.

// realPath returns the absolute path of p with every symbolic link and
// ".." resolved; for a path that does not exist, its deepest existing
// folder is resolved and the rest appended.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	dir, base := filepath.Split(abs)
	dir = filepath.Clean(dir)
	if dir == abs { // the root
		return abs
	}
	return filepath.Join(realPath(dir), base)
}

// samePath reports whether a and b name the same file: by path after
// resolving symbolic links and "..", or, when both exist, by identity
// (hard links, bind mounts).
func samePath(a, b string) bool {
	if realPath(a) == realPath(b) {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// within reports whether path lies inside folder dir (or is dir), after
// resolving symbolic links and "..".
func within(path, dir string) bool {
	rel, err := filepath.Rel(realPath(dir), realPath(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// isStdout reports whether an --out names standard output: "", "-" or
// /dev/stdout (and its aliases).
func isStdout(out string) bool {
	switch out {
	case "", "-", "/dev/stdout", "/proc/self/fd/1", "/dev/fd/1":
		return true
	}
	return false
}

// checkOutput refuses an output file that is one of the inputs (through
// symbolic links, "..", hard links) or an existing directory. flag names
// the option (--out, OUT) in the message; the error is a usage error (exit
// code 2). Standard output is always fine.
func checkOutput(flag, out string, inputs ...string) error {
	if isStdout(out) {
		return nil
	}
	for _, in := range inputs {
		if in == "" || isStdout(in) {
			continue
		}
		for _, f := range withSidecars(in) {
			if samePath(f, out) {
				return usagef("refusing to write %s %s: it would overwrite the input %s", flag, out, f)
			}
		}
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return usagef("%s %s is a directory: give a file name", flag, out)
	}
	return nil
}

// withSidecars returns the files an input path stands for: a shapefile's
// .shp with its .shx, .dbf, .prj and .cpg (each of which a reader opens),
// any other path alone.
func withSidecars(in string) []string {
	ext := filepath.Ext(in)
	if !strings.EqualFold(ext, ".shp") {
		return []string{in}
	}
	stem := strings.TrimSuffix(in, ext)
	files := []string{in}
	for _, e := range []string{".shx", ".dbf", ".prj", ".cpg"} {
		files = append(files, stem+e, stem+strings.ToUpper(e))
	}
	return files
}

// writeOutput writes a command's output: to standard output for "", "-"
// and /dev/stdout, else to the file out (writeFileAtomic), after checking
// it against the inputs.
func writeOutput(env *cliEnv, out string, data []byte, inputs ...string) error {
	if isStdout(out) {
		_, err := env.stdout.Write(data)
		return err
	}
	return writeFileAtomic(out, data, inputs...)
}

// streamOutput is writeOutput with the content streamed by write (through
// a buffer) instead of held whole in memory; the file is still written
// atomically (atomicfile.Write).
func streamOutput(env *cliEnv, out string, write func(io.Writer) error, inputs ...string) error {
	if isStdout(out) {
		bw := bufio.NewWriterSize(env.stdout, 256<<10)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := checkOutput("output", out, inputs...); err != nil {
		return err
	}
	return atomicfile.Write(out, write)
}

// writeFileAtomic writes data to path whole or not at all
// (atomicfile.WriteFile: a regular file through a temporary sibling and a
// rename, a device or FIFO in place, a symbolic link's target). It refuses
// to write over any of the inputs.
func writeFileAtomic(path string, data []byte, inputs ...string) error {
	if err := checkOutput("output", path, inputs...); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data)
}

// completeMarker is the file written last into a finished batch or demo
// folder; batch merge refuses folders without it.
const completeMarker = "COMPLETE"

// outFolder is an output folder written as one transaction: files go to a
// temporary sibling (.NAME.tmp-*) that replaces the folder only when the
// run completes (commit), so that an interrupted or failed run leaves the
// previous folder untouched and nothing else. A lock file beside it
// (.NAME.lock, holding the process ID) refuses a second run on the same
// folder while the first one is writing.
type outFolder struct {
	final, tmp, lock string
	sigs             chan os.Signal
	done             chan struct{}
	once             sync.Once
	// mu serialises commit, abort and the interrupt handler, which keeps
	// it to the end (os.Exit): a run interrupted while it cleans up or
	// commits finishes that first.
	mu        sync.Mutex
	committed bool
}

// openOutFolder starts writing the folder dir. It refuses a dir that holds
// (or is) one of the inputs, an existing dir unless force, a dir that is a
// file, and a dir another run is writing.
func openOutFolder(dir string, force bool, inputs []string) (*outFolder, error) {
	for _, in := range inputs {
		if in != "" && within(in, dir) {
			return nil, fmt.Errorf("output folder %s holds the input %s: choose another --out", dir, in)
		}
	}
	if fi, err := os.Stat(dir); err == nil {
		if !fi.IsDir() {
			return nil, fmt.Errorf("output folder %s is a file: choose another --out", dir)
		}
		if !force {
			return nil, fmt.Errorf("output folder %s exists (use --force to replace it)", dir)
		}
	}
	real := realPath(dir)
	parent, base := filepath.Dir(real), filepath.Base(real)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", parent, err)
	}
	f := &outFolder{final: real, lock: filepath.Join(parent, "."+base+".lock")}
	if err := f.takeLock(dir); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		os.Remove(f.lock)
		return nil, fmt.Errorf("creating a folder beside %s: %w", dir, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		os.Remove(f.lock)
		return nil, err
	}
	f.tmp = tmp
	// Ctrl-C or a kill: remove the partial folder and the lock, then exit.
	f.sigs, f.done = make(chan os.Signal, 1), make(chan struct{})
	signal.Notify(f.sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-f.sigs:
			f.mu.Lock() // never released: the process ends here
			if !f.committed {
				// Rename first: writes still under way then fail
				// (their folder is gone) instead of recreating it.
				dead := f.tmp + ".interrupted"
				if os.Rename(f.tmp, dead) == nil {
					os.RemoveAll(dead)
				}
				os.RemoveAll(f.tmp)
				os.Remove(f.lock)
				fmt.Fprintf(os.Stderr, "agglo: %v: %s left as it was\n", s, dir)
			}
			os.Exit(130)
		case <-f.done:
		}
	}()
	return f, nil
}

// lockOwner identifies this process in lock files: its process ID, host
// name and a random token drawn once per process, so that a lock left by
// an earlier process with the same ID (a restarted container, whose agglo
// is always process 1) is recognised as stale. It is set once, at start.
var lockOwner = func() string {
	host, err := os.Hostname()
	if err != nil || host == "" || strings.ContainsAny(host, " \n") {
		host = "unknown"
	}
	var tok [8]byte
	rand.Read(tok[:])
	return fmt.Sprintf("%d %s %x", os.Getpid(), host, tok)
}()

// takeLock creates the lock file, or takes over one whose process is gone:
// one of this host (the same name) whose process no longer runs or is an
// earlier process with this process's ID. A lock of another host is never
// taken over (its process cannot be checked from here).
func (f *outFolder) takeLock(dir string) error {
	for range 2 {
		l, err := os.OpenFile(f.lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := l.WriteString(lockOwner + "\n")
			cerr := l.Close()
			if err := errors.Join(werr, cerr); err != nil {
				os.Remove(f.lock)
				return fmt.Errorf("locking %s: %w", dir, err)
			}
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("locking %s: %w", dir, err)
		}
		b, _ := os.ReadFile(f.lock)
		held := strings.TrimSpace(string(b))
		fields := strings.Fields(held)
		me := strings.Fields(lockOwner)
		var pid int
		var perr error = errors.New("empty lock file")
		if len(fields) > 0 {
			pid, perr = strconv.Atoi(fields[0])
		}
		// An old lock holds the process ID alone: this host's.
		sameHost := len(fields) < 2 || fields[1] == me[1]
		if perr == nil && pid > 0 && sameHost {
			earlierSelf := pid == os.Getpid() && len(fields) >= 3 && held != lockOwner
			if earlierSelf || (pid != os.Getpid() && !processAlive(pid)) {
				os.Remove(f.lock) // left by a run that was killed
				continue
			}
		}
		who := "process " + held
		if len(fields) >= 2 {
			who = fmt.Sprintf("process %s on host %s", fields[0], fields[1])
		}
		return fmt.Errorf("another agglo run (%s) is writing %s: wait for it, or remove %s if it is gone", who, dir, f.lock)
	}
	return fmt.Errorf("locking %s: could not take %s", dir, f.lock)
}

// processAlive reports whether a process with this ID runs: signal 0
// fails with ESRCH (or ErrProcessDone) only for a process that is gone;
// any other answer (EPERM, or "not supported" where signals are not) counts
// as alive, so that a live run's lock is never taken.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return !errors.Is(err, syscall.ESRCH) && !errors.Is(err, os.ErrProcessDone)
}

// path returns the path of name inside the folder being written.
func (f *outFolder) path(name string) string { return filepath.Join(f.tmp, name) }

// commitWith writes v as the JSON file name (non-finite numbers as null)
// and commits the folder.
func (f *outFolder) commitWith(name string, v any) error {
	b, err := nulljson.MarshalIndent(v, "", "  ")
	if err == nil {
		err = atomicfile.WriteFile(f.path(name), append(b, '\n'))
	}
	if err != nil {
		f.abort()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return f.commit()
}

// commit writes the COMPLETE marker and puts the new folder in place of
// the old one (which is removed whole: --force replaces the folder).
func (f *outFolder) commit() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	defer f.release()
	if err := atomicfile.WriteFile(f.path(completeMarker), []byte("complete\n")); err != nil {
		os.RemoveAll(f.tmp)
		return err
	}
	var old string
	if _, err := os.Lstat(f.final); err == nil {
		old = f.tmp + ".old"
		if err := os.Rename(f.final, old); err != nil {
			os.RemoveAll(f.tmp)
			return fmt.Errorf("replacing %s: %w", f.final, err)
		}
	}
	if err := os.Rename(f.tmp, f.final); err != nil {
		if old != "" {
			os.Rename(old, f.final)
		}
		os.RemoveAll(f.tmp)
		return fmt.Errorf("replacing %s: %w", f.final, err)
	}
	f.committed = true
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("removing the previous %s (now in %s): %w", f.final, old, err)
		}
	}
	return nil
}

// abort removes the partial folder and the lock; the previous folder, if
// any, stays as it was.
func (f *outFolder) abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.committed {
		os.RemoveAll(f.tmp)
	}
	f.release()
}

// release stops the signal handler and removes the lock.
func (f *outFolder) release() {
	f.once.Do(func() {
		signal.Stop(f.sigs)
		close(f.done)
		os.Remove(f.lock)
	})
}
