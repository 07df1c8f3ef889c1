package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	js "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"gopkg.in/yaml.v3"
)

// The shape of a spec (which keys, which JSON types, which words) is
// checked against nlgen's own JSON Schema of the spec's protocol, which
// states what the kernel's YNL schemas require; the loader's checks of
// names, references and values come on top. Each schema error becomes a
// diagnostic at the YAML node it concerns, with the rule the loader uses
// for the same kind of problem.

//go:embed ynl/*.schema.json
var ynlFiles embed.FS

// Protocols lists the protocols with a schema, in the order YNL defines them.
var Protocols = []string{"genetlink", "genetlink-c", "genetlink-legacy", "netlink-raw"}

// ProtocolSchema returns the JSON Schema document of a protocol, as
// embedded in nlgen, or nil for an unknown protocol.
func ProtocolSchema(protocol string) []byte {
	b, err := ynlFiles.ReadFile("ynl/" + protocol + ".schema.json")
	if err != nil {
		return nil
	}
	return b
}

// compiledSchemas are built at most once per process and protocol, and
// only for the protocols a run meets: compiling costs more than
// validating a spec.
var compiledSchemas = func() map[string]func() (*js.Schema, error) {
	out := map[string]func() (*js.Schema, error){}
	for _, p := range Protocols {
		out[p] = sync.OnceValues(func() (*js.Schema, error) {
			doc, err := js.UnmarshalJSON(bytes.NewReader(ProtocolSchema(p)))
			if err != nil {
				return nil, fmt.Errorf("schema %s: %w", p, err)
			}
			c := js.NewCompiler()
			url := "nlgen:/ynl/" + p + ".schema.json"
			if err := c.AddResource(url, doc); err != nil {
				return nil, err
			}
			s, err := c.Compile(url)
			if err != nil {
				return nil, fmt.Errorf("schema %s: %w", p, err)
			}
			return s, nil
		})
	}
	return out
}()

// compiledSchema returns the compiled schema of a protocol, nil for an
// unknown one.
func compiledSchema(protocol string) (*js.Schema, error) {
	f := compiledSchemas[protocol]
	if f == nil {
		return nil, nil
	}
	return f()
}

// shapeCheck is the outcome of validating one document against its
// protocol's schema.
type shapeCheck struct {
	diags Diagnostics
	// badType holds the values whose JSON type is wrong. The loader reads
	// them as absent, so no later check reports a second problem about
	// the same node (`enum: 42` is a type error, not a missing enum "42").
	badType map[*yaml.Node]bool
}

// checkShape validates root against the schema of its protocol. An
// unknown protocol is the loader's to report; a document whose aliases
// expand past the visit budget is not converted at all (the loader
// reports the limit).
func checkShape(file string, root *yaml.Node, budget int) shapeCheck {
	proto := protocolValue(root)
	s, err := compiledSchema(proto)
	if err != nil {
		// the embedded schemas are part of the binary and a test compiles
		// them, so this is nlgen's bug; say so rather than crash
		return shapeCheck{diags: Diagnostics{{Pos: Pos{File: file, Line: 1, Col: 1}, Rule: "internal", Msg: err.Error()}}}
	}
	if s == nil {
		return shapeCheck{}
	}
	sz := &sizer{memo: map[*yaml.Node][2]int{}, budget: budget}
	if n, depth := sz.measure(root); n > budget || depth > MaxDepth {
		if depth > MaxDepth && n <= budget {
			return shapeCheck{diags: Diagnostics{{Pos: Pos{File: file, Line: 1, Col: 1}, Rule: "limit",
				Msg: fmt.Sprintf("aliases nest the document deeper than %d levels", MaxDepth)}}}
		}
		return shapeCheck{}
	}
	err = s.Validate(toJSON(root))
	if err == nil {
		return shapeCheck{}
	}
	ve, ok := err.(*js.ValidationError)
	if !ok {
		return shapeCheck{diags: Diagnostics{{Pos: Pos{File: file, Line: 1, Col: 1}, Rule: "internal", Msg: err.Error()}}}
	}
	m := &shapeMapper{file: file, root: root, proto: proto, out: shapeCheck{badType: map[*yaml.Node]bool{}}}
	m.walk(ve)
	return m.out
}

