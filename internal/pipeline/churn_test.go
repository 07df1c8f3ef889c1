package pipeline

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/config"
)

// TestOneSpecChangesOnlyItsFiles changes one member type in
// ovs_datapath.yaml (in a copy of the built-in config) and checks that
// only the files generated from that spec change:
//
//   - go/ovsdatapath/types.go: the member's Go type;
//   - docs/ovs_datapath.md: the family's page lists the member's type;
//   - include/linux/openvswitch.h: the c-uapi target writes one header for
//     all the OVS families (the kernel's openvswitch.h is one file, and
//     out/ mirrors it), so it aggregates this spec.
//
// Files that aggregate the spec but not the changed fact stay the same:
// the Windows header includes <linux/openvswitch.h> rather than repeating
// the struct, and the Windows policy and dispatch tables check what
// requests carry, while OVS_DP_ATTR_STATS is only ever in replies. Every other
// family's Go package and page stays byte-identical, banners included: a
// banner names the specs a file comes from, not a hash of every input of
// the run (before this test, 36 files changed, 32 only in that hash).
func TestOneSpecChangesOnlyItsFiles(t *testing.T) {
	t.Setenv("NLGEN_CACHE", "off")
	dir := t.TempDir()
	copyTree(t, "../../schema/ovs", filepath.Join(dir, "schema/ovs"))
	cfgText, err := os.ReadFile("../../nlgen.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "nlgen.yaml"), cfgText, 0o644))

	before := generateAll(t, filepath.Join(dir, "nlgen.yaml"))
	spec := filepath.Join(dir, "schema/ovs/ovs_datapath.yaml")
	text, err := os.ReadFile(spec)
	require.NoError(t, err)
	const from, to = "{name: n-flows, type: u64,", "{name: n-flows, type: u32,"
	require.Contains(t, string(text), from)
	require.NoError(t, os.WriteFile(spec, []byte(strings.Replace(string(text), from, to, 1)), 0o644))
	after := generateAll(t, filepath.Join(dir, "nlgen.yaml"))

	require.Equal(t, sortedKeys(before), sortedKeys(after), "the same files are generated")
	var changed []string
	for p, c := range after {
		if before[p] != c {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	t.Logf("changed: %v", changed)
	assert.Equal(t, []string{
		"out/docs/ovs_datapath.md",
		"out/go/ovsdatapath/types.go",
		"out/include/linux/openvswitch.h",
	}, changed)
}

// generateAll runs a config and returns the files by path relative to it.
func generateAll(t *testing.T, cfgPath string) map[string]string {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	require.NoError(t, err)
	m, err := Load(cfg)
	require.NoError(t, err)
	files, _, err := Generate(cfg, m)
	require.NoError(t, err)
	out := map[string]string{}
	root := filepath.Dir(cfgPath)
	for _, f := range files {
		rel, err := filepath.Rel(root, f.Path)
		require.NoError(t, err)
		out[filepath.ToSlash(rel)] = string(f.Content)
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	require.NoError(t, os.CopyFS(to, os.DirFS(from)))
}
