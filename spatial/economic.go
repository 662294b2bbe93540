package spatial

import (
	"fmt"
	"math"
)

// EconomicDistance returns the economic-distance weights of regions whose
// variable (typically GDP per capita) has the mean z̄_i over the periods:
//
//	w_ij = 1 / |z̄_i − z̄_j|,  i ≠ j,
//
// a dense matrix over all pairs (N² links: for prefectures and counties,
// not for grids). It is the economic weights matrix of Case, Rosen and
// Hines (1993, J. Public Econ. 52(3), 285–307) used as a robustness check
// across the agglomeration literature. ids and zbar have the same length;
// two regions with the same mean have an infinite weight, which is an error
// naming them, as is a non-finite mean. The style of the result is Unknown.
func EconomicDistance(ids []string, zbar []float64) (*Weights, error) {
	n := len(ids)
	if len(zbar) != n {
		return nil, fmt.Errorf("spatial: %d IDs for %d means", n, len(zbar))
	}
	for i, v := range zbar {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("spatial: region %q: mean %v is not finite", ids[i], v)
		}
	}
	if err := CheckDense(n, n-1, 6, fmt.Sprintf("economic distance over all pairs of %d regions", n), "use fewer regions"); err != nil {
		return nil, err
	}
	links := make([]Link, 0, n*(n-1))
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			d := math.Abs(zbar[i] - zbar[j])
			if d == 0 {
				return nil, fmt.Errorf("spatial: regions %q and %q have the same mean %v: economic distance weight 1/0 is infinite", ids[i], ids[j], zbar[i])
			}
			links = append(links, Link{From: i, To: j, Weight: 1 / d})
		}
	}
	w, err := NewWeights(ids, links)
	if err != nil {
		return nil, err
	}
	w.style = Unknown
	return w, nil
}

// NestedEconomic returns the nested economic–geographic weights
//
//	W = W_geo · diag(z̄_1/z̄, …, z̄_N/z̄),  i.e. w_ij = w_geo,ij · z̄_j / z̄,
//
// where z̄_j is region j's mean over the periods and z̄ the mean of the
// z̄_j over all regions: a neighbour's weight grows with its economic size
// (Lin, Long and Wu 2005, China Economic Quarterly 4 (supplement), the
// usual source of this nested matrix in the Chinese regional literature). zbar is aligned with
// geo.IDs(); the means must be finite and their mean positive. Row-
// standardise the result if the model needs it. The style is Unknown.
func NestedEconomic(geo *Weights, zbar []float64) (*Weights, error) {
	n := geo.N()
	if len(zbar) != n {
		return nil, fmt.Errorf("spatial: %d means for %d regions", len(zbar), n)
	}
	var mean float64
	for i, v := range zbar {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("spatial: region %q: mean %v is not finite", geo.ids[i], v)
		}
		mean += v
	}
	mean /= float64(n)
	if !(mean > 0) {
		return nil, fmt.Errorf("spatial: the mean over regions of the economic variable is %v: nested weights need a positive mean", mean)
	}
	links := geo.Links()
	for k := range links {
		links[k].Weight *= zbar[links[k].To] / mean
	}
	w, err := NewWeights(geo.ids, links)
	if err != nil {
		return nil, err
	}
	w.style = Unknown
	return w, nil
}
