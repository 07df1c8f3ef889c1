package ir

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/schema"
)

// loadRaw resolves one spec file on its own.
func loadRaw(t *testing.T, path string) (*Model, error) {
	t.Helper()
	s, err := schema.LoadSpecFile(path)
	if err != nil {
		return nil, err
	}
	return Resolve([]Source{{Spec: s, DisplayPath: filepath.Base(path)}}, nil, "")
}

// TestKernelRawSpecsLoad loads every netlink-raw spec of a kernel tree
// (Documentation/netlink/specs), given by NLGEN_KERNEL_SPECS: the shared
// folder holds only the rtnetlink ones, the kernel also has tc and
// nftables. Each loads unchanged; nftables.yaml up to 6.12 names an
// attribute "set id", which loads with a warning (upstream later renamed
// it set-id).
func TestKernelRawSpecsLoad(t *testing.T) {
	dir := os.Getenv("NLGEN_KERNEL_SPECS")
	if dir == "" {
		t.Skip("NLGEN_KERNEL_SPECS is unset: set it to a kernel's Documentation/netlink/specs to load every netlink-raw spec there")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("NLGEN_KERNEL_SPECS=%s is absent (%v): it must name a kernel's Documentation/netlink/specs", dir, err)
	}
	files := kernelRawSpecs(t, dir)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			m, err := loadRaw(t, f)
			require.NoError(t, err)
			require.Equal(t, "netlink-raw", m.Families[0].Protocol)
			if bytes.Contains(src, []byte("        name: set id\n")) {
				var spaced []string
				for _, w := range m.Warnings {
					if w.Rule == "name" {
						spaced = append(spaced, w.Error())
					}
				}
				require.Len(t, spaced, 1)
				require.Contains(t, spaced[0], `attribute name "set id" separates words with spaces`)
				a := attrByName(t, m.Families[0], "expr-lookup-attrs", "set id")
				assert.Equal(t, "NFTABLES_A_EXPR_LOOKUP_ATTRS_SET_ID", a.CName)
				assert.Equal(t, "SetId", a.GoName)
			}
		})
	}
}

// kernelRawSpecs lists the netlink-raw specs of a kernel's
// Documentation/netlink/specs, failing when there are none.
func kernelRawSpecs(t testing.TB, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	require.NoError(t, err)
	var raw []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		if rawProtocol.Match(src) {
			raw = append(raw, f)
		}
	}
	require.NotEmpty(t, raw, "no netlink-raw spec in %s", dir)
	return raw
}

func attrByName(t *testing.T, f *Family, set, name string) *Attr {
	t.Helper()
	for _, s := range f.AttrSets {
		if s.Name != set {
			continue
		}
		for _, a := range s.Attrs {
			if a.Name == name {
				return a
			}
		}
	}
	t.Fatalf("family %s has no attribute %q in set %q", f.Name, name, set)
	return nil
}

// TestSpacedNamesResolve: the names of testdata/accepted/raw-spaced-names.yaml
// separate words with spaces; C and Go names are derived as if they were
// '-', the spec's names are kept, references to them resolve (a nest, an
// enum, a fixed header, a sub-message selected by an enum entry) and each
// spaced name gets one warning.
func TestSpacedNamesResolve(t *testing.T) {
	m, err := loadRaw(t, "../testdata/accepted/raw-spaced-names.yaml")
	require.NoError(t, err)
	f := m.Families[0]
	a := attrByName(t, f, "lookup attrs", "set id")
	assert.Equal(t, "SPACED_A_LOOKUP_ATTRS_SET_ID", a.CName)
	assert.Equal(t, "SetId", a.GoName)
	assert.Equal(t, "HitCount", attrByName(t, f, "inner attrs", "hit count").GoName)
	data := attrByName(t, f, "lookup attrs", "obj data")
	require.IsType(t, SubMsg{}, data.Kind)
	var kind *Enum
	for _, e := range f.Enums {
		if e.Name == "obj kind" {
			kind = e
		}
	}
	require.NotNil(t, kind)
	assert.Equal(t, "ObjKind", kind.GoName)
	assert.Equal(t, "big counter", kind.Entries[1].Name)
	assert.Equal(t, "SPACED_OBJ_KIND_BIG_COUNTER", kind.Entries[1].CName)
	assert.Equal(t, "BigCounter", kind.Entries[1].GoName)
	get := opByName(f, "get lookup")
	require.NotNil(t, get)
	assert.Equal(t, "GetLookup", get.GoName)
	require.NotNil(t, get.FixedHeader)
	assert.Equal(t, "msg hdr", get.FixedHeader.Name)
	assert.Equal(t, "owner_id", get.FixedHeader.Members[2].CName)
	assert.Equal(t, "OwnerId", get.FixedHeader.Members[2].GoName)
	n := 0
	for _, w := range m.Warnings {
		if w.Rule == "name" {
			n++
			assert.Contains(t, w.Msg, "separates words with spaces")
		}
	}
	assert.Equal(t, 14, n, m.Warnings.Error())
}

