// Package atomicfile writes a file whole or not at all. It is the one file
// writer of agglo's library (spatial.WriteWeightsFile, plot.Save, the demo
// report) and of its command line.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// WriteFile writes data to path so that path holds either its old content
// or all of the new one, by the kind of node path names:
//
//   - absent or a regular file: through a temporary file in the same folder
//     and a rename (mode 0644);
//   - a symbolic link: its final target, the same way (the link stays);
//   - a device or a FIFO (/dev/null, a named pipe): written in place, as no
//     rename can be atomic there and a rename would replace the node by a
//     regular file; a FIFO without a reader is an error, not a hang;
//   - a directory, a socket, or a link to nothing: an error naming path.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write is WriteFile with the content streamed by write through a buffer
// (no copy of the whole content in memory). When write fails, a regular
// file keeps its old content (the temporary file is removed) and the error
// is returned as is; a device or FIFO may have received part of it.
func Write(path string, write func(w io.Writer) error) error {
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return writeRenamed(path, write)
	case err != nil:
		return fmt.Errorf("writing %s: %w", path, err)
	}
	switch mode := fi.Mode(); {
	case mode&fs.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return fmt.Errorf("writing %s: it is a symbolic link to a missing file (%w)", path, err)
		}
		return Write(target, write)
	case mode.IsDir():
		return fmt.Errorf("writing %s: it is a directory: give a file name", path)
	case mode.IsRegular():
		return writeRenamed(path, write)
	case mode&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		return writeInPlace(path, write, mode&fs.ModeNamedPipe != 0)
	default:
		return fmt.Errorf("writing %s: not a regular file, device or FIFO (%s)", path, mode.Type())
	}
}

// writeInPlace writes to an existing device or FIFO.
func writeInPlace(path string, write func(io.Writer) error, fifo bool) error {
	flag := os.O_WRONLY
	if fifo {
		flag |= syscall.O_NONBLOCK // fail at once when no one reads
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		if fifo && errors.Is(err, syscall.ENXIO) {
			return fmt.Errorf("writing %s: it is a named pipe with no reader", path)
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	werr := buffered(f, write)
	cerr := f.Close()
	if werr != nil {
		return wrapWrite(path, werr)
	}
	if cerr != nil {
		return fmt.Errorf("writing %s: %w", path, cerr)
	}
	return nil
}

// buffered runs write through a buffer on f and flushes it. Errors of f
// come back as *writeError, which the callers wrap with the path; the
// others (from write itself) as they are.
func buffered(f *os.File, write func(io.Writer) error) error {
	bw := bufio.NewWriterSize(&fileWriter{f: f}, 256<<10)
	if err := write(bw); err != nil {
		return err
	}
	return bw.Flush()
}

// writeRenamed writes to a temporary sibling of path and renames it.
func writeRenamed(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("writing %s: the folder %s does not exist", path, filepath.Dir(path))
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	if err := buffered(f, write); err != nil {
		f.Close()
		os.Remove(tmp)
		return wrapWrite(path, err)
	}
	// CreateTemp makes the file private (0600); outputs are ordinary files.
	merr := f.Chmod(0o644)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(merr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// fileWriter marks the errors of writing to f (*writeError), to tell them
// from the errors of the content's writer.
type fileWriter struct{ f *os.File }

func (w *fileWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = &writeError{err}
	}
	return n, err
}

type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// wrapWrite names path in an error of writing the file, as WriteFile
// always did; an error of the content's writer is returned as it is.
func wrapWrite(path string, err error) error {
	var we *writeError
	if errors.As(err, &we) {
		return fmt.Errorf("writing %s: %w", path, we.err)
	}
	return err
}
