package plot

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"github.com/agglo/agglo/regress"
	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/plot/vg"
)

// galleryDir is where TestGallery writes every figure type: the folder in
// AGGLO_GALLERY, or a temporary folder.
func galleryDir(t *testing.T) string {
	if d := os.Getenv("AGGLO_GALLERY"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// moranData standardises x (population variance, as spdep's moran.plot
// data and localmoran) and returns z, Wz, and LISA clusters at p < 0.05
// from conditional permutations (seeded) for the gallery.
func moranData(x []float64, w [][]float64, perms int, seed uint64) (z, wz, p []float64, clusters []string) {
	n := len(x)
	var m, v float64
	for _, xi := range x {
		m += xi
	}
	m /= float64(n)
	for _, xi := range x {
		v += (xi - m) * (xi - m)
	}
	sd := math.Sqrt(v / float64(n))
	z = make([]float64, n)
	for i := range x {
		z[i] = (x[i] - m) / sd
	}
	wz = make([]float64, n)
	for i := range n {
		for j := range n {
			wz[i] += w[i][j] * z[j]
		}
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	p = make([]float64, n)
	clusters = make([]string, n)
	others := make([]float64, 0, n-1)
	for i := range n {
		ii := z[i] * wz[i]
		others = others[:0]
		for j := range n {
			if j != i {
				others = append(others, z[j])
			}
		}
		var nbrs []float64
		for j := range n {
			if w[i][j] != 0 && j != i {
				nbrs = append(nbrs, w[i][j])
			}
		}
		extreme := 0
		for range perms {
			rng.Shuffle(len(others), func(a, b int) { others[a], others[b] = others[b], others[a] })
			var lag float64
			for k, wk := range nbrs {
				lag += wk * others[k]
			}
			if math.Abs(z[i]*lag) >= math.Abs(ii) {
				extreme++
			}
		}
		p[i] = float64(extreme+1) / float64(perms+1)
		switch {
		case p[i] >= 0.05:
			clusters[i] = NotSignificant
		case z[i] > 0 && wz[i] > 0:
			clusters[i] = HighHigh
		case z[i] < 0 && wz[i] < 0:
			clusters[i] = LowLow
		case z[i] > 0:
			clusters[i] = HighLow
		default:
			clusters[i] = LowHigh
		}
	}
	return z, wz, p, clusters
}

// indexPanel reads the synthetic region × sector × year panel.
func indexPanel(t testing.TB) (rows [][]string) {
	t.Helper()
	rows = sharedtest.CSV(t, "index_panel.csv")
	return rows[1:]
}

// galleryFigures builds one figure of every type from the shared data.
func galleryFigures(t *testing.T) map[string]Figure {
	regions := usStates(t)
	ids, unemp := produc(t, 1986, "unemp")
	figs := map[string]Figure{}
	figs["choropleth"] = &Choropleth{Regions: regions, IDs: ids, Values: unemp, Scheme: Jenks, K: 5,
		Title: "Unemployment rate, 1986 (natural breaks)", LegendTitle: "Percent",
		MapDecorations: MapDecorations{NorthArrow: true, ScaleBar: true}}

	var panels []Panel
	for _, y := range []int{1970, 1975, 1980, 1986} {
		pid, pv := produc(t, y, "unemp")
		panels = append(panels, Panel{Title: strconv.Itoa(y), IDs: pid, Values: pv})
	}
	figs["small_multiples"] = &SmallMultiples{Regions: regions, Panels: panels, Scheme: Quantile, K: 5, Palette: "viridis-r",
		Title: "Unemployment rate (shared quintiles over 1970–1986)", LegendTitle: "Percent"}

	// Local Moran's I with spatial (999 conditional permutations, seed 1)
	// on splm's usaww contiguity, row-standardised.
	wt, err := spatial.ReadWeightsFile(sharedtest.Data(t, "usaww_edges.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	if wt, err = wt.Transform(spatial.RowStandardized); err != nil {
		t.Fatal(err)
	}
	wids := wt.IDs()
	byID := map[string]float64{}
	for i, id := range ids {
		byID[id] = unemp[i]
	}
	x := make([]float64, len(wids))
	for i, id := range wids {
		x[i] = byID[id]
	}
	local, err := spatial.LocalMoran(x, wt, spatial.LocalOptions{Permutations: 999, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	z := make([]float64, len(local))
	wz := make([]float64, len(local))
	p := make([]float64, len(local))
	clusters := make([]string, len(local))
	for i, r := range local {
		z[i], wz[i], p[i], clusters[i] = r.ZValue, r.Lag, r.PPermutation, r.Cluster
	}
	figs["lisa"] = &LISAMap{Regions: regions, IDs: wids, Clusters: clusters, Alpha: 0.05,
		Title: "Local Moran's I of unemployment, 1986", MapDecorations: MapDecorations{NorthArrow: true}}
	figs["significance"] = &SignificanceMap{Regions: regions, IDs: wids, P: p, Title: "Local Moran's I of unemployment, 1986: pseudo p-values"}
	figs["moran"] = &MoranScatter{IDs: wids, X: z, WX: wz, Title: "Moran scatter plot, unemployment 1986",
		XLabel: "unemployment (standardised)", YLabel: "spatial lag"}

	// Coefficients of Produc models (plm) and impacts of the SAR (splm).
	var plm struct {
		Models map[string]struct {
			Coefficients []regress.Coefficient `json:"coefficients"`
		} `json:"models"`
	}
	sharedtest.ReadJSON(t, &plm, "oracle", "plm_produc.json")
	var models []Model
	for _, k := range []string{"pooling", "within_individual", "within_twoways", "random_swar"} {
		r := regress.Result{Coefficients: plm.Models[k].Coefficients}
		models = append(models, ModelFromResult(k, &r))
	}
	figs["coef"] = &CoefPlot{Models: models, Title: "log(gsp) on Produc: four panel estimators"}
	var splm struct {
		Cases map[string]json.RawMessage `json:"cases"`
	}
	sharedtest.ReadJSON(t, &splm, "oracle", "splm_produc.json")
	var sar struct {
		Impacts regress.Impacts `json:"impacts"`
	}
	if err := json.Unmarshal(splm.Cases["sar_individual"], &sar); err != nil {
		t.Fatal(err)
	}
	imp := sar.Impacts
	figs["effects"] = &EffectsPlot{Impacts: &imp, Title: "Effects of the SAR model with state fixed effects"}

	// Employment by sector group per year, with the online share of
	// producer services, and growth by sector.
	rows := indexPanel(t)
	group := map[string]string{}
	for _, s := range []string{"M1", "M2", "M3", "M4", "M5"} {
		group[s] = "manufacturing"
	}
	years := []string{"2013", "2014", "2015", "2016", "2017"}
	yi := map[string]int{}
	for i, y := range years {
		yi[y] = i
	}
	manu := make([]float64, 5)
	ps := make([]float64, 5)
	online := make([]float64, 5)
	sector := map[string][]float64{}
	for _, r := range rows {
		e, _ := strconv.ParseFloat(r[3], 64)
		o, _ := strconv.ParseFloat(r[4], 64)
		i := yi[r[2]]
		if group[r[1]] == "manufacturing" {
			manu[i] += e / 1000
		} else {
			ps[i] += e / 1000
			online[i] += o * e / 1000
		}
		if sector[r[1]] == nil {
			sector[r[1]] = make([]float64, 5)
		}
		sector[r[1]][i] += e
	}
	for i := range online {
		online[i] = 100 * online[i] / ps[i]
	}
	figs["series"] = &SeriesChart{Categories: years,
		Bars:  []Series{{Name: "manufacturing", Values: manu}, {Name: "producer services", Values: ps}},
		Share: &Series{Name: "online share of producer services", Values: online},
		Title: "Employment by sector group", YLabel: "employment (thousands)", RightLabel: "online share (%)"}
	var names []string
	for s := range sector {
		names = append(names, s)
	}
	sort.Strings(names)
	growth := make([]float64, len(names))
	for i, s := range names {
		growth[i] = 100 * (sector[s][4]/sector[s][0] - 1)
	}
	figs["growth"] = &SeriesChart{Categories: names, Bars: []Series{{Name: "growth 2013–2017", Values: growth}},
		Title: "Employment growth by sector, 2013–2017", YLabel: "percent"}
	figs["heatmap"] = &Heatmap{Labels: names, Values: egk(rows, names, "2017"), Title: "Coagglomeration (EGK γc), 2017", LegendTitle: "γc"}
	return figs
}

// egk computes the Ellison–Glaeser–Kerr coagglomeration of every pair of
// sectors in one year: Σ_r (s_ri − x_r)(s_rj − x_r) / (1 − Σ_r x_r²).
func egk(rows [][]string, sectors []string, year string) [][]float64 {
	emp := map[string]map[string]float64{}
	tot := map[string]float64{}
	sec := map[string]float64{}
	var all float64
	for _, r := range rows {
		if r[2] != year {
			continue
		}
		e, _ := strconv.ParseFloat(r[3], 64)
		if emp[r[0]] == nil {
			emp[r[0]] = map[string]float64{}
		}
		emp[r[0]][r[1]] += e
		tot[r[0]] += e
		sec[r[1]] += e
		all += e
	}
	var sx2 float64
	for _, t := range tot {
		sx2 += (t / all) * (t / all)
	}
	m := make([][]float64, len(sectors))
	for i, a := range sectors {
		m[i] = make([]float64, len(sectors))
		for j, b := range sectors {
			var s float64
			for r, t := range tot {
				x := t / all
				s += (emp[r][a]/sec[a] - x) * (emp[r][b]/sec[b] - x)
			}
			m[i][j] = s / (1 - sx2)
		}
	}
	return m
}

// TestGallery writes every figure type of the package into one folder, in
// the three formats (AGGLO_GALLERY=dir go test -run Gallery ./plot keeps
// them), and checks each output opens. (The README's figures under docs/
// are drawn by the README's own commands: cmd/agglo TestREADMEFigures.)
func TestGallery(t *testing.T) {
	dir := galleryDir(t)
	for name, f := range galleryFigures(t) {
		for _, ext := range []string{".png", ".svg", ".pdf"} {
			path := filepath.Join(dir, name+ext)
			if err := Save(path, f, Options{Width: 16 * vg.Centimeter, Height: 10 * vg.Centimeter, DPI: 150}); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if ext == ".pdf" {
				data, _ := os.ReadFile(path)
				checkPDF(t, data, 1)
			}
		}
	}
}
