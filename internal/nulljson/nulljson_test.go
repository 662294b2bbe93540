package nulljson

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

type inner struct {
	X float64 `json:"x"`
}

type sample struct {
	Name   string             `json:"name"`
	V      float64            `json:"v"`
	P      *float64           `json:"p"`
	Q      *float64           `json:"q,omitempty"`
	M      map[string]float64 `json:"m"`
	S      []float64          `json:"s"`
	A      map[string]any     `json:"a"`
	I      []inner            `json:"i"`
	Hidden float64            `json:"-"`
	N      int                `json:"n,omitempty"`
}

// TestMarshalMatchesEncodingJSON: for finite values the bytes are
// encoding/json's (the format the results had before).
func TestMarshalMatchesEncodingJSON(t *testing.T) {
	p := 2.5
	v := sample{Name: "a<b", V: 1e-7, P: &p, M: map[string]float64{"z": 1, "a": 1e21}, S: []float64{0.1, -3},
		A: map[string]any{"k": 1.5, "s": "x"}, I: []inner{{1}, {2}}, N: 3}
	want, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, err := MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

// TestAppendFloatMatchesEncodingJSON: every finite float is written as
// encoding/json writes it (its 'f' and 'e' forms and their boundaries,
// subnormals, the extremes, random bit patterns), −0 as 0.
func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	vals := []float64{0, 1, -1, 0.1, 1e-6, 9.999999999999999e-7, 1e-7, -1e-7, 1e20, 1e21, 9.999999999999999e20, -1e21,
		1.5e-10, 1e-100, 1e100, 1.7976931348623157e308, 5e-324, -5e-324, 2.2250738585072014e-308, 123456789.123,
		1e-5, 12345678901234567890.0, math.Pi, -math.E}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		if v := math.Float64frombits(rng.Uint64()); !math.IsNaN(v) && !math.IsInf(v, 0) {
			vals = append(vals, v)
		}
		vals = append(vals, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(60)-30)))
	}
	for _, v := range vals {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendFloat(nil, v); string(got) != string(want) {
			t.Fatalf("AppendFloat(%v) = %s, want %s", v, got, want)
		}
	}
	if got := Float(math.Copysign(0, -1)); got != "0" {
		t.Errorf("−0 written %s, want 0", got)
	}
	// A []float64 through the encoder's fast path, as encoding/json.
	want, _ := json.Marshal(vals)
	got, err := Marshal(vals)
	if err != nil || string(got) != string(want) {
		t.Errorf("[]float64 encoded differently (%v)", err)
	}
}

func TestNonFiniteIsNullAndBack(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	v := sample{V: nan, P: &inf, M: map[string]float64{"r2": math.Inf(-1)}, S: []float64{nan, 1}, A: map[string]any{"f": nan}, I: []inner{{nan}}}
	b, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"","v":null,"p":null,"m":{"r2":null},"s":[null,1],"a":{"f":null},"i":[{"x":null}]}`
	if string(b) != want {
		t.Fatalf("got %s\nwant %s", b, want)
	}
	var back sample
	if err := Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.V) || back.P != nil || !math.IsNaN(back.M["r2"]) || !math.IsNaN(back.S[0]) || back.S[1] != 1 || !math.IsNaN(back.I[0].X) {
		t.Fatalf("decoded %+v", back)
	}
	if Float(math.Inf(-1)) != "null" || Float(0.25) != "0.25" || Float(math.Copysign(0, -1)) != "0" {
		t.Fatal("Float")
	}
}
