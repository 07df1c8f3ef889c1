package golang

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/gentest"
)

// behaviourModule is the temporary module TestBehaviour builds.
const behaviourModule = "nlgen.test/behaviour"

// TestBehaviour runs the behaviour tests of the generated Go
// (testdata/behaviour: round trips, malformed input, narrowed requests and
// replies, every kind, reused dumps) against packages this test generates
// now, the way stringer's end-to-end tests work: the OVS packages of the
// built-in config and the every-kind golden spec are generated into a
// temporary module whose go.mod replaces nlgen with this checkout, the
// tests are copied beside them with their imports pointed there, and one
// `go test` runs them all. A generator change is exercised before anyone
// regenerates out/; the committed golden files are for reviewing diffs.
func TestBehaviour(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a module and runs go test in it")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	outPath := behaviourModule + "/out"
	files := generate(t, gentest.Model(t, "../../nlgen.yaml"), outPath)
	files = append(files, generate(t, gentest.Specs(t, []string{"testdata/golden/kinds.yaml"}, ""), outPath)...)
	writeFiles(t, filepath.Join(dir, "out"), files)

	// The tests import the committed packages; here the same paths name
	// the packages just generated.
	rewrite := strings.NewReplacer(
		`"github.com/nlgen/nlgen/out/go/`, `"`+outPath+`/`,
		`"github.com/nlgen/nlgen/gen/golang/testdata/golden/out/`, `"`+outPath+`/`,
	)
	tests, err := filepath.Glob("testdata/behaviour/*_test.go")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no behaviour tests found: %v", err)
	}
	tests = append(tests, "messages_test.go") // the shared OVS messages
	var copied []gen.File
	for _, p := range tests {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		copied = append(copied, gen.File{Path: filepath.Base(p), Content: []byte(rewrite.Replace(string(src)))})
	}
	writeFiles(t, filepath.Join(dir, "behaviour"), copied)

	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(goMod)
	if goVersion == nil {
		t.Fatal("go.mod has no go line")
	}
	mod := "module " + behaviourModule + "\n\ngo " + string(goVersion[1]) + "\n\n" +
		"require github.com/nlgen/nlgen v0.0.0\n\nreplace github.com/nlgen/nlgen => " + root + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		t.Fatal(err)
	}
	if sum, err := os.ReadFile(filepath.Join(root, "go.sum")); err == nil {
		if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	cmd := exec.Command("go", "test", "-count=1", "-v", "./behaviour")
	cmd.Dir = dir
	// -mod=mod lets go record nlgen's own requirements in the temporary
	// go.mod; they are all in the module cache already.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in the generated module: %v\n%s", err, out)
	}
	// A test the copy lost would pass silently: count them.
	want := 0
	for _, f := range copied {
		want += strings.Count(string(f.Content), "\nfunc Test")
	}
	if got := len(regexp.MustCompile(`(?m)^--- PASS: Test`).FindAll(out, -1)); got != want {
		t.Errorf("%d behaviour tests passed, want %d:\n%s", got, want, out)
	}
}
