package hostile

import (
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/ctest"
	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// A spec the loader accepts must give outputs that build. FuzzGenerate
// runs every spec-only generator, go included, on mutated specs the
// loader and resolver accept, and checks that the C headers compile with
// gcc under the project's flags and that the Go files parse. gcc and
// go/format cost tens of milliseconds, so while fuzzing they run on one
// accepted input in buildSampleEvery; TestMutatedSpecsBuild runs the same
// checks on every input of a fixed set in each `go test`.

const buildSampleEvery = 50

var accepted atomic.Int64

func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

func FuzzGenerate(f *testing.F) {
	addProgramSeeds(f)
	f.Fuzz(func(t *testing.T, prog []byte) {
		src, err := mutateSpec(prog)
		if err != nil {
			return
		}
		m := acceptedModel(t, src)
		if m == nil {
			return
		}
		if fuzzing() && accepted.Add(1)%buildSampleEvery != 0 {
			generateAll(t, m, slowUnderFuzzing)
			return
		}
		dir := t.TempDir()
		files := renderForBuild(t, m)
		if msg := compileC(t, dir, files, src); msg != "" {
			t.Fatal(msg)
		}
	})
}

// TestMutatedSpecsBuild: 240 fixed one- and two-edit programs over the
// seed specs (more edits rarely leave a spec the loader accepts);
// every spec the loader accepts must give C that compiles and Go that
// vets for linux and windows. One gcc run checks all headers and one go
// vet per GOOS all packages, so the test stays fast.
func TestMutatedSpecsBuild(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	dir := t.TempDir()
	var all []renderedSpec
	var models []*ir.Model
	n := 0
	for i := range 240 {
		prog := make([]byte, 1+4*(1+r.IntN(2)))
		for j := range prog {
			prog[j] = byte(r.UintN(256))
		}
		prog[0] = byte(i)
		src, err := mutateSpec(prog)
		if err != nil {
			continue
		}
		m := acceptedModel(t, src)
		if m == nil {
			continue
		}
		n++
		all = append(all, renderedSpec{name: fmt.Sprintf("p%03d", i), src: src, files: renderForBuild(t, m)})
		models = append(models, m)
	}
	t.Logf("%d of 240 mutated specs accepted", n)
	require.Greater(t, n, 25, "enough edit programs must leave a spec the loader accepts for the check to mean something")
	if msg := compileCAll(t, dir, all); msg != "" {
		t.Fatal(msg)
	}
	vetGoAll(t, all, models)
}

type renderedSpec struct {
	name  string
	src   []byte
	files []gen.File
}

func acceptedModel(t *testing.T, src []byte) *ir.Model {
	spec, err := schema.LoadSpec(fuzzFile, src)
	checkDiagnostics(t, err)
	if err != nil {
		return nil
	}
	m, err := ir.Resolve([]ir.Source{{Spec: spec, DisplayPath: fuzzFile}}, nil, "")
	checkDiagnostics(t, err)
	if err != nil {
		return nil
	}
	return m
}

// renderForBuild runs the targets that render from specs alone; the Go
// files must parse (go vet and builds of real outputs are the corpus and
// escaping tests' job; parsing is what a fuzzer can afford).
func renderForBuild(t *testing.T, m *ir.Model) []gen.File {
	t.Helper()
	var out []gen.File
	for _, name := range []string{"c-uapi", "go", "docs"} {
		g := pipeline.Generators()[name]
		if g == nil {
			t.Fatalf("target %s is not registered", name)
		}
		files, err := g.Generate(&gen.Request{Model: m, Families: m.Families, Options: targetOptions(name), Target: name})
		if err != nil {
			if isCRefusal(err) {
				// A name collision concerns the targets that would print
				// both names; they refuse at the spec entry, writing nothing.
				continue
			}
			t.Fatalf("%s rejected a model the resolver accepted: %v", name, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f.Path, ".go") {
				if _, err := parser.ParseFile(token.NewFileSet(), f.Path, f.Content, parser.AllErrors); err != nil {
					t.Fatalf("%s: generated Go does not parse: %v\n%s", f.Path, err, f.Content)
				}
			}
		}
		out = append(out, files...)
	}
	return out
}

func compileC(t *testing.T, dir string, files []gen.File, src []byte) string {
	return compileCAll(t, dir, []renderedSpec{{name: "p", src: src, files: files}})
}

// compileCAll writes each spec's headers under its own include folder and
// a .c file including them, then checks them all in one gcc run; it
// returns gcc's complaint with the specs it concerns.
func compileCAll(t *testing.T, dir string, specs []renderedSpec) string {
	t.Helper()
	args := append([]string{"-fsyntax-only"}, ctest.Flags...)
	byName := map[string]renderedSpec{}
	for _, s := range specs {
		inc := filepath.Join(dir, s.name)
		var includes strings.Builder
		for _, f := range s.files {
			if !strings.HasSuffix(f.Path, ".h") {
				continue
			}
			p := filepath.Join(inc, filepath.FromSlash(f.Path))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, f.Content, 0o644))
			fmt.Fprintf(&includes, "#include %q\n", p)
		}
		if includes.Len() == 0 {
			continue
		}
		c := filepath.Join(dir, s.name+".c")
		require.NoError(t, os.WriteFile(c, []byte(includes.String()+"int main(void) { return 0; }\n"), 0o644))
		args = append(args, c)
		byName[s.name] = s
	}
	if len(byName) == 0 {
		return ""
	}
	out, err := exec.Command("gcc", args...).CombinedOutput()
	if err == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "gcc %s rejects headers generated from accepted specs:\n%s\n", strings.Join(ctest.Flags, " "), out)
	for name, s := range byName {
		if strings.Contains(string(out), filepath.Join(dir, name)+"/") || strings.Contains(string(out), name+".c") {
			fmt.Fprintf(&b, "--- spec %s ---\n%s\n", name, s.src)
		}
	}
	return b.String()
}

