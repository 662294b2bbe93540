package spatial

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// LocalOptions are the options of LocalMoran. The zero value gives spdep's
// defaults: two-sided p-values, α = 0.05 for cluster labels, islands an
// error, no permutations.
type LocalOptions struct {
	// Alpha is the significance level of the cluster labels (0 = 0.05).
	Alpha float64
	// ZeroPolicy allows regions without neighbours (their I_i is 0 and
	// their label "not significant").
	ZeroPolicy bool
	// Permutations is the number of conditional permutations per region
	// for pseudo p-values (0 = none).
	Permutations int
	// Seed seeds the permutations: region i draws from the PCG stream
	// (Seed, i), so results do not depend on Workers.
	Seed uint64
	// Workers is the number of goroutines (0 = GOMAXPROCS).
	Workers int
	// Progress, if non-nil, is called with the number of regions done.
	Progress func(done, total int)
}

// The LISA cluster labels.
const (
	HighHigh       = "High-High"
	LowLow         = "Low-Low"
	HighLow        = "High-Low"
	LowHigh        = "Low-High"
	NotSignificant = "not significant"
	// Isolated is the quadrant of an island (a region without
	// neighbours, under ZeroPolicy): its lag is 0 by convention, so it has
	// no place in the Moran scatter plot (GeoDa's "Isolated").
	Isolated = "Isolated"
)

// LocalMoranResult is the local Moran statistic of one region.
type LocalMoranResult struct {
	ID string  `json:"id"`
	Ii float64 `json:"Ii"`
	EI float64 `json:"E_Ii"`
	// VarI is the conditional-randomisation variance of I_i.
	VarI float64 `json:"Var_Ii"`
	Z    float64 `json:"Z_Ii"`
	// P is the two-sided normal p-value of Z.
	P float64 `json:"p"`
	// PPermutation is the two-sided conditional-permutation pseudo
	// p-value min(1, 2(1 + min(#{I_i,perm ≥ I_i}, #{I_i,perm ≤ I_i}))/(1 + R))
	// (spdep's "Pr(z != E(Ii)) Sim"), NaN when no permutations were run.
	// Like P it has size α under the null.
	PPermutation float64 `json:"p_permutation"`
	// PFolded is the folded pseudo p-value (1 + min(#≥, #≤))/(1 + R) of
	// PySAL's esda (p_sim) and spdep's "Pr(folded) Sim": a one-sided p in
	// the direction of the observed I_i, half of PPermutation (before the
	// cap at 1). NaN when no permutations were run.
	PFolded float64 `json:"p_folded"`
	// Quadrant is the Moran scatter plot quadrant of the region: "High-High"
	// (z_i > 0, Wz_i > 0), "Low-Low", "High-Low" or "Low-High", whatever
	// the significance.
	Quadrant string `json:"quadrant"`
	// Cluster is Quadrant when the region is significant at α (by the
	// permutation p-value when permutations were run, else by P) and
	// "not significant" otherwise.
	Cluster string `json:"cluster"`
	// Z and Lag are the Moran scatter plot coordinates: the standardised
	// value and its spatial lag.
	ZValue float64 `json:"z"`
	Lag    float64 `json:"lag_z"`

	permuted bool
}

// MarshalJSON writes the region in the JSON contract of 'agglo moran
// --local': id, Ii, E_Ii, Var_Ii, Z_Ii, p, p_permutation and p_folded (when
// permutations were run), quadrant, cluster, z, lag_z. NaN (the z and p of
// an island) is written as null.
func (r LocalMoranResult) MarshalJSON() ([]byte, error) {
	var o jsonObject
	o.str("id", r.ID)
	o.float("Ii", r.Ii)
	o.float("E_Ii", r.EI)
	o.float("Var_Ii", r.VarI)
	o.float("Z_Ii", r.Z)
	o.float("p", r.P)
	if r.permuted {
		o.float("p_permutation", r.PPermutation)
		o.float("p_folded", r.PFolded)
	}
	o.str("quadrant", r.Quadrant)
	o.str("cluster", r.Cluster)
	o.float("z", r.ZValue)
	o.float("lag_z", r.Lag)
	return o.bytes(), nil
}

