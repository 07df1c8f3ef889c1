package hostile

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// BenchmarkProcessGenerateDefault is what a build step pays: a fresh
// nlgen process (this checkout's, built once) running generate on the
// default config, startup and GC settings included.
func BenchmarkProcessGenerateDefault(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "nlgen")
	build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, "./cmd/nlgen")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	dir := cloneDefaultConfig(b)
	for _, mode := range []string{"cold", "warm"} {
		b.Run(mode, func(b *testing.B) {
			env := append(os.Environ(), "NLGEN_CACHE="+cacheSetting(b, mode))
			var maxRSS int64
			var cpu time.Duration
			runs := 0
			for b.Loop() {
				cmd := exec.Command(bin, "generate")
				cmd.Dir = dir
				cmd.Env = env
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("nlgen generate: %v\n%s", err, out)
				}
				if u, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					maxRSS = max(maxRSS, u.Maxrss)
				}
				// CPU time, not only wall time: on a shared machine the
				// wall time mostly measures the other processes.
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
				runs++
			}
			b.ReportMetric(float64(maxRSS)/1024, "peak-RSS-MB")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(runs), "cpu-ms/op")
		})
	}
}
