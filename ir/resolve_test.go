package ir

import (
	"path/filepath"
	"testing"

	"github.com/nlgen/nlgen/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadUpstream(t *testing.T, names ...string) *Model {
	t.Helper()
	dir := "../../shared/specs/linux"
	if len(names) == 0 {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range files {
			names = append(names, filepath.Base(f))
		}
	}
	var srcs []Source
	for _, n := range names {
		s, err := schema.LoadSpecFile(filepath.Join(dir, n))
		if err != nil && s == nil {
			t.Skipf("../shared/specs/linux is absent (%v): upstream spec tests need the shared folder beside the checkout", err)
		}
		require.NoError(t, err)
		srcs = append(srcs, Source{Spec: s, DisplayPath: n})
	}
	m, err := Resolve(srcs, nil, "")
	require.NoError(t, err)
	return m
}

func TestAllUpstreamSpecsResolve(t *testing.T) {
	m := loadUpstream(t)
	assert.Len(t, m.Families, 8)
}

func TestDirectionalOpIDs(t *testing.T) {
	f := loadUpstream(t, "nlctrl.yaml").Families[0]
	var get, pol *Op
	for _, op := range f.Ops {
		switch op.Name {
		case "getfamily":
			get = op
		case "getpolicy":
			pol = op
		}
	}
	require.NotNil(t, get)
	assert.Equal(t, 3, get.ReqValue)
	assert.Equal(t, 1, get.RspValue)
	assert.Equal(t, 10, pol.ReqValue)
	assert.Equal(t, 10, pol.RspValue)
}

func TestOVSUpstreamValues(t *testing.T) {
	m := loadUpstream(t, "ovs_datapath.yaml", "ovs_flow.yaml")
	dp := m.Family("ovs_datapath")
	var get *Op
	for _, op := range dp.Ops {
		if op.Name == "get" {
			get = op
		}
	}
	assert.Equal(t, "OVS_DP_CMD_GET", get.CName)
	assert.Equal(t, 3, get.Value)
	assert.Equal(t, 2, dp.Version)
	assert.Equal(t, "ovs_header", dp.FixedHeader.CName)
	assert.Equal(t, 4, dp.FixedHeader.Size)

	fl := m.Family("ovs_flow")
	var flowAttrs, keyAttrs *AttrSet
	for _, s := range fl.AttrSets {
		switch s.Name {
		case "flow-attrs":
			flowAttrs = s
		case "key-attrs":
			keyAttrs = s
		}
	}
	require.NotNil(t, flowAttrs)
	assert.Equal(t, uint16(9), flowAttrs.Attr("ufid").ID) // as in openvswitch.h
	assert.Equal(t, "OVS_FLOW_ATTR_UFID", flowAttrs.Attr("ufid").CName)
	assert.Equal(t, uint16(31), keyAttrs.Attr("tunnel-info").ID)
	// the documented upstream bug: no drop action, so psample is 24
	for _, s := range fl.AttrSets {
		if s.Name == "action-attrs" {
			assert.Equal(t, uint16(24), s.Attr("psample").ID)
		}
	}
}

func TestCtlCode(t *testing.T) {
	assert.Equal(t, uint32(0xAFC88416), CtlCode(45000, 0x105, 2, 2))
	assert.Equal(t, uint32(0xAFC84406), CtlCode(45000, 0x101, 2, 1))
}

func resolveSrc(t *testing.T, src string) error {
	s, err := schema.LoadSpec("t.yaml", []byte(src))
	require.NoError(t, err)
	_, err = Resolve([]Source{{Spec: s, DisplayPath: "t.yaml"}}, nil, "")
	return err
}

