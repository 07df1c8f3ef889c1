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

func TestUnsupportedKeysAreNamed(t *testing.T) {
	src := "name: f\ndoc: d\nprotocol: genetlink-legacy\nprotonum: 0\nattribute-sets: []\noperations: {list: []}\n"
	_, err := LoadSpec("t.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t.yaml:4:1: unsupported: not supported yet: protonum")
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