// LocalMoran returns the local Moran statistics of x (Anselin 1995) with
// the conditional-randomisation moments of Sokal, Oden and Thomson (1998,
// eqs. A7–A8), as spdep 1.2-7's localmoran with its defaults (conditional =
// TRUE, mlvar = TRUE, two-sided p):
//
//	z = x − mean(x),  m2 = sum z²/n,  I_i = (z_i/m2) sum_j w_ij z_j
//	E[I_i] = −z_i² W_i / ((n−1) m2),   W_i = sum_j w_ij
//	Var[I_i] = (z_i/m2)² · n/(n−2) · (W_i2 − W_i²/(n−1)) · (m2 − z_i²/(n−1)),
//	           W_i2 = sum_j w_ij²
//	Z_i = (I_i − E[I_i])/sqrt(Var[I_i]),   p_i = 2(1 − Φ(|Z_i|))
//
// n counts every region. With opts.ZeroPolicy an island has lag 0, so
// I_i = E[I_i] = Var[I_i] = 0 and its Z_i and p_i are NaN (as spdep's
// zero.policy = TRUE gives); without it islands are an *IslandError.
//
// With opts.Permutations = R > 0, each region's neighbours are drawn R
// times at random without replacement from the other n−1 values
// (conditional permutation, Anselin 1995), keeping its weights, and the
// two-sided pseudo p-value is min(1, 2(1 + min(#{I_i,perm ≥ I_i},
// #{I_i,perm ≤ I_i}))/(1 + R)); PFolded has PySAL's folded one.
// Region i draws from the PCG stream (opts.Seed, i).
//
// Quadrant is spdep's "pysal" quadrant: High when z_i > 0, Low otherwise,
// and likewise for the lag sum_j w_ij z_j. Cluster is the quadrant when the
// region's p-value (the permutation one when permutations were run) is at
// most opts.Alpha, and "not significant" otherwise. ZValue and Lag are the
// Moran scatter plot coordinates z_i/s and (Wz)_i/s, s the standard
// deviation of x with n−1.
func LocalMoran(x []float64, w *Weights, opts LocalOptions) ([]LocalMoranResult, error) {
	if err := checkData(w, x); err != nil {
		return nil, err
	}
	if _, err := w.checkIslands(opts.ZeroPolicy); err != nil {
		return nil, err
	}
	if w.N() < 3 {
		return nil, fmt.Errorf("spatial: local Moran needs at least 3 regions, have %d", w.N())
	}
	alpha := opts.Alpha
	if alpha == 0 {
		alpha = 0.05
	}
	if alpha <= 0 || alpha >= 1 {
		return nil, errors.New("spatial: α must be in (0, 1)")
	}
	z, ss, _ := centre(unitScale(x)) // every output is scale-free
	if ss == 0 {
		return nil, errors.New("spatial: local Moran of a constant variable is undefined")
	}
	nInt := w.N()
	n := float64(nInt)
	m2 := ss / n
	sd := math.Sqrt(ss / (n - 1))
	lag := w.Lag(z)
	out := make([]LocalMoranResult, nInt)
	for i := range out {
		_, vals := w.Neighbours(i)
		var wi, wi2 float64
		for _, v := range vals {
			wi += v
			wi2 += v * v
		}
		zi := z[i]
		r := LocalMoranResult{ID: w.ids[i], PPermutation: math.NaN(), PFolded: math.NaN(), permuted: opts.Permutations > 0}
		r.Ii = zi / m2 * lag[i]
		r.EI = -zi * zi * wi / ((n - 1) * m2)
		r.VarI = (zi / m2) * (zi / m2) * (n / (n - 2)) * (wi2 - wi*wi/(n-1)) * (m2 - zi*zi/(n-1))
		if r.VarI > 0 {
			r.Z = (r.Ii - r.EI) / math.Sqrt(r.VarI)
			r.P = 2 * pNormal(math.Abs(r.Z), Greater)
		} else {
			r.Z, r.P = math.NaN(), math.NaN()
		}
		r.ZValue = zi / sd
		r.Lag = lag[i] / sd
		r.Quadrant = quadrant(zi, lag[i])
		if len(vals) == 0 {
			// An island: I_i, E[I_i] and Var[I_i] are 0, not −0.
			r.Ii, r.EI, r.VarI, r.Lag = 0, 0, 0, 0
			r.Quadrant = Isolated
		}
		out[i] = r
	}
	if opts.Permutations > 0 {
		localPermutations(z, w, m2, out, opts)
	}
	for i := range out {
		p := out[i].P
		if opts.Permutations > 0 {
			p = out[i].PPermutation
		}
		if len(w.colIdx[w.rowPtr[i]:w.rowPtr[i+1]]) > 0 && p <= alpha {
			out[i].Cluster = out[i].Quadrant
		} else {
			out[i].Cluster = NotSignificant
		}
	}
	return out, nil
}

