package cwindows_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cdispatch"
	"github.com/nlgen/nlgen/gen/cpolicy"
	"github.com/nlgen/nlgen/gen/cwindows"
	"github.com/nlgen/nlgen/internal/ctest"
	"github.com/nlgen/nlgen/internal/gentest"
	"github.com/nlgen/nlgen/internal/loader"
)

// ovsSpecs are the built-in specs, ovs_ct (netlink-raw) among them.
func ovsSpecs(t *testing.T) []string {
	specs, err := filepath.Glob("../../schema/ovs/ovs_*.yaml")
	require.NoError(t, err)
	require.Contains(t, specs, "../../schema/ovs/ovs_ct.yaml")
	return specs
}

// TestRawFamilyRefusedWithoutCarriage: an overlay whose ovs_ct entry does
// not say how the driver carries the netlink-raw family (no netlink-raw
// key) makes every Windows target refuse it at the spec's protocol key,
// naming the key to add; nothing is rendered.
func TestRawFamilyRefusedWithoutCarriage(t *testing.T) {
	src, err := os.ReadFile("../../schema/ovs/windows.yaml")
	require.NoError(t, err)
	block := regexp.MustCompile(`(?m)^    netlink-raw:\n(?:      .*\n)+`)
	require.Len(t, block.FindAll(src, -1), 1, "the built-in overlay carries ovs_ct")
	overlay := filepath.Join(t.TempDir(), "windows.yaml")
	require.NoError(t, os.WriteFile(overlay, block.ReplaceAll(src, nil), 0o644))
	m, err := loader.Specs(ovsSpecs(t), overlay, gentest.DisplayPath)
	require.NoError(t, err)
	require.Nil(t, m.Family("ovs_ct").Win.Raw)
	for _, g := range []*gen.Generator{cwindows.Generator, cpolicy.Generator, cdispatch.Generator} {
		_, err := g.Generate(&gen.Request{Model: m, Families: m.Families, Target: g.Name})
		require.Error(t, err, g.Name)
		assert.Regexp(t, `^(\.\./\.\./)?schema/ovs/ovs_ct\.yaml:12:11: unsupported: family ovs_ct \(protocol netlink-raw\): the Windows overlay's entry for it has no netlink-raw key.*\(netlink-raw: family, command-bits, header-extension; docs/windows-extension\.md\)`,
			err.Error(), g.Name)
	}
	// without the family in the overlay at all, the same refusal
	delete := regexp.MustCompile(`(?m)^  ovs_ct:\n(?:(?:    .*)?\n)+`)
	require.NoError(t, os.WriteFile(overlay, delete.ReplaceAll(src, nil), 0o644))
	m, err = loader.Specs(ovsSpecs(t), overlay, gentest.DisplayPath)
	require.NoError(t, err)
	require.Nil(t, m.Family("ovs_ct").Win)
	_, err = cwindows.Generator.Generate(&gen.Request{Model: m, Families: m.Families, Target: "c-windows-header"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the Windows overlay does not describe it")
}

// TestRawFamilyCarried: with the overlay's netlink-raw key, the driver's
// copy of conntrack comes out as OvsDpInterfaceCtExt.h and the driver's
// tables have it: the message types it dispatches on are
// NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_* (its NFNL_TYPE_CT_GET/DEL),
// its rows are keyed by NFNL_MSG_TYPE of them, the placeholder family is
// OVS_CT_FAMILY/OVS_CT_VERSION, and struct nfgenmsg carries struct
// ovs_header, so attributes start at NLMSG_HDRLEN + 8, where OVS_MESSAGE
// puts them for every family. Checked by compiling those definitions of
// the upstream header against the generated one, with gcc and mingw-w64.
func TestRawFamilyCarried(t *testing.T) {
	m := gentest.Specs(t, ovsSpecs(t), "../../schema/ovs/windows.yaml")
	dir := t.TempDir()
	var dispatch string
	for _, g := range []*gen.Generator{cwindows.Generator, cdispatch.Generator} {
		for _, f := range gentest.Generate(t, g, m, nil) {
			p := filepath.Join(dir, f.Path)
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, f.Content, 0o644))
			if f.Path == "NlDispatch.c" {
				dispatch = string(f.Content)
			}
		}
	}
	assert.Contains(t, dispatch, "\t.name = OVS_CT_FAMILY,\n\t.id = OVS_WIN_NL_CT_FAMILY_ID,\n\t.version = OVS_CT_VERSION,\n")
	assert.Contains(t, dispatch, "\t\t.cmd = IPCTNL_MSG_CT_DELETE,\n\t\t.handler = OvsCtDeleteCmdHandler,\n")
	check := `#define CTL_CODE(DeviceType, Function, Method, Access) \
	((unsigned long)(DeviceType) << 16 | (unsigned long)(Access) << 14 | (unsigned long)(Function) << 2 | (unsigned long)(Method))
#define METHOD_BUFFERED 0
#define METHOD_IN_DIRECT 1
#define METHOD_OUT_DIRECT 2
#define FILE_READ_ACCESS 0x0001
#define FILE_WRITE_ACCESS 0x0002
#define TEXT(s) s
#include <stddef.h>
#include "windows/openvswitch-windows.h"

/* OvsDpInterfaceCtExt.h */
#define NFNL_SUBSYS_ID(x)   ((x & 0xff00) >> 8)
#define NFNL_MSG_TYPE(x)    (x & 0x00ff)
_Static_assert(NFNL_TYPE_CT_GET == (NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET), "NFNL_TYPE_CT_GET");
_Static_assert(NFNL_TYPE_CT_DEL == (NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_DELETE), "NFNL_TYPE_CT_DEL");
_Static_assert(NFNL_MSG_TYPE(NFNL_TYPE_CT_GET) == IPCTNL_MSG_CT_GET && NFNL_SUBSYS_ID(NFNL_TYPE_CT_GET) == NFNL_SUBSYS_CTNETLINK, "GET row");
_Static_assert(NFNL_MSG_TYPE(NFNL_TYPE_CT_DEL) == IPCTNL_MSG_CT_DELETE, "DELETE row");
_Static_assert(OVS_NL_CT_ATTR_MAX == IPCTNL_MSG_MAX - 1, "OVS_NL_CT_ATTR_MAX");
_Static_assert(IPCTNL_MSG_CT_NEW == 0 && IPCTNL_MSG_CT_GET_UNCONFIRMED == 7 && IPCTNL_MSG_MAX == 8, "cntl_msg_types: one entry per message type");
_Static_assert(NFNLGRP_CONNTRACK_NEW == 1 && NFNLGRP_CONNTRACK_UPDATE == 2 && NFNLGRP_CONNTRACK_DESTROY == 3, "groups");
/* NetlinkProto.h: OVS_MESSAGE = nlmsghdr, genlmsghdr or nfgenmsg (4), ovs_header */
_Static_assert(sizeof(struct nfgenmsg) == 4 + sizeof(struct ovs_header), "nfgenmsg + ovs_header");
_Static_assert(offsetof(struct nfgenmsg, ovs_hdr) == 4, "ovs_hdr after the Linux nfgenmsg");
_Static_assert(sizeof(OVS_CT_FAMILY) == sizeof("ovs_ct") && OVS_CT_VERSION == 1, "placeholder family");
_Static_assert(sizeof(OVS_CT_MCGROUP) == sizeof("ovs_ct"), "placeholder group");
`
	src := filepath.Join(dir, "check.c")
	require.NoError(t, os.WriteFile(src, []byte(check), 0o644))
	ctest.Compile(t, ctest.GCC, "-fsyntax-only", "-I", dir, "-I", "../../out/include", src)
	ctest.Compile(t, ctest.MinGW, "-fsyntax-only", "-I", dir, "-I", "../../out/include", "-I", ctest.LinuxTypes(t), src)
	assert.True(t, strings.Contains(check, "offsetof"))
}
