package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/internal/cli"
	"github.com/nlgen/nlgen/internal/ctest"
)

// acceptedDir holds specs at the edges of what YNL allows (values past
// INT_MAX, empty enums, names that collide only in C): nlgen must load
// them, and every output it then renders must build.
var acceptedDir = filepath.Join(repoRoot, "testdata", "accepted")

// buildOutputs generates the given targets for specs into a fresh folder
// and builds what came out: every uapi header with gcc and mingw-w64
// under ctest.Flags, every Go package with go vet for linux and windows.
func buildOutputs(t *testing.T, specs []string, targets string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "version: 1\nspecs:\n"
	for _, s := range specs {
		copyFile(t, s, filepath.Join(dir, filepath.Base(s)))
		cfg += "  - " + filepath.Base(s) + "\n"
	}
	cfg += "outputs:\n" + targets
	require.NoError(t, os.WriteFile(filepath.Join(dir, "nlgen.yaml"), []byte(cfg), 0o644))
	code, _, stderr := runCLI(t, "generate", "-f", filepath.Join(dir, "nlgen.yaml"))
	require.Equal(t, cli.ExitOK, code, stderr)

	hdrs, _ := filepath.Glob(filepath.Join(dir, "out", "include", "linux", "*.h"))
	if len(hdrs) > 0 {
		var tu strings.Builder
		for _, h := range hdrs {
			fmt.Fprintf(&tu, "#include \"linux/%s\"\n", filepath.Base(h))
		}
		tuPath := filepath.Join(dir, "tu.c")
		require.NoError(t, os.WriteFile(tuPath, []byte(tu.String()), 0o644))
		inc := filepath.Join(dir, "out", "include")
		ctest.Compile(t, ctest.GCC, "-fsyntax-only", "-I", inc, tuPath)
		ctest.Compile(t, ctest.MinGW, "-fsyntax-only", "-I", inc, "-I", ctest.LinuxTypes(t), tuPath)
	}
	if pkgs, _ := filepath.Glob(filepath.Join(dir, "out", "go", "*", "consts.go")); len(pkgs) > 0 {
		t.Logf("vetting %d generated Go packages", len(pkgs))
		require.Empty(t, vetModule(t, dir, "example.com/accepted"), "go vet of the generated packages")
	}
	return dir
}

const allSpecTargets = `  - {target: c-uapi, dir: out/include}
  - {target: go, dir: out/go, options: {import-path: example.com/accepted/out/go}}
  - {target: docs, dir: out/docs}
`

// TestAcceptedSpecsBuild: the edge specs that render in C render in
// every target, and the results compile and vet.
func TestAcceptedSpecsBuild(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join(acceptedDir, "*.yaml"))
	require.NoError(t, err)
	var all []string
	for _, s := range specs {
		// c-collision-* are refused by C, raw-* (netlink-raw) by c-uapi:
		// tests of their own below
		if !strings.HasPrefix(filepath.Base(s), "c-collision-") && !strings.HasPrefix(filepath.Base(s), "raw-") {
			all = append(all, s)
		}
	}
	require.NotEmpty(t, all)
	buildOutputs(t, all, allSpecTargets)
}

