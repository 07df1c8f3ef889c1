package golang

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nlgen/nlgen/internal/gentest"
)

// TestKernelTCSubMessages generates Go for the kernel's own tc.yaml
// (NLGEN_KERNEL_SPECS, as in the ir tests: the shared folder has no tc)
// and runs testdata/kernel against it: a qdisc whose TCA_STATS2 app,
// selected by the TCA_KIND one nest up, decodes into its typed format.
func TestKernelTCSubMessages(t *testing.T) {
	if testing.Short() {
		t.Skip("generates tc and runs go test in a module; skipped with -short")
	}
	dir := os.Getenv("NLGEN_KERNEL_SPECS")
	if dir == "" {
		t.Skip("NLGEN_KERNEL_SPECS is unset: set it to a kernel's Documentation/netlink/specs to check tc.yaml's sub-messages")
	}
	spec := filepath.Join(dir, "tc.yaml")
	if _, err := os.Stat(spec); err != nil {
		t.Skipf("%s is absent (%v): tc's sub-messages need a kernel with tc.yaml (6.10 and later)", spec, err)
	}
	const modPath = "nlgen.test/kernel"
	mod := gentest.NewGoModule(t, "../..", modPath)
	mod.Write(t, "out", generate(t, gentest.Specs(t, []string{spec}, ""), modPath+"/out"))
	mod.CopyTests(t, "kernel", map[string]string{
		"github.com/nlgen/nlgen/gen/golang/testdata/kernel/out/": modPath + "/out/",
	}, "testdata/kernel/tc_test.go")
	mod.GoTest(t, nil, "./kernel")
}