var rawProtocol = regexp.MustCompile(`(?m)^protocol:\s*netlink-raw\s*$`)

// loadShared6_12 resolves netlink-raw specs of the shared folder, each
// checked against the kernel's own facts (include/uapi/linux/rtnetlink.h
// and if_link.h of 6.12).
func loadShared612(t *testing.T, name string) *Family {
	t.Helper()
	p := filepath.Join("../../shared/specs/linux-6.12", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is absent: netlink-raw tests need ../shared/specs/linux-6.12 beside the checkout", p)
	}
	m, err := loadRaw(t, p)
	require.NoError(t, err)
	return m.Families[0]
}

func opByName(f *Family, name string) *Op {
	for _, op := range f.Ops {
		if op.Name == name {
			return op
		}
	}
	return nil
}

func TestRtLinkResolves(t *testing.T) {
	f := loadShared612(t, "rt_link.yaml")
	assert.Equal(t, "netlink-raw", f.Protocol)
	assert.Equal(t, 0, f.Protonum) // NETLINK_ROUTE

	// rtnetlink.h: RTM_NEWLINK 16, RTM_DELLINK 17, RTM_GETLINK 18,
	// RTM_SETLINK 19, RTM_NEWSTATS 92, RTM_GETSTATS 94
	newlink := opByName(f, "newlink")
	require.NotNil(t, newlink)
	assert.Equal(t, 16, newlink.Do.Request.Value)
	assert.Nil(t, newlink.Do.Reply)
	get := opByName(f, "getlink")
	assert.Equal(t, 18, get.Do.Request.Value)
	assert.Equal(t, 16, get.Do.Reply.Value)
	assert.Equal(t, 18, get.Dump.Request.Value)
	assert.Equal(t, 16, get.Dump.Reply.Value)
	assert.Equal(t, 18, get.ReqValue)
	assert.Equal(t, 16, get.RspValue)
	assert.Equal(t, 19, opByName(f, "setlink").Do.Request.Value)
	stats := opByName(f, "getstats")
	assert.Equal(t, 94, stats.Dump.Request.Value)
	assert.Equal(t, 92, stats.Dump.Reply.Value)

	// struct ifinfomsg { u8 family; u8 __ifi_pad; u16 type; int index;
	// unsigned flags, change; }: 16 bytes, the pad member is one byte.
	require.NotNil(t, get.FixedHeader)
	h := get.FixedHeader
	assert.Equal(t, "ifinfomsg", h.Name)
	assert.Equal(t, 16, h.Size)
	assert.True(t, h.Packed())
	pad := h.Member("pad")
	require.NotNil(t, pad)
	assert.True(t, pad.IsPad())
	assert.Equal(t, 1, pad.Offset)
	assert.Equal(t, 1, pad.Size)
	assert.Equal(t, 4, h.Member("ifi-index").Offset)
	flags := h.Member("ifi-flags")
	assert.True(t, flags.EnumAsFlags)
	assert.Equal(t, "ifinfo-flags", flags.Enum.Name)

	// the request lists the header's ifi-index among its attributes
	require.Len(t, newlink.Do.Request.Members, 1)
	assert.Equal(t, "ifi-index", newlink.Do.Request.Members[0].Name)

	// RTNLGRP_LINK 1, RTNLGRP_STATS 36
	require.Len(t, f.McastGroups, 2)
	assert.Equal(t, 1, f.McastGroups[0].Value)
	assert.Equal(t, 36, f.McastGroups[1].Value)

	// IFLA_INFO_DATA's format is picked by IFLA_INFO_KIND
	var li *AttrSet
	for _, s := range f.AttrSets {
		if s.Name == "linkinfo-attrs" {
			li = s
		}
	}
	require.NotNil(t, li)
	k, ok := li.Attr("data").Kind.(SubMsg)
	require.True(t, ok, "%T", li.Attr("data").Kind)
	assert.Equal(t, "linkinfo-data-msg", k.Def.Name)
	assert.Same(t, li.Attr("kind"), k.Selector)
	assert.Equal(t, 0, k.SelectorDepth)
	assert.Equal(t, "sub-message(linkinfo-data-msg) selected by kind", k.String())
	vlan := k.Def.Format("vlan")
	require.NotNil(t, vlan)
	assert.Equal(t, "linkinfo-vlan-attrs", vlan.AttrSet.Name)
	assert.Nil(t, vlan.FixedHeader)
	assert.Contains(t, vlan.AttrSet.SubMsgFrom, vlan)
	// erspan, gre and gretap share one set
	gre := k.Def.Format("gre").AttrSet
	assert.Len(t, gre.SubMsgFrom, 3)
	require.Len(t, f.SubMessages, 2)
	assert.Equal(t, "LinkinfoDataMsg", f.SubMessages[0].GoName)
}

