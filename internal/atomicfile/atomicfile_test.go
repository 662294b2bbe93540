package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileKinds(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := WriteFile(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "two" {
		t.Errorf("content %q", b)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
	link := filepath.Join(dir, "link.txt")
	os.Symlink(p, link)
	if err := WriteFile(link, []byte("three")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("link replaced")
	}
	if b, _ := os.ReadFile(p); string(b) != "three" {
		t.Errorf("target content %q", b)
	}
	if err := WriteFile(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	os.Symlink(filepath.Join(dir, "missing", "x"), filepath.Join(dir, "dangling"))
	if err := WriteFile(filepath.Join(dir, "dangling"), []byte("x")); err == nil || !strings.Contains(err.Error(), "missing file") {
		t.Errorf("dangling link: %v", err)
	}
	if _, err := os.Stat(os.DevNull); err == nil {
		if err := WriteFile(os.DevNull, []byte("x")); err != nil {
			t.Errorf("%s: %v", os.DevNull, err)
		}
		if fi, _ := os.Stat(os.DevNull); fi.Mode().IsRegular() {
			t.Fatalf("%s became a regular file", os.DevNull)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("left %s", e.Name())
		}
	}
}

// TestWriteStreamFails checks that when the content's writer fails, Write
// returns its error unchanged, the old file stays and no temporary file is
// left; and that a streamed content larger than the buffer arrives whole.
func TestWriteStreamFails(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	if err := WriteFile(p, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(p, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 1<<20))
		return boom
	})
	if err != boom {
		t.Errorf("error %v, want the writer's own", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Errorf("content %q after a failed write", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the folder, want 1 (temporary file left?)", len(ents))
	}
	big := bytes.Repeat([]byte("0123456789"), 100000)
	if err := Write(p, func(w io.Writer) error {
		for i := 0; i < len(big); i += 777 {
			if _, err := w.Write(big[i:min(i+777, len(big))]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, big) {
		t.Errorf("streamed content differs (%d bytes, want %d)", len(b), len(big))
	}
}
