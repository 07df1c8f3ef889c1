package cheader

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/ctest"
	"github.com/nlgen/nlgen/ir"

	"github.com/nlgen/nlgen/internal/gentest"
)

func model(t *testing.T, files ...string) *ir.Model {
	t.Helper()
	return gentest.Specs(t, files, "")
}

func generate(t *testing.T, m *ir.Model, opts gen.Options) []gen.File {
	t.Helper()
	files, err := Generate(&gen.Request{Model: m, Families: m.Families, Options: opts, Target: "c-uapi"})
	require.NoError(t, err)
	return files
}

// compileC builds a translation unit that includes every header and pins
// the given values with static asserts, with gcc and with mingw-w64 (whose
// missing linux/types.h is provided by ctest.LinuxTypes).
func compileC(t *testing.T, dir string, headers []string, asserts []string) {
	t.Helper()
	var src strings.Builder
	for _, h := range headers {
		src.WriteString("#include \"" + h + "\"\n")
	}
	for _, a := range asserts {
		src.WriteString("_Static_assert(" + a + ", \"" + strings.ReplaceAll(a, "\"", "'") + "\");\n")
	}
	src.WriteString("int main(void) { return 0; }\n")
	c := filepath.Join(dir, "check.c")
	require.NoError(t, os.WriteFile(c, []byte(src.String()), 0o644))
	ctest.Compile(t, ctest.GCC, "-I", dir, c, "-o", filepath.Join(dir, "check"))
	ctest.Compile(t, ctest.MinGW, "-I", dir, "-I", ctest.LinuxTypes(t), "-c", c, "-o", filepath.Join(dir, "check.obj"))
}

func writeFiles(t *testing.T, dir string, files []gen.File) []string {
	var names []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, f.Content, 0o644))
		names = append(names, f.Path)
	}
	return names
}

func TestFeaturesGolden(t *testing.T) {
	m := model(t, "testdata/features.yaml")
	files := generate(t, m, nil)
	require.Len(t, files, 1)
	golden := "testdata/features.h.golden"
	if *gentest.Update {
		require.NoError(t, os.WriteFile(golden, files[0].Content, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(files[0].Content), "run go test ./gen/cheader -update and review the diff")

	dir := t.TempDir()
	compileC(t, dir, writeFiles(t, dir, files), []string{
		`DEMO_A_DEV_IFINDEX == 1`, `DEMO_A_DEV_ADDR == 10`, `DEMO_A_DEV_STATS == 11`,
		`DEMO_A_DEV_MAX == 11`, `DEMO_A_STATS_TX_PACKETS == 2`,
		`DEMO_CMD_DEV_GET == 1`, `DEMO_CMD_DEV_SET == 7`, `DEMO_CMD_MAX == 7`, `DEMO_NTF_DEV_CHANGE_NTF == 8`,
		`DEMO_FAM_STATE_TESTING == 5`, `DEMO_FAM_STATE_DORMANT == 6`, `DEMO_FAM_STATE_MAX == 6`,
		`DEMO_FAM_CAPS_RX == 4`, `DEMO_FAM_CAPS_SG == 128`, `DEMO_FAM_CAPS_MASK == 140`,
		`DEMO_GENL_VERSION == 1`, `sizeof(DEMO_GENL_NAME) == sizeof("demo-fam")`,
		`sizeof(DEMO_GREETING) == sizeof("hello \"world\"")`, `DEMO_FAM_MAX_NAME_LEN == 16`,
		`sizeof(DEMO_FAM_MCGRP_MGMT) == 5`, `sizeof(DEMO_STATS_GROUP) == 6`,
	})
}

func TestEscaping(t *testing.T) {
	m := model(t, "testdata/features.yaml")
	out := string(generate(t, m, nil)[0].Content)
	assert.NotContains(t, out, "with */ and")
	assert.Contains(t, out, "with * / and / * and")
	assert.Contains(t, out, `\u00e9`)
}

func TestDeterministic(t *testing.T) {
	m1 := model(t, "testdata/features.yaml")
	m2 := model(t, "testdata/features.yaml")
	a, b := generate(t, m1, nil), generate(t, m2, nil)
	assert.True(t, bytes.Equal(a[0].Content, b[0].Content))
}

// TestUpstreamHeadersCompile renders every upstream v6.14 spec and checks
// the values the kernel's own header has, known spec bugs included.
func TestUpstreamHeadersCompile(t *testing.T) {
	specs, _ := filepath.Glob("../../../shared/specs/linux/*.yaml")
	if len(specs) == 0 {
		t.Skip("../shared/specs/linux is absent: upstream spec tests need the shared folder beside the checkout")
	}
	for _, spec := range specs {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			m := model(t, spec)
			dir := t.TempDir()
			compileC(t, dir, writeFiles(t, dir, generate(t, m, nil)), nil)
		})
	}
	m := model(t, "../../../shared/specs/linux/ovs_datapath.yaml", "../../../shared/specs/linux/ovs_flow.yaml",
		"../../../shared/specs/linux/ovs_vport.yaml", "../../../shared/specs/linux/netdev.yaml", "../../../shared/specs/linux/nlctrl.yaml")
	dir := t.TempDir()
	compileC(t, dir, writeFiles(t, dir, generate(t, m, nil)), []string{
		"OVS_DP_CMD_GET == 3", "OVS_FLOW_ATTR_UFID == 9", "OVS_KEY_ATTR_TUNNEL_INFO == 31",
		"OVS_ACTION_ATTR_PSAMPLE == 24", // the v6.14 spec lacks drop (24), a known bug
		"NETDEV_CMD_DEV_GET == 1", "NETDEV_A_DEV_IFINDEX == 1", "CTRL_CMD_GETFAMILY == 3",
	})
}

