package plot

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Influence holds the influence measures of the simple regression
// y = a + b x (Belsley, Kuh and Welsch 1980), as R's influence.measures
// computes them, and which observations it flags as influential.
type Influence struct {
	// DFBetas holds, for each observation, the scaled changes of the
	// intercept and the slope when it is left out.
	DFBetas [][2]float64
	DFFit   []float64
	// CovRatio is the ratio of the determinants of the coefficient
	// covariance without and with the observation.
	CovRatio []float64
	CooksD   []float64
	Hat      []float64
	// Influential flags an observation when any of R's rules holds, with
	// k = 2 coefficients and n observations: |dfbetas| > 1,
	// |dffit| > 3√(k/(n−k)), |1 − covratio| > 3k/(n−k),
	// F_{k,n−k}(cook's d) > 0.5, hat > 3k/n.
	Influential []bool
}

// InfluenceMeasures computes the influence measures of the least-squares
// line of y on x, with h_i = 1/n + (x_i − x̄)²/Sxx, e_i the residuals,
// s² = Σe²/(n−2) and s_(i)² = ((n−2)s² − e_i²/(1−h_i))/(n−3):
//
//	dfbetas_ij = ((X'X)⁻¹ x_i e_i/(1−h_i))_j / (s_(i) √((X'X)⁻¹_jj))
//	dffit_i    = e_i √h_i / (s_(i) (1−h_i))
//	covratio_i = (s_(i)/s)^(2k) / (1−h_i)
//	cooksd_i   = e_i² h_i / (k s² (1−h_i)²)
//
// This is what spdep's moran.plot uses to mark and name influential regions
// (lm(wx ~ x) then influence.measures). It needs n ≥ 4 and x not constant.
func InfluenceMeasures(x, y []float64) (*Influence, error) {
	n := len(x)
	if len(y) != n {
		panic("plot: InfluenceMeasures: lengths differ")
	}
	if n < 4 {
		return nil, fmt.Errorf("plot: influence measures need at least 4 observations, got %d", n)
	}
	var mx, my float64
	for i := range n {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxx, sxy float64
	for i := range n {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
	}
	if sxx == 0 {
		return nil, fmt.Errorf("plot: influence measures: x is constant")
	}
	b := sxy / sxx
	a := my - b*mx
	const k = 2
	nk := float64(n - k)
	e := make([]float64, n)
	var sse float64
	for i := range n {
		e[i] = y[i] - a - b*x[i]
		sse += e[i] * e[i]
	}
	s2 := sse / nk
	s := math.Sqrt(s2)
	// (X'X)⁻¹ for X = [1 x]: [[Σx², −Σx], [−Σx, n]] / (n Sxx).
	var sx, sxx2 float64
	for i := range n {
		sx += x[i]
		sxx2 += x[i] * x[i]
	}
	det := float64(n) * sxx
	c00, c01, c11 := sxx2/det, -sx/det, float64(n)/det
	inf := &Influence{
		DFBetas:     make([][2]float64, n),
		DFFit:       make([]float64, n),
		CovRatio:    make([]float64, n),
		CooksD:      make([]float64, n),
		Hat:         make([]float64, n),
		Influential: make([]bool, n),
	}
	fdist := distuv.F{D1: k, D2: nk}
	for i := range n {
		h := 1/float64(n) + (x[i]-mx)*(x[i]-mx)/sxx
		inf.Hat[i] = h
		si2 := (nk*s2 - e[i]*e[i]/(1-h)) / (nk - 1)
		si := math.Sqrt(math.Max(si2, 0))
		d0 := (c00 + c01*x[i]) * e[i] / (1 - h)
		d1 := (c01 + c11*x[i]) * e[i] / (1 - h)
		inf.DFBetas[i] = [2]float64{d0 / (si * math.Sqrt(c00)), d1 / (si * math.Sqrt(c11))}
		inf.DFFit[i] = e[i] * math.Sqrt(h) / (si * (1 - h))
		inf.CovRatio[i] = math.Pow(si/s, 2*k) / (1 - h)
		inf.CooksD[i] = e[i] * e[i] * h / (k * s2 * (1 - h) * (1 - h))
		inf.Influential[i] = math.Abs(inf.DFBetas[i][0]) > 1 || math.Abs(inf.DFBetas[i][1]) > 1 ||
			math.Abs(inf.DFFit[i]) > 3*math.Sqrt(k/nk) ||
			math.Abs(1-inf.CovRatio[i]) > 3*k/nk ||
			fdist.CDF(inf.CooksD[i]) > 0.5 ||
			h > 3*k/float64(n)
	}
	return inf, nil
}
