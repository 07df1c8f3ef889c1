package ir

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/schema"
)

const vportSpec = `name: ovs_vport
doc: d
protocol: genetlink-legacy
attribute-sets:
  - name: vport
    attributes:
      - {name: port-no, type: u32}
      - {name: name, type: string, checks: {max-len: 15}}
operations:
  list:
    - name: new
      doc: d
      attribute-set: vport
      do:
        request: {attributes: [port-no, name]}
    - name: get
      doc: d
      attribute-set: vport
      do:
        request: {attributes: [port-no, name]}
`

func resolveWithOverlay(t *testing.T, overlay string) *Model {
	t.Helper()
	s, err := schema.LoadSpec("vport.yaml", []byte(vportSpec))
	require.NoError(t, err)
	w, err := schema.LoadWindows("windows.yaml", []byte(overlay))
	require.NoError(t, err)
	m, err := Resolve([]Source{{Spec: s, DisplayPath: "vport.yaml"}}, w, "windows.yaml")
	require.NoError(t, err)
	return m
}

const overlayHead = `nlgen-windows: 1
families:
  ovs_vport:
    id: 4
    operations:
      new: {handler: OvsNewVportCmdHandler, dev-ops: [transaction]}
      get: {handler: OvsGetVportCmdHandler, dev-ops: [transaction]}
    policies:
`

// TestWindowsFacts: the Windows limit of a string is the largest maxLen of
// the tables that parse it, from macro-values when it names a macro; a
// table's required entries are mandatory in the requests of the operations
// it parses (its handler, or operations:), and nowhere else.
func TestWindowsFacts(t *testing.T) {
	m := resolveWithOverlay(t, "macro-values: {IFNAMSIZ: 256}\n"+overlayHead+`
      - name: newPolicy
        function: OvsNewVportCmdHandler
        attribute-set: vport
        required: [name]
        overrides: {name: {max-len: IFNAMSIZ}}
      - name: getPolicy
        function: OvsGetVport
        operations: [get]
        attribute-set: vport
        overrides: {name: {max-len: 32}}
`)
	f := m.Families[0]
	name := f.AttrSets[0].Attr("name")
	require.NotNil(t, name.WinMaxLen)
	assert.Equal(t, int64(255), name.WinMaxLen.Value)
	assert.Equal(t, []*Attr{name}, f.Ops[0].Do.Mandatory)
	assert.Empty(t, f.Ops[1].Do.Mandatory)
	assert.Empty(t, m.Warnings)
}

// TestWindowsFactsMissing: an overlay written before macro-values and
// operations: still loads, with warnings saying what Go cannot enforce.
func TestWindowsFactsMissing(t *testing.T) {
	m := resolveWithOverlay(t, overlayHead+`
      - name: policy
        function: OvsGetVport
        attribute-set: vport
        required: [name]
        overrides: {name: {max-len: IFNAMSIZ}}
`)
	name := m.Families[0].AttrSets[0].Attr("name")
	require.NotNil(t, name.WinMaxLen)
	assert.Equal(t, int64(-1), name.WinMaxLen.Value, "an unknown macro leaves the Windows length unbounded")
	var msgs []string
	for _, w := range m.Warnings {
		msgs = append(msgs, w.Error())
	}
	all := strings.Join(msgs, "\n")
	assert.Contains(t, all, "max-len IFNAMSIZ of string attribute \"name\" has no known value")
	assert.Contains(t, all, "names no operation")
}

// TestPolicyMeaning: a derived entry holds the policy's meaning, not C.
// Netlink.h's NL_A_STRING counts the terminating NUL in minLen/maxLen,
// so a spec max-len of 15 characters is a 16-byte bound; u32 leaves the
// length to the type's default.
func TestPolicyMeaning(t *testing.T) {
	m := resolveWithOverlay(t, overlayHead+`      - {name: p, attribute-set: vport}
`)
	p := m.Families[0].Win.Policies[0]
	require.Len(t, p.Entries, 2)
	port, name := p.Entries[0], p.Entries[1]
	assert.Equal(t, PolicyType("u32"), port.Type)
	assert.Nil(t, port.MinLen)
	assert.Nil(t, port.MaxLen)
	assert.Equal(t, PolicyString, name.Type)
	assert.Nil(t, name.MinLen)
	require.NotNil(t, name.MaxLen)
	assert.Equal(t, int64(16), name.MaxLen.Value)
	assert.Nil(t, name.MaxLen.Check, "a plain max-len is a number, not a constant")
}

// TestEmptyPolicyRefused: a table whose every attribute is omitted has no
// initializer to write (C has no empty one) and nothing to size it by.
func TestEmptyPolicyRefused(t *testing.T) {
	s, err := schema.LoadSpec("vport.yaml", []byte(vportSpec))
	require.NoError(t, err)
	w, err := schema.LoadWindows("windows.yaml", []byte(overlayHead+`      - name: p
        attribute-set: vport
        overrides: {port-no: {omit: true}, name: {omit: true}}
`))
	require.NoError(t, err)
	_, err = Resolve([]Source{{Spec: s, DisplayPath: "vport.yaml"}}, w, "windows.yaml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `policy "p" has no entries`)
}

// TestDerivePolicyEveryKind: every kind has its own case in
// DerivePolicyEntry (its default panics rather than guess a policy type
// for the Windows driver).
func TestDerivePolicyEveryKind(t *testing.T) {
	for _, k := range AllKinds() {
		var e *PolicyEntry
		require.NotPanics(t, func() { e = DerivePolicyEntry(&Attr{Name: "a", Kind: k}) }, k.String())
		assert.NotEmpty(t, e.Type, k.String())
	}
}
