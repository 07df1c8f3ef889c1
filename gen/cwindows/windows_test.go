package cwindows_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen/cheader"
	"github.com/nlgen/nlgen/gen/cwindows"
	"github.com/nlgen/nlgen/internal/ctest"
	"github.com/nlgen/nlgen/internal/gentest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
)

// ovsModel is the built-in OVS config, the input of every golden file here.
func ovsModel(t *testing.T) *ir.Model { return gentest.Model(t, "../../nlgen.yaml") }

func generate(t *testing.T, m *ir.Model, opts gen.Options) []gen.File {
	return gentest.Generate(t, cwindows.Generator, m, opts)
}

func TestOVSGolden(t *testing.T) {
	files := generate(t, ovsModel(t), nil)
	require.Len(t, files, 1)
	assert.Equal(t, cwindows.DefaultFile, files[0].Path)
	gentest.Golden(t, "testdata", files)
}

// TestUpstreamWindowsInterfaceValues compiles the Windows header the
// built-in config generates now (with its uapi header) against static asserts of every name and value
// of the upstream Windows interface headers, OvsDpInterfaceExt.h and
// OvsDpInterfaceCtExt.h: device names, ioctl codes, static family and
// group ids, the control and netdev families, and the conntrack copy
// (nfnetlink groups and subsystems, CTA_* attribute enums including the
// expectation, statistics and timeout ones, the CTA_NAT alias, the TCP
// states with SYN_SENT2, message types).
func TestUpstreamWindowsInterfaceValues(t *testing.T) {
	src, err := os.ReadFile("testdata/windows_interface_values.c")
	require.NoError(t, err)
	require.GreaterOrEqual(t, strings.Count(string(src), "_Static_assert("), 420)
	// laid out as nlgen.yaml lays out out/include
	out := t.TempDir()
	m := ovsModel(t)
	gentest.WriteFiles(t, out, generate(t, m, nil))
	gentest.WriteFiles(t, filepath.Join(out, "include"), gentest.Generate(t, cheader.Generator, m, nil))
	inc := filepath.Join(out, "include")
	ctest.Compile(t, ctest.GCC, "-fsyntax-only", "-I", inc, "testdata/windows_interface_values.c")
	// and under the real winioctl.h, whose CTL_CODE shifts the device type
	// as it is given
	ctest.Compile(t, ctest.MinGW, "-fsyntax-only", "-I", inc, "-I", ctest.LinuxTypes(t), "testdata/windows_interface_values.c")
}
