package csvin

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// checkParseFloat fails when parseFloat accepts s but differs from
// strconv.ParseFloat in any bit, or accepts what strconv refuses.
func checkParseFloat(t *testing.T, s string) bool {
	t.Helper()
	got, ok := parseFloat([]byte(s))
	if !ok {
		return false
	}
	want, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		t.Fatalf("parseFloat(%q) = %v, strconv refuses it: %v", s, got, err)
	}
	if math.Float64bits(got) != math.Float64bits(want) {
		t.Fatalf("parseFloat(%q) = %v (%#x), strconv %v (%#x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
	}
	return true
}

// TestParseFloatMatchesStrconv compares the in-place number parser with
// strconv.ParseFloat bit for bit on the shortest and fixed-precision forms
// of random float64 values (all exponents), random digit strings, and
// edge cases; it also checks that the fast paths take most of them.
func TestParseFloatMatchesStrconv(t *testing.T) {
	for _, s := range []string{"0", "-0", "+0", "0.0", "00", "007", "1", "-1", "+1.5", ".5", "5.", "-.5e1",
		"1e22", "1e23", "9007199254740993", "9007199254740992", "18446744073709551615", "1234567890123456789",
		"12345678901234567890", "0.1", "0.30000000000000004", "1e-324", "5e-324", "4.9e-324", "2.2250738585072011e-308",
		"1.7976931348623157e308", "1.7976931348623159e308", "1e400", "-1e400", "1e-400", "1E5", "1e+05", "1e", "1e+",
		"e5", ".", "-", "+", "", "1.2.3", "1_0", "0x1p-2", "inf", "NaN", "1,5", " 1", "1 ", "--1", "1e-0", "0e99999",
		"123456789012345678e-30", "9.999999999999999e22", "8.98846567431158e307", "2.5", "0.1e-99", "1e-100", "1e100", "1e101"} {
		checkParseFloat(t, s)
	}
	rng := rand.New(rand.NewPCG(16, 16))
	fast, n := 0, 0
	for i := 0; i < 200000; i++ {
		var x float64
		switch i % 4 {
		case 0:
			x = rng.NormFloat64()
		case 1:
			x = math.Float64frombits(rng.Uint64())
		case 2:
			x = float64(rng.IntN(1000000)) / 100
		default:
			x = rng.ExpFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		for _, s := range []string{strconv.FormatFloat(x, 'g', -1, 64), strconv.FormatFloat(x, 'e', rng.IntN(20), 64),
			strconv.FormatFloat(x, 'f', rng.IntN(8), 64), strings.ToUpper(strconv.FormatFloat(x, 'e', -1, 64))} {
			n++
			if checkParseFloat(t, s) {
				fast++
			}
		}
	}
	if fast < n/2 {
		t.Errorf("fast paths took %d of %d numbers", fast, n)
	}
	// Random digit strings: long mantissas, halfway cases, exponents.
	for i := 0; i < 100000; i++ {
		var b []byte
		for d := rng.IntN(22) + 1; d > 0; d-- {
			b = append(b, byte('0'+rng.IntN(10)))
		}
		if rng.IntN(2) == 0 {
			p := rng.IntN(len(b) + 1)
			b = append(b[:p], append([]byte{'.'}, b[p:]...)...)
		}
		if rng.IntN(2) == 0 {
			b = append(b, 'e')
			b = strconv.AppendInt(b, int64(rng.IntN(700)-350), 10)
		}
		checkParseFloat(t, string(b))
	}
}

// FuzzParseFloat compares parseFloat with strconv.ParseFloat on any text.
func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"0", "-1.5e-7", "0.9063577669680134", "1e23", "9007199254740993", "1e-324", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkParseFloat(t, s) })
}

// TestPow10Tab checks entries of the table against Go's own
// (src/internal/strconv/pow10tab.go, Go 1.26).
func TestPow10Tab(t *testing.T) {
	for e, want := range map[int][2]uint64{
		-37: {0x881cea14545c7575, 0x7e50d64177da2e54},
		-25: {0xf79687aed3eec551, 0x3a83ddbd83f52204},
		-1:  {0xcccccccccccccccc, 0xcccccccccccccccc},
		0:   {0x8000000000000000, 0},
		23:  {0xa968163f0a57b400, 0},
		28:  {0x813f3978f8940984, 0x4000000000000000},
	} {
		if got := pow10Tab[e-pow10Min]; got != want {
			t.Errorf("1e%d: %#x, want %#x", e, got, want)
		}
	}
}