func TestResolveErrors(t *testing.T) {
	// genetlink-c: plain genetlink names may not contain '_' at all
	err := resolveSrc(t, `name: f
doc: d
protocol: genetlink-c
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: nest, nested-attributes: nope}
      - {name: b-c, type: u32}
      - {name: b_c, type: u32}
      - {name: big, type: u32, value: 20000}
operations:
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [a, zz]}}}
`)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `t.yaml:7:50: reference: attribute "a": no attribute set named "nope"`)
	assert.NotContains(t, msg, "C name", "a C name collision concerns the C targets only (Family.CConflicts)")
	assert.Contains(t, msg, "id 20000 does not fit the 14-bit attribute type")
	assert.Contains(t, msg, `t.yaml:13:76: reference: operation "get" do request: set "s" has no attribute "zz"`)
}

// TestDirectionalNames checks the names of ethtool's two command enums:
// the kernel's header calls a reply X_REPLY and keeps a notification's own
// name.
func TestDirectionalNames(t *testing.T) {
	f := loadUpstream(t, "ethtool.yaml").Families[0]
	assert.Equal(t, "ETHTOOL_MSG_USER_NONE", f.CmdNoneName)
	assert.Equal(t, "__ETHTOOL_MSG_USER_CNT", f.CmdCntName)
	assert.Equal(t, "ETHTOOL_MSG_USER_MAX", f.CmdMaxName)
	assert.Equal(t, "ETHTOOL_MSG_KERNEL_NONE", f.KernelCmdNoneName)
	assert.Equal(t, "__ETHTOOL_MSG_KERNEL_CNT", f.KernelCmdCntName)
	assert.Equal(t, "ETHTOOL_MSG_KERNEL_MAX", f.KernelCmdMaxName)
	byName := map[string]*Op{}
	for _, op := range f.Ops {
		byName[op.Name] = op
	}
	get, set, ntf := byName["linkinfo-get"], byName["linkinfo-set"], byName["linkinfo-ntf"]
	assert.Equal(t, []string{"ETHTOOL_MSG_LINKINFO_GET", "ETHTOOL_MSG_LINKINFO_GET_REPLY"}, []string{get.CName, get.RspCName})
	assert.Equal(t, []int{3, -1}, []int{set.ReqValue, set.RspValue})
	assert.Equal(t, []int{-1, 3}, []int{ntf.ReqValue, ntf.RspValue})
	assert.Equal(t, "ETHTOOL_MSG_LINKINFO_NTF", ntf.RspCName)
}

// TestDirectionalValueErrors: ids may repeat across directions, never
// within one, and a reply's _REPLY name may not collide with an op's.
func TestDirectionalValueErrors(t *testing.T) {
	src := `name: f
doc: d
protocol: genetlink-legacy
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: u32}
operations:
  enum-model: directional
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {value: 4, attributes: [a]}, reply: {value: 1, attributes: [a]}}}
    - {name: set, doc: x, attribute-set: s, do: {request: {value: 4, attributes: [a]}}}
    - {name: get-reply, doc: x, attribute-set: s, do: {request: {value: 1, attributes: [a]}}}
`
	err := resolveSrc(t, src)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `operation "set" has the same request id (4) as "get"`)
	assert.NotContains(t, msg, "same reply/notification id")
	// the _REPLY name clash concerns C only: it is kept for the C targets
	assert.NotContains(t, msg, "F_CMD_GET_REPLY")
	spec, err := schema.LoadSpec("t.yaml", []byte(src))
	require.NoError(t, err)
	m, _ := Resolve([]Source{{Spec: spec, DisplayPath: "t.yaml"}}, nil, "")
	require.NotNil(t, m)
	assert.Contains(t, m.Families[0].CConflicts.Error(), "C name F_CMD_GET_REPLY (the reply of operation \"get\") collides with operation \"get-reply\"")
}

