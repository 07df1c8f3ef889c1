// Package allocs measures what a call allocates, for the tests that hold a
// benchmark's floor (the allocations a fresh decode keeps) to the decode
// it stands for.
package allocs

import (
	"math"
	"runtime"
	"testing"
)

// PerCall is the allocations and bytes one call of fn makes. The
// process-wide counters also see other goroutines (parallel tests, the
// runtime), which can only add, so the least of a few tries is fn's own.
func PerCall(fn func()) (count float64, bytes uint64) {
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
