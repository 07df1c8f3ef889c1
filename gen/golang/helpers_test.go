package golang

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/gentest"
	"github.com/nlgen/nlgen/ir"
)

// sharedSpecs is the upstream spec folder beside the checkout.
const sharedSpecs = "../../../shared/specs/linux"

// requireShared skips when the upstream specs are not beside the checkout.
func requireShared(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(sharedSpecs); err != nil {
		t.Skipf("../shared/specs/linux is absent (%v): this test needs the shared folder beside the checkout", err)
	}
}

// generate runs the go target over every family of m.
func generate(t *testing.T, m *ir.Model, importPath string) []gen.File {
	t.Helper()
	files, err := Generate(&gen.Request{Model: m, Families: m.Families, Target: "go",
		Options: gen.Options{"import-path": importPath}})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return files
}

// writeFiles replaces dir with the generated files.
func writeFiles(t *testing.T, dir string, files []gen.File) {
	t.Helper()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	gentest.WriteFiles(t, dir, files)
}

// ovsFile is the file path (e.g. "ovsflow/types.go") of the Go the
// built-in config generates now, for tests that read generated text:
// they see a generator change before out/ is regenerated.
func ovsFile(t *testing.T, path string) string {
	t.Helper()
	for _, f := range generate(t, gentest.Model(t, "../../nlgen.yaml"), "github.com/nlgen/nlgen/out/go") {
		if f.Path == path {
			return string(f.Content)
		}
	}
	t.Fatalf("the built-in config generates no %s", path)
	return ""
}

// goCmd runs the go tool in the repository root and returns its stdout.
func goCmd(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && stderr.Len() > 0 {
		t.Logf("go %s: %s", strings.Join(args, " "), stderr.String())
	}
	return string(out), err
}

// vetForLinuxAndWindows runs go vet on the generated packages below dir
// for both operating systems the generated code targets.
func vetForLinuxAndWindows(t *testing.T, dir, what string) {
	t.Helper()
	for _, goos := range []string{"linux", "windows"} {
		if out, err := goCmd(t, []string{"GOOS=" + goos}, "vet", "./gen/golang/"+dir+"/..."); err != nil {
			t.Fatalf("%s do not vet for GOOS=%s: %v\n%s", what, goos, err, out)
		}
	}
}