// TestCConflictsDoNotStopLoading: names that collide only in C (a set's
// max and an attribute named max, two sets' max names, an enum tag that is
// a struct's) leave the model whole; each conflict is kept for the C
// targets at the place to fix, naming the key that fixes it.
func TestCConflictsDoNotStopLoading(t *testing.T) {
	s, err := schema.LoadSpec("t.yaml", []byte(`name: f
doc: d
protocol: genetlink-legacy
definitions:
  - {name: hdr, type: struct, members: [{name: x, type: u32}]}
attribute-sets:
  - name: s
    attributes:
      - {name: min, type: u32}
      - {name: max, type: u32}
  - name: t
    attr-max-name: f-a-s-max
    attr-cnt-name: __f-a-t-max
    enum-name: hdr
    attributes:
      - {name: y, type: u32}
operations:
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [min]}}}
`))
	require.NoError(t, err)
	m, err := Resolve([]Source{{Spec: s, DisplayPath: "t.yaml"}}, nil, "")
	require.NoError(t, err)
	var got []string
	for _, d := range m.Families[0].CConflicts {
		got = append(got, d.Error())
	}
	assert.Equal(t, []string{
		`t.yaml:7:11: name-collision: C name F_A_S_MAX (the max of attribute set "s") collides with attribute "max" of set "s" at t.yaml:10:16; set attr-max-name to rename it`,
		`t.yaml:12:20: name-collision: C name F_A_S_MAX (the max of attribute set "t") collides with attribute "max" of set "s" at t.yaml:10:16; set attr-max-name to rename it`,
		`t.yaml:14:16: name-collision: C tag enum hdr (attribute set "t") collides with struct hdr (struct "hdr") at t.yaml:5:5; set enum-name to rename it`,
	}, got)
}

// A struct cycle is reported where it closes: at the member's struct key,
// which is the line to edit, not at the struct the walk started from.
func TestStructCycleReportedAtClosingMember(t *testing.T) {
	err := resolveSrc(t, `name: f
doc: d
protocol: genetlink-legacy
definitions:
  - name: outer
    type: struct
    members:
      - {name: a, type: u32}
      - {name: in, type: binary, struct: inner}
  - name: inner
    type: struct
    members:
      - {name: b, type: u32}
      - {name: back, type: binary, struct: outer}
  - name: self
    type: struct
    members:
      - {name: me, type: binary, struct: self}
attribute-sets:
  - name: s
    attributes:
      - {name: x, type: u32}
operations:
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [x]}}}
`)
	require.Error(t, err)
	var ds schema.Diagnostics
	require.ErrorAs(t, err, &ds)
	var cycles []string
	for _, d := range ds {
		if d.Rule == "cycle" {
			cycles = append(cycles, d.Error())
		}
	}
	assert.Equal(t, []string{
		`t.yaml:14:44: cycle: member "back" of struct "inner" closes a cycle: outer -> inner -> outer`,
		`t.yaml:18:42: cycle: member "me" of struct "self" closes a cycle: self -> self`,
	}, cycles)
}

// TestExactLenCountsTheNUL: a string's exact-len is its payload with the
// NUL, so below 1 no value could be sent; that is an error at the check,
// for a string and for the elements of an indexed array of strings. A
// binary's exact-len 0 is an empty payload, which is fine.
func TestExactLenCountsTheNUL(t *testing.T) {
	spec := func(attr string) string {
		return "name: f\ndoc: d\nprotocol: genetlink-legacy\nattribute-sets:\n  - name: s\n    attributes:\n" +
			"      - " + attr + "\noperations:\n  list:\n    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [a]}}}\n"
	}
	for _, tc := range []struct{ attr, want string }{
		{"{name: a, type: string, checks: {exact-len: 0}}", `t.yaml:7:53: range: attribute "a": check exact-len 0 leaves no room for the NUL`},
		{"{name: a, type: indexed-array, sub-type: string, checks: {exact-len: 0}}", `t.yaml:7:78: range: attribute "a": check exact-len 0 leaves no room for the NUL`},
	} {
		err := resolveSrc(t, spec(tc.attr))
		require.Error(t, err, tc.attr)
		assert.Contains(t, err.Error(), tc.want)
	}
	for _, attr := range []string{
		"{name: a, type: string, checks: {exact-len: 1}}",
		"{name: a, type: binary, checks: {exact-len: 0}}",
		"{name: a, type: indexed-array, sub-type: binary, checks: {exact-len: 0}}",
	} {
		require.NoError(t, resolveSrc(t, spec(attr)), attr)
	}
}
