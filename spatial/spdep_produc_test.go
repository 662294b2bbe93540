package spatial_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/agglo/agglo/spatial"
	"gonum.org/v1/gonum/floats/scalar"
)

// TestSpdepProducUnemp compares Moran's I, Geary's C and local Moran with
// spdep 1.2-7 on a second data set beside Columbus: the 1986 unemployment
// rate of the 48 states with splm's usaww (testdata/
// spdep_produc_unemp1986.json: moran.test with and without randomisation,
// geary.test, localmoran's first five I_i and Z_i), to 1e-10 relative.
func TestSpdepProducUnemp(t *testing.T) {
	shared := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(shared); err != nil {
		t.Skip("../shared is absent: the spdep comparison needs its Produc and usaww")
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "spdep_produc_unemp1986.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		I, EI, VarIRand, VarINorm, C, VarCRand float64
		Ii, Zi                                 []float64
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for k, dst := range map[string]any{"I": &ref.I, "EI": &ref.EI, "VI_rand": &ref.VarIRand, "VI_norm": &ref.VarINorm, "C": &ref.C, "VC_rand": &ref.VarCRand, "Ii": &ref.Ii, "Zi": &ref.Zi} {
		if err := json.Unmarshal(m[k], dst); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
	w, err := spatial.ReadWeightsFile(filepath.Join(shared, "usaww.csv"), "matrix")
	if err != nil {
		t.Fatal(err)
	}
	w, _ = w.Transform(spatial.RowStandardized)
	f, err := os.Open(filepath.Join(shared, "produc.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for j, h := range rows[0] {
		col[h] = j
	}
	x := make([]float64, w.N())
	ids := map[string]int{}
	for i, id := range w.IDs() {
		ids[id] = i
	}
	for _, r := range rows[1:] {
		if r[col["year"]] == "1986" {
			v, _ := strconv.ParseFloat(r[col["unemp"]], 64)
			x[ids[r[col["state"]]]] = v
		}
	}
	mi, err := spatial.Moran(x, w, spatial.TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gc, err := spatial.Geary(x, w, spatial.TestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lm, err := spatial.LocalMoran(x, w, spatial.LocalOptions{})
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
	for i := range ref.Ii {
		if !scalar.EqualWithinAbsOrRel(lm[i].Ii, ref.Ii[i], 1e-14, 1e-10) || !scalar.EqualWithinAbsOrRel(lm[i].Z, ref.Zi[i], 1e-14, 1e-10) {
			t.Errorf("region %d: I_i %.12g Z_i %.12g, spdep %.12g %.12g", i, lm[i].Ii, lm[i].Z, ref.Ii[i], ref.Zi[i])
		}
	}
}
