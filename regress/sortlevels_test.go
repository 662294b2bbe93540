package regress

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestSortFuncParallel checks the two-goroutine sort of long level lists
// against slices.SortFunc: the same order for distinct labels (region
// IDs as strings, and as numbers through sortLevelsBy), at lengths around
// the parallel threshold, odd and even.
func TestSortFuncParallel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{10, parallelRows - 1, parallelRows, parallelRows + 1, 3*parallelRows + 7} {
		seen := map[string]bool{}
		labels := make([]string, 0, n)
		for len(labels) < n {
			s := fmt.Sprintf("r%dc%d", rng.IntN(4*n), rng.IntN(50))
			if !seen[s] {
				seen[s] = true
				labels = append(labels, s)
			}
		}
		want := slices.Clone(labels)
		slices.SortFunc(want, strings.Compare)
		got := slices.Clone(labels)
		sortFuncParallel(got, strings.Compare)
		if !slices.Equal(got, want) {
			t.Errorf("n = %d: the parallel sort differs from slices.SortFunc", n)
		}
		// Numbers, sorted by value then text (sortLevelsBy's order).
		nums := make([]string, n)
		for i := range nums {
			nums[i] = fmt.Sprint(i*7919%n - n/2)
		}
		byValue := slices.Clone(nums)
		sortLevels(byValue)
		for i := 1; i < n; i++ {
			var a, b int
			fmt.Sscan(byValue[i-1], &a)
			fmt.Sscan(byValue[i], &b)
			if a >= b {
				t.Fatalf("n = %d: numeric levels out of order at %d: %s then %s", n, i, byValue[i-1], byValue[i])
			}
		}
	}
}
