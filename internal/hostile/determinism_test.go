package hostile

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
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

// TestSameBytesHoweverTheConfigIsNamed: banners depend on
// the config's text and the files' paths relative to it, never on how -f
// is spelled. One config, with a spec and the overlay outside its folder
// ("../shared/..."), is generated with -f absolute, relative, from another
// folder, and through a symlinked folder; every run must write the same
// bytes, and `diff` must find nothing to change after any of them.
func TestSameBytesHoweverTheConfigIsNamed(t *testing.T) {
	t.Setenv("NLGEN_CACHE", "off") // render every run, not replay the first
	base := t.TempDir()
	proj := filepath.Join(base, "proj")
	clone := cloneDefaultConfig(t)
	require.NoError(t, os.Rename(clone, proj))
	shared := filepath.Join(base, "shared")
	require.NoError(t, os.MkdirAll(shared, 0o755))
	for _, f := range []string{"ovs_ct_limit.yaml", "windows.yaml"} {
		require.NoError(t, os.Rename(filepath.Join(proj, "schema", "ovs", f), filepath.Join(shared, f)))
	}
	cfg, err := os.ReadFile(filepath.Join(proj, "nlgen.yaml"))
	require.NoError(t, err)
	text := strings.NewReplacer(
		"- schema/ovs/ovs_ct_limit.yaml", "- ../shared/ovs_ct_limit.yaml",
		"windows: schema/ovs/windows.yaml", "windows: ./../shared/windows.yaml",
		"- schema/ovs/ovs_flow.yaml", "- ./schema/ovs/ovs_flow.yaml",
	).Replace(string(cfg))
	require.NotEqual(t, string(cfg), text)
	require.NoError(t, os.WriteFile(filepath.Join(proj, "nlgen.yaml"), []byte(text), 0o644))
	elsewhere := filepath.Join(base, "elsewhere")
	require.NoError(t, os.MkdirAll(elsewhere, 0o755))
	link := filepath.Join(elsewhere, "link")
	require.NoError(t, os.Symlink("../proj", link))

	code, _, stderr := runCLI(t, "generate", "-f", filepath.Join(proj, "nlgen.yaml"))
	require.Equal(t, cli.ExitOK, code, stderr)
	want := outputs(t, proj)
	require.NotEmpty(t, want)
	// Paths are shown as the config gives them, cleaned.
	assert.True(t, strings.Contains(want["include/linux/openvswitch.h"], " schema/ovs/ovs_flow.yaml, "), "uapi banner names ./schema/ovs/ovs_flow.yaml as written, cleaned")
	assert.True(t, strings.Contains(want["docs/ovs_ct_limit.md"], "| Spec | `../shared/ovs_ct_limit.yaml` |"), "a spec outside the config's folder is shown relative to it")

	for _, run := range []struct{ name, cwd, file string }{
		{"relative", proj, "nlgen.yaml"},
		{"from another folder", elsewhere, "../proj/nlgen.yaml"},
		{"inside a symlinked folder", link, "nlgen.yaml"},
		{"absolute through the symlink", base, filepath.Join(link, "nlgen.yaml")},
		{"relative through the symlink", base, "elsewhere/link/./nlgen.yaml"},
	} {
		t.Run(run.name, func(t *testing.T) {
			t.Chdir(run.cwd)
			code, _, stderr := runCLI(t, "diff", "-f", run.file)
			assert.Equal(t, cli.ExitOK, code, "nlgen diff -f %s from %s reports drift:\n%s", run.file, run.cwd, stderr)
			require.NoError(t, os.RemoveAll(filepath.Join(proj, "out")))
			code, _, stderr = runCLI(t, "generate", "-f", run.file)
			require.Equal(t, cli.ExitOK, code, stderr)
			got := outputs(t, proj)
			assert.Len(t, got, len(want))
			for name, w := range want {
				if got[name] != w {
					g, _, _ := strings.Cut(got[name], "\n-->")
					t.Errorf("%s differs from the run with -f absolute; it starts %.300q", name, g)
				}
			}
		})
	}
}
