package spatial

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
)

// permutationP runs opts.Permutations random permutations of z through
// stat and returns the pseudo p-value (1 + #{as extreme})/(1 + R), "as
// extreme" meaning ≥ observed for Greater, ≤ for Less, and for TwoSided the
// smaller tail doubled (capped at 1). Permutation k uses the PCG stream
// (Seed, k): the result is the same for any number of workers.
func permutationP(z []float64, observed float64, opts TestOptions, stat func(zp, lag []float64) float64) float64 {
	r := opts.Permutations
	// Counts, not the simulated values, are kept: memory does not grow
	// with R, and sums of counts do not depend on the order of workers.
	var ge, le atomic.Int64
	parallelFor(r, opts.Workers, opts.Progress, func() func(k int) {
		zp := make([]float64, len(z))
		lag := make([]float64, len(z))
		return func(k int) {
			rng := rand.New(rand.NewPCG(opts.Seed, uint64(k)))
			copy(zp, z)
			rng.Shuffle(len(zp), func(i, j int) { zp[i], zp[j] = zp[j], zp[i] })
			s := stat(zp, lag)
			if s >= observed {
				ge.Add(1)
			}
			if s <= observed {
				le.Add(1)
			}
		}
	})
	switch opts.Alternative {
	case Less:
		return float64(1+le.Load()) / float64(1+r)
	case TwoSided:
		return math.Min(1, 2*float64(1+min(ge.Load(), le.Load()))/float64(1+r))
	}
	return float64(1+ge.Load()) / float64(1+r)
}

// parallelFor runs body(k) for k in [0, n) on workers goroutines. newBody
// is called once per worker to give it its own scratch space.
func parallelFor(n, workers int, progress func(done, total int), newBody func() func(k int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	const chunk = 16
	next := make(chan int)
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := newBody()
			for start := range next {
				end := min(start+chunk, n)
				for k := start; k < end; k++ {
					body(k)
				}
				if progress != nil {
					mu.Lock()
					done += end - start
					progress(done, n)
					mu.Unlock()
				}
			}
		}()
	}
	for start := 0; start < n; start += chunk {
		next <- start
	}
	close(next)
	wg.Wait()
}
