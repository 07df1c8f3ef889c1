package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	js "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// The kernel's own schemas and specs, read (never copied) from the shared
// folder beside the project.
var (
	upstreamSpecDirs   = []string{"../../shared/specs/linux", "../../shared/specs/linux-6.12"}
	upstreamSchemaDirs = map[string]string{
		"genetlink":        "../../shared/specs/linux/schemas",
		"genetlink-c":      "../../shared/specs/linux/schemas",
		"genetlink-legacy": "../../shared/specs/linux/schemas",
		"netlink-raw":      "../../shared/specs/linux-6.12/schemas",
	}
)

func sharedSpecs(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, d := range upstreamSpecDirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.yaml"))
		out = append(out, files...)
	}
	if len(out) == 0 {
		t.Skip("upstream specs absent: ../shared/specs is not checked out beside the project")
	}
	return out
}

// lastWins converts YAML to the JSON data model the way the kernel's
// tools read their schemas (PyYAML: a repeated key keeps its last value;
// netlink-raw.yaml of 6.12 repeats "if" in one mapping).
func lastWins(n *yaml.Node) any {
	n = deref(n)
	switch n.Kind {
	case yaml.DocumentNode:
		return lastWins(n.Content[0])
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = lastWins(n.Content[i+1])
		}
		return out
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			out = append(out, lastWins(c))
		}
		return out
	}
	return toJSON(n)
}

func readYAML(t *testing.T, path string) *yaml.Node {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	// yaml.v3 speaks YAML 1.1 and refuses the %YAML 1.2 directive the
	// kernel's schemas open with; the documents are the same without it.
	src = bytes.Replace(src, []byte("%YAML 1.2\n"), nil, 1)
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	require.NoError(t, dec.Decode(&doc), path)
	return &doc
}

// upstreamSchema compiles the kernel's schema of a protocol, each in its
// own compiler: genetlink.yaml of v6.14 declares the $id of
// genetlink-legacy.yaml.
func upstreamSchema(t *testing.T, proto string) *js.Schema {
	t.Helper()
	p := filepath.Join(upstreamSchemaDirs[proto], proto+".yaml")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("upstream schema %s absent: %v", p, err)
	}
	doc := lastWins(readYAML(t, p))
	b, err := json.Marshal(doc)
	require.NoError(t, err)
	v, err := js.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	c := js.NewCompiler()
	url := "file:///upstream/" + proto + ".yaml"
	require.NoError(t, c.AddResource(url, v))
	s, err := c.Compile(url)
	require.NoError(t, err, proto)
	return s
}

func oursSchema(t *testing.T, proto string) *js.Schema {
	t.Helper()
	s, err := compiledSchema(proto)
	require.NoError(t, err)
	require.NotNil(t, s, proto)
	return s
}

// specProtocol is the schema a spec is checked against.
func specProtocol(doc any) string {
	if m, ok := doc.(map[string]any); ok {
		if p, ok := m["protocol"].(string); ok {
			return p
		}
	}
	return "genetlink"
}

func TestUpstreamSpecsMatchOurSchemas(t *testing.T) {
	for _, f := range sharedSpecs(t) {
		doc := toJSON(readYAML(t, f))
		if err := oursSchema(t, specProtocol(doc)).Validate(doc); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// mutations are the ways a spec goes wrong in shape: a value of another
// type, a key removed, an unknown key, a list entry repeated or replaced,
// and the whole spec declared under another protocol.
var replacements = []any{nil, json.Number("42"), json.Number("-1"), json.Number("1.5"), true, "x", "Upper_case",
	"x - 1", []any{}, []any{"x"}, map[string]any{}, map[string]any{"name": "x"}, "ipv4-or-v6", "bitfield32", "struct",
	"directional", "uns-admin-perm", "dump-strict", "pad", "sub-message", "binary"}

type pathStep = any // string key or int index

func paths(v any, prefix []pathStep, out *[][]pathStep) {
	*out = append(*out, prefix)
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			paths(x[k], append(slices.Clone(prefix), k), out)
		}
	case []any:
		for i, c := range x {
			paths(c, append(slices.Clone(prefix), i), out)
		}
	}
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, c := range x {
			out[k] = deepCopy(c)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, c := range x {
			out[i] = deepCopy(c)
		}
		return out
	}
	return v
}

