package genltest_test

import (
	"path/filepath"
	"testing"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/golang"
	"github.com/nlgen/nlgen/internal/gentest"
)

// TestWithGeneratedClient runs the tests in testdata/client, which play
// the kernel's side for a generated client (ovs_datapath), against the Go
// the built-in config generates now, in a temporary module
// (gentest.GoModule): they import the committed out/go packages, and here
// the same paths name freshly generated ones.
func TestWithGeneratedClient(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a module and runs go test in it")
	}
	mod := gentest.NewGoModule(t, "../../..", "nlgen.test/genltest")
	m := gentest.Model(t, "../../../nlgen.yaml")
	files, err := golang.Generator.Generate(&gen.Request{Model: m, Families: m.Families, Target: "go",
		Options: gen.Options{"import-path": mod.Path + "/out"}})
	if err != nil {
		t.Fatal(err)
	}
	mod.Write(t, "out", files)
	tests, err := filepath.Glob("testdata/client/*_test.go")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no tests in testdata/client: %v", err)
	}
	mod.CopyTests(t, "client", map[string]string{"github.com/nlgen/nlgen/out/go/": mod.Path + "/out/"}, tests...)
	mod.GoTest(t, nil, "./client")
}
