package hostile

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/internal/cli"
)

// cloneDefaultConfig copies nlgen.yaml and the specs it names into a
// fresh folder, as a clean clone elsewhere on disk would have them.
func cloneDefaultConfig(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	copyFile(t, filepath.Join(repoRoot, "nlgen.yaml"), filepath.Join(dir, "nlgen.yaml"))
	specs, err := filepath.Glob(filepath.Join(repoRoot, "schema", "ovs", "*.yaml"))
	require.NoError(t, err)
	for _, s := range specs {
		copyFile(t, s, filepath.Join(dir, "schema", "ovs", filepath.Base(s)))
	}
	return dir
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
	require.NoError(t, os.WriteFile(to, b, 0o644))
}

// outputs reads every generated file below dir/out by relative path.
func outputs(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	root := filepath.Join(dir, "out")
	require.NoError(t, filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	}))
	return out
}

func generateIn(t *testing.T, dir string) map[string]string {
	t.Helper()
	code, _, stderr := runCLI(t, "generate", "-f", filepath.Join(dir, "nlgen.yaml"))
	require.Equal(t, cli.ExitOK, code, stderr)
	return outputs(t, dir)
}

func TestGenerationIsIndependentOfFolderAndRun(t *testing.T) {
	first := generateIn(t, cloneDefaultConfig(t))
	require.NotEmpty(t, first)
	// Go randomises map iteration on every range, so a map leaking into
	// output shows up between runs of one process, too.
	for i := 0; i < 3; i++ {
		assert.Equal(t, first, generateIn(t, cloneDefaultConfig(t)), "run %d in another folder differs", i+2)
	}
	// The committed outputs were generated in yet another folder.
	assert.Equal(t, first, outputs(t, repoRoot), "the committed out/ differs from a fresh generation; run make generate")
}

// TestGenerationIsIndependentOfArchitecture builds nlgen for a 32-bit
// architecture that runs on this amd64 machine (386) and compares its
// output with the in-process 64-bit run: int sizes, alignment arithmetic
// and hashing must not leak into files. GOOS=windows binaries cannot run
// here; the Windows build is covered by `GOOS=windows go vet` in make test.
func TestGenerationIsIndependentOfArchitecture(t *testing.T) {
	if runtime.GOARCH != "amd64" || runtime.GOOS != "linux" {
		t.Skipf("needs linux/amd64 to run a linux/386 binary; this is %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	bin := filepath.Join(t.TempDir(), "nlgen-386")
	build := exec.Command(goTool, "build", "-o", bin, "./cmd/nlgen")
	build.Dir = repoRoot
	build.Env = append(os.Environ(), "GOARCH=386", "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	want := generateIn(t, cloneDefaultConfig(t))
	dir := cloneDefaultConfig(t)
	run := exec.Command(bin, "generate", "-f", "nlgen.yaml")
	run.Dir = dir
	out, err = run.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Equal(t, want, outputs(t, dir))
}
