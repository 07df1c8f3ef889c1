package hostile

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/internal/cli"
	"github.com/nlgen/nlgen/internal/ctest"
	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/schema"
)

// testdata/escaping.yaml puts comment terminators and openers, quotes,
// backslashes (one before a line break), trigraphs, tabs, "#error" lines
// and non-ASCII text into every doc and string the C header renders, and
// names attributes, members, entries and an operation after C and Go
// keywords (type, do, auto, int, struct, default, go, func). Upstream
// specs use such names, so nlgen renames instead of rejecting: the rule,
// documented in docs/hardening.md, is tested here by compiling the result.

// escapingWorkspace generates the C header and, when the go target is
// registered, the Go package for testdata/escaping.yaml.
func escapingWorkspace(t *testing.T) (dir string) {
	t.Helper()
	dir = t.TempDir()
	copyFile(t, filepath.Join("testdata", "escaping.yaml"), filepath.Join(dir, "escaping.yaml"))
	cfg := "version: 1\nspecs: [escaping.yaml]\noutputs:\n  - {target: c-uapi, dir: out/include}\n"
	if hasTarget("go") {
		cfg += "  - {target: go, dir: out/go, options: {import-path: example.com/escaping/out/go}}\n"
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "nlgen.yaml"), []byte(cfg), 0o644))
	code, _, stderr := runCLI(t, "generate", "-f", filepath.Join(dir, "nlgen.yaml"))
	require.Equal(t, cli.ExitOK, code, stderr)
	return dir
}

func hasTarget(name string) bool { return pipeline.Generators()[name] != nil }

// trickyConst is the string const of escaping.yaml, read back from the
// spec so the test and the fixture cannot disagree.
func trickyConst(t *testing.T) string {
	t.Helper()
	s, err := schema.LoadSpecFile(filepath.Join("testdata", "escaping.yaml"))
	require.NoError(t, err)
	for _, d := range s.Definitions {
		if d.Name == "tricky" {
			return d.Value.Name
		}
	}
	t.Fatal("escaping.yaml lost its const named tricky")
	return ""
}

func TestHostileTextCompilesAsC(t *testing.T) {
	dir := escapingWorkspace(t)
	prog := filepath.Join(dir, "check.c")
	// The program uses every renamed member and prints the string const, so
	// the test proves both that nothing leaked out of a comment (the
	// "#error" lines would stop the build) and that the string survives
	// escaping byte for byte.
	require.NoError(t, os.WriteFile(prog, []byte(`#include <stdio.h>
#include "linux/escaping.h"

_Static_assert(ESCAPING_A_MAIN_TYPE == 1, "attribute ids start at 1");
_Static_assert(ESCAPING_CMD_DO == 1, "the operation named do");

int main(void)
{
	struct hdr h = { .auto_ = 1, .do_ = 2, .int_ = 3, .struct_ = 4, .type = 5 };
	struct auto_ a = { .default_ = 0 };
	fputs(ESCAPING_TRICKY, stdout);
	return (int)(h.auto_ + h.do_ + h.int_ + h.struct_ + h.type + a.default_) - 15 + ESCAPING_KIND_DEFAULT + ESCAPING_A_MAIN_SWITCH - 7;
}
`), 0o644))
	bin := filepath.Join(dir, "check")
	ctest.Compile(t, ctest.GCC, "-I", filepath.Join(dir, "out", "include"), "-o", bin, prog)
	ctest.Compile(t, ctest.MinGW, "-I", filepath.Join(dir, "out", "include"), "-I", ctest.LinuxTypes(t), "-c", "-o", bin+".obj", prog)
	out, err := exec.Command(bin).Output()
	require.NoError(t, err)
	assert.Equal(t, trickyConst(t), string(out))

	header, err := os.ReadFile(filepath.Join(dir, "out", "include", "linux", "escaping.h"))
	require.NoError(t, err)
	assert.NotContains(t, string(header), "é", "non-ASCII text is escaped, not copied")
	assert.Contains(t, string(header), `h\u00e9llo \u2192 \u65e5\u672c`)
}

// TestHostileTextBuildsAsGo compiles the Go package generated from the same
// spec in a throwaway module that uses this checkout's runtime.
func TestHostileTextBuildsAsGo(t *testing.T) {
	if !hasTarget("go") {
		t.Fatal("the go target is not registered; this test builds its output")
	}
	dir := escapingWorkspace(t)
	repo, err := filepath.Abs(repoRoot)
	require.NoError(t, err)
	gomod := fmt.Sprintf("module example.com/escaping\n\ngo 1.26\n\nrequire github.com/nlgen/nlgen v0.0.0\n\nreplace github.com/nlgen/nlgen => %s\n", repo)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	copyFile(t, filepath.Join(repoRoot, "go.sum"), filepath.Join(dir, "go.sum"))
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, goos := range []string{"linux", "windows"} {
		cmd := exec.Command(goTool, "build", "./...")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOFLAGS=-mod=mod", "GOPROXY=off")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		require.NoError(t, cmd.Run(), "GOOS=%s go build: %s", goos, stderr.String())
	}
	// the string const survives Go quoting byte for byte
	main := "package main\n\nimport (\n\t\"os\"\n\n\t\"example.com/escaping/out/go/escaping\"\n)\n\nfunc main() { os.Stdout.WriteString(escaping.Tricky) }\n"
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "cmd", "tricky"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cmd", "tricky", "main.go"), []byte(main), 0o644))
	cmd := exec.Command(goTool, "run", "./cmd/tricky")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.Equal(t, trickyConst(t), string(out))
}