// protocolValue is the spec's protocol, genetlink when absent, "" when it
// is not a string (the loader reports that).
func protocolValue(root *yaml.Node) string {
	root = deref(root)
	if root == nil || root.Kind != yaml.MappingNode {
		return "genetlink"
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "protocol" {
			v := deref(root.Content[i+1])
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				return ""
			}
			return v.Value
		}
	}
	return "genetlink"
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// sizer measures a document as the validator will see it, aliases
// expanded, without expanding them: sizes and depths are memoised per
// node, so an alias bomb costs its written size.
type sizer struct {
	memo   map[*yaml.Node][2]int
	budget int
}

func (s *sizer) measure(n *yaml.Node) (size, depth int) {
	n = deref(n)
	if m, ok := s.memo[n]; ok {
		return m[0], m[1]
	}
	size = 1
	for _, c := range n.Content {
		cs, cd := s.measure(c)
		size = min(size+cs, s.budget+1)
		depth = max(depth, cd+1)
	}
	s.memo[n] = [2]int{size, depth}
	return size, depth
}

// toJSON converts a YAML tree into the JSON data model of the validator,
// keeping YAML's own typing: a quoted "42" is a string, 42 a number, an
// empty value null. The first of duplicate keys is kept (the loader
// reports the duplicate).
func toJSON(n *yaml.Node) any {
	n = deref(n)
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return toJSON(n.Content[0])
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := deref(n.Content[i])
			if _, dup := out[k.Value]; dup {
				continue
			}
			v := toJSON(n.Content[i+1])
			// array-nest is the older kernels' spelling of indexed-array,
			// which the loader accepts as such
			if v == "array-nest" && (k.Value == "type" || k.Value == "sub-type") {
				v = "indexed-array"
			}
			out[k.Value] = v
		}
		return out
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			out[i] = toJSON(c)
		}
		return out
	}
	switch n.Tag {
	case "!!null":
		return nil
	case "!!bool":
		return n.Value == "true" || n.Value == "True" || n.Value == "TRUE"
	case "!!int":
		if v, err := parseInt(n.Value); err == nil {
			return json.Number(strconv.FormatInt(v, 10))
		}
		if b, ok := new(big.Int).SetString(strings.ReplaceAll(n.Value, "_", ""), 0); ok {
			return json.Number(b.String())
		}
		return n.Value
	case "!!float":
		if f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
		// .inf and .nan have no JSON form; 0.5 stands in for them as what
		// the schema must judge: a number that is not an integer
		return json.Number("0.5")
	}
	return n.Value
}

// shapeMapper turns the validator's error tree into diagnostics.
type shapeMapper struct {
	file  string
	root  *yaml.Node
	proto string
	out   shapeCheck
}

// node finds the YAML node at a JSON pointer path; key returns the key
// node of the last step instead of its value.
func (m *shapeMapper) node(path []string, key bool) *yaml.Node {
	n := deref(m.root)
	for i, tok := range path {
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for j := 0; j+1 < len(n.Content); j += 2 {
				if deref(n.Content[j]).Value == tok {
					if key && i == len(path)-1 {
						return n.Content[j]
					}
					n, found = deref(n.Content[j+1]), true
					break
				}
			}
			if !found {
				return n
			}
		case yaml.SequenceNode:
			idx, err := strconv.Atoi(tok)
			if err != nil || idx < 0 || idx >= len(n.Content) {
				return n
			}
			n = deref(n.Content[idx])
		default:
			return n
		}
	}
	return n
}

func (m *shapeMapper) add(n *yaml.Node, rule, format string, args ...any) {
	m.out.diags = append(m.out.diags, Diagnostic{
		Pos:    Pos{File: m.file, Line: max(n.Line, 1), Col: max(n.Column, 1)},
		Rule:   rule,
		Msg:    fmt.Sprintf(format, args...),
		schema: true,
	})
}

// what names the value at path the way the loader's messages do: its key,
// or "<list> entry" for a list item.
func what(path []string) string {
	if len(path) == 0 {
		return "spec"
	}
	last := path[len(path)-1]
	if _, err := strconv.Atoi(last); err == nil {
		if len(path) == 1 {
			return "entry"
		}
		return what(path[:len(path)-1]) + " entry"
	}
	return last
}

