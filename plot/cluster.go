package plot

import (
	"fmt"
	"math"
)

// AverageLinkage clusters n items with the pairwise distances d (an n×n
// symmetric matrix, row-major in a slice of rows) by agglomerative
// hierarchical clustering with average linkage (UPGMA; Sokal and Michener
// 1958): the distance between clusters A and B is
//
//	d(A, B) = Σ_{a∈A} Σ_{b∈B} d(a, b) / (|A| |B|),
//
// and the closest pair of clusters is merged n−1 times. Ties are broken by
// the smallest cluster indices, so the result is deterministic. It returns
// the leaf order of the dendrogram (in each merge the cluster holding the
// smaller original index goes first) and the merge heights.
func AverageLinkage(d [][]float64) (order []int, heights []float64, err error) {
	n := len(d)
	for i := range d {
		if len(d[i]) != n {
			return nil, nil, fmt.Errorf("plot: distance matrix row %d has %d entries, want %d", i+1, len(d[i]), n)
		}
		for j := range d[i] {
			if math.IsNaN(d[i][j]) || math.Abs(d[i][j]-d[j][i]) > 1e-12*math.Max(1, math.Abs(d[i][j])) {
				return nil, nil, fmt.Errorf("plot: distance matrix is not symmetric or has NaN at (%d, %d)", i+1, j+1)
			}
		}
	}
	if n == 0 {
		return nil, nil, nil
	}
	// Working copy of the distances between active clusters.
	dist := make([][]float64, n)
	for i := range dist {
		dist[i] = append([]float64(nil), d[i]...)
	}
	size := make([]float64, n)
	members := make([][]int, n)
	minIdx := make([]int, n)
	active := make([]bool, n)
	for i := range n {
		size[i] = 1
		members[i] = []int{i}
		minIdx[i] = i
		active[i] = true
	}
	for range n - 1 {
		bi, bj, best := -1, -1, math.Inf(1)
		for i := range n {
			if !active[i] {
				continue
			}
			for j := i + 1; j < n; j++ {
				if active[j] && dist[i][j] < best {
					bi, bj, best = i, j, dist[i][j]
				}
			}
		}
		heights = append(heights, best)
		// Merge bj into bi (bi < bj): Lance–Williams update for UPGMA.
		for k := range n {
			if active[k] && k != bi && k != bj {
				v := (size[bi]*dist[bi][k] + size[bj]*dist[bj][k]) / (size[bi] + size[bj])
				dist[bi][k], dist[k][bi] = v, v
			}
		}
		first, second := members[bi], members[bj]
		if minIdx[bj] < minIdx[bi] {
			first, second = second, first
		}
		members[bi] = append(append([]int(nil), first...), second...)
		minIdx[bi] = min(minIdx[bi], minIdx[bj])
		size[bi] += size[bj]
		active[bj] = false
		members[bj] = nil
	}
	for i := range n {
		if active[i] {
			order = members[i]
		}
	}
	return order, heights, nil
}
