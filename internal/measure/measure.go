// Package measure holds what the benchmarks that compare nlgen with a
// baseline share: the allocations a call makes (for the tests that hold
// a fresh decode's floor to the decode it stands for) and the time it
// takes, for rounds that alternate the sides on a shared machine.
package measure

import (
	"math"
	"runtime"
	"slices"
	"testing"
	"time"
)

// Allocs is the allocations and bytes one call of fn makes. The
// process-wide counters also see other goroutines (parallel tests, the
// runtime), which can only add, so the least of a few tries is fn's own.
func Allocs(fn func()) (count float64, bytes uint64) {
	const runs, tries = 100, 5
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	count, bytes = math.Inf(1), math.MaxUint64
	for range tries {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range runs {
			fn()
		}
		runtime.ReadMemStats(&after)
		bytes = min(bytes, (after.TotalAlloc-before.TotalAlloc)/runs)
		count = min(count, testing.AllocsPerRun(runs, fn))
	}
	return count, bytes
}

// NsPerCall is fn's time per call over a batch that runs longer than
// least. (testing.Benchmark cannot time it inside a running benchmark: it
// would wait on the lock the running one holds.)
func NsPerCall(fn func() error, least time.Duration) float64 {
	for n := 100; ; n *= 4 {
		start := time.Now()
		for range n {
			_ = fn()
		}
		if d := time.Since(start); d > least {
			return float64(d.Nanoseconds()) / float64(n)
		}
	}
}

// Median is the median of xs (the upper one of an even count), 0 for
// none; it sorts xs.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}
