package spatial

import "fmt"

// Lattice returns the binary contiguity weights of a regular grid of nrow ×
// ncol cells, as spdep's cell2nb does: rook neighbours share an edge (up to
// 4), queen neighbours also share a corner (up to 8). Cell (r, c) has index
// r*ncol + c and ID "r<r>c<c>" (zero-based). Lattices are the workhorse of
// simulations and benchmarks.
func Lattice(nrow, ncol int, queen bool) (*Weights, error) {
	if nrow < 1 || ncol < 1 {
		return nil, fmt.Errorf("spatial: lattice needs positive dimensions, got %d×%d", nrow, ncol)
	}
	n := nrow * ncol
	ids := make([]string, n)
	per := 4
	if queen {
		per = 8
	}
	links := make([]Link, 0, n*per)
	for r := 0; r < nrow; r++ {
		for c := 0; c < ncol; c++ {
			i := r*ncol + c
			ids[i] = fmt.Sprintf("r%dc%d", r, c)
			for dr := -1; dr <= 1; dr++ {
				for dc := -1; dc <= 1; dc++ {
					if dr == 0 && dc == 0 || !queen && dr != 0 && dc != 0 {
						continue
					}
					rr, cc := r+dr, c+dc
					if rr < 0 || rr >= nrow || cc < 0 || cc >= ncol {
						continue
					}
					links = append(links, Link{From: i, To: rr*ncol + cc, Weight: 1})
				}
			}
		}
	}
	return NewWeights(ids, links)
}
