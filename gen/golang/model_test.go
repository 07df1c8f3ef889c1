package golang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/gentest"
)

// TestOnePackagePerFamily: families whose names differ only in punctuation
// ("pkg-one" and "pkgone") become one Go package name, which one output cannot
// hold; the go target refuses the output rather than write one package
// over the other.
func TestOnePackagePerFamily(t *testing.T) {
	dir := t.TempDir()
	var specs []string
	for _, name := range []string{"pkg-one", "pkgone"} {
		p := filepath.Join(dir, name+".yaml")
		src := "name: " + name + "\ndoc: d\nprotocol: genetlink\n" +
			"attribute-sets:\n  - name: s\n    attributes:\n      - {name: a, type: u32}\n" +
			"operations:\n  list:\n    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [a]}}}\n"
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		specs = append(specs, p)
	}
	m := gentest.Specs(t, specs, "")
	_, err := Generate(&gen.Request{Model: m, Families: m.Families, Target: "go", Options: gen.Options{"import-path": "example.com/x"}})
	if err == nil || !strings.Contains(err.Error(), `families "pkg-one" and "pkgone" both become Go package pkgone`) {
		t.Fatalf("err = %v, want the two families named", err)
	}
}
