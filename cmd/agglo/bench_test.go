package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBenchSmall(t *testing.T) {
	code, out, errOut := runCLI(t, "bench", "--n", "400", "--t", "3", "--logdet", "eigen,cholesky,slq", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []benchRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("bad JSON %q: %v", out, err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	// The exact methods agree on ρ̂ (same likelihood up to rounding).
	if d := rows[0].Rho - rows[1].Rho; d > 1e-6 || d < -1e-6 {
		t.Errorf("eigen ρ̂ %g, cholesky ρ̂ %g", rows[0].Rho, rows[1].Rho)
	}
	for _, r := range rows {
		if r.N != 400 || r.T != 3 || r.TotalSec <= 0 || r.PeakHeapMiB <= 0 {
			t.Errorf("implausible row %+v", r)
		}
	}
}

func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "--logdet", "lu"},
		{"bench", "--n", "abc"},
		{"bench", "--t", "1"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != 2 || !strings.Contains(errOut, strings.TrimPrefix(args[1], "--")) {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}