func quadrant(z, lag float64) string {
	switch {
	case z > 0 && lag > 0:
		return HighHigh
	case z <= 0 && lag <= 0:
		return LowLow
	case z > 0:
		return HighLow
	}
	return LowHigh
}

// localPermutations computes the conditional-permutation pseudo p-values:
// for region i, R samples of its k_i neighbours' values are drawn without
// replacement from the other n−1 values, keeping its weights.
func localPermutations(z []float64, w *Weights, m2 float64, out []LocalMoranResult, opts LocalOptions) {
	n := len(z)
	r := opts.Permutations
	parallelFor(n, opts.Workers, opts.Progress, func() func(i int) {
		idx := make([]int, n-1)
		return func(i int) {
			_, vals := w.Neighbours(i)
			k := len(vals)
			if k == 0 {
				return
			}
			rng := rand.New(rand.NewPCG(opts.Seed, uint64(i)))
			for j := range idx {
				if j < i {
					idx[j] = j
				} else {
					idx[j] = j + 1
				}
			}
			var ge, le int
			obs := out[i].Ii
			for p := 0; p < r; p++ {
				// Partial Fisher–Yates: the first k entries are a
				// uniform sample without replacement.
				var s float64
				for a := 0; a < k; a++ {
					b := a + rng.IntN(n-1-a)
					idx[a], idx[b] = idx[b], idx[a]
					s += vals[a] * z[idx[a]]
				}
				v := z[i] / m2 * s
				if v >= obs {
					ge++
				}
				if v <= obs {
					le++
				}
			}
			out[i].PFolded = float64(1+min(ge, le)) / float64(1+r)
			out[i].PPermutation = min(1, 2*out[i].PFolded)
		}
	})
}

// MoranScatter returns the coordinates of the Moran scatter plot of x
// (Anselin 1996): the standardised values z_i = (x_i − mean(x))/s, s the
// standard deviation with n−1, and their spatial lags (Wz)_i. With
// row-standardised weights (and no islands) the least-squares slope of lag
// on z is Moran's I. Regions with no neighbours have lag 0. MoranScatter
// returns an error if x has the wrong length, a NaN or infinite value, or
// is constant.
func MoranScatter(x []float64, w *Weights) (z, lag []float64, err error) {
	if err := checkData(w, x); err != nil {
		return nil, nil, err
	}
	z, ss, _ := centre(unitScale(x)) // standardised: scale-free
	if ss == 0 || len(x) < 2 {
		return nil, nil, errors.New("spatial: the Moran scatter plot of a constant variable is undefined")
	}
	sd := math.Sqrt(ss / float64(len(x)-1))
	for i := range z {
		z[i] /= sd
	}
	return z, w.Lag(z), nil
}
