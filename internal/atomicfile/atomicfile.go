// Package atomicfile writes a file whole or not at all. It is the one file
// writer of agglo's library (spatial.WriteWeightsFile, plot.Save, the demo
// report) and of its command line.
package atomicfile

import (
	"errors"
	"fmt"
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
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return writeRenamed(path, data)
	case err != nil:
		return fmt.Errorf("writing %s: %w", path, err)
	}
	switch mode := fi.Mode(); {
	case mode&fs.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return fmt.Errorf("writing %s: it is a symbolic link to a missing file (%w)", path, err)
		}
		return WriteFile(target, data)
	case mode.IsDir():
		return fmt.Errorf("writing %s: it is a directory: give a file name", path)
	case mode.IsRegular():
		return writeRenamed(path, data)
	case mode&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0:
		return writeInPlace(path, data, mode&fs.ModeNamedPipe != 0)
	default:
		return fmt.Errorf("writing %s: not a regular file, device or FIFO (%s)", path, mode.Type())
	}
}

// writeInPlace writes data to an existing device or FIFO.
func writeInPlace(path string, data []byte, fifo bool) error {
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
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// writeRenamed writes data to a temporary sibling of path and renames it.
func writeRenamed(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("writing %s: the folder %s does not exist", path, filepath.Dir(path))
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	// CreateTemp makes the file private (0600); outputs are ordinary files.
	merr := f.Chmod(0o644)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, merr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
