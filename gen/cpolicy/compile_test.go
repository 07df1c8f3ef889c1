package cpolicy_test

import (
	"github.com/nlgen/nlgen/gen/cpolicy"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cdispatch"
	"github.com/nlgen/nlgen/gen/cheader"
	"github.com/nlgen/nlgen/gen/cwindows"
	"github.com/nlgen/nlgen/internal/ctest"
	"github.com/nlgen/nlgen/ir"
)

var cflags = ctest.Flags

// driverTree writes everything nlgen generates for the Windows build, the
// policy check program, handler stubs and the project-written driver
// headers into one folder, laid out as the driver includes them.
func driverTree(t *testing.T, m *ir.Model, typesHeader string) (dir string, sources []string) {
	t.Helper()
	dir = t.TempDir()
	req := func(target string, opts gen.Options) *gen.Request {
		return &gen.Request{Model: m, Families: m.Families, Options: opts, Target: target}
	}
	var files []gen.File
	add := func(fs []gen.File, err error) {
		t.Helper()
		require.NoError(t, err)
		files = append(files, fs...)
	}
	uapiOpts := gen.Options{}
	if typesHeader != "" {
		uapiOpts["types-header"] = typesHeader
	}
	uapi, err := cheader.Generate(req("c-uapi", uapiOpts))
	require.NoError(t, err)
	for _, f := range uapi {
		files = append(files, gen.File{Path: "include/" + f.Path, Content: f.Content})
	}
	add(cwindows.Generate(req("c-windows-header", nil))) // include/windows/...
	add(cpolicy.Generate(req("c-policy", nil)))
	add(cdispatch.Generate(req("c-dispatch", nil)))
	check, err := cpolicy.CheckProgram(req("c-policy", nil), "NlPolicy.h")
	require.NoError(t, err)
	files = append(files, check, handlerStubs(m))
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, f.Content, 0o644))
		if strings.HasSuffix(f.Path, ".c") {
			sources = append(sources, p)
		}
	}
	for _, h := range []string{"precomp.h", "Types.h"} {
		src, err := os.ReadFile(filepath.Join("testdata", "driver", h))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, h), src, 0o644))
	}
	return dir, sources
}

// handlerStubs defines every handler the dispatch tables name, so the
// program links: the check is about the tables, not the handlers.
func handlerStubs(m *ir.Model) gen.File {
	var b strings.Builder
	b.WriteString("#include \"precomp.h\"\n#include \"NlDispatch.h\"\n")
	seen := map[string]bool{}
	for _, f := range m.Windows.Families {
		for _, c := range f.Commands {
			if seen[c.Handler] {
				continue
			}
			seen[c.Handler] = true
			b.WriteString("NTSTATUS " + c.Handler + "(POVS_USER_PARAMS_CONTEXT ctx, UINT32 *replyLen)\n{\n\t(void)ctx;\n\t*replyLen = 0;\n\treturn 0;\n}\n")
		}
	}
	return gen.File{Path: "handlers.c", Content: []byte(b.String())}
}

func compiler(t *testing.T, name string) { t.Helper(); ctest.Need(t, name) }

// TestDriverBuildAndPolicyCheck compiles every generated file with gcc
// and runs the policy check program against the OVS specs.
func TestDriverBuildAndPolicyCheck(t *testing.T) {
	compiler(t, "gcc")
	dir, sources := driverTree(t, ovsModel(t), "")
	bin := filepath.Join(dir, "policy_check")
	args := append(append([]string{}, cflags...), "-I", dir, "-I", filepath.Join(dir, "include"), "-o", bin)
	out, err := exec.Command("gcc", append(args, sources...)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin).CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), " 0 failures")
	t.Logf("%s", out)
}

// TestDriverBuildMinGW compiles every generated file against the real
// Windows headers; the Windows header's static asserts pin each ioctl code
// and family id there.
func TestDriverBuildMinGW(t *testing.T) {
	compiler(t, "x86_64-w64-mingw32-gcc")
	dir, sources := driverTree(t, ovsModel(t), "Types.h")
	for _, src := range sources {
		args := append(append([]string{}, cflags...), "-I", dir, "-I", filepath.Join(dir, "include"), "-c", "-o", src+".o", src)
		out, err := exec.Command("x86_64-w64-mingw32-gcc", args...).CombinedOutput()
		require.NoError(t, err, "%s: %s", filepath.Base(src), out)
	}
}

// TestPolicyCheckCatchesWrongEntries proves the check program is not
// vacuous: a table edited against the spec must fail it.
func TestPolicyCheckCatchesWrongEntries(t *testing.T) {
	compiler(t, "gcc")
	dir, sources := driverTree(t, ovsModel(t), "")
	policyC := filepath.Join(dir, "NlPolicy.c")
	src, err := os.ReadFile(policyC)
	require.NoError(t, err)
	wrong := strings.Replace(string(src), "[OVS_FLOW_ATTR_USED] = {.type = NL_A_U64, .optional = TRUE}",
		"[OVS_FLOW_ATTR_USED] = {.type = NL_A_U64, .maxLen = 16, .optional = FALSE}", 1)
	require.NotEqual(t, string(src), wrong, "the test's anchor is not in NlPolicy.c any more")
	require.NoError(t, os.WriteFile(policyC, []byte(wrong), 0o644))
	bin := filepath.Join(dir, "policy_check")
	args := append(append([]string{}, cflags...), "-I", dir, "-I", filepath.Join(dir, "include"), "-o", bin)
	out, err := exec.Command("gcc", append(args, sources...)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin).CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "FAIL nlFlowPolicy[used]: lengths differ from the spec")
	assert.Contains(t, string(out), "FAIL nlFlowPolicy[used]: should be optional")
	assert.Contains(t, string(out), "FAIL nlFlowPolicy[used]: lengths looser than the type allows")
}

// TestStaticAssertsPinIoctls proves the Windows header's static asserts
// fire under the real winioctl.h when an ioctl's function number changes.
func TestStaticAssertsPinIoctls(t *testing.T) {
	compiler(t, "x86_64-w64-mingw32-gcc")
	dir, _ := driverTree(t, ovsModel(t), "Types.h")
	hdr := filepath.Join(dir, "include", "windows", "openvswitch-windows.h")
	src, err := os.ReadFile(hdr)
	require.NoError(t, err)
	wrong := strings.Replace(string(src), "OVS_IOCTL_START + 0x5,", "OVS_IOCTL_START + 0x6,", 1)
	require.NotEqual(t, string(src), wrong)
	require.NoError(t, os.WriteFile(hdr, []byte(wrong), 0o644))
	tu := filepath.Join(dir, "tu.c")
	require.NoError(t, os.WriteFile(tu, []byte("#include \"precomp.h\"\n"), 0o644))
	args := append(append([]string{}, cflags...), "-I", dir, "-I", filepath.Join(dir, "include"), "-c", "-o", tu+".o", tu)
	out, err := exec.Command("x86_64-w64-mingw32-gcc", args...).CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "OVS_IOCTL_TRANSACT must be 0xAFC88416")
}
