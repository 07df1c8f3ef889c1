package golang

import (
	"path/filepath"
	"testing"

	"github.com/nlgen/nlgen/internal/gentest"
)

// TestUpstreamSpecsGenerateAndVet generates Go for every upstream v6.14
// spec together (names that clash with generated methods or definitions
// are renamed by the documented rules) and vets the packages for linux
// and windows. The output is not committed: it comes from ../shared.
func TestUpstreamSpecsGenerateAndVet(t *testing.T) {
	if testing.Short() {
		t.Skip("vets eight generated packages; skipped with -short")
	}
	requireShared(t)
	specs, _ := filepath.Glob(filepath.Join(sharedSpecs, "*.yaml"))
	if len(specs) != 8 {
		t.Fatalf("expected the 8 upstream specs, found %d", len(specs))
	}
	m := gentest.Specs(t, specs, "")
	const dir = "testdata/upstream"
	writeFiles(t, dir, generate(t, m, "github.com/nlgen/nlgen/gen/golang/"+dir))
	vetForLinuxAndWindows(t, dir, "generated upstream packages")
}
