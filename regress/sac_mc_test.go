package regress

import (
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestSACMonteCarlo (AGGLO_SAC_MC=draws, e.g. 200; the checks need ≥ 100) simulates the SAC model
// with individual effects (simulate: x, ε ~ N(0, 1), μ_i ~ N(0, 1)) on
// rook lattices (N = 100, 400; T = 5) for a truth with ρ and λ close
// (0.3, 0.4) and one with them clearly apart (0.6, −0.36, the demo's
// estimate), and checks for each of ρ and λ that the sd of the estimates
// across draws is within 25% of the mean reported (Lee–Yu information
// matrix) standard error and that the 95% interval covers the truth in
// 90–99% of the draws; it logs the draws with a second close maximum or a
// correlation message, and those more than 0.3 from the truth (a
// second mode).
func TestSACMonteCarlo(t *testing.T) {
	draws, _ := strconv.Atoi(os.Getenv("AGGLO_SAC_MC"))
	if draws < 1 {
		t.Skip("set AGGLO_SAC_MC=200 for the SAC Monte Carlo (minutes)")
	}
	for _, side := range []int{10, 20} {
		w := rookW(t, side)
		for _, tr := range []simTruth{
			{rho: 0.3, lambda: 0.4, beta: []float64{1, -0.5}},
			{rho: 0.6, lambda: -0.36, beta: []float64{1, -0.5}},
		} {
			rng := rand.New(rand.NewPCG(uint64(side), 11))
			est := map[string][]float64{}
			se := map[string][]float64{}
			cover := map[string]int{}
			far, msgs, failed := 0, 0, 0
			for r := 0; r < draws; r++ {
				p := simulate(rng, w, 5, SAC, tr, "individual")
				res, err := FitSpatial(p, SpatialOptions{Model: SAC, Effects: "individual", W: w, ImpactDraws: -1})
				if err != nil {
					failed++
					continue
				}
				for _, m := range res.Messages {
					if strings.Contains(m, "second local maximum") || strings.Contains(m, "correlated at") {
						msgs++
						break
					}
				}
				for name, want := range map[string]float64{"rho": tr.rho, "lambda": tr.lambda} {
					c := coefByName(t, res, name)
					est[name] = append(est[name], c.Estimate)
					se[name] = append(se[name], c.StdError)
					if math.Abs(c.Estimate-want) < 1.96*c.StdError {
						cover[name]++
					}
					if name == "rho" && math.Abs(c.Estimate-want) > 0.3 {
						far++
					}
				}
			}
			for _, name := range []string{"rho", "lambda"} {
				want := map[string]float64{"rho": tr.rho, "lambda": tr.lambda}[name]
				m, sd := stat.MeanStdDev(est[name], nil)
				mse := stat.Mean(se[name], nil)
				cov := float64(cover[name]) / float64(len(est[name]))
				t.Logf("N=%d ρ=%g λ=%g %s: mean %.4f (bias %+.4f) sd %.4f mean SE %.4f sd/SE %.2f |z|>1.96 %.3f; far %d, messages %d, failed %d of %d",
					side*side, tr.rho, tr.lambda, name, m, m-want, sd, mse, sd/mse, 1-cov, far, msgs, failed, draws)
				if draws >= 100 && (!(math.Abs(sd/mse-1) < 0.25) || !(cov > 0.9 && cov < 0.99)) {
					t.Errorf("N=%d ρ=%g λ=%g %s: sd %.4f, mean SE %.4f, coverage %.3f", side*side, tr.rho, tr.lambda, name, sd, mse, cov)
				}
			}
		}
	}
}