// TestOVSHeaderValues compiles the OVS uapi header the built-in config
// generates now against 370 static asserts of the names, values and
// struct sizes of Open vSwitch's include/linux/openvswitch.h.
func TestOVSHeaderValues(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, generate(t, gentest.Model(t, "../../nlgen.yaml"), nil))
	ctest.Compile(t, ctest.GCC, "-fsyntax-only", "-I", dir, "testdata/openvswitch_values.c")
	ctest.Compile(t, ctest.MinGW, "-fsyntax-only", "-I", dir, "-I", ctest.LinuxTypes(t), "testdata/openvswitch_values.c")
}

// kernelCommand is one line of testdata/uapi/directional_commands.txt: a
// command id as the kernel's own uapi header has it.
type kernelCommand struct {
	Dir, Name string
	Value     int
}

// kernelCommands reads the facts table shared by the c-uapi and go tests.
func kernelCommands(t *testing.T, path string) []kernelCommand {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var out []kernelCommand
	for i, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var c kernelCommand
		_, err := fmt.Sscan(line, &c.Dir, &c.Name, &c.Value)
		require.NoError(t, err, "%s:%d", path, i+1)
		out = append(out, c)
	}
	return out
}

// TestDirectionalCommandEnums renders the upstream directional specs
// (ethtool, nlctrl) and compiles them against the command ids of the
// kernel's own headers: ethtool's two enums, user (requests) and kernel
// (replies and notifications), each with its NONE and MAX, and nlctrl's
// CTRL_CMD_GETFAMILY = 3 of genetlink.h, which sequential numbering would
// get wrong.
func TestDirectionalCommandEnums(t *testing.T) {
	const shared = "../../../shared/specs/linux/"
	if _, err := os.Stat(shared + "ethtool.yaml"); err != nil {
		t.Skip("../shared/specs/linux is absent: upstream spec tests need the shared folder beside the checkout")
	}
	m := model(t, shared+"ethtool.yaml", shared+"nlctrl.yaml")
	files := generate(t, m, nil)
	var asserts []string
	for _, c := range kernelCommands(t, "../../testdata/uapi/directional_commands.txt") {
		asserts = append(asserts, fmt.Sprintf("%s == %d", c.Name, c.Value))
	}
	require.Greater(t, len(asserts), 100)
	dir := t.TempDir()
	compileC(t, dir, writeFiles(t, dir, files), asserts)
	for _, f := range files {
		// One merged enum would repeat values (LINKINFO_SET and
		// LINKINFO_NTF are both 3) under a max of its own.
		assert.NotContains(t, string(f.Content), "__ETHTOOL_MSG_MAX")
		assert.NotContains(t, string(f.Content), "__CTRL_CMD_MAX")
	}
}

