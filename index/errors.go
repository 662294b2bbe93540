package index

import (
	"errors"
	"fmt"
)

// ZeroPolicy says what an index does when a total it divides by is zero
// (a region or sector with no activity in a year, a group with no
// activity, a region with no online activity).
type ZeroPolicy int

const (
	// ZeroError (the default) returns a *ZeroTotalError.
	ZeroError ZeroPolicy = iota
	// ZeroNaN sets the affected entries to NaN (never ±Inf) and carries on;
	// Compute reports each such total as a warning.
	ZeroNaN
)

// ErrZeroTotal is wrapped by every *ZeroTotalError.
var ErrZeroTotal = errors.New("index: zero total")

// ZeroTotalError reports a total an index divides by that is zero.
type ZeroTotalError struct {
	// Kind is what has the zero total: "region", "sector", "group",
	// "region online", "sector online", "all" (the whole year), or
	// "regions" (fewer than two regions with activity, 1 − Σ x_r² = 0),
	// "plant Herfindahl" (H_s = 1).
	Kind string
	// Index is the row (region) or column (sector) index, or -1.
	Index int
	// Name and Time identify the region, sector or group and the period
	// when known (Compute fills them in).
	Name, Time string
}

func (e *ZeroTotalError) Error() string {
	who := ""
	if e.Name != "" {
		who = fmt.Sprintf(" %q", e.Name)
	} else if e.Index >= 0 {
		who = fmt.Sprintf(" %d", e.Index)
	}
	switch e.Kind {
	case "regions":
		return "index: fewer than two regions with activity (1 − Σ x² = 0)" + timeSuffix(e.Time)
	case "plant Herfindahl":
		return "index: sector" + who + timeSuffix(e.Time) + " has one plant (H = 1): γ is undefined"
	}
	return "index: zero total for " + e.Kind + who + timeSuffix(e.Time)
}

func timeSuffix(t string) string {
	if t == "" {
		return ""
	}
	return " in " + t
}

// Unwrap makes errors.Is(err, ErrZeroTotal) true.
func (e *ZeroTotalError) Unwrap() error { return ErrZeroTotal }

// zeroCheck records zero totals under a policy.
type zeroCheck struct {
	policy ZeroPolicy
	found  []*ZeroTotalError
}

// bad records a zero total; under ZeroError it returns the error to stop.
func (z *zeroCheck) bad(kind string, i int) error {
	e := &ZeroTotalError{Kind: kind, Index: i}
	if z != nil {
		z.found = append(z.found, e)
		if z.policy == ZeroNaN {
			return nil
		}
	}
	return e
}
