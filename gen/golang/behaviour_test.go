package golang

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen/cheader"
	"github.com/nlgen/nlgen/gen/cpolicy"
	"github.com/nlgen/nlgen/gen/cwindows"
	"github.com/nlgen/nlgen/internal/ctest"
	"github.com/nlgen/nlgen/internal/gentest"
)

// behaviourModule is the temporary module TestBehaviour builds.
const behaviourModule = "nlgen.test/behaviour"

// TestBehaviour runs the behaviour tests of the generated Go
// (testdata/behaviour: round trips, malformed input, narrowed requests and
// replies, every kind, reused dumps, the Windows driver's and the Linux
// kernel's side of the wire) against code this test generates now, the
// way stringer's end-to-end tests work: the OVS packages of the built-in
// config and the every-kind golden spec are generated into a temporary
// module (gentest.GoModule), the tests are copied beside them with their
// imports pointed there, and one `go test` runs them all. The C the tests
// link with (the uapi and Windows headers, the NL_POLICY tables) is
// generated here too. A generator change is exercised before anyone
// regenerates out/; the committed golden files are for reviewing diffs.
func TestBehaviour(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a module and runs go test in it")
	}
	mod := gentest.NewGoModule(t, "../..", behaviourModule)
	outPath := behaviourModule + "/out"
	ovs := gentest.Model(t, "../../nlgen.yaml")
	mod.Write(t, "out", generate(t, ovs, outPath))
	for _, spec := range everyKindSpecs {
		mod.Write(t, "out", generate(t, gentest.Specs(t, []string{spec}, ""), outPath))
	}
	// The C side, laid out as nlgen.yaml lays out out/.
	mod.Write(t, "c/include", gentest.Generate(t, cheader.Generator, ovs, nil))
	mod.Write(t, "c", gentest.Generate(t, cwindows.Generator, ovs, nil))
	mod.Write(t, "c/datapath-windows/ovsext", gentest.Generate(t, cpolicy.Generator, ovs, nil))

	tests, err := filepath.Glob("testdata/behaviour/*_test.go")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no behaviour tests found: %v", err)
	}
	tests = append(tests, "messages_test.go") // the shared OVS messages
	// The tests import the committed packages; here the same paths name
	// the packages just generated.
	mod.CopyTests(t, "behaviour", map[string]string{
		"github.com/nlgen/nlgen/out/go/":                         outPath + "/",
		"github.com/nlgen/nlgen/gen/golang/testdata/golden/out/": outPath + "/",
	}, tests...)
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	mod.GoTest(t, []string{
		"NLGEN_TESTDATA=" + testdata,
		"NLGEN_GENERATED_C=" + filepath.Join(mod.Dir, "c"),
		"NLGEN_CFLAGS=" + strings.Join(ctest.Flags, " "),
	}, "./behaviour")
}
