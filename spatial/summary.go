package spatial

import (
	"fmt"
	"io"
	"strings"
)

// Summary describes a weights matrix as spdep's summary.nb does.
type Summary struct {
	N              int     `json:"n"`
	Links          int     `json:"links"`
	PercentNonZero float64 `json:"percent_nonzero"`
	MeanNeighbours float64 `json:"mean_neighbors"`
	MinNeighbours  int     `json:"min_neighbors"`
	MaxNeighbours  int     `json:"max_neighbors"`
	// LeastConnected and MostConnected are the regions with the fewest
	// and most neighbours (at most ten of each).
	LeastConnected []string `json:"least_connected"`
	MostConnected  []string `json:"most_connected"`
	// NLeastConnected and NMostConnected count all the regions with the
	// fewest and most neighbours.
	NLeastConnected int      `json:"n_least_connected"`
	NMostConnected  int      `json:"n_most_connected"`
	Islands         []string `json:"islands"`
	Symmetric       bool     `json:"symmetric"`
	Style           string   `json:"style"`
	// LinkCounts is the link-number distribution: LinkCounts[k] regions
	// have k neighbours (k from 0 to MaxNeighbours), as the table printed
	// by spdep's summary.nb.
	LinkCounts []int `json:"link_counts"`
	// S0, S1 and S2 are the constants of Cliff and Ord (1981) printed by
	// spdep's print.listw: S0 = Σ_ij w_ij, S1 = ½ Σ_ij (w_ij + w_ji)²,
	// S2 = Σ_i (w_i· + w_·i)².
	S0 float64 `json:"s0"`
	S1 float64 `json:"s1"`
	S2 float64 `json:"s2"`
}

// Summarize returns the summary of w: everything spdep's summary.nb
// reports plus the constants S0, S1, S2 of print.listw.
func (w *Weights) Summarize() Summary {
	s := Summary{N: w.N(), Links: w.NNZ(), Islands: []string{}, Symmetric: w.IsSymmetric(), Style: w.style.String(),
		LeastConnected: []string{}, MostConnected: []string{}, LinkCounts: []int{}}
	s.S0, s.S1, s.S2 = w.Sums()
	if s.N == 0 {
		return s
	}
	s.PercentNonZero = 100 * float64(s.Links) / float64(s.N*s.N)
	s.MeanNeighbours = float64(s.Links) / float64(s.N)
	card := w.Cardinalities()
	s.MinNeighbours, s.MaxNeighbours = card[0], card[0]
	for _, c := range card {
		s.MinNeighbours = min(s.MinNeighbours, c)
		s.MaxNeighbours = max(s.MaxNeighbours, c)
	}
	s.LinkCounts = make([]int, s.MaxNeighbours+1)
	for i, c := range card {
		s.LinkCounts[c]++
		if c == s.MinNeighbours {
			s.NLeastConnected++
			if len(s.LeastConnected) < 10 {
				s.LeastConnected = append(s.LeastConnected, w.ids[i])
			}
		}
		if c == s.MaxNeighbours {
			s.NMostConnected++
			if len(s.MostConnected) < 10 {
				s.MostConnected = append(s.MostConnected, w.ids[i])
			}
		}
		if c == 0 {
			s.Islands = append(s.Islands, w.ids[i])
		}
	}
	return s
}

// WriteText writes the summary in the layout of spdep's summary.nb.
func (s Summary) WriteText(out io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Number of regions: %d\n", s.N)
	fmt.Fprintf(&b, "Number of nonzero links: %d\n", s.Links)
	fmt.Fprintf(&b, "Percentage nonzero weights: %.6g\n", s.PercentNonZero)
	fmt.Fprintf(&b, "Average number of links: %.6g\n", s.MeanNeighbours)
	if len(s.LinkCounts) > 0 {
		b.WriteString("Link number distribution:\n")
		var ks, cs []string
		for k, c := range s.LinkCounts {
			if c > 0 {
				wd := max(len(fmt.Sprint(k)), len(fmt.Sprint(c)))
				ks = append(ks, fmt.Sprintf("%*d", wd, k))
				cs = append(cs, fmt.Sprintf("%*d", wd, c))
			}
		}
		fmt.Fprintf(&b, "%s\n%s\n", strings.Join(ks, " "), strings.Join(cs, " "))
	}
	fmt.Fprintf(&b, "Least connected: %s with %d link(s)\n", listSome(s.LeastConnected, s.NLeastConnected), s.MinNeighbours)
	fmt.Fprintf(&b, "Most connected: %s with %d link(s)\n", listSome(s.MostConnected, s.NMostConnected), s.MaxNeighbours)
	if len(s.Islands) > 0 {
		fmt.Fprintf(&b, "%d region(s) with no links: %s\n", len(s.Islands), strings.Join(s.Islands, " "))
	} else {
		b.WriteString("No regions without links\n")
	}
	fmt.Fprintf(&b, "Symmetric: %v\n", s.Symmetric)
	fmt.Fprintf(&b, "Style: %s\n", s.Style)
	fmt.Fprintf(&b, "S0 = %.10g  S1 = %.10g  S2 = %.10g\n", s.S0, s.S1, s.S2)
	_, err := io.WriteString(out, b.String())
	return err
}

// listSome joins the IDs shown and says how many more there are.
func listSome(ids []string, total int) string {
	out := strings.Join(ids, " ")
	if total > len(ids) {
		out += fmt.Sprintf(" (and %d more)", total-len(ids))
	}
	return out
}
