package ir

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const equalFirst = `name: first
doc: d
protocol: genetlink-legacy
definitions:
  - {name: hdr, type: struct, members: [{name: index, type: s32}]}
  - {name: color, type: enum, entries: [red, green]}
  - {name: other, type: enum, entries: [a, b]}
attribute-sets:
  - name: shared
    doc: docs do not matter
    attributes:
      - {name: id, type: u32}
      - {name: color, type: u32, enum: color}
      - {name: at, type: binary, struct: hdr}
  - name: inner
    attributes:
      - {name: x, type: u32}
  - name: outer
    attributes:
      - {name: in, type: nest, nested-attributes: inner}
  - name: list
    attributes:
      - {name: again, type: nest, nested-attributes: list, multi-attr: true}
      - {name: sub, type: nest, nested-attributes: shared, multi-attr: true}
  - name: msg
    attributes:
      - {name: shared, type: nest, nested-attributes: shared}
  - name: via-msg
    attributes:
      - {name: m, type: nest, nested-attributes: msg}
operations:
  list:
    - {name: get, doc: x, attribute-set: msg, do: {request: {attributes: [shared]}}}
`

// equalSecond is equalFirst with inner.x a u16, enum other with another
// entry, and other docs.
const equalSecond = `name: second
doc: another doc
protocol: genetlink-legacy
definitions:
  - {name: hdr, type: struct, doc: a doc, members: [{name: index, type: s32}]}
  - {name: color, type: enum, entries: [red, green]}
  - {name: other, type: enum, entries: [a, b, c]}
attribute-sets:
  - name: shared
    attributes:
      - {name: id, type: u32}
      - {name: color, type: u32, enum: color}
      - {name: at, type: binary, struct: hdr}
  - name: inner
    attributes:
      - {name: x, type: u16}
  - name: outer
    attributes:
      - {name: in, type: nest, nested-attributes: inner}
  - name: list
    attributes:
      - {name: again, type: nest, nested-attributes: list, multi-attr: true}
      - {name: sub, type: nest, nested-attributes: shared, multi-attr: true}
  - name: msg
    attributes:
      - {name: shared, type: nest, nested-attributes: shared}
  - name: via-msg
    attributes:
      - {name: m, type: nest, nested-attributes: msg}
operations:
  list:
    - {name: get, doc: x, attribute-set: msg, do: {request: {attributes: [shared]}}}
`

// pairedNames lists the names of paired definitions, failing on a pair of
// two names (pairs are always same-named).
func pairedNames[T comparable](t *testing.T, m map[T]T, name func(T) string) []string {
	t.Helper()
	var out []string
	for k, v := range m {
		assert.Equal(t, name(k), name(v))
		out = append(out, name(k))
	}
	return out
}

func setName(s *AttrSet) string   { return s.Name }
func structName(s *Struct) string { return s.Name }
func enumName(e *Enum) string     { return e.Name }

func TestIdentify(t *testing.T) {
	m := resolveFamilies(t, equalFirst, equalSecond)
	a, b := m.Families[0], m.Families[1]

	id := Identify(a, b, nil)
	assert.ElementsMatch(t, []string{"color"}, pairedNames(t, id.Enums, enumName), "other has another entry")
	assert.ElementsMatch(t, []string{"hdr"}, pairedNames(t, id.Structs, structName), "docs do not matter")
	// inner differs, so outer, which nests it, differs too; the recursive
	// list pairs with itself.
	assert.ElementsMatch(t, []string{"shared", "list", "msg", "via-msg"}, pairedNames(t, id.Sets, setName))

	// A set that may not pair takes the sets nesting it along.
	id = Identify(a, b, func(s *AttrSet) bool { return !s.Message })
	assert.ElementsMatch(t, []string{"shared", "list"}, pairedNames(t, id.Sets, setName))

	// A family is identical to itself.
	self := Identify(a, a, nil)
	assert.Len(t, self.Sets, len(a.AttrSets))
	assert.Len(t, self.Structs, len(a.Structs))
	assert.Len(t, self.Enums, len(a.Enums))
}
