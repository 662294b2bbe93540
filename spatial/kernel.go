package spatial

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Kernel is the kernel function K(z) of kernel weights.
type Kernel int

// The kernels of libpysal's weights.Kernel, with z = d_ij / h_i:
//
//	KernelGaussian    K(z) = exp(−z²/2) / √(2π)
//	KernelBisquare    K(z) = (15/16) (1 − z²)²
//	KernelTriangular  K(z) = 1 − |z|
//	KernelUniform     K(z) = 1/2
const (
	KernelGaussian Kernel = iota
	KernelBisquare
	KernelTriangular
	KernelUniform
)

// String returns the kernel's lower-case name.
func (k Kernel) String() string {
	switch k {
	case KernelGaussian:
		return "gaussian"
	case KernelBisquare:
		return "bisquare"
	case KernelTriangular:
		return "triangular"
	case KernelUniform:
		return "uniform"
	}
	return fmt.Sprintf("Kernel(%d)", int(k))
}

// ParseKernel returns the kernel named gaussian, bisquare (also quartic),
// triangular or uniform.
func ParseKernel(name string) (Kernel, error) {
	switch name {
	case "gaussian":
		return KernelGaussian, nil
	case "bisquare", "quartic":
		return KernelBisquare, nil
	case "triangular":
		return KernelTriangular, nil
	case "uniform":
		return KernelUniform, nil
	}
	return 0, fmt.Errorf("spatial: unknown kernel %q: want gaussian, bisquare, triangular or uniform", name)
}

// eval returns K(z) for 0 ≤ z ≤ 1.
func (k Kernel) eval(z float64) float64 {
	switch k {
	case KernelGaussian:
		return math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	case KernelBisquare:
		return 15.0 / 16 * (1 - z*z) * (1 - z*z)
	case KernelTriangular:
		return 1 - math.Abs(z)
	}
	return 0.5
}

// KernelOptions choose the bandwidth of KernelWeights. The zero value is
// not valid: give Bandwidth or K.
type KernelOptions struct {
	// Kernel is the kernel function.
	Kernel Kernel
	// Bandwidth > 0 is a fixed bandwidth h for every region, in the
	// metric's units (km for GreatCircle).
	Bandwidth float64
	// K ≥ 1, used when Bandwidth is 0, sets the bandwidth from the
	// distance d_i(K) of each region to its K-th nearest neighbour: h_i =
	// d_i(K) with Adaptive, else h = max_i d_i(K) for every region.
	K        int
	Adaptive bool
}

// kernelInflate widens a K-nearest bandwidth as libpysal does
// (bandwidth × 1.0000001) so that the K-th neighbour lies strictly inside.
const kernelInflate = 1.0000001

// KernelWeights returns kernel weights of the points:
//
//	w_ij = K(d_ij / h_i)   for j ≠ i with d_ij ≤ h_i, else no link,
//
// with the kernel K and bandwidth h_i of opts, as libpysal's
// weights.Kernel (kernels of Anselin and Rey 2014, Modern Spatial
// Econometrics in Practice, p. 78; Fotheringham, Brunsdon and Charlton
// 2002, Geographically Weighted Regression, ch. 2). K counts neighbours
// other than the region itself, as libpysal's k. K-nearest bandwidths are
// widened by the factor 1.0000001 as in libpysal, so the K-th neighbour
// gets a small positive weight under the bisquare and triangular kernels;
// points tied at the K-th distance are all kept (libpysal's adaptive
// kernel keeps K of them, chosen by its k-d tree). Unlike libpysal the
// diagonal is left out (w_ii = 0, as spdep's weights). Every kernel, the
// Gaussian too, is truncated at the bandwidth. Adaptive weights are in
// general asymmetric. The style of the result is Unknown.
func KernelWeights(ids []string, pts []orb.Point, opts KernelOptions, metric Metric) (*Weights, error) {
	n := len(pts)
	if len(ids) != n {
		return nil, fmt.Errorf("spatial: %d IDs for %d points", len(ids), n)
	}
	if opts.Kernel < KernelGaussian || opts.Kernel > KernelUniform {
		return nil, fmt.Errorf("spatial: unknown kernel %d", int(opts.Kernel))
	}
	if err := checkPoints(ids, pts, metric); err != nil {
		return nil, err
	}
	ps, err := newPointSet(pts, metric)
	if err != nil {
		return nil, err
	}
	h := make([]float64, n)
	switch {
	case opts.Bandwidth > 0 && !math.IsInf(opts.Bandwidth, 0):
		if opts.Adaptive {
			return nil, fmt.Errorf("spatial: an adaptive kernel bandwidth comes from K nearest neighbours, not a fixed bandwidth")
		}
		for i := range h {
			h[i] = opts.Bandwidth
		}
	case opts.Bandwidth == 0 && opts.K >= 1:
		if opts.K >= n {
			return nil, fmt.Errorf("spatial: kernel bandwidth from the K = %d-th nearest neighbour needs K < n = %d", opts.K, n)
		}
		best := make([]neighbour, 0, opts.K+1)
		for i := range h {
			best = ps.knn(i, opts.K, best)
			h[i] = ps.distance(i, best[len(best)-1].idx) * kernelInflate
		}
		if !opts.Adaptive {
			hmax := 0.0
			for _, v := range h {
				hmax = math.Max(hmax, v)
			}
			for i := range h {
				h[i] = hmax
			}
		}
	default:
		return nil, fmt.Errorf("spatial: kernel weights need a positive finite bandwidth or K ≥ 1 nearest neighbours (bandwidth %v, K %d)", opts.Bandwidth, opts.K)
	}
	var links []Link
	var buf []int
	for i := 0; i < n; i++ {
		if h[i] == 0 {
			return nil, fmt.Errorf("spatial: region %q: kernel bandwidth is 0 (its nearest neighbours share its location)", ids[i])
		}
		buf = ps.within(i, embeddedR2(h[i], metric), buf[:0])
		for _, j := range buf {
			d := ps.distance(i, j)
			if d > h[i] {
				continue
			}
			links = append(links, Link{From: i, To: j, Weight: opts.Kernel.eval(d / h[i])})
		}
	}
	w, err := NewWeights(ids, links)
	if err != nil {
		return nil, err
	}
	w.style = Unknown
	return w, nil
}
