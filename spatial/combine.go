package spatial

import (
	"fmt"
)

// HigherOrder returns the binary contiguity weights of order k of w: region
// j is a neighbour of i when the shortest path from i to j along the links
// of w has exactly k steps (cumulative false, spdep's nblag) or between 1
// and k steps (cumulative true, spdep's nblag_cumul), following Anselin
// and Smirnov (1996, J. Regional Sci. 36(1), 67–89). The weights of w are
// ignored, only its links count; k ≥ 1. Order 1 returns w's links as binary
// weights. The cost is one breadth-first search per region.
func HigherOrder(w *Weights, k int, cumulative bool) (*Weights, error) {
	if k < 1 {
		return nil, fmt.Errorf("spatial: contiguity order %d: want k ≥ 1", k)
	}
	n := w.N()
	dist := make([]int, n)
	for i := range dist {
		dist[i] = -1
	}
	var links []Link
	var frontier, next, seen []int
	for i := 0; i < n; i++ {
		for _, j := range seen {
			dist[j] = -1
		}
		seen = append(seen[:0], i)
		dist[i] = 0
		frontier = append(frontier[:0], i)
		for step := 1; step <= k && len(frontier) > 0; step++ {
			next = next[:0]
			for _, u := range frontier {
				cols, _ := w.Neighbours(u)
				for _, v := range cols {
					if dist[v] < 0 {
						dist[v] = step
						seen = append(seen, v)
						next = append(next, v)
					}
				}
			}
			frontier, next = next, frontier
		}
		for _, j := range seen {
			if d := dist[j]; d == k || cumulative && d >= 1 {
				links = append(links, Link{From: i, To: j, Weight: 1})
			}
		}
	}
	return NewWeights(w.ids, links)
}

// Block returns block weights: w_ij = 1 when regions i ≠ j belong to the
// same group (for instance the prefectures of one province), else 0, as
// libpysal's weights.block_weights and spdep's nb2blocknb. groups[i] is
// the group of ids[i]; an empty group is an error naming the region. A
// region alone in its group is an island.
func Block(ids, groups []string) (*Weights, error) {
	if len(ids) != len(groups) {
		return nil, fmt.Errorf("spatial: %d IDs for %d groups", len(ids), len(groups))
	}
	members := map[string][]int{}
	var order []string
	for i, g := range groups {
		if g == "" {
			return nil, fmt.Errorf("spatial: region %q has no block (empty group)", ids[i])
		}
		if _, ok := members[g]; !ok {
			order = append(order, g)
		}
		members[g] = append(members[g], i)
	}
	var links []Link
	for _, g := range order {
		m := members[g]
		if len(m) > 1 {
			if err := CheckDense(len(m), len(m)-1, 6, fmt.Sprintf("block %q of %d regions", g, len(m)), "use smaller blocks"); err != nil {
				return nil, err
			}
		}
		for _, i := range m {
			for _, j := range m {
				if i != j {
					links = append(links, Link{From: i, To: j, Weight: 1})
				}
			}
		}
	}
	return NewWeights(ids, links)
}

// SetOp is a set operation on two weights matrices over the same regions.
type SetOp int

// The set operations of Combine, on the links (non-zero pattern) of A and B:
//
//	Union         w_ij = 1 if a_ij or b_ij is a link   (libpysal w_union)
//	Intersection  w_ij = 1 if a_ij and b_ij are links  (libpysal w_intersection)
//	Hadamard      w_ij = a_ij · b_ij on links of both  (element-wise product,
//	              e.g. contiguity × inverse distance)
const (
	Union SetOp = iota
	Intersection
	Hadamard
)

// ParseSetOp returns the operation named union, intersection or hadamard
// (also product).
func ParseSetOp(name string) (SetOp, error) {
	switch name {
	case "union":
		return Union, nil
	case "intersection":
		return Intersection, nil
	case "hadamard", "product":
		return Hadamard, nil
	}
	return 0, fmt.Errorf("spatial: unknown set operation %q: want union, intersection or hadamard", name)
}

// Combine returns op applied to a and b. b must hold the same regions as
// a, in any order; the result is in a's order. Union and Intersection give
// binary weights; Hadamard keeps the product of the two weights (a link
// whose product is 0 stays a structural neighbour).
func Combine(a, b *Weights, op SetOp) (*Weights, error) {
	if a.N() != b.N() {
		return nil, fmt.Errorf("spatial: cannot combine weights over %d and %d regions", a.N(), b.N())
	}
	// perm[jb] is the index in a of b's region jb.
	perm := make([]int, b.N())
	for jb, id := range b.ids {
		ia, ok := a.index.get(id)
		if !ok {
			return nil, fmt.Errorf("spatial: region %q of the second weights is not in the first", id)
		}
		perm[jb] = ia
	}
	bt := make(map[[2]int]float64, b.NNZ())
	for _, l := range b.Links() {
		bt[[2]int{perm[l.From], perm[l.To]}] = l.Weight
	}
	var links []Link
	for _, l := range a.Links() {
		bw, inB := bt[[2]int{l.From, l.To}]
		switch op {
		case Union:
			links = append(links, Link{From: l.From, To: l.To, Weight: 1})
			delete(bt, [2]int{l.From, l.To})
		case Intersection:
			if inB {
				links = append(links, Link{From: l.From, To: l.To, Weight: 1})
			}
		case Hadamard:
			if inB {
				links = append(links, Link{From: l.From, To: l.To, Weight: l.Weight * bw})
			}
		default:
			return nil, fmt.Errorf("spatial: unknown set operation %d", int(op))
		}
	}
	if op == Union {
		for k := range bt {
			links = append(links, Link{From: k[0], To: k[1], Weight: 1})
		}
	}
	w, err := NewWeights(a.ids, links)
	if err != nil {
		return nil, err
	}
	if op == Hadamard {
		w.style = Unknown
	}
	return w, nil
}
