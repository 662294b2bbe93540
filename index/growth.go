package index

import "math"

// GrowthRate returns the relative change (to − from)/from between two
// periods; multiply by 100 for percent. It is ±Inf or NaN when from is 0
// (callers that read user data check from first).
func GrowthRate(from, to float64) float64 {
	return (to - from) / from
}

// CAGR returns the compound annual growth rate over years periods,
// (to/from)^(1/years) − 1.
func CAGR(from, to, years float64) float64 {
	return math.Pow(to/from, 1/years) - 1
}

// PointChange returns the change of a share in percentage points,
// to − from, where both are percentages (36.57 → 39.24 is +2.67 points).
// It is not the growth rate of the share.
func PointChange(from, to float64) float64 {
	return to - from
}

// FoldChange returns to/from. "An increase of k times" in the
// seed paper's usage is FoldChange − 1 (= GrowthRate).
func FoldChange(from, to float64) float64 {
	return to / from
}
