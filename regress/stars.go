package regress

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Stars is a convention of significance marks: a p-value below Cutoffs[i]
// earns Marks[i] (the first cut-off that it is below), with Cutoffs in
// increasing order. The zero value is the convention of economics journals
// (and of Stata's esttab and R's stargazer):
//
//	*** p < 0.01, ** p < 0.05, * p < 0.1.
//
// A non-nil empty Cutoffs means no marks at all.
type Stars struct {
	Cutoffs []float64
	Marks   []string
}

// EconStars returns the economists' convention *** 0.01, ** 0.05, * 0.1,
// which is also what the zero Stars means.
func EconStars() Stars {
	return Stars{Cutoffs: []float64{0.01, 0.05, 0.1}, Marks: []string{"***", "**", "*"}}
}

// RStars returns R's significance codes *** 0.001, ** 0.01, * 0.05, . 0.1
// (printCoefmat).
func RStars() Stars {
	return Stars{Cutoffs: []float64{0.001, 0.01, 0.05, 0.1}, Marks: []string{"***", "**", "*", "."}}
}

// ParseStars reads a star convention as the command line gives it: "" or
// "econ" for EconStars, "r" for RStars, "none" for no marks, or a list of
// increasing cut-offs in (0, 1) such as "0.01,0.05,0.1", whose k cut-offs
// earn k, k−1, …, 1 stars.
func ParseStars(s string) (Stars, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "econ", "default":
		return EconStars(), nil
	case "r":
		return RStars(), nil
	case "none":
		return Stars{Cutoffs: []float64{}, Marks: []string{}}, nil
	}
	parts := strings.Split(s, ",")
	st := Stars{}
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || !(v > 0 && v < 1) {
			return Stars{}, fmt.Errorf("stars %q: cut-off %q is not a number in (0, 1) (want e.g. 0.01,0.05,0.1, r or none)", s, p)
		}
		if i > 0 && !(v > st.Cutoffs[i-1]) {
			return Stars{}, fmt.Errorf("stars %q: cut-offs must increase", s)
		}
		st.Cutoffs = append(st.Cutoffs, v)
	}
	for i := range st.Cutoffs {
		st.Marks = append(st.Marks, strings.Repeat("*", len(st.Cutoffs)-i))
	}
	return st, nil
}

// levels returns the cut-offs and marks, the defaults for the zero value.
func (s Stars) levels() ([]float64, []string) {
	if s.Cutoffs == nil {
		d := EconStars()
		return d.Cutoffs, d.Marks
	}
	return s.Cutoffs, s.Marks
}

// Mark returns the mark of a p-value ("" when it is above every cut-off or
// NaN).
func (s Stars) Mark(p float64) string {
	if math.IsNaN(p) {
		return ""
	}
	cut, marks := s.levels()
	for i, c := range cut {
		if p < c {
			return marks[i]
		}
	}
	return ""
}

// Legend describes the convention, most stars first: "*** p < 0.01,
// ** p < 0.05, * p < 0.1" ("" when there are no marks).
func (s Stars) Legend() string {
	cut, marks := s.levels()
	parts := make([]string, len(cut))
	for i, c := range cut {
		parts[i] = marks[i] + " p < " + strconv.FormatFloat(c, 'g', -1, 64)
	}
	return strings.Join(parts, ", ")
}

// Equal reports whether two conventions give the same marks.
func (s Stars) Equal(o Stars) bool {
	a, am := s.levels()
	b, bm := o.levels()
	return slices.Equal(a, b) && slices.Equal(am, bm)
}

// decimalsFor returns the number of decimals that shows the smallest
// non-zero finite |v| of vals with digits significant digits (at least 0);
// digits ≤ 0 means 3. Beyond 12 decimals it returns −digits, which fixed
// reads as scientific notation with digits significant digits.
func decimalsFor(digits int, vals ...float64) int {
	if digits <= 0 {
		digits = 3
	}
	small := math.Inf(1)
	for _, v := range vals {
		if a := math.Abs(v); a > 0 && !math.IsInf(a, 0) && a < small {
			small = a
		}
	}
	if math.IsInf(small, 1) {
		return digits - 1
	}
	d := digits - 1 - int(math.Floor(math.Log10(small)))
	// Rounding can carry into a new digit (9.996 → 10.0): one decimal
	// fewer then still shows the wanted digits.
	if r := strconv.FormatFloat(small, 'f', max(d, 0), 64); d > 0 && len(strings.TrimLeft(strings.ReplaceAll(r, ".", ""), "0")) > digits {
		d--
	}
	if d > 12 {
		return -digits
	}
	return max(d, 0)
}

// fixed formats v with dec decimals (dec < 0: scientific notation with
// −dec significant digits), without a minus sign on zero and "" for NaN or
// ±Inf.
func fixed(v float64, dec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	if dec < 0 {
		return strconv.FormatFloat(v, 'e', -dec-1, 64)
	}
	s := strconv.FormatFloat(v, 'f', dec, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}
