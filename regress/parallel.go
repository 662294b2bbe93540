package regress

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// forEach runs fn(c) for c = 0 … m−1 on up to runtime.GOMAXPROCS(0)
// goroutines (serially when m < 2 or one processor). Every fn(c) must
// write only its own results: sums over c are then formed by the caller
// in the order of c, so that the results do not depend on the number of
// goroutines or their scheduling.
func forEach(m int, fn func(c int)) {
	workers := min(runtime.GOMAXPROCS(0), m)
	if workers < 2 {
		for c := 0; c < m; c++ {
			fn(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	work := func() {
		for {
			c := int(next.Add(1) - 1)
			if c >= m {
				return
			}
			fn(c)
		}
	}
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}
