package spatial

import (
	"fmt"
	"math"
	"strings"
)

// Style names a coding scheme of spatial weights, as in spdep's nb2listw.
type Style int

const (
	// Unknown is the style of weights whose coding is not known, such as
	// general weights read from a file.
	Unknown Style = iota
	// Binary (B) codes every link as 1.
	Binary
	// RowStandardized (W) divides each row by its sum: sum_j w_ij = 1.
	RowStandardized
	// GlobalStandardized (C) scales binary weights so that S0 = n:
	// w_ij = n / (number of links).
	GlobalStandardized
	// Uniform (U) is C divided by n: S0 = 1.
	Uniform
	// VarianceStabilized (S) is the variance-stabilising coding of
	// Tiefelsdorf, Griffith and Boots (1999): binary rows are scaled by
	// 1/sqrt(sum_j b_ij^2), then all weights by n / sum of the result.
	VarianceStabilized
)

// String returns the one-letter spdep code of the style ("B", "W", "C",
// "U", "S"), or "unknown".
func (s Style) String() string {
	switch s {
	case Binary:
		return "B"
	case RowStandardized:
		return "W"
	case GlobalStandardized:
		return "C"
	case Uniform:
		return "U"
	case VarianceStabilized:
		return "S"
	}
	return "unknown"
}

// ParseStyle parses an spdep style code (B, W, C, U or S, case-insensitive).
func ParseStyle(code string) (Style, error) {
	switch strings.ToUpper(strings.TrimSpace(code)) {
	case "B":
		return Binary, nil
	case "W":
		return RowStandardized, nil
	case "C":
		return GlobalStandardized, nil
	case "U":
		return Uniform, nil
	case "S":
		return VarianceStabilized, nil
	}
	return Unknown, fmt.Errorf("spatial: unknown weights style %q (want B, W, C, U or S)", code)
}

// Transform returns the weights recoded in style s, as spdep's nb2listw does
// from the weights of w taken as general weights g_ij (for binary input
// g_ij = 1):
//
//	B: w_ij = 1 for every link
//	W: w_ij = g_ij / sum_k g_ik
//	C: w_ij = n g_ij / sum_kl g_kl
//	U: w_ij = g_ij / sum_kl g_kl
//	S: v_ij = g_ij / sqrt(sum_k g_ik^2); w_ij = n v_ij / sum_kl v_kl
//
// Regions without neighbours keep an empty row; they are not an error here
// (spdep's zero.policy = TRUE), but row sums of zero remain zero. Transform
// returns an error if every weight is zero under C, U or S.
func (w *Weights) Transform(s Style) (*Weights, error) {
	out := *w
	out.sym = new(symCache)
	out.vals = append([]float64(nil), w.vals...)
	out.style = s
	n := float64(w.N())
	switch s {
	case Binary:
		for k := range out.vals {
			out.vals[k] = 1
		}
	case RowStandardized:
		for i := 0; i < w.N(); i++ {
			lo, hi := w.rowPtr[i], w.rowPtr[i+1]
			var sum float64
			for k := lo; k < hi; k++ {
				sum += out.vals[k]
			}
			if sum == 0 {
				continue
			}
			for k := lo; k < hi; k++ {
				out.vals[k] /= sum
			}
		}
	case GlobalStandardized, Uniform:
		var sum float64
		for _, v := range out.vals {
			sum += v
		}
		if sum == 0 {
			return nil, fmt.Errorf("spatial: style %v needs a non-zero weight", s)
		}
		scale := 1 / sum
		if s == GlobalStandardized {
			scale = n / sum
		}
		for k := range out.vals {
			out.vals[k] *= scale
		}
	case VarianceStabilized:
		var total float64
		for i := 0; i < w.N(); i++ {
			lo, hi := w.rowPtr[i], w.rowPtr[i+1]
			var ss float64
			for k := lo; k < hi; k++ {
				ss += out.vals[k] * out.vals[k]
			}
			if ss == 0 {
				continue
			}
			r := math.Sqrt(ss)
			for k := lo; k < hi; k++ {
				out.vals[k] /= r
				total += out.vals[k]
			}
		}
		if total == 0 {
			return nil, fmt.Errorf("spatial: style S needs a non-zero weight")
		}
		for k := range out.vals {
			out.vals[k] *= n / total
		}
	default:
		return nil, fmt.Errorf("spatial: cannot transform to style %v", s)
	}
	return &out, nil
}