// TestEnumValuesPastIntMax: C11 6.7.2.2 requires enumeration constants to
// fit int, so values above INT_MAX (and the count and mask after them)
// must come out as unsigned defines that keep their numeric value, and an
// enum without entries, which C cannot declare, renders nothing. Both
// compilers check it under -pedantic.
func TestEnumValuesPastIntMax(t *testing.T) {
	m := model(t, "../../testdata/accepted/overflow.yaml")
	files := generate(t, m, nil)
	require.Len(t, files, 1)
	golden := "testdata/overflow.h.golden"
	if *gentest.Update {
		require.NoError(t, os.WriteFile(golden, files[0].Content, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(files[0].Content), "run go test ./gen/cheader -update and review the diff")
	assert.NotContains(t, string(files[0].Content), "enum ovf_hollow {", "ISO C has no empty enum")
	dir := t.TempDir()
	compileC(t, dir, writeFiles(t, dir, files), []string{
		`OVF_BIG_A == 2147483646`, `OVF_BIG_B == 2147483647`, `OVF_BIG_C == 2147483648U`, `OVF_BIG_D == 2147483649U`,
		`OVF_BIG_MAX == 2147483649U`, `__OVF_BIG_MAX == 2147483650U`,
		`OVF_RESUME_HUGE == 4294967295U`, `OVF_RESUME_SMALL == 3`, `OVF_RESUME_NEXT == 4`,
		`OVF_AT_MAX_LAST == 2147483647`, `OVF_AT_MAX_MAX == 2147483647U`,
		`OVF_FL_F30 == 0x40000000`, `OVF_FL_F31 == 0x80000000U`, `OVF_FL_F32 == 0x100000000ULL`, `OVF_FL_F33 == 0x200000000ULL`,
		`OVF_FL_MASK == 0x3c0000000ULL`, `OVF_LOW_FL_MASK == 3`,
		`OVF_HOLLOW_MAX_MAX == -1`, `__OVF_HOLLOW_MAX_MAX == 0`,
		`sizeof(enum ovf_big) >= sizeof(int)`,
	})
}

// Families sharing a uapi header may each define the same struct, as every
// upstream OVS spec defines struct ovs_header that linux/openvswitch.h
// declares once. Whether two definitions are the same is decided on the
// IR (names, types, sizes), so a repeat that only documents a member
// differently is dropped and the header compiles, while one that changes a
// member's type is a collision the user must resolve.
func TestSharedHeaderDeduplicatesOnDefinitionNotText(t *testing.T) {
	m := model(t, "testdata/shared/fam_a.yaml", "testdata/shared/fam_b.yaml")
	files := generate(t, m, nil)
	require.Len(t, files, 1)
	h := string(files[0].Content)
	assert.Equal(t, 1, strings.Count(h, "struct shared_hdr {"), h)
	assert.Contains(t, h, "Index of the device.", "the first definition is the one kept")
	dir := t.TempDir()
	compileC(t, dir, writeFiles(t, dir, files), []string{`sizeof(struct shared_hdr) == 4`, `FAM_A_CMD_GET == 1`, `FAM_B_CMD_GET == 1`})

	m = model(t, "testdata/shared/fam_a.yaml", "testdata/shared/fam_c.yaml")
	_, err := Generate(&gen.Request{Model: m, Families: m.Families, Target: "c-uapi"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fam_c.yaml:")
	assert.Contains(t, err.Error(), "name-collision")
	assert.Contains(t, err.Error(), "C tag shared_hdr")
}
