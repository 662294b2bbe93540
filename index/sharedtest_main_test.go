package index_test

import (
	"testing"

	"github.com/agglo/agglo/internal/sharedtest"
)

// TestMain prints one line with the number of tests that skipped because
// ../shared is absent (see package sharedtest).
func TestMain(m *testing.M) { sharedtest.Main(m, "agglo/index") }
