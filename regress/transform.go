package regress

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

type blas64General = blas64.General

// Effects says which fixed or random effects a model has.
type Effects int

const (
	// NoEffects is a pooled model.
	NoEffects Effects = iota
	// Individual effects, one per individual (region).
	Individual
	// TimeEffects, one per period.
	TimeEffects
	// TwoWays has individual and time effects.
	TwoWays
)

// String returns "none", "individual", "time" or "twoways".
func (e Effects) String() string {
	switch e {
	case NoEffects:
		return "none"
	case Individual:
		return "individual"
	case TimeEffects:
		return "time"
	case TwoWays:
		return "twoways"
	}
	return fmt.Sprintf("Effects(%d)", int(e))
}

// EffectsValues lists the accepted spellings of effects in the order of
// ParseEffects: "none" (also "pooled", "pooling"), "individual" ("id"),
// "time", "twoways" ("twoway", "two-way", "two-ways", "both"). It is the
// text of ParseEffects' error and of agglo's help.
const EffectsValues = "none, individual, time or twoways (aliases: pooled and pooling for none, id for individual, twoway, two-way, two-ways and both for twoways)"

// ParseEffects parses the fixed effects of a panel model, case-insensitive:
// "none", "pooled", "pooling" or "" (NoEffects), "individual" or "id"
// (Individual), "time" (TimeEffects), "twoways", "twoway", "two-ways",
// "two-way" or "both" (TwoWays), as plm's effect = "twoways" and xsmle's
// type(both). Every parser of effects in agglo goes through it; an unknown
// value is an error that lists EffectsValues.
func ParseEffects(s string) (Effects, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "pooled", "pooling", "":
		return NoEffects, nil
	case "individual", "id":
		return Individual, nil
	case "time":
		return TimeEffects, nil
	case "twoways", "twoway", "two-ways", "two-way", "both":
		return TwoWays, nil
	}
	return 0, fmt.Errorf("unknown effects %q: want %s", s, EffectsValues)
}

// TwoWaysTol is the convergence tolerance of the alternating projections of
// WithinTwoWays on unbalanced panels: the largest change of an iteration,
// relative to the largest absolute value of the data.
const TwoWaysTol = 1e-12

// GroupMeans returns the mean of v over each group: g[r] in [0, ng) is the
// group of v[r]. A group without observations has mean NaN.
//
//	m_g = sum_{r: g[r]=g} v_r / n_g
func GroupMeans(v []float64, g []int, ng int) []float64 {
	if len(v) != len(g) {
		panic("regress: GroupMeans length mismatch")
	}
	sum := make([]float64, ng)
	cnt := make([]float64, ng)
	for r, x := range v {
		sum[g[r]] += x
		cnt[g[r]]++
	}
	for k := range sum {
		sum[k] /= cnt[k]
	}
	return sum
}

// Demean subtracts from v, in place, the mean of its group (the within
// transformation for one set of effects):
//
//	v_r ← v_r − m_{g[r]}
func Demean(v []float64, g []int, ng int) {
	m := GroupMeans(v, g, ng)
	for r := range v {
		v[r] -= m[g[r]]
	}
}

// QuasiDemean subtracts from v, in place, θ times its group mean, the
// random-effects (GLS) transformation; theta holds θ_g for each group
// (constant for balanced panels; θ_i = 1 − sqrt(σ²_e / (T_i σ²_u + σ²_e))):
//
//	v_r ← v_r − θ_{g[r]} m_{g[r]}
func QuasiDemean(v []float64, g []int, ng int, theta []float64) {
	m := GroupMeans(v, g, ng)
	for r := range v {
		v[r] -= theta[g[r]] * m[g[r]]
	}
}

// WithinTwoWays removes individual and time effects from v in place: the
// residual of v on individual and time dummies. On a balanced panel it is
// the closed form
//
//	v_it − m_i − m_t + m
//
// and on an unbalanced one it alternates the two one-way demeanings (the
// method of alternating projections; Gaure 2013, Guimarães and Portugal
// 2010) until the largest change is below TwoWaysTol times the scale of v.
// It returns the number of iterations (0 for the closed form) and an error
// if maxIter (≤ 0 means 100000) iterations do not converge.
func WithinTwoWays(v []float64, id []int, nid int, time []int, nt int, maxIter int) (int, error) {
	if len(v) == nid*nt && balanced(id, nid, time, nt) {
		mi := GroupMeans(v, id, nid)
		mt := GroupMeans(v, time, nt)
		var m float64
		for _, x := range v {
			m += x
		}
		m /= float64(len(v))
		for r := range v {
			v[r] += m - mi[id[r]] - mt[time[r]]
		}
		return 0, nil
	}
	if maxIter <= 0 {
		maxIter = 100000
	}
	scale := 0.0
	for _, x := range v {
		scale = math.Max(scale, math.Abs(x))
	}
	if scale == 0 {
		return 0, nil
	}
	sum := make([]float64, max(nid, nt))
	cntI := make([]float64, nid)
	cntT := make([]float64, nt)
	for r := range v {
		cntI[id[r]]++
		cntT[time[r]]++
	}
	step := func(g []int, cnt []float64) float64 {
		s := sum[:len(cnt)]
		clear(s)
		for r, x := range v {
			s[g[r]] += x
		}
		ch := 0.0
		for k := range s {
			s[k] /= cnt[k]
			ch = math.Max(ch, math.Abs(s[k]))
		}
		for r := range v {
			v[r] -= s[g[r]]
		}
		return ch
	}
	step(id, cntI)
	for it := 1; it <= maxIter; it++ {
		ch := step(time, cntT)
		ch = math.Max(ch, step(id, cntI))
		if ch <= TwoWaysTol*scale {
			return it, nil
		}
	}
	return maxIter, fmt.Errorf("regress: two-way demeaning did not converge in %d iterations", maxIter)
}

