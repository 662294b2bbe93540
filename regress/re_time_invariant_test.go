package regress

import (
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// producWithTimeInvariant reads a Produc file and adds lpcap0, the log of
// pcap in the state's first row: a regressor constant within individuals.
func producWithTimeInvariant(t *testing.T, name string) *Panel {
	t.Helper()
	rows := sharedtest.CSV(t, name)
	col := map[string]int{}
	for j, h := range rows[0] {
		col[h] = j
	}
	first := map[string]string{}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(append(rows[0], "lpcap0"))
	for _, r := range rows[1:] {
		st := r[col["state"]]
		if _, ok := first[st]; !ok {
			v, err := strconv.ParseFloat(r[col["pcap"]], 64)
			if err != nil {
				t.Fatal(err)
			}
			first[st] = strconv.FormatFloat(math.Log(v), 'g', -1, 64)
		}
		w.Write(append(r, first[st]))
	}
	w.Flush()
	p, err := ReadPanel(strings.NewReader(b.String()), name, "state", "year", PanelOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRandomTimeInvariant: Swamy–Arora random effects with a regressor
// constant within individuals (lpcap0), which the within regression
// cannot estimate: as plm's ercomp, σ²_e comes from the within regression
// of the time-varying regressors alone, and the GLS step keeps lpcap0.
// Checked against plm 2.6-2 (testdata/plm_re_time_invariant.json, the R
// calls there) on the balanced and the unbalanced Produc, to 1e-8, with
// plm's phtest against the within model (which drops lpcap0).
func TestRandomTimeInvariant(t *testing.T) {
	var ref struct {
		Cases map[string]struct {
			Sigma2Idios float64   `json:"sigma2_idios"`
			Sigma2ID    float64   `json:"sigma2_id"`
			Theta       *float64  `json:"theta"`
			ThetaMin    *float64  `json:"theta_min"`
			ThetaMax    *float64  `json:"theta_max"`
			Coeffs      []plmCoef `json:"coefficients"`
		} `json:"cases"`
		Hausman struct {
			Statistic float64 `json:"statistic"`
			DF        float64 `json:"df"`
		} `json:"hausman"`
	}
	loadTestdata(t, "plm_re_time_invariant.json", &ref)
	if len(ref.Cases) != 2 {
		t.Fatalf("%d cases, want 2", len(ref.Cases))
	}
	for name, c := range ref.Cases {
		t.Run(name, func(t *testing.T) {
			d, err := producWithTimeInvariant(t, name+".csv").Design("log(gsp) ~ log(pc) + log(emp) + unemp + lpcap0")
			if err != nil {
				t.Fatal(err)
			}
			r, err := Fit(d, FitOptions{Model: "re"})
			if err != nil {
				t.Fatal(err)
			}
			rel := func(what string, got, want float64) {
				if !scalar.EqualWithinRel(got, want, 1e-8) {
					t.Errorf("%s = %.12g, plm %.12g", what, got, want)
				}
			}
			rel("sigma2_e", r.Extra["sigma2_e"], c.Sigma2Idios)
			rel("sigma2_u", r.Extra["sigma2_u"], c.Sigma2ID)
			if c.Theta != nil {
				rel("theta", r.Extra["theta"], *c.Theta)
			} else {
				rel("theta_min", r.Extra["theta_min"], *c.ThetaMin)
				rel("theta_max", r.Extra["theta_max"], *c.ThetaMax)
			}
			checkCoefs(t, name, r, c.Coeffs)
			if name == "produc" {
				// plm's phtest on the slopes both models have.
				h := r.Tests["hausman"]
				rel("hausman", h.Statistic, ref.Hausman.Statistic)
				if len(h.DF) != 1 || h.DF[0] != ref.Hausman.DF {
					t.Errorf("hausman df %v, plm %g", h.DF, ref.Hausman.DF)
				}
			}
			if !strings.Contains(strings.Join(r.Messages, "\n"), "within regression without lpcap0") {
				t.Errorf("no note on lpcap0 in %q", r.Messages)
			}
		})
	}
}