// mutate applies op at path p of a copy of doc; it returns nil when the
// operation does not apply there.
func mutate(doc any, p []pathStep, op int, r *rand.Rand) any {
	doc = deepCopy(doc)
	if len(p) == 0 {
		return nil
	}
	parent := doc
	for _, s := range p[:len(p)-1] {
		switch x := parent.(type) {
		case map[string]any:
			parent = x[s.(string)]
		case []any:
			parent = x[s.(int)]
		}
	}
	last := p[len(p)-1]
	switch x := parent.(type) {
	case map[string]any:
		k := last.(string)
		switch op {
		case 0:
			delete(x, k)
		case 1:
			x[k+"-x"] = x[k]
		default:
			x[k] = replacements[r.IntN(len(replacements))]
		}
	case []any:
		i := last.(int)
		switch op {
		case 0:
			x = slices.Delete(x, i, i+1)
		case 1:
			x = slices.Insert(x, i, x[i])
		default:
			x[i] = replacements[r.IntN(len(replacements))]
		}
		// a list that changed length is a new slice: put it in its parent
		return setAt(doc, p[:len(p)-1], x)
	}
	return doc
}

func setAt(doc any, p []pathStep, v any) any {
	if len(p) == 0 {
		return v
	}
	parent := doc
	for _, s := range p[:len(p)-1] {
		switch x := parent.(type) {
		case map[string]any:
			parent = x[s.(string)]
		case []any:
			parent = x[s.(int)]
		}
	}
	switch x := parent.(type) {
	case map[string]any:
		x[p[len(p)-1].(string)] = v
	case []any:
		x[p[len(p)-1].(int)] = v
	}
	return doc
}

// TestOurSchemasAgreeWithUpstream: on every upstream spec, and on
// thousands of mutations of them, nlgen's schema of a protocol accepts
// exactly what the kernel's schema of that protocol accepts. Differences
// in wording are expected; a difference in the verdict is a bug in ours.
func TestOurSchemasAgreeWithUpstream(t *testing.T) {
	specs := sharedSpecs(t)
	upstream, ours := map[string]*js.Schema{}, map[string]*js.Schema{}
	for _, p := range Protocols {
		upstream[p], ours[p] = upstreamSchema(t, p), oursSchema(t, p)
	}
	r := rand.New(rand.NewPCG(1, 2))
	checked, rejected := 0, 0
	compare := func(name, proto string, doc any) {
		checked++
		errU := upstream[proto].Validate(doc)
		errO := ours[proto].Validate(doc)
		if errU != nil {
			rejected++
		}
		if (errU == nil) != (errO == nil) {
			b, _ := json.Marshal(doc)
			if len(b) > 400 {
				b = append(b[:400], "..."...)
			}
			t.Errorf("%s (%s): upstream says %v, ours says %v\n%s", name, proto, errU, errO, b)
		}
	}
	for _, f := range specs {
		base := toJSON(readYAML(t, f))
		proto := specProtocol(base)
		compare(filepath.Base(f), proto, base)
		for _, other := range Protocols {
			d := deepCopy(base).(map[string]any)
			d["protocol"] = other
			compare(filepath.Base(f)+" as "+other, other, d)
		}
		var ps [][]pathStep
		paths(base, nil, &ps)
		// about 120 mutations per spec keep the test to a few seconds
		step := max(1, len(ps)/40)
		for i := 0; i < len(ps); i += step {
			for op := 0; op < 3; op++ {
				if d := mutate(base, ps[i], op, r); d != nil {
					compare(fmt.Sprintf("%s %v op %d", filepath.Base(f), ps[i], op), proto, d)
				}
			}
		}
	}
	t.Logf("%d documents compared, %d rejected by the kernel's schemas", checked, rejected)
	assert.Greater(t, rejected, checked/3, "the mutations should mostly produce invalid specs")
}

