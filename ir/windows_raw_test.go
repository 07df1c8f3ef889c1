package ir

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/schema"
)

// ctSpec is a classic netlink family as ctnetlink defines it
// (linux/netfilter/nfnetlink_conntrack.h): message types
// (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_*, answers to a get typed
// IPCTNL_MSG_CT_NEW, struct nfgenmsg as the fixed header.
const ctSpec = `name: ct
doc: d
protocol: netlink-raw
protonum: 12
definitions:
  - name: nfgenmsg
    type: struct
    members:
      - {name: nfgen-family, type: u8}
      - {name: version, type: u8}
      - {name: res-id, type: u16, byte-order: big-endian}
attribute-sets:
  - name: cta
    attributes:
      - {name: zone, type: u16, byte-order: big-endian, value: 18}
operations:
  fixed-header: nfgenmsg
  list:
    - name: new
      doc: d
      value: 0x100
      attribute-set: cta
      event: {attributes: [zone]}
    - name: get
      doc: d
      attribute-set: cta
      dump:
        reply: {value: 0x100, attributes: [zone]}
    - name: delete
      doc: d
      attribute-set: cta
      do:
        request: {attributes: [zone]}
`

// hdrSpec defines the driver's extra header, as ovs_datapath does.
const hdrSpec = `name: hdr
doc: d
protocol: genetlink-legacy
attribute-sets: []
operations: {list: []}
definitions:
  - name: ovs-header
    type: struct
    members:
      - {name: dp-ifindex, type: s32}
`

func opNamed(f *Family, name string) *Op {
	for _, op := range f.Ops {
		if op.Name == name {
			return op
		}
	}
	return nil
}

func resolveCT(t *testing.T, spec, overlay string) (*Model, error) {
	t.Helper()
	var srcs []Source
	for name, text := range map[string]string{"ct.yaml": spec, "hdr.yaml": hdrSpec} {
		s, err := schema.LoadSpec(name, []byte(text))
		require.NoError(t, err)
		srcs = append(srcs, Source{Spec: s, DisplayPath: name})
	}
	w, err := schema.LoadWindows("windows.yaml", []byte(overlay))
	require.NoError(t, err)
	return Resolve(srcs, w, "windows.yaml")
}

const ctOverlay = `nlgen-windows: 1
families:
  ct:
    id: 7
    windows-only: true
    operations:
      delete: {handler: OvsCtDeleteCmdHandler, dev-ops: [transaction]}
      get: {handler: OvsCtDumpCmdHandler, dev-ops: [write, read]}
    netlink-raw:
      family: ovs_ct
      mcast-group: ovs_ct
      command-bits: 8
      header-extension: {name: ovs-hdr, struct: ovs-header, family: hdr}
`

// TestWinRawCarriage: the driver keys its NETLINK_CMD rows by
// NFNL_MSG_TYPE (the low byte: IPCTNL_MSG_CT_GET = 1 for 0x101), knows the
// family as OVS_CT_FAMILY/OVS_CT_VERSION/OVS_CT_MCGROUP, and reads the
// attributes after nfgenmsg and ovs_header: NLMSG_HDRLEN + 8 = 24, the
// offset OVS_MESSAGE gives them (OvsDpInterfaceCtExt.h's struct nfgenmsg
// ends with struct ovs_header).
func TestWinRawCarriage(t *testing.T) {
	m, err := resolveCT(t, ctSpec, ctOverlay)
	require.NoError(t, err)
	f := m.Family("ct")
	r := f.Win.Raw
	require.NotNil(t, r)
	assert.Equal(t, "ovs_ct", r.Name)
	assert.Equal(t, "OVS_CT_FAMILY", r.NameCName)
	assert.Equal(t, 1, r.Version)
	assert.Equal(t, "OVS_CT_VERSION", r.VersionCName)
	assert.Equal(t, "OVS_CT_MCGROUP", r.McastName)
	for name, cmd := range map[string]int{"new": 0, "get": 1, "delete": 2} {
		op := opNamed(f, name)
		require.NotNil(t, op, name)
		assert.Equal(t, 0x100|cmd, op.Value, name)
		assert.Equal(t, cmd, r.Command(op.Value), name)
	}
	assert.Equal(t, 0x100, opNamed(f, "get").Dump.Reply.Value, "ctnetlink answers a get with IPCTNL_MSG_CT_NEW")

	hdr := f.Ops[0].FixedHeader
	assert.Equal(t, 4, hdr.Size, "Linux's struct nfgenmsg")
	win := r.FixedHeader(hdr)
	assert.Equal(t, 8, win.Size)
	assert.Equal(t, 8, win.NaturalSize)
	require.Len(t, win.Members, 4)
	ext := win.Members[3]
	assert.Equal(t, "ovs_hdr", ext.CName)
	assert.Equal(t, 4, ext.Offset)
	assert.Equal(t, "ovs_header", ext.Struct.CName)
	assert.Len(t, hdr.Members, 3, "the spec's header is left as Linux has it")
	assert.Equal(t, 16+8, 16+4+4, "attributes at NLMSG_HDRLEN + GENL_HDRLEN + OVS_HDRLEN")
}

func TestWinRawErrors(t *testing.T) {
	cases := map[string]struct{ spec, overlay, want string }{
		"genetlink family": {ctSpec, `nlgen-windows: 1
families:
  hdr:
    windows-only: true
    netlink-raw: {family: x, command-bits: 8}
`, `windows.yaml:5:18: protocol: family "hdr": netlink-raw describes how the driver carries a netlink-raw family; "hdr" is genetlink-legacy`},
		"not windows-only": {ctSpec, `nlgen-windows: 1
families:
  ct:
    netlink-raw: {family: ovs_ct, command-bits: 8}
`, `windows.yaml:4:18: value: family "ct": a netlink-raw family has no uapi header of nlgen's to share`},
		"two subsystems": {ctSpec + "    - {name: other, doc: d, value: 0x201}\n", `nlgen-windows: 1
families:
  ct:
    windows-only: true
    netlink-raw: {family: ovs_ct, command-bits: 8}
`, `operation "other": message type 0x201 is outside the family's 0x1 << 8`},
		"no struct": {ctSpec, `nlgen-windows: 1
families:
  ct:
    windows-only: true
    netlink-raw:
      family: ovs_ct
      command-bits: 8
      header-extension: {name: ovs-hdr, struct: ovs-header}
`, `windows.yaml:8:49: reference: header-extension: family "ct" defines no struct "ovs-header"`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := resolveCT(t, c.spec, c.overlay)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}