// balanced reports whether every (id, time) pair occurs exactly once.
func balanced(id []int, nid int, time []int, nt int) bool {
	if len(id) != nid*nt {
		return false
	}
	seen := make([]bool, nid*nt)
	for r := range id {
		k := id[r]*nt + time[r]
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

// Within applies the within (fixed-effects) transformation for effects to
// v in place: Demean by individual or by period, or WithinTwoWays.
// NoEffects leaves v unchanged.
func Within(v []float64, id []int, nid int, time []int, nt int, effects Effects) error {
	switch effects {
	case NoEffects:
	case Individual:
		Demean(v, id, nid)
	case TimeEffects:
		Demean(v, time, nt)
	case TwoWays:
		_, err := WithinTwoWays(v, id, nid, time, nt, 0)
		return err
	default:
		return fmt.Errorf("regress: unknown effects %v", effects)
	}
	return nil
}

// WithinDense applies Within to every column of x, returning a new matrix.
// It works on all columns at once (one pass over the rows per demeaning);
// the alternating projections of unbalanced two-way panels stop when every
// column has converged.
func WithinDense(x *mat.Dense, id []int, nid int, time []int, nt int, effects Effects) (*mat.Dense, error) {
	return withinCols(x, nil, id, nid, time, nt, effects)
}

// withinCols is WithinDense on the columns cols of x (nil: all), copied
// in one pass.
func withinCols(x *mat.Dense, cols []int, id []int, nid int, time []int, nt int, effects Effects) (*mat.Dense, error) {
	var out *mat.Dense
	if cols == nil {
		out = mat.DenseCopyOf(x)
	} else {
		src := x.RawMatrix()
		out = mat.NewDense(src.Rows, len(cols), nil)
		dst := out.RawMatrix()
		for r := 0; r < src.Rows; r++ {
			in := src.Data[r*src.Stride:]
			o := dst.Data[r*dst.Stride : r*dst.Stride+len(cols)]
			for a, j := range cols {
				o[a] = in[j]
			}
		}
	}
	n, k := out.Dims()
	if len(id) != n || len(time) != n {
		panic("regress: WithinDense length mismatch")
	}
	raw := out.RawMatrix()
	switch effects {
	case NoEffects:
	case Individual:
		demeanRows(raw, id, nid, nil)
	case TimeEffects:
		demeanRows(raw, time, nt, nil)
	case TwoWays:
		if n == nid*nt && balanced(id, nid, time, nt) {
			mi := groupMeansRows(raw, id, nid)
			mt := groupMeansRows(raw, time, nt)
			all := make([]float64, k)
			for i := 0; i < nid; i++ {
				for j := 0; j < k; j++ {
					all[j] += mi[i*k+j] / float64(nid)
				}
			}
			for r := 0; r < n; r++ {
				row := raw.Data[r*raw.Stride : r*raw.Stride+k]
				a := mi[id[r]*k : id[r]*k+k]
				b := mt[time[r]*k : time[r]*k+k]
				for j := range row {
					row[j] += all[j] - a[j] - b[j]
				}
			}
			break
		}
		scale := make([]float64, k)
		for r := 0; r < n; r++ {
			for j, v := range raw.Data[r*raw.Stride : r*raw.Stride+k] {
				scale[j] = math.Max(scale[j], math.Abs(v))
			}
		}
		ch := make([]float64, k)
		demeanRows(raw, id, nid, ch)
		converged := false
		for it := 0; it < 100000; it++ {
			clear(ch)
			demeanRows(raw, time, nt, ch)
			demeanRows(raw, id, nid, ch)
			converged = true
			for j := range ch {
				if ch[j] > TwoWaysTol*scale[j] {
					converged = false
					break
				}
			}
			if converged {
				break
			}
		}
		if !converged {
			return nil, fmt.Errorf("regress: two-way demeaning did not converge in 100000 iterations")
		}
	default:
		return nil, fmt.Errorf("regress: unknown effects %v", effects)
	}
	return out, nil
}

// groupMeansRows returns the ng×k group means of the rows of a (row-major).
func groupMeansRows(a blas64General, g []int, ng int) []float64 {
	k := a.Cols
	sum := make([]float64, ng*k)
	cnt := make([]float64, ng)
	for r := 0; r < a.Rows; r++ {
		s := sum[g[r]*k : g[r]*k+k]
		for j, v := range a.Data[r*a.Stride : r*a.Stride+k] {
			s[j] += v
		}
		cnt[g[r]]++
	}
	for c := 0; c < ng; c++ {
		for j := 0; j < k; j++ {
			sum[c*k+j] /= cnt[c]
		}
	}
	return sum
}

// demeanRows subtracts group means from the rows of a in place; if ch is
// not nil it records, per column, the largest absolute mean removed.
func demeanRows(a blas64General, g []int, ng int, ch []float64) {
	k := a.Cols
	m := groupMeansRows(a, g, ng)
	if ch != nil {
		for c := 0; c < ng; c++ {
			for j := 0; j < k; j++ {
				if v := math.Abs(m[c*k+j]); v > ch[j] {
					ch[j] = v
				}
			}
		}
	}
	for r := 0; r < a.Rows; r++ {
		row := a.Data[r*a.Stride : r*a.Stride+k]
		mm := m[g[r]*k : g[r]*k+k]
		for j := range row {
			row[j] -= mm[j]
		}
	}
}

// BetweenDense returns the matrix of group means of the columns of x (one
// row per group), the data of the between estimator.
func BetweenDense(x *mat.Dense, g []int, ng int) *mat.Dense {
	_, c := x.Dims()
	out := mat.NewDense(ng, c, nil)
	for j := 0; j < c; j++ {
		out.SetCol(j, GroupMeans(mat.Col(nil, j, x), g, ng))
	}
	return out
}

// QuasiDemeanDense applies QuasiDemean to every column of x, returning a new
// matrix.
func QuasiDemeanDense(x *mat.Dense, g []int, ng int, theta []float64) *mat.Dense {
	out := mat.DenseCopyOf(x)
	_, c := out.Dims()
	for j := 0; j < c; j++ {
		col := mat.Col(nil, j, out)
		QuasiDemean(col, g, ng, theta)
		out.SetCol(j, col)
	}
	return out
}

// Within returns the response and regressors of the design after the within
// transformation for effects (the data of the fixed-effects estimator).
func (d *Design) Within(effects Effects) ([]float64, *mat.Dense, error) {
	y := append([]float64(nil), d.Y...)
	if err := Within(y, d.ID, d.N(), d.Time, d.T(), effects); err != nil {
		return nil, nil, err
	}
	if d.X == nil {
		return y, nil, nil
	}
	x, err := WithinDense(d.X, d.ID, d.N(), d.Time, d.T(), effects)
	if err != nil {
		return nil, nil, err
	}
	return y, x, nil
}

// responseVaries returns an error when the response y, after the
// transformation named by after ("" for none), is constant within
// round-off: its spread is at most 1e-10 times the largest |value| of the
// untransformed response raw. Every model refuses such a response (its
// fit would report a log-likelihood of +Inf, an R² of −Inf or a spatial
// coefficient on the boundary); name is the response as written.
func responseVaries(name string, y, raw []float64, after string) error {
	if len(y) == 0 {
		return nil
	}
	return responseVariesScale(name, y, maxAbs(raw), raw[0], after)
}

// responseVariesScale is responseVaries given the largest absolute value
// of the raw response, scale, and its first value, first (for a
// response transformed in place).
func responseVariesScale(name string, y []float64, scale, first float64, after string) error {
	if len(y) == 0 {
		return nil
	}
	lo, hi := y[0], y[0]
	for _, v := range y {
		lo, hi = min(lo, v), max(hi, v)
	}
	if hi-lo > 1e-10*scale {
		return nil
	}
	if name == "" {
		name = "y"
	}
	if after == "" {
		return fmt.Errorf("the response %s is constant (%v): nothing to explain", name, first)
	}
	return fmt.Errorf("the response %s is constant (after the %s): nothing to explain", name, after)
}

// maxAbs returns the largest absolute value of v (0 when empty).
func maxAbs(v []float64) float64 {
	scale := 0.0
	for _, x := range v {
		scale = max(scale, math.Abs(x))
	}
	return scale
}

// effectsTransform names the transformation of fixed effects in messages.
func effectsTransform(effects string) string {
	switch effects {
	case "individual", "time":
		return "within transformation"
	case "twoways":
		return "two-way within transformation"
	}
	return ""
}
