package golang

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// TestGoNameCollisionsRefused: spec names that differ but meet in Go
// would declare one identifier twice and the package would not compile.
// Since C-only collisions no longer stop a spec, the go target refuses
// these itself, at the entry that collides.
func TestGoNameCollisionsRefused(t *testing.T) {
	s, err := schema.LoadSpec("t.yaml", []byte(`name: f
doc: d
definitions:
  - {name: kind, type: enum, entries: [one, t-wo, t_wo]}
  - {name: cmd-get, type: const, value: 1}
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: u32}
operations:
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [a]}}}
`))
	require.NoError(t, err)
	m, err := ir.Resolve([]ir.Source{{Spec: s, DisplayPath: "t.yaml"}}, nil, "")
	require.NoError(t, err, "the spec loads: its problems are the targets'")
	_, err = Generate(&gen.Request{Model: m, Families: m.Families, Target: "go", Options: gen.Options{"import-path": "example.com/x"}})
	var ds schema.Diagnostics
	require.True(t, errors.As(err, &ds), "%v", err)
	var got []string
	for _, d := range ds {
		got = append(got, d.Error())
	}
	assert.Equal(t, []string{
		`t.yaml:4:51: name-collision: family f cannot be rendered in Go: entry "t-wo" of "kind" and entry "t_wo" of "kind" both become Go identifier KindTWo; rename one of them`,
		`t.yaml:12:7: name-collision: family f cannot be rendered in Go: const "cmd-get" and operation "get" both become Go identifier CmdGet; rename one of them`,
	}, got)
	require.Error(t, Check(m), "lint sees the same")
}