// walk reports the leaves of the error tree. A oneOf whose every branch
// fails on the value's type is one type error listing the types; one
// whose branches fail deeper reports the branch that got furthest.
func (m *shapeMapper) walk(e *js.ValidationError) {
	switch k := e.ErrorKind.(type) {
	case *kind.OneOf, *kind.AnyOf:
		if len(e.Causes) == 0 {
			m.add(m.node(e.InstanceLocation, false), "value", "%s matches more than one of the forms allowed here", what(e.InstanceLocation))
			return
		}
		var types []string
		var deeper []*js.ValidationError
		for _, c := range e.Causes {
			if t, ok := c.ErrorKind.(*kind.Type); ok && len(c.Causes) == 0 && slices.Equal(c.InstanceLocation, e.InstanceLocation) {
				types = append(types, t.Want...)
				continue
			}
			deeper = append(deeper, c)
		}
		if len(deeper) == 0 {
			n := m.node(e.InstanceLocation, false)
			m.out.badType[n] = true
			m.add(n, "type", "%s must be %s, got %s", what(e.InstanceLocation), typeWords(types), describeNode(n))
			return
		}
		for _, c := range deeper {
			m.walk(c)
		}
		return
	case *kind.Not:
		// The schemas use not only to keep name-prefix out of subsets.
		n := m.node(append(slices.Clone(e.InstanceLocation), "name-prefix"), false)
		m.add(n, "subset", "a subset (subset-of) inherits its naming; name-prefix is not allowed")
		return
	case *kind.Type:
		n := m.node(e.InstanceLocation, false)
		m.out.badType[n] = true
		m.add(n, "type", "%s must be %s, got %s", what(e.InstanceLocation), typeWords(k.Want), describeNode(n))
		return
	case *kind.Required:
		n := m.node(e.InstanceLocation, false)
		for _, key := range k.Missing {
			m.add(n, "missing-key", "%s: missing required key %q", what(e.InstanceLocation), key)
		}
		return
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			path := append(slices.Clone(e.InstanceLocation), p)
			m.add(m.node(path, true), "unknown-key", "unknown key %q in %s (protocol %s)", p, what(e.InstanceLocation), m.proto)
		}
		return
	case *kind.Enum:
		n := m.node(e.InstanceLocation, false)
		var want []string
		for _, w := range k.Want {
			want = append(want, fmt.Sprint(w))
		}
		m.add(n, "value", "%s: %s is not one of %s (protocol %s)", what(e.InstanceLocation), describeNode(n), strings.Join(want, ", "), m.proto)
		return
	case *kind.Const:
		n := m.node(e.InstanceLocation, false)
		m.add(n, "value", "%s: %s must be %v", what(e.InstanceLocation), describeNode(n), k.Want)
		return
	case *kind.Minimum:
		n := m.node(e.InstanceLocation, false)
		m.add(n, "range", "%s must be at least %s, got %s", what(e.InstanceLocation), k.Want.RatString(), k.Got.RatString())
		return
	case *kind.Pattern:
		n := m.node(e.InstanceLocation, false)
		if k.Want == "^[0-9a-z-]+$" {
			m.add(n, "name", "%s %q: protocol %s names are lower-case letters, digits and '-'", what(e.InstanceLocation), k.Got, m.proto)
		} else {
			m.add(n, "value", "%s %q is not a number, a constant's name or \"NAME - 1\"", what(e.InstanceLocation), k.Got)
		}
		return
	}
	if len(e.Causes) == 0 {
		m.add(m.node(e.InstanceLocation, false), "schema", "%s: %s", what(e.InstanceLocation), e.Error())
		return
	}
	for _, c := range e.Causes {
		m.walk(c)
	}
}

var typeNames = map[string]string{
	"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
	"object": "a mapping", "array": "a list", "null": "empty",
}

func typeWords(types []string) string {
	sort.Strings(types)
	types = slices.Compact(types)
	words := make([]string, len(types))
	for i, t := range types {
		words[i] = typeNames[t]
		if words[i] == "" {
			words[i] = t
		}
	}
	return strings.Join(words, " or ")
}

// describeNode says what a value is, in YAML's terms, for messages.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!null":
		return "an empty value (null)"
	case "!!bool":
		return "boolean " + n.Value
	case "!!int", "!!float":
		return "number " + n.Value
	}
	return strconv.Quote(n.Value)
}