// vetGoAll renders each accepted spec's Go under an import path of its
// own in one temporary module and vets them all for linux and windows in
// two go vet runs: parsing alone misses type errors such as a constant
// that overflows its type.
func vetGoAll(t *testing.T, specs []renderedSpec, models []*ir.Model) {
	t.Helper()
	dir := t.TempDir()
	const module = "example.com/mutated"
	for i, m := range models {
		name := specs[i].name
		files, err := pipeline.Generators()["go"].Generate(&gen.Request{Model: m, Families: m.Families,
			Options: gen.Options{"import-path": module + "/" + name}, Target: "go"})
		if err != nil {
			if isCRefusal(err) {
				continue
			}
			t.Fatalf("go rejected spec %s: %v", name, err)
		}
		for _, f := range files {
			p := filepath.Join(dir, name, filepath.FromSlash(f.Path))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, f.Content, 0o644))
		}
	}
	for goos, out := range vetModule(t, dir, module) {
		var b strings.Builder
		fmt.Fprintf(&b, "GOOS=%s go vet rejects Go generated from accepted specs:\n%s\n", goos, out)
		for _, s := range specs {
			if strings.Contains(out, s.name+"/") {
				fmt.Fprintf(&b, "--- spec %s ---\n%s\n", s.name, s.src)
			}
		}
		t.Fatal(b.String())
	}
}

// vetModule makes dir a module named module that uses this checkout of
// nlgen, runs go vet ./... there for linux and windows, and returns the
// output of each GOOS whose vet failed.
func vetModule(t *testing.T, dir, module string) map[string]string {
	t.Helper()
	repo, err := filepath.Abs(repoRoot)
	require.NoError(t, err)
	gomod := fmt.Sprintf("module %s\n\ngo 1.26\n\nrequire github.com/nlgen/nlgen v0.0.0\n\nreplace github.com/nlgen/nlgen => %s\n", module, repo)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644))
	copyFile(t, filepath.Join(repoRoot, "go.sum"), filepath.Join(dir, "go.sum"))
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	failed := map[string]string{}
	for _, goos := range []string{"linux", "windows"} {
		cmd := exec.Command(goTool, "vet", "./...")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOFLAGS=-mod=mod", "GOPROXY=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			failed[goos] = string(out)
		}
	}
	return failed
}
