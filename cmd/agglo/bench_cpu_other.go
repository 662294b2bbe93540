//go:build !unix

package main

import "math"

// cpuSeconds is not available on this platform: NaN.
func cpuSeconds() float64 { return math.NaN() }
