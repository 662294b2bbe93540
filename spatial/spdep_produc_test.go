package spatial

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestSpdepProducUnemp compares Moran's I, Geary's C and local Moran with
// spdep 1.2-7 on a second data set beside Columbus: the 1986 unemployment
// rate of the 48 states with splm's usaww (testdata/
// spdep_produc_unemp1986.json: moran.test with and without randomisation,
// geary.test, localmoran's first five I_i and Z_i), to 1e-10 relative.
func TestSpdepProducUnemp(t *testing.T) {
	w, err := ReadWeightsFile(sharedtest.Data(t, "usaww.csv"), "matrix")
	if err != nil {
		t.Fatal(err)
	}
	w, _ = w.Transform(RowStandardized)
	raw, err := os.ReadFile(filepath.Join("testdata", "spdep_produc_unemp1986.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		I        float64   `json:"I"`
		EI       float64   `json:"EI"`
		VarIRand float64   `json:"VI_rand"`
		VarINorm float64   `json:"VI_norm"`
		C        float64   `json:"C"`
		VarCRand float64   `json:"VC_rand"`
		Ii       []float64 `json:"Ii"`
		Zi       []float64 `json:"Zi"`
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	rows := sharedtest.CSV(t, "produc.csv")
	col := map[string]int{}
	for j, h := range rows[0] {
		col[h] = j
	}
	x := make([]float64, w.N())
	for _, r := range rows[1:] {
		if r[col["year"]] != "1986" {
			continue
		}
		i, ok := w.Index(r[col["state"]])
		if !ok {
			t.Fatalf("state %s not in usaww", r[col["state"]])
		}
		x[i] = sharedtest.Float(t, r[col["unemp"]], "produc.csv, unemp of "+r[col["state"]])
	}
	mi, err := Moran(x, w, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gc, err := Geary(x, w, TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lm, err := LocalMoran(x, w, LocalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"I", mi.Statistic, ref.I}, {"E(I)", mi.Expectation, ref.EI},
		{"Var(I) randomisation", mi.VarRandomisation, ref.VarIRand}, {"Var(I) normality", mi.VarNormality, ref.VarINorm},
		{"C", gc.Statistic, ref.C}, {"Var(C) randomisation", gc.VarRandomisation, ref.VarCRand},
	} {
		if !scalar.EqualWithinRel(c.got, c.want, 1e-10) {
			t.Errorf("%s = %.14g, spdep %.14g", c.name, c.got, c.want)
		}
	}
	if len(ref.Ii) != 5 || len(ref.Zi) != 5 {
		t.Fatalf("reference has %d I_i and %d Z_i, want 5", len(ref.Ii), len(ref.Zi))
	}
	for i := range ref.Ii {
		if !scalar.EqualWithinAbsOrRel(lm[i].Ii, ref.Ii[i], 1e-14, 1e-10) || !scalar.EqualWithinAbsOrRel(lm[i].Z, ref.Zi[i], 1e-14, 1e-10) {
			t.Errorf("region %d: I_i %.12g Z_i %.12g, spdep %.12g %.12g", i, lm[i].Ii, lm[i].Z, ref.Ii[i], ref.Zi[i])
		}
	}
}