func TestRtAddrAndRouteResolve(t *testing.T) {
	a := loadShared612(t, "rt_addr.yaml")
	// RTM_NEWADDR 20, RTM_GETADDR 22; RTNLGRP_IPV4_IFADDR 5
	assert.Equal(t, 20, opByName(a, "newaddr").Do.Request.Value)
	assert.Equal(t, 22, opByName(a, "getaddr").Dump.Request.Value)
	assert.Equal(t, 20, opByName(a, "getaddr").Dump.Reply.Value)
	assert.Equal(t, 5, a.McastGroups[0].Value)
	r := loadShared612(t, "rt_route.yaml")
	// RTM_GETROUTE 26, answered by RTM_NEWROUTE 24; struct rtmsg is 12 bytes
	get := opByName(r, "getroute")
	assert.Equal(t, 26, get.Dump.Request.Value)
	assert.Equal(t, 24, get.Dump.Reply.Value)
	assert.Equal(t, 12, get.FixedHeader.Size)
}

func TestRawSelectors(t *testing.T) {
	m, err := loadRaw(t, "testdata/raw.yaml")
	require.NoError(t, err)
	f := m.Families[0]
	assert.Equal(t, 12, f.Protonum)
	set := func(name string) *AttrSet {
		for _, s := range f.AttrSets {
			if s.Name == name {
				return s
			}
		}
		t.Fatalf("no set %s", name)
		return nil
	}
	main, stats := set("main"), set("stats")
	// the selector of stats' app is main's kind, one nest up, as the
	// YNL CLI's SpaceAttrs.lookup finds it
	app := stats.Attr("app").Kind.(SubMsg)
	assert.Same(t, main.Attr("kind"), app.Selector)
	assert.Equal(t, 1, app.SelectorDepth)
	data := main.Attr("data").Kind.(SubMsg)
	assert.Same(t, main.Attr("type"), data.Selector)
	opts := main.Attr("options").Kind.(SubMsg).Def
	assert.Equal(t, "tbf-xstats", opts.Format("tbf").FixedHeader.Name)
	assert.Nil(t, opts.Format("noop").AttrSet)
	assert.Nil(t, opts.Format("noop").FixedHeader)
	assert.Equal(t, 8, f.FixedHeader.Size)
	get := opByName(f, "get")
	assert.Equal(t, 0x102, get.Dump.Request.Value)
	assert.Equal(t, 0x100, get.Dump.Reply.Value)
	assert.Len(t, get.Dump.Reply.Members, 2)
	assert.Len(t, get.Dump.Reply.Attrs, 3)
	assert.Equal(t, 3, f.McastGroups[0].Value)
}

