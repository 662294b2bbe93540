//go:build !unix

package main

import "math"

// cpuSeconds is not available on this platform: NaN.
func cpuSeconds() float64 { return math.NaN() }

// resetPeakRSS does nothing on this platform.
func resetPeakRSS() {}

// peakRSSMiB is not available on this platform: NaN.
func peakRSSMiB() float64 { return math.NaN() }
