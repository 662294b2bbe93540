//go:build unix

package main

import (
	"math"
	"syscall"
)

// cpuSeconds returns the user and system CPU time of the process so far
// (the wall time alone misleads on a shared machine).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
