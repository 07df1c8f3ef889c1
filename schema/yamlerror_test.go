package schema

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSyntaxErrorPositions: yaml.v3 names a line only, one too low for
// parser errors and at the start of the enclosing construct for errors
// with a context; the loader corrects the line and finds the column.
func TestSyntaxErrorPositions(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"unclosed flow sequence: where the parser stops, and its bracket", "name: f\nlist: [a, b\nnext: 1\n",
			"t.yaml:3:1: syntax: did not find expected ',' or ']' (in the flow sequence that starts at 2:7)"},
		{"unclosed flow mapping", "name: f\nm: {a: 1, b: [2]\nnext: 1\n",
			"t.yaml:3:1: syntax: did not find expected ',' or '}' (in the flow mapping that starts at 2:4)"},
		{"bracket in quotes, escapes or comments is not an opener", "name: f\nl: ['[x', \"\\\"[\" # [\nn: 1\n", "t.yaml:3:1: syntax: did not find expected ',' or ']' (in the flow sequence that starts at 2:4)"},
		{"flow sequence closed later, fault inside it", "l: [a,\n  {x: 1} y,\n  ]\n", "t.yaml:2:10: syntax"},
		{"bad indentation inside a sequence item", "items:\n  - name: a\n   doc: b\n", "t.yaml:3:4: syntax: did not find expected '-' indicator (in the block sequence that starts on line 2)"},
		{"tab after a block", "a:\n  b: 1\n\tc: 2\n", "t.yaml:3:1: syntax"},
		{"parser error on line 1", "k: !e!x v\n", "t.yaml:1:1: syntax: found undefined tag handle"},
		{"goccy's duplicate key is not the error", "a: 1\nk: !e!x v\nc: 2\nc: 3\n", "t.yaml:2:1: syntax: found undefined tag handle"},
		{"a later, unrelated goccy error is not the error", "a: 1\nk: !e!x v\nc: 2\nd: 3\ne: [1, 2\nf: 1\n", "t.yaml:2:1: syntax: found undefined tag handle"},
		{"non-ASCII before the bracket counts runes", "doc: é\nl: [é, ü\nn: 1\n", "t.yaml:3:1: syntax: did not find expected ',' or ']' (in the flow sequence that starts at 2:4)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var diags Diagnostics
			ParseYAML("t.yaml", []byte(c.src), &diags)
			require.Len(t, diags, 1)
			assert.True(t, strings.HasPrefix(diags[0].Error(), c.want), "got %q, want prefix %q", diags[0].Error(), c.want)
		})
	}
}

// TestSyntaxErrorPositionsStayCheap: goccy's parser, which only locates
// errors, is quadratic in nesting depth, so deep documents never reach it.
func TestSyntaxErrorPositionsStayCheap(t *testing.T) {
	for _, src := range []string{
		"a:\n" + strings.Repeat("- ", 100000) + "x\n",      // yaml.v3's own depth error
		"b: [1\na:\n" + strings.Repeat("- ", 5000) + "x\n", // deep, with a syntax error
		strings.Repeat("k: v\n", 250000) + "l: [1\n",       // over 1 MiB
	} {
		var diags Diagnostics
		allocs := testing.AllocsPerRun(1, func() { diags = nil; ParseYAML("t.yaml", []byte(src), &diags) })
		require.Len(t, diags, 1)
		assert.Less(t, allocs, 2e6, "%.40q...: %v allocations", src, allocs)
	}
}
