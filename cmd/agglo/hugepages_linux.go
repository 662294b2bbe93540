//go:build linux

package main

import (
	"runtime"
	"syscall"
	"unsafe"
)

// hugePageBytes is the size of a transparent huge page on amd64 and arm64
// Linux (2 MiB with 4 KiB base pages).
const hugePageBytes = 2 << 20

// adviseHugePages asks Linux to back the next n bytes of the Go heap with
// transparent huge pages (madvise MADV_HUGEPAGE), where the system's
// setting is "madvise" (the default of most distributions; "always" needs
// no advice, "never" ignores it). It allocates n bytes of fresh heap
// without touching them, advises their address range, drops them and
// collects garbage: the runtime reuses freed heap lowest address first,
// so the large vectors allocated next land in the advised range, whose
// first touches then fault in one 2 MiB page instead of 512 pages of
// 4 KiB. On a virtual machine whose memory the host backs on first touch
// a 4 KiB fault costs about 12 µs (3 s per GiB on the machine of README's
// Speed section, 0.3–0.8 s per GiB with huge pages). Only the advice
// changes: the memory holds the same values and is returned to the system
// as before. Errors are ignored: the advice is a hint, and a kernel
// without transparent huge pages refuses it and nothing changes.
//
// n is capped at half the machine's memory, so that reserving it cannot
// fail where the kernel limits overcommitted memory.
func adviseHugePages(n int64) {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		return
	}
	if half := int64(min(uint64(si.Totalram)*uint64(si.Unit)/2, 1<<62)); n > half {
		n = half
	}
	if n < 2*hugePageBytes {
		return
	}
	b := make([]byte, n)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	beg := (p + hugePageBytes - 1) &^ (hugePageBytes - 1)
	end := (p + uintptr(n)) &^ (hugePageBytes - 1)
	if beg < end {
		_ = syscall.Madvise(b[beg-p:end-p], syscall.MADV_HUGEPAGE)
	}
	runtime.KeepAlive(b)
	runtime.GC()
}