func TestRawErrors(t *testing.T) {
	base, err := os.ReadFile("testdata/raw.yaml")
	require.NoError(t, err)
	for name, tc := range map[string]struct{ old, new, want string }{
		"no protonum":         {"protonum: 12\n", "", "t.yaml:2:1: missing-key: protocol netlink-raw needs protonum"},
		"protonum range":      {"protonum: 12", "protonum: 32", "t.yaml:4:11: range: protonum 32 is not a netlink protocol number (0..31)"},
		"unknown sub-message": {"sub-message: objs", "sub-message: objz", `t.yaml:27:54: reference: attribute "data": no sub-message named "objz" (did you mean "objs"?)`},
		"unknown selector":    {"selector: kind}\n  - name: red", "selector: kinds}\n  - name: red", `t.yaml:31:69: reference: attribute "app": selector "kinds" is no attribute of set "stats" nor of a set nesting it`},
		"selector not string": {"{name: type, type: u32, enum: obj-type, byte-order: big-endian}", "{name: type, type: u32, byte-order: big-endian}",
			`t.yaml:27:70: value: attribute "data": selector "type" is u32 without an enum`},
		"selector is nest": {"selector: type}", "selector: stats}", `t.yaml:27:70: value: attribute "data": selector "stats" is of type nest`},
		"value not in enum": {"{value: counter, attribute-set: counter-attrs}", "{value: counters, attribute-set: counter-attrs}",
			`t.yaml:46:9: reference: sub-message "objs" format "counters": selector "type" (attribute "data") holds enum "obj-type", which has no entry "counters" (did you mean "counter"?)`},
		"no selector":       {", selector: type}", "}", `t.yaml:27:9: missing-key: attribute "data" of type sub-message needs selector`},
		"bad format set":    {"attribute-set: red-attrs}", "attribute-set: red}", `t.yaml:41:37: reference: sub-message "opts" format "red": no attribute set named "red"`},
		"bad format header": {"fixed-header: tbf-xstats}", "fixed-header: tbf}", `t.yaml:42:36: reference: sub-message "opts" format "tbf": fixed-header names no struct definition "tbf"`},
		"duplicate format":  {"{value: noop}", "{value: red}", `t.yaml:43:17: duplicate: sub-message "opts": format "red" is already defined at t.yaml:41:17`},
		"type below 16":     {"value: 0x102", "value: 2", `t.yaml:56:7: range: operation "get": request message type 2 is below NLMSG_MIN_TYPE (16)`},
		"type over 16 bits": {"value: 0x102", "value: 0x10000", `t.yaml:60:26: range: dump request value must fit the 16-bit netlink message type, got 65536`},
		"selector on u32":   {"{name: bytes, type: u64}", "{name: bytes, type: u64, selector: kind}", `t.yaml:30:44: value: attribute "bytes": selector applies to attributes of type sub-message, not u64`},
	} {
		t.Run(name, func(t *testing.T) {
			require.Contains(t, string(base), tc.old)
			src := strings.Replace(string(base), tc.old, tc.new, 1)
			s, err := schema.LoadSpec("t.yaml", []byte(src))
			if err == nil {
				_, err = Resolve([]Source{{Spec: s, DisplayPath: "t.yaml"}}, nil, "")
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestRawSharedReplyTypes: in classic netlink a message type names a
// layout, so two operations may be answered with the same type (nftables:
// getrule and getrule-reset, both NFT_MSG_NEWRULE); two requests of one
// type could not be told apart, and a group without a number is only a
// warning.
func TestRawSharedReplyTypes(t *testing.T) {
	base, err := os.ReadFile("testdata/raw.yaml")
	require.NoError(t, err)
	extra := `    - name: get-reset
      doc: Get and reset.
      attribute-set: main
      dump:
        request: {value: 0x103, attributes: [index]}
        reply: {value: 0x100, attributes: [index, kind]}
mcast-groups:`
	src := strings.Replace(string(base), "mcast-groups:", extra, 1)
	src = strings.Replace(src, "{name: events, value: 3}", "{name: events}", 1)
	s, err := schema.LoadSpec("t.yaml", []byte(src))
	require.NoError(t, err)
	m, err := Resolve([]Source{{Spec: s, DisplayPath: "t.yaml"}}, nil, "")
	require.NoError(t, err)
	assert.Equal(t, 0x100, opByName(m.Families[0], "get-reset").Dump.Reply.Value)
	require.Len(t, m.Warnings, 1)
	assert.Contains(t, m.Warnings[0].Error(), `missing-key: multicast group "events" has no value`)
	assert.Equal(t, 0, m.Families[0].McastGroups[0].Value)

	src = strings.Replace(src, "value: 0x103", "value: 0x102", 1)
	s, err = schema.LoadSpec("t.yaml", []byte(src))
	require.NoError(t, err)
	_, err = Resolve([]Source{{Spec: s, DisplayPath: "t.yaml"}}, nil, "")
	require.ErrorContains(t, err, `duplicate: operation "get-reset" has the same request id (258) as "get"`)
}

// TestRawUnifiedTypes: a unified netlink-raw family's ids are message
// types too, and the ones below 16 are netlink's own.
func TestRawUnifiedTypes(t *testing.T) {
	src := `name: u
doc: d
protocol: netlink-raw
protonum: 0
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: u32}
operations:
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [a]}}}
`
	err := resolveSrc(t, src)
	require.ErrorContains(t, err, `t.yaml:11:7: range: operation "get": message type 1 is below NLMSG_MIN_TYPE (16)`)
	require.NoError(t, resolveSrc(t, strings.Replace(src, "{name: get, doc: x,", "{name: get, doc: x, value: 100,", 1)))
}

// TestIdentifySubMessages: a set whose sub-message attribute may carry a
// set that differs is no longer identical, as with a nest.
func TestIdentifySubMessages(t *testing.T) {
	src, err := os.ReadFile("testdata/raw.yaml")
	require.NoError(t, err)
	second := strings.Replace(strings.Replace(string(src), "name: rawdemo", "name: rawdemo2", 1),
		"{name: limit, type: u32}", "{name: limit, type: u16}", 1)
	m := resolveFamilies(t, string(src), second)
	id := Identify(m.Families[0], m.Families[1], nil)
	assert.ElementsMatch(t, []string{"counter-attrs"}, pairedNames(t, id.Sets, setName),
		"red-attrs differs, so do main and stats, whose sub-messages carry it")
	self := Identify(m.Families[0], m.Families[0], nil)
	assert.Len(t, self.Sets, len(m.Families[0].AttrSets))
}