// TestCOnlyCollisionsConcernCTargets: names that collide only in C (two
// sets' max names, an attribute named max beside the set's max, an enum
// tag equal to a struct's or another enum's) do not stop a spec: lint
// accepts it with a warning, Go and docs render and build, and c-uapi,
// asked to render it, refuses at the key to change and names it, writing
// nothing.
func TestCOnlyCollisionsConcernCTargets(t *testing.T) {
	want := map[string][]string{
		"c-collision-max.yaml":      {"16:20: name-collision: c-uapi: family maxclash cannot be rendered in C: C name MAXCLASH_A_STATS_MAX (the max of attribute set \"counters\") collides with the max of attribute set \"stats\" at c-collision-max.yaml:11:11; set attr-max-name to rename it"},
		"c-collision-attr-max.yaml": {"10:11: name-collision: c-uapi: family attrmax cannot be rendered in C: C name ATTRMAX_A_LIMITS_MAX (the max of attribute set \"limits\") collides with attribute \"max\" of set \"limits\" at c-collision-attr-max.yaml:13:16; set attr-max-name to rename it"},
		"c-collision-tag.yaml": {
			"18:16: name-collision: c-uapi: family tagclash cannot be rendered in C: C tag enum ovs_header (attribute set \"vport\") collides with struct ovs_header (struct \"ovs-header\") at c-collision-tag.yaml:12:5; set enum-name to rename it",
			"26:16: name-collision: c-uapi: family tagclash cannot be rendered in C: C tag enum tagclash_stats (attribute set \"more-stats\") collides with enum tagclash_stats (attribute set \"stats\") at c-collision-tag.yaml:22:16; set enum-name to rename it",
		},
	}
	specs, err := filepath.Glob(filepath.Join(acceptedDir, "c-collision-*.yaml"))
	require.NoError(t, err)
	require.Len(t, specs, len(want))
	for _, spec := range specs {
		name := filepath.Base(spec)
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "lint", spec)
			require.Equal(t, cli.ExitOK, code, "lint must accept a spec whose only problem is C's: %s%s", stdout, stderr)
			for _, w := range want[name] {
				line, _, _ := strings.Cut(w, ": c-uapi: ")
				require.Contains(t, stdout, line, "lint warns")
			}

			buildOutputs(t, []string{spec}, `  - {target: go, dir: out/go, options: {import-path: example.com/accepted/out/go}}
  - {target: docs, dir: out/docs}
`)

			dir := t.TempDir()
			copyFile(t, spec, filepath.Join(dir, name))
			cfg := "version: 1\nspecs: [" + name + "]\noutputs:\n" + allSpecTargets
			require.NoError(t, os.WriteFile(filepath.Join(dir, "nlgen.yaml"), []byte(cfg), 0o644))
			code, _, stderr = runCLI(t, "generate", "-f", filepath.Join(dir, "nlgen.yaml"))
			require.Equal(t, cli.ExitError, code)
			var lines []string
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				lines = append(lines, strings.TrimPrefix(strings.ReplaceAll(l, dir+string(filepath.Separator), ""), name+":"))
			}
			require.Equal(t, want[name], lines)
			_, err := os.Stat(filepath.Join(dir, "out"))
			require.True(t, os.IsNotExist(err), "nothing is written when an output fails")
		})
	}
}

// TestCrossFamilyTagCollision: families that share a uapi header share
// its C namespace. The case, ovs_vport's attribute set renamed
// to "enum-name: ovs-header" while ovs_datapath renders struct ovs_header
// into the same openvswitch.h, is refused by every C target that depends
// on that header, in one line at the enum-name; Go and docs still render.
func TestCrossFamilyTagCollision(t *testing.T) {
	dir := t.TempDir()
	specs, err := filepath.Glob(filepath.Join(repoRoot, "schema", "ovs", "*.yaml"))
	require.NoError(t, err)
	for _, s := range specs {
		copyFile(t, s, filepath.Join(dir, "schema", "ovs", filepath.Base(s)))
	}
	vport := filepath.Join(dir, "schema", "ovs", "ovs_vport.yaml")
	src, err := os.ReadFile(vport)
	require.NoError(t, err)
	edited := strings.Replace(string(src), "    enum-name: ovs-vport-attr\n", "    enum-name: ovs-header\n", 1)
	require.NotEqual(t, string(src), edited, "the test's anchor is not in ovs_vport.yaml any more")
	require.NoError(t, os.WriteFile(vport, []byte(edited), 0o644))
	line := 1 + strings.Count(edited[:strings.Index(edited, "    enum-name: ovs-header\n")], "\n")
	copyFile(t, filepath.Join(repoRoot, "nlgen.yaml"), filepath.Join(dir, "nlgen.yaml"))

	code, _, stderr := runCLI(t, "generate", "-f", filepath.Join(dir, "nlgen.yaml"))
	require.Equal(t, cli.ExitError, code)
	require.Equal(t, fmt.Sprintf("schema/ovs/ovs_vport.yaml:%d:16: name-collision: c-uapi, c-policy, c-dispatch: family ovs_vport cannot be rendered in C: "+
		"C tag ovs_header (attribute set \"vport\") collides with struct \"ovs-header\" of family ovs_datapath at schema/ovs/ovs_datapath.yaml:19:5, "+
		"both in linux/openvswitch.h; set enum-name to rename it", line), strings.TrimSpace(strings.ReplaceAll(stderr, dir+string(filepath.Separator), "")))

	cfg := "version: 1\nspecs:\n"
	for _, s := range specs {
		if strings.HasPrefix(filepath.Base(s), "ovs_") {
			cfg += "  - schema/ovs/" + filepath.Base(s) + "\n"
		}
	}
	cfg += "outputs:\n  - {target: go, dir: out/go, options: {import-path: example.com/x/out/go}}\n  - {target: docs, dir: out/docs}\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go-only.yaml"), []byte(cfg), 0o644))
	code, _, stderr = runCLI(t, "generate", "-f", filepath.Join(dir, "go-only.yaml"))
	require.Equal(t, cli.ExitOK, code, stderr)
}

