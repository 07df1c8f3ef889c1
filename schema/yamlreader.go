package schema

import "gopkg.in/yaml.v3"

// YAMLReader gives other stages (the config) the spec reader's YAML rules,
// so every file nlgen reads is held to the same ones: aliases are followed
// within the same expansion budget (alias bombs stop with a "limit"
// diagnostic), merge keys are refused, duplicate and unknown keys are
// errors at their own position, and every problem is a diagnostic, never
// a panic. Documents come from ParseYAML (size, encoding, depth and a
// single document).
type YAMLReader struct{ r *reader }

// NewYAMLReader reads the document root of file, adding to diags.
func NewYAMLReader(file string, root *yaml.Node, diags *Diagnostics) *YAMLReader {
	return &YAMLReader{r: newReader(file, root, diags)}
}

// Pos is the position of n.
func (y *YAMLReader) Pos(n *yaml.Node) Pos { return y.r.pos(y.r.deref(n)) }

// Errorf adds a diagnostic at n.
func (y *YAMLReader) Errorf(n *yaml.Node, rule, format string, args ...any) {
	y.r.errorf(y.r.deref(n), rule, format, args...)
}

// Deref follows aliases (counting them against the budget).
func (y *YAMLReader) Deref(n *yaml.Node) *yaml.Node { return y.r.deref(n) }

// Fields checks that n is a mapping of the given keys and returns the
// values by key (nil when n is not a mapping).
func (y *YAMLReader) Fields(n *yaml.Node, what string, keys ...string) (map[string]*yaml.Node, Node) {
	ks := keySet{}
	for _, k := range keys {
		ks[k] = levelGenetlink
	}
	return y.r.fields(n, what, ks)
}

// Pairs checks that n is a mapping with string keys, no merge keys and no
// key twice, and returns its keys and values in order.
func (y *YAMLReader) Pairs(n *yaml.Node, what string) (keys []*yaml.Node, values []*yaml.Node, ok bool) {
	n = y.r.deref(n)
	if y.r.overBudget() {
		return nil, nil, false
	}
	if n.Kind != yaml.MappingNode {
		y.r.errorf(n, "type", "%s must be a mapping, got %s", what, kindName(n))
		return nil, nil, false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := y.r.deref(n.Content[i])
		switch {
		case k.Kind != yaml.ScalarNode:
			y.r.errorf(k, "type", "%s: keys must be strings", what)
		case k.Tag == "!!merge" || k.Value == "<<":
			y.r.errorf(k, "unsupported", "not supported yet: %s (YAML merge keys)", "<<")
		case seen[k.Value]:
			y.r.errorf(k, "duplicate-key", "duplicate key %q in %s", k.Value, what)
		default:
			seen[k.Value] = true
			keys = append(keys, k)
			values = append(values, n.Content[i+1])
		}
	}
	return keys, values, true
}

// Scalar returns n, dereferenced, when it is a scalar; otherwise it
// reports a type error and returns nil.
func (y *YAMLReader) Scalar(n *yaml.Node, what string) *yaml.Node {
	s, ok := y.r.scalar(n, what)
	if !ok {
		return nil
	}
	return s
}

// Seq returns the items of a list (nil for null or absent).
func (y *YAMLReader) Seq(n *yaml.Node, what string) []*yaml.Node { return y.r.seq(n, what) }

// Finish reports an exceeded alias budget, once, at the top of the file.
func (y *YAMLReader) Finish() { y.r.limitDiag() }
