package hostile

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/internal/cli"
	"github.com/nlgen/nlgen/internal/ctest"
)

// acceptedDir holds specs at the edges of what YNL allows (values past
// INT_MAX, empty enums, names that collide only in C): nlgen must load
// them, and every output it then renders must build.
var acceptedDir = filepath.Join(repoRoot, "testdata", "accepted")

// buildOutputs generates the given targets for specs into a fresh folder
// and builds what came out: every uapi header with gcc and mingw-w64
// under ctest.Flags, every Go package with go vet for linux and windows.
func buildOutputs(t *testing.T, specs []string, targets string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "version: 1\nspecs:\n"
	for _, s := range specs {
		copyFile(t, s, filepath.Join(dir, filepath.Base(s)))
		cfg += "  - " + filepath.Base(s) + "\n"
	}
	cfg += "outputs:\n" + targets
	require.NoError(t, os.WriteFile(filepath.Join(dir, "nlgen.yaml"), []byte(cfg), 0o644))
	code, _, stderr := runCLI(t, "generate", "-f", filepath.Join(dir, "nlgen.yaml"))
	require.Equal(t, cli.ExitOK, code, stderr)

	hdrs, _ := filepath.Glob(filepath.Join(dir, "out", "include", "linux", "*.h"))
	if len(hdrs) > 0 {
		var tu strings.Builder
		for _, h := range hdrs {
			fmt.Fprintf(&tu, "#include \"linux/%s\"\n", filepath.Base(h))
		}
		tuPath := filepath.Join(dir, "tu.c")
		require.NoError(t, os.WriteFile(tuPath, []byte(tu.String()), 0o644))
		inc := filepath.Join(dir, "out", "include")
		ctest.Compile(t, ctest.GCC, "-fsyntax-only", "-I", inc, tuPath)
		ctest.Compile(t, ctest.MinGW, "-fsyntax-only", "-I", inc, "-I", ctest.LinuxTypes(t), tuPath)
	}
	if pkgs, _ := filepath.Glob(filepath.Join(dir, "out", "go", "*", "consts.go")); len(pkgs) > 0 {
		t.Logf("vetting %d generated Go packages", len(pkgs))
		repo, err := filepath.Abs(repoRoot)
		require.NoError(t, err)
		gomod := fmt.Sprintf("module example.com/accepted\n\ngo 1.26\n\nrequire github.com/nlgen/nlgen v0.0.0\n\nreplace github.com/nlgen/nlgen => %s\n", repo)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
		copyFile(t, filepath.Join(repoRoot, "go.sum"), filepath.Join(dir, "go.sum"))
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		for _, goos := range []string{"linux", "windows"} {
			cmd := exec.Command(goTool, "vet", "./...")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOOS="+goos, "GOFLAGS=-mod=mod", "GOPROXY=off")
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "GOOS=%s go vet: %s", goos, out)
		}
	}
	return dir
}

const allSpecTargets = `  - {target: c-uapi, dir: out/include}
  - {target: go, dir: out/go, options: {import-path: example.com/accepted/out/go}}
  - {target: docs, dir: out/docs}
`

// TestAcceptedSpecsBuild: the edge specs that render in C render in
// every target, and the results compile and vet.
func TestAcceptedSpecsBuild(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join(acceptedDir, "*.yaml"))
	require.NoError(t, err)
	var all []string
	for _, s := range specs {
		if !strings.HasPrefix(filepath.Base(s), "c-collision-") {
			all = append(all, s)
		}
	}
	require.NotEmpty(t, all)
	buildOutputs(t, all, allSpecTargets)
}
