package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// upstreamSpecs returns the Linux YNL specs shared with the project, or
// skips: they live outside the repository on purpose.
func upstreamSpecs(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("../../shared/specs/linux/*.yaml")
	if len(files) == 0 {
		t.Skip("../shared/specs/linux is absent: upstream spec tests need the shared folder beside the checkout")
	}
	return files
}

func TestLoadUpstreamSpecs(t *testing.T) {
	files := upstreamSpecs(t)
	require.Len(t, files, 8)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, err := LoadSpecFile(f)
			require.NoError(t, err)
			assert.NotEmpty(t, s.Name)
			assert.NotEmpty(t, s.AttributeSets)
		})
	}
}

func TestDiagnosticsCarryPositionsAndAreAllReported(t *testing.T) {
	src := `name: fam
doc: x
attribute-sets:
  - name: main
    bogus: 1
    attributes:
      - name: a
        type: u33
operations:
  list:
    - name: get
      doc: d
      value: 300
`
	_, err := LoadSpec("t.yaml", []byte(src))
	require.Error(t, err)
	ds := err.(Diagnostics)
	require.Len(t, ds, 3, err.Error())
	assert.Equal(t, "t.yaml:5:5: unknown-key", strings.SplitN(ds[0].Error(), ": unknown", 2)[0]+": unknown-key")
	assert.Contains(t, ds[1].Error(), "t.yaml:8:15: value:")
	assert.Contains(t, ds[2].Error(), "t.yaml:13:14: range:")
}

