package nulljson

import (
	"encoding/json"
	"math"
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
