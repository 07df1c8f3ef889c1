package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// synthSpec writes one genetlink-legacy family built from `blocks` copies
// of a block shaped like ovs_flow: an enum, a flags set, a struct, four
// attribute sets (flow, key, tunnel, action) with nests between them and
// scalar, string, binary, flag and enum attributes, and two operations
// per block. Everything carries docs, as real specs do. Blocks are
// numbered so their names never collide.
func synthSpec(blocks int) []byte {
	var b strings.Builder
	b.WriteString("name: synth\nprotocol: genetlink-legacy\ndoc: Synthetic family for nlgen's scaling benchmarks.\n")
	b.WriteString("definitions:\n")
	for k := 0; k < blocks; k++ {
		fmt.Fprintf(&b, "  - name: mode-%d\n    type: enum\n    doc: Modes of block %d.\n    entries:\n", k, k)
		for i := 0; i < 10; i++ {
			fmt.Fprintf(&b, "      - {name: mode-%d-%d, doc: \"Mode %d of block %d.\"}\n", k, i, i, k)
		}
		fmt.Fprintf(&b, "  - name: opts-%d\n    type: flags\n    doc: Options of block %d.\n    entries:\n", k, k)
		for i := 0; i < 8; i++ {
			fmt.Fprintf(&b, "      - {name: opt-%d-%d, doc: \"Option %d.\"}\n", k, i, i)
		}
		fmt.Fprintf(&b, "  - name: stats-%d\n    type: struct\n    doc: Counters of block %d.\n    members:\n", k, k)
		for i, typ := range []string{"u64", "u64", "u32", "u32", "u16", "u16"} {
			fmt.Fprintf(&b, "      - {name: counter-%d, type: %s, doc: \"Counter %d.\"}\n", i, typ, i)
		}
	}
	b.WriteString("attribute-sets:\n")
	for k := 0; k < blocks; k++ {
		set := func(name string, n int, special map[int]string) {
			fmt.Fprintf(&b, "  - name: %s-%d\n    doc: The %s attributes of block %d.\n    attributes:\n", name, k, name, k)
			for i := 0; i < n; i++ {
				attr, ok := special[i]
				if !ok {
					attr = [...]string{"type: u32", "type: u64, byte-order: big-endian", "type: u16", "type: u8", "type: string",
						"type: binary", "type: flag", "type: s32"}[i%8]
				}
				fmt.Fprintf(&b, "      - {name: %s-attr-%d, %s, doc: \"Attribute %d of %s in block %d; see the spec.\"}\n", name, i, attr, i, name, k)
			}
		}
		set("flow", 12, map[int]string{
			0: "type: nest, nested-attributes: key-" + fmt.Sprint(k),
			1: "type: nest, nested-attributes: action-" + fmt.Sprint(k),
			2: "type: binary, struct: stats-" + fmt.Sprint(k),
			3: "type: u32, enum: mode-" + fmt.Sprint(k),
			4: "type: u32, enum: opts-" + fmt.Sprint(k) + ", enum-as-flags: true",
		})
		set("key", 34, map[int]string{
			0: "type: nest, nested-attributes: tunnel-" + fmt.Sprint(k),
			1: "type: nest, nested-attributes: key-" + fmt.Sprint(k),
		})
		set("tunnel", 18, nil)
		set("action", 26, map[int]string{
			0: "type: nest, nested-attributes: action-" + fmt.Sprint(k),
			1: "type: nest, nested-attributes: key-" + fmt.Sprint(k),
			2: "type: nest, nested-attributes: tunnel-" + fmt.Sprint(k),
		})
	}
	b.WriteString("operations:\n  list:\n")
	// genl commands are 8 bits: later blocks have no operations of their own
	for k := 0; k < min(blocks, maxOpBlocks); k++ {
		fmt.Fprintf(&b, "    - name: new-%d\n      doc: Install a flow of block %d.\n      attribute-set: flow-%d\n", k, k, k)
		b.WriteString("      do:\n        request: {attributes: [flow-attr-0, flow-attr-1, flow-attr-3]}\n")
		fmt.Fprintf(&b, "    - name: get-%d\n      doc: Read flows of block %d.\n      attribute-set: flow-%d\n", k, k, k)
		b.WriteString("      do:\n        request: {attributes: [flow-attr-0]}\n        reply: &r {attributes: [flow-attr-0, flow-attr-1, flow-attr-2, flow-attr-3]}\n")
		b.WriteString("      dump:\n        reply: *r\n")
	}
	return []byte(b.String())
}

// maxOpBlocks keeps the operation count within the 8-bit command space.
const maxOpBlocks = 120

// ovsFlowSize is the yardstick of the synthetic spec: nlgen's ovs_flow.
func ovsFlowSize(t testing.TB) int {
	t.Helper()
	info, err := os.Stat(filepath.Join(repoRoot, "schema", "ovs", "ovs_flow.yaml"))
	require.NoError(t, err)
	return int(info.Size())
}

// blocksFor returns how many blocks make a spec `times` the size of
// ovs_flow.yaml (in bytes), at least one.
func blocksFor(t testing.TB, times int) int {
	perBlock := len(synthSpec(2)) - len(synthSpec(1))
	return max(1, (times*ovsFlowSize(t)+perBlock/2)/perBlock)
}

// synthWorkspace writes the spec and a config running the spec-only
// targets, and returns the config path and the spec's size.
func synthWorkspace(t testing.TB, times int) (cfgPath string, specBytes int) {
	t.Helper()
	dir := t.TempDir()
	src := synthSpec(blocksFor(t, times))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "synth.yaml"), src, 0o644))
	cfg := "version: 1\nspecs: [synth.yaml]\noutputs:\n"
	for _, target := range targets(t) {
		if specOnlyTargets[target] {
			cfg += fmt.Sprintf("  - {target: %s, dir: out, options: %s}\n", target, yamlOptions(targetOptions(target)))
		}
	}
	cfgPath = filepath.Join(dir, "nlgen.yaml")
	require.NoError(t, os.WriteFile(cfgPath, []byte(cfg), 0o644))
	return cfgPath, len(src)
}