// netlink-raw's keys are understood, and only for netlink-raw specs.
func TestRawKeysNeedRawProtocol(t *testing.T) {
	src := "name: f\ndoc: d\nprotocol: genetlink-legacy\nprotonum: 0\nattribute-sets: []\noperations: {list: []}\n"
	_, err := LoadSpec("t.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `t.yaml:4:1: protocol: key "protonum" in spec needs protocol netlink-raw (spec says genetlink-legacy)`)
}

func TestProtocolGatesKeys(t *testing.T) {
	src := "name: f\ndoc: d\nc-family-name: x\nattribute-sets: []\noperations: {list: []}\n"
	_, err := LoadSpec("t.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `key "c-family-name" in spec needs protocol genetlink-c`)
}

func TestArrayNestIsIndexedArray(t *testing.T) {
	src := "name: f\ndoc: d\nattribute-sets:\n  - name: s\n    attributes:\n      - {name: a, type: array-nest, nested-attributes: s}\noperations: {list: []}\n"
	s, err := LoadSpec("t.yaml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, "indexed-array", s.AttributeSets[0].Attributes[0].Type)
}

func TestReadErrorIsDiagnostic(t *testing.T) {
	_, err := LoadSpecFile(filepath.Join(t.TempDir(), "missing.yaml"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing.yaml")
	_ = os.ErrNotExist
}

// A second document is never dropped silently: whatever it holds (here the
// multicast groups) would otherwise vanish from every output.
func TestSecondDocumentRejected(t *testing.T) {
	for name, tc := range map[string]struct{ src, want string }{
		"keys":         {"name: f\ndoc: d\n---\nmcast-groups: {list: [{name: g}]}\n", "f.yaml:3:1: syntax: a second YAML document starts here"},
		"empty":        {"name: f\ndoc: d\n---\n", "f.yaml:3:1: syntax: a second YAML document starts here"},
		"bad syntax":   {"name: f\ndoc: d\n---\nx: [\n", "f.yaml:5:1: syntax:"},
		"end marker":   {"name: f\ndoc: d\n...\n", ""},
		"start marker": {"---\nname: f\ndoc: d\n", ""},
	} {
		t.Run(name, func(t *testing.T) {
			var ds Diagnostics
			root := ParseYAML("f.yaml", []byte(tc.src), &ds)
			if tc.want == "" {
				require.Empty(t, ds)
				require.NotNil(t, root)
				return
			}
			require.Nil(t, root)
			require.Len(t, ds, 1)
			assert.Contains(t, ds[0].Error(), tc.want)
		})
	}
}

// TestRawKeysDecoded reads every netlink-raw key with its position.
func TestRawKeysDecoded(t *testing.T) {
	s, err := LoadSpecFile("../testdata/accepted/raw-demo.yaml")
	require.NoError(t, err)
	assert.Equal(t, "netlink-raw", s.Protocol)
	require.NotNil(t, s.Protonum)
	assert.Equal(t, int64(12), *s.Protonum)
	pad := s.Definitions[1].Members[1]
	assert.Equal(t, "pad", pad.Type)
	assert.Equal(t, int64(3), pad.Len.Int)
	opts := s.AttributeSets[0].Attributes[1]
	assert.Equal(t, "sub-message", opts.Type)
	assert.Equal(t, "opts", opts.SubMessage)
	assert.Equal(t, "kind", opts.Selector)
	require.Len(t, s.SubMessages, 2)
	f := s.SubMessages[0].Formats[1]
	assert.Equal(t, "tbf", f.Value)
	assert.Equal(t, "tbf-xstats", f.FixedHeader)
	assert.Equal(t, "", f.AttributeSet)
	assert.Equal(t, Pos{File: "../testdata/accepted/raw-demo.yaml", Line: 42, Col: 36}, f.At("fixed-header"))
	get := s.Operations.List[1]
	assert.Equal(t, int64(0x102), *get.Dump.Request.Value)
	assert.Equal(t, int64(0x100), *get.Dump.Reply.Value)
	require.NotNil(t, s.McastGroups[0].Value)
	assert.Equal(t, int64(3), *s.McastGroups[0].Value)
}

// TestRawTypesNeedRawProtocol: sub-message attributes and pad members are
// netlink-raw's; a genetlink-legacy spec using them is told so.
func TestRawTypesNeedRawProtocol(t *testing.T) {
	src := `name: f
doc: d
protocol: genetlink-legacy
definitions:
  - {name: h, type: struct, members: [{name: p, type: pad, len: 1}]}
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: sub-message}
operations: {list: []}
`
	_, err := LoadSpec("t.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `t.yaml:5:55: protocol: member type "pad" needs protocol netlink-raw`)
	assert.Contains(t, err.Error(), `t.yaml:9:25: protocol: attribute type "sub-message" needs protocol netlink-raw`)
}

// TestSpacedNames: netlink-raw names may separate words with single
// spaces (nftables.yaml up to 6.12 has "set id"); the names are kept as
// written and listed for ir's warning. Every other whitespace, a space at
// either end, two in a row, a space outside netlink-raw, and a spaced
// name whose words a sibling joins otherwise are errors.
func TestSpacedNames(t *testing.T) {
	spec := func(protocol, attrs string) string {
		return "name: f\ndoc: d\nprotocol: " + protocol + "\nprotonum: 12\n" +
			"attribute-sets:\n  - name: s\n    attributes:\n" + attrs +
			"operations:\n  list:\n    - {name: get, doc: d, attribute-set: s, do: {request: {value: 16, attributes: [a]}}}\n"
	}
	s, err := LoadSpec("t.yaml", []byte(spec("netlink-raw", "      - {name: set id, type: u32}\n      - {name: a, type: u32}\n")))
	require.NoError(t, err)
	assert.Equal(t, "set id", s.AttributeSets[0].Attributes[0].Name)
	assert.Equal(t, []SpacedName{{Pos: Pos{File: "t.yaml", Line: 8, Col: 16}, What: "attribute name", Name: "set id"}}, s.SpacedNames)

	for _, tc := range []struct{ name, protocol, attrs, want string }{
		{"leading space", "netlink-raw", `      - {name: " set", type: u32}` + "\n", `t.yaml:8:16: name: attribute name " set"`},
		{"trailing space", "netlink-raw", `      - {name: "set ", type: u32}` + "\n", `t.yaml:8:16: name: attribute name "set "`},
		{"two spaces", "netlink-raw", `      - {name: "set  id", type: u32}` + "\n", `t.yaml:8:16: name: attribute name "set  id"`},
		{"tab", "netlink-raw", `      - {name: "set\tid", type: u32}` + "\n", `t.yaml:8:16: name: attribute name "set\tid"`},
		{"no-break space", "netlink-raw", "      - {name: \"set\u00a0id\", type: u32}\n", `t.yaml:8:16: name: attribute name "set\u00a0id"`},
		{"space before dash", "netlink-raw", `      - {name: "set -id", type: u32}` + "\n", `t.yaml:8:16: name: attribute name "set -id"`},
		{"outside netlink-raw", "genetlink-legacy", "      - {name: set id, type: u32}\n", `t.yaml:8:16: name: attribute name "set id": names must be letters, digits, '-' or '_', starting with a letter or digit`},
		{"dashed sibling", "netlink-raw", "      - {name: set-id, type: u32}\n      - {name: set id, type: u32}\n",
			`t.yaml:9:16: name-collision: attribute "set id" and "set-id" (at t.yaml:8:16) differ only in word separators`},
		{"underscored sibling", "netlink-raw", "      - {name: set id, type: u32}\n      - {name: Set_Id, type: u32}\n",
			`t.yaml:9:16: name-collision: attribute "Set_Id" and "set id" (at t.yaml:8:16) differ only in word separators`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSpec("t.yaml", []byte(spec(tc.protocol, tc.attrs+"      - {name: a, type: u32}\n")))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	// lists are separate namespaces: an operation "set-id" beside the
	// attribute "set id" is not a clash
	src := spec("netlink-raw", "      - {name: set id, type: u32}\n      - {name: a, type: u32}\n") +
		"    - {name: set-id, doc: d, attribute-set: s, do: {request: {value: 17, attributes: [a]}}}\n"
	_, err = LoadSpec("t.yaml", []byte(src))
	require.NoError(t, err)
}

// TestSubMessageFormatValues: a format's value names its C and Go types,
// so it must make identifiers as a netlink-raw name does; the kernel's
// values (tc's "fq_codel", "pfifo_head_drop", rt_link's "ip6gre") and
// spaced words load, anything else is a name error at the value.
func TestSubMessageFormatValues(t *testing.T) {
	spec := func(value string) string {
		return "name: f\ndoc: d\nprotocol: netlink-raw\nprotonum: 0\n" +
			"attribute-sets:\n  - name: s\n    attributes:\n" +
			"      - {name: kind, type: string}\n" +
			"      - {name: opts, type: sub-message, sub-message: m, selector: kind}\n" +
			"sub-messages:\n  - name: m\n    formats:\n" +
			"      - {value: " + value + "}\n" +
			"operations:\n  list:\n    - {name: get, doc: d, attribute-set: s, do: {request: {value: 16, attributes: [kind]}}}\n"
	}
	for _, v := range []string{"fq_codel", "pfifo_head_drop", "ip6gre", "ip6-gre", "Big_Counter", "big counter", "u32"} {
		s, err := LoadSpec("t.yaml", []byte(spec(v)))
		require.NoError(t, err, v)
		assert.Equal(t, v, s.SubMessages[0].Formats[0].Value)
		assert.Empty(t, s.SpacedNames, "a format value is matched as written: no spaced-name warning")
	}
	for _, v := range []string{`"a|b"`, `"a  b"`, `" a"`, `"a "`, `"a\tb"`, `"-a"`, `"_a"`, `"a.b"`, `"ä"`, `"a\u00a0b"`, `"` + strings.Repeat("a", 129) + `"`} {
		_, err := LoadSpec("t.yaml", []byte(spec(v)))
		require.Error(t, err, v)
		assert.Contains(t, err.Error(), "t.yaml:13:17: name: sub-message format value", v)
	}
}
