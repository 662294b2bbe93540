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
}

// Summarize returns the summary of w.
func (w *Weights) Summarize() Summary {
	s := Summary{N: w.N(), Links: w.NNZ(), Islands: []string{}, Symmetric: w.IsSymmetric(), Style: w.style.String(),
		LeastConnected: []string{}, MostConnected: []string{}}
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
	for i, c := range card {
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
	fmt.Fprintf(&b, "Least connected: %s with %d link(s)\n", listSome(s.LeastConnected, s.NLeastConnected), s.MinNeighbours)
	fmt.Fprintf(&b, "Most connected: %s with %d link(s)\n", listSome(s.MostConnected, s.NMostConnected), s.MaxNeighbours)
	if len(s.Islands) > 0 {
		fmt.Fprintf(&b, "%d region(s) with no links: %s\n", len(s.Islands), strings.Join(s.Islands, " "))
	} else {
		b.WriteString("No regions without links\n")
	}
	fmt.Fprintf(&b, "Symmetric: %v\n", s.Symmetric)
	fmt.Fprintf(&b, "Style: %s\n", s.Style)
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
