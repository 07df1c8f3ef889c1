package hostile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/internal/cli"
)

// The benchmarks time `nlgen generate` in-process, from reading the
// config to comparing every output with the disk. The first iteration
// writes the outputs; the later ones find them current and write nothing,
// which is the common case in a build. `make bench` runs them all.

// benchGenerate runs generate b.N times and reports the cost per KB of
// spec text: constant across sizes means linear growth.
func benchGenerate(b *testing.B, cfgPath string, specBytes int) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if code := cli.Run([]string{"generate", "-f", cfgPath}, io.Discard, io.Discard); code != cli.ExitOK {
			b.Fatalf("nlgen generate exited %d", code)
		}
	}
	b.StopTimer()
	if specBytes > 0 {
		perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
		b.ReportMetric(float64(specBytes)/1024, "spec-KB")
		b.ReportMetric(perOp/1e3/(float64(specBytes)/1024), "µs/spec-KB")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-MB")
	}
}

// BenchmarkGenerateDefault is nlgen.yaml as shipped: every OVS spec, the
// Windows overlay and all targets. Target: under 100 ms on 2 cores.
// "cold" renders everything (NLGEN_CACHE=off); "warm" is the usual build
// step, where unchanged inputs are served from the generator cache.
func BenchmarkGenerateDefault(b *testing.B) {
	dir := cloneDefaultConfig(b)
	for _, mode := range []string{"cold", "warm"} {
		b.Run(mode, func(b *testing.B) {
			b.Setenv("NLGEN_CACHE", cacheSetting(b, mode))
			benchGenerate(b, filepath.Join(dir, "nlgen.yaml"), specBytesOf(b, filepath.Join(dir, "schema", "ovs", "*.yaml")))
		})
	}
}

// cacheSetting is NLGEN_CACHE for a benchmark mode: off, or a fresh folder
// that the first iteration fills.
func cacheSetting(b *testing.B, mode string) string {
	if mode == "cold" {
		return "off"
	}
	return b.TempDir()
}

// BenchmarkGenerateUpstream runs the c-uapi, go and docs targets over
// every upstream spec in ../shared/specs/linux (the Windows targets need
// an overlay, which upstream specs do not have).
func BenchmarkGenerateUpstream(b *testing.B) {
	specs, _ := filepath.Glob(filepath.Join(repoRoot, "..", "shared", "specs", "linux", "*.yaml"))
	if len(specs) == 0 {
		b.Skip("../shared/specs/linux is absent: the upstream benchmark needs the shared folder beside the checkout")
	}
	b.Setenv("NLGEN_CACHE", "off")
	benchGenerate(b, upstreamConfig(b, specs), specBytesOf(b, filepath.Join(repoRoot, "..", "shared", "specs", "linux", "*.yaml")))
}

// BenchmarkGenerateSynthetic grows one spec from the size of ovs_flow to
// 100 times it; compare the µs/spec-KB and B/op columns between sizes.
func BenchmarkGenerateSynthetic(b *testing.B) {
	for _, times := range []int{1, 10, 100} {
		b.Run(sizeName(times), func(b *testing.B) {
			b.Setenv("NLGEN_CACHE", "off")
			cfg, n := synthWorkspace(b, times)
			benchGenerate(b, cfg, n)
		})
	}
}

func sizeName(times int) string { return fmt.Sprintf("ovs_flow-x%d", times) }

// specBytesOf sums the sizes of the files matching glob.
func specBytesOf(t testing.TB, glob string) int {
	t.Helper()
	files, err := filepath.Glob(glob)
	require.NoError(t, err)
	total := 0
	for _, f := range files {
		info, err := os.Stat(f)
		require.NoError(t, err)
		total += int(info.Size())
	}
	return total
}

// upstreamConfig writes a config over the given specs (absolute paths).
func upstreamConfig(t testing.TB, specs []string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "version: 1\nspecs:\n"
	for _, s := range specs {
		abs, err := filepath.Abs(s)
		require.NoError(t, err)
		cfg += fmt.Sprintf("  - %q\n", filepath.ToSlash(abs))
	}
	cfg += "outputs:\n  - {target: c-uapi, dir: out/include}\n" +
		"  - {target: go, dir: out/go, options: {import-path: example.com/upstream}}\n" +
		"  - {target: docs, dir: out/docs}\n"
	p := filepath.Join(dir, "nlgen.yaml")
	require.NoError(t, os.WriteFile(p, []byte(cfg), 0o644))
	return p
}

// TestGrowthIsLinear guards the benchmarks' headline in every `make test`:
// ten times the spec (5 to 50 times ovs_flow) may cost at most twenty times the time (quadratic
// growth would be a hundred). Minimums of three runs damp noise.
func TestGrowthIsLinear(t *testing.T) {
	// Work is counted in bytes allocated, not seconds: a timed test fails
	// on a loaded machine, while allocation grows with what nlgen does
	// (parsing, resolving, rendering, gofmt) and is the same on every run.
	// Speed itself is the benchmarks' job.
	t.Setenv("NLGEN_CACHE", "off") // render, never replay an earlier run
	measure := func(times int) uint64 {
		cfg, _ := synthWorkspace(t, times)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		code, _, stderr := runCLI(t, "generate", "-f", cfg)
		runtime.ReadMemStats(&after)
		require.Equal(t, cli.ExitOK, code, stderr)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := measure(5), measure(50)
	ratio := float64(large) / float64(small)
	t.Logf("ovs_flow x5: %d B, x50: %d B allocated, ratio %.1f (linear: 10)", small, large, ratio)
	require.Less(t, ratio, 20.0, "generation work grows faster than linearly with spec size")
}