// TestRawFamilyTargets: a netlink-raw spec loads (lint), renders in docs
// and go (the package builds and vets), and each target that does not
// apply to it refuses at the spec's protocol key saying why, writing
// nothing: c-uapi (the kernel's ynl-gen-c refuses netlink-raw too) and
// the Windows targets (the overlay does not describe the family).
func TestRawFamilyTargets(t *testing.T) {
	spec := filepath.Join(acceptedDir, "raw-demo.yaml")
	code, stdout, stderr := runCLI(t, "lint", spec)
	require.Equal(t, cli.ExitOK, code, stdout+stderr)
	dir := buildOutputs(t, []string{spec}, "  - {target: docs, dir: out/docs}\n"+
		"  - {target: go, dir: out/go, options: {import-path: example.com/accepted/out/go}}\n")
	_, err := os.Stat(filepath.Join(dir, "out", "docs", "rawdemo.md"))
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(dir, "out", "go", "rawdemo", "client.go"))
	require.NoError(t, err)

	refuse := func(t *testing.T, dir, cfg string) []string {
		t.Helper()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "nlgen.yaml"), []byte(cfg), 0o644))
		code, _, stderr := runCLI(t, "generate", "-f", filepath.Join(dir, "nlgen.yaml"))
		require.Equal(t, cli.ExitError, code)
		_, err := os.Stat(filepath.Join(dir, "out"))
		require.True(t, os.IsNotExist(err), "nothing is written when an output fails")
		return strings.Split(strings.TrimSpace(strings.ReplaceAll(stderr, dir+string(filepath.Separator), "")), "\n")
	}
	dir = t.TempDir()
	copyFile(t, spec, filepath.Join(dir, "raw-demo.yaml"))
	lines := refuse(t, dir, "version: 1\nspecs: [raw-demo.yaml]\noutputs:\n"+allSpecTargets)
	require.Len(t, lines, 1, strings.Join(lines, "\n"))
	require.Contains(t, lines[0], "raw-demo.yaml:3:11: unsupported: c-uapi: family rawdemo (protocol netlink-raw): c-uapi does not apply: "+
		"the kernel's ynl-gen-c refuses netlink-raw specs (\"Codegen only supported for genetlink\")")

	// beside the OVS families and their overlay, which does not name it
	// (it carries ovs_ct, the OVS netlink-raw family, which renders)
	dir = t.TempDir()
	specs, err := filepath.Glob(filepath.Join(repoRoot, "schema", "ovs", "*.yaml"))
	require.NoError(t, err)
	cfg := "version: 1\nwindows: ovs/windows.yaml\nspecs:\n"
	for _, s := range specs {
		copyFile(t, s, filepath.Join(dir, "ovs", filepath.Base(s)))
		if strings.HasPrefix(filepath.Base(s), "ovs_") {
			cfg += "  - ovs/" + filepath.Base(s) + "\n"
		}
	}
	copyFile(t, spec, filepath.Join(dir, "raw-demo.yaml"))
	cfg += "  - raw-demo.yaml\noutputs:\n  - {target: c-windows-header, dir: out}\n" +
		"  - {target: c-policy, dir: out/ovsext}\n  - {target: c-dispatch, dir: out/ovsext}\n"
	lines = refuse(t, dir, cfg)
	require.Len(t, lines, 1, strings.Join(lines, "\n"))
	require.Contains(t, lines[0], "raw-demo.yaml:3:11: unsupported: c-windows-header, c-policy, c-dispatch: family rawdemo (protocol netlink-raw): "+
		"the Windows overlay does not describe it")
}

// TestRawSpacedNames: a netlink-raw spec whose names separate words with
// spaces (as nftables.yaml up to 6.12 does once) lints with a warning per
// name and no error, and its Go and docs build: identifiers are derived
// as for '-', the spec's names reach generated text only as escaped
// strings and comments.
func TestRawSpacedNames(t *testing.T) {
	spec := filepath.Join(acceptedDir, "raw-spaced-names.yaml")
	code, stdout, stderr := runCLI(t, "lint", spec)
	require.Equal(t, cli.ExitOK, code, stdout+stderr)
	require.Contains(t, stdout, `raw-spaced-names.yaml:24:16: name: warning: attribute name "set id" separates words with spaces`)
	dir := buildOutputs(t, []string{spec}, "  - {target: docs, dir: out/docs}\n"+
		"  - {target: go, dir: out/go, options: {import-path: example.com/accepted/out/go}}\n")
	consts, err := os.ReadFile(filepath.Join(dir, "out", "go", "spaced", "consts.go"))
	require.NoError(t, err)
	require.Contains(t, string(consts), "AttrLookupSetId")
	require.Contains(t, string(consts), "ObjKindBigCounter")
	doc, err := os.ReadFile(filepath.Join(dir, "out", "docs", "spaced.md"))
	require.NoError(t, err)
	require.Contains(t, string(doc), "| 2 | `set id` | u32 (big-endian) |")
}