// TestWrongScalarTypes: what the kernel's schemas reject for its type is
// an error at the value, with the rule nlgen uses for types.
func TestWrongScalarTypes(t *testing.T) {
	const base = `name: f
doc: d
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: u32}
operations:
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [a]}}}
`
	for _, tc := range []struct{ from, to, want string }{
		{"doc: d", "doc:", `f.yaml:2:5: type: doc must be a string, got an empty value (null)`},
		{"doc: d", "doc: null", `f.yaml:2:6: type: doc must be a string, got an empty value (null)`},
		{"name: f", "name: 42", `f.yaml:1:7: type: name must be a string, got number 42`},
		{"{name: a, type: u32}", "{name: a, type: u32, doc: [x]}", `f.yaml:6:35: type: doc must be a string, got a list`},
		{"{name: a, type: u32}", "{name: a, type: u32, enum: 7}", `f.yaml:6:36: type: enum must be a string, got number 7`},
		{"{name: a, type: u32}", "{name: a, type: u32, value: -1}", `f.yaml:6:37: range: attribute value must not be negative, got -1`},
		{"{name: a, type: u32}", "{name: a, type: u32, checks: {max-len: a.b}}", `f.yaml:6:48: value: max-len "a.b" is not a number, a constant's name or "NAME - 1"`},
		{"- name: s", "- name: S_1", `f.yaml:4:11: name: name "S_1": protocol genetlink names are lower-case letters, digits and '-'`},
		{"name: f", "name: f\nprotocol: genetlink-c\ncmd-max-name: 3", `f.yaml:3:15: type: cmd-max-name must be a string, got number 3`},
		{"request: {attributes: [a]}", "request: {attributes: [a]}, pre: true", `f.yaml:9:83: type: pre must be a string, got boolean true`},
	} {
		src := strings.Replace(base, tc.from, tc.to, 1)
		require.NotEqual(t, base, src)
		_, err := LoadSpec("f.yaml", []byte(src))
		if assert.Error(t, err, tc.to) {
			assert.Contains(t, err.Error(), tc.want, "%s", src)
		}
	}
}

// TestSchemaAndLoaderReportOnce: where the schema and nlgen's own checks
// see the same node, one diagnostic is printed, the more specific one.
func TestSchemaAndLoaderReportOnce(t *testing.T) {
	const base = `name: f
doc: d
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: u32}
operations:
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [a]}}}
`
	for _, tc := range []struct{ from, to, want string }{
		// the loader names the keys it knows and the protocol that allows one
		{"{name: a, type: u32}", "{name: a, type: u32, bogus: 1}", `f.yaml:6:30: unknown-key: unknown key "bogus" in attribute; expected one of:`},
		{"{name: a, type: u32}", "{name: a, type: u32, struct: x}", `f.yaml:6:30: protocol: key "struct" in attribute needs protocol genetlink-legacy`},
		{"{name: a, type: u32}", "{name: a, type: u33}", `f.yaml:6:25: value: attribute type: "u33" is not one of`},
		{"{name: a, type: u32}", "{name: a}", `f.yaml:6:9: missing-key: attribute: missing required key "type"`},
		{"{name: a, type: u32}", "{name: a, type: u32, multi-attr: yes}", `f.yaml:6:42: type: multi-attr must be true or false, got "yes"`},
		{"- name: s\n", "- name: s\n    subset-of: t\n    name-prefix: p-\n", `f.yaml:6:18: subset: a subset (subset-of) inherits its naming; name-prefix is not allowed`},
		// a type error hides the value from the resolver: no "no enum named 7"
		{"{name: a, type: u32}", "{name: a, type: u32, enum: 7}", `f.yaml:6:36: type: enum must be a string, got number 7`},
	} {
		src := strings.Replace(base, tc.from, tc.to, 1)
		require.NotEqual(t, base, src)
		_, err := LoadSpec("f.yaml", []byte(src))
		require.Error(t, err, tc.to)
		ds := err.(Diagnostics)
		at := map[Pos]int{}
		for _, d := range ds {
			at[d.Pos]++
			assert.Equal(t, 1, at[d.Pos], "two diagnostics at one node:\n%s", err)
		}
		assert.Contains(t, err.Error(), tc.want, "%s", src)
	}
}

// TestAliasesDoNotMultiplyTheSchemaCheck: the schema check measures the
// expanded document without expanding it, and leaves a bomb to the
// loader's limit.
func TestAliasesDoNotMultiplyTheSchemaCheck(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: f\ndoc: d\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&b, "x%d: &x%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*x%d, ", i-1), 10), ", "))
	}
	root := ParseYAML("f.yaml", []byte(b.String()), new(Diagnostics))
	require.NotNil(t, root)
	got := checkShape("f.yaml", root, 4096)
	assert.Empty(t, got.diags, "a bomb is not validated")
}

func BenchmarkLoadSpecWithSchema(b *testing.B) {
	src, err := os.ReadFile("ovs/ovs_flow.yaml")
	require.NoError(b, err)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := LoadSpec("ovs_flow.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}
