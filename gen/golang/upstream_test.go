package golang

import (
	"path/filepath"
	"strings"
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
	files := generate(t, m, "github.com/nlgen/nlgen/gen/golang/"+dir)
	// ovs_flow is the one v6.14 spec with display hints (netdev and
	// ethtool have none): its struct members get the typed helpers.
	var flow string
	for _, f := range files {
		if f.Path == "ovsflow/types.go" {
			flow = string(f.Content)
		}
	}
	for _, want := range []string{
		"func (s *OvsKeyIpv4) SrcAddr() netip.Addr", "func (s *OvsKeyIpv4) SetDstAddr(a netip.Addr) error",
		"func (s *OvsKeyIpv6) SrcAddr() netip.Addr", "func (s *OvsKeyEthernet) SrcMAC() net.HardwareAddr",
		"func (s *OvsKeyArp) ShaMAC() net.HardwareAddr",
	} {
		if !strings.Contains(flow, want) {
			t.Errorf("upstream ovs_flow lacks %q", want)
		}
	}
	writeFiles(t, dir, files)
	vetForLinuxAndWindows(t, dir, "generated upstream packages")
}
