//go:build linux

package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseHugePages checks that a large vector allocated after
// adviseHugePages lands in memory advised for transparent huge pages (the
// "hg" flag of its mapping in /proc/self/smaps), where the kernel's
// setting is "madvise": it fails if the Go runtime stops reusing the freed
// range first, which the advice relies on.
func TestAdviseHugePages(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !strings.Contains(string(mode), "[madvise]") {
		t.Skipf("transparent huge pages are not in madvise mode here (%q, %v)", strings.TrimSpace(string(mode)), err)
	}
	adviseHugePages(256 << 20)
	x := make([]float64, 8<<20) // 64 MiB
	for i := range x {
		x[i] = float64(i)
	}
	addr := uintptr(unsafe.Pointer(&x[len(x)/2]))
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	inside, found := false, false
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) > 0 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			lo, hi, ok := strings.Cut(fields[0], "-")
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			inside = ok && err1 == nil && err2 == nil && uint64(addr) >= a && uint64(addr) < b
			continue
		}
		if inside && strings.HasPrefix(line, "VmFlags:") {
			found = true
			if !strings.Contains(line, " hg") {
				t.Errorf("the mapping of a 64 MiB vector allocated after adviseHugePages is not advised for huge pages: %s", line)
			}
		}
	}
	if !found {
		t.Fatalf("no mapping in /proc/self/smaps holds address %#x", addr)
	}
}
