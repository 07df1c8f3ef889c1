package ir

import (
	"testing"

	"github.com/nlgen/nlgen/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func resolveFamilies(t *testing.T, srcs ...string) *Model {
	t.Helper()
	var in []Source
	for i, src := range srcs {
		s, err := schema.LoadSpec("t.yaml", []byte(src))
		require.NoError(t, err)
		in = append(in, Source{Spec: s, DisplayPath: string(rune('a'+i)) + ".yaml"})
	}
	m, err := Resolve(in, nil, "")
	require.NoError(t, err)
	return m
}

func attrNamesOf(as []*Attr) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

// TestOpSets checks the per-message facts against YNL's reading of a
// spec: a message carries the attributes it lists, encoded in the set's
// id order (ynl-gen-c writes a request's members and puts in attribute
// order, whatever order the spec lists them in), and a pad attribute
// carries nothing.
func TestOpSets(t *testing.T) {
	f := resolveFamilies(t, `name: f
doc: d
protocol: genetlink
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: u32}
      - {name: pad, type: pad}
      - {name: b, type: string}
      - {name: c, type: nest, nested-attributes: n}
  - name: n
    attributes:
      - {name: x, type: u8}
operations:
  list:
    - name: get
      doc: x
      attribute-set: s
      do:
        request: {attributes: [c, a]}
        reply: {attributes: [a, b, c]}
      dump:
        request: {attributes: []}
`).Families[0]
	get := f.Ops[0]
	assert.Equal(t, []string{"a", "c"}, attrNamesOf(get.Do.Request.Wire))
	assert.True(t, get.Do.Request.Narrowed)
	assert.Equal(t, []string{"a", "b", "c"}, attrNamesOf(get.Do.Reply.Wire))
	assert.False(t, get.Do.Reply.Narrowed, "every attribute on the wire: the whole set")
	assert.Empty(t, get.Dump.Request.Wire)
	assert.True(t, get.Dump.Request.Narrowed)
	assert.Nil(t, get.Dump.Reply)
	assert.True(t, f.AttrSets[0].Message)
	assert.False(t, f.AttrSets[1].Message, "only nested")
}

// TestOpSetsUpstream checks netdev's dev-get: its do request carries only
// ifindex, as the kernel's generated netdev_dev_get_nl_policy (one entry,
// NETDEV_A_DEV_IFINDEX) accepts.
func TestOpSetsUpstream(t *testing.T) {
	f := loadUpstream(t, "netdev.yaml").Families[0]
	var get *Op
	for _, op := range f.Ops {
		if op.Name == "dev-get" {
			get = op
		}
	}
	require.NotNil(t, get)
	assert.Equal(t, []string{"ifindex"}, attrNamesOf(get.Do.Request.Wire))
	assert.True(t, get.Do.Request.Narrowed)
	assert.True(t, get.AttrSet.Message)
}
