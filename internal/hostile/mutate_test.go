package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"gopkg.in/yaml.v3"
)

// Byte-level mutation of a YAML file mostly breaks its syntax, so a fuzzer
// fed specs as bytes spends its time on the YAML parser and rarely reaches
// the resolver or the generators. The structure-aware fuzzers instead read
// their input as a program of edits to a spec tree parsed from a seed:
// swap two scalars, copy or delete an entry, point a reference at another
// name, put a boundary value in, change a value's kind. Every program is a
// well-formed YAML spec, so coverage comes from what the spec means.

// mutationSeeds are small real specs: every edit program runs on one, and
// small trees keep each execution fast.
var mutationSeeds = []string{
	"internal/hostile/testdata/escaping.yaml",
	"internal/dyn/testdata/demo.yaml",
	"examples/gogenerate/specs/counters.yaml",
	"schema/ovs/ovs_meter.yaml",
	"schema/ovs/ovs_ct_limit.yaml",
	"schema/ovs/ovs_win_netdev.yaml",
	"testdata/accepted/raw-demo.yaml",         // netlink-raw: sub-messages, selectors, pad members
	"testdata/accepted/raw-spaced-names.yaml", // netlink-raw names with spaces between words
}

var seedTrees = sync.OnceValues(func() ([]*yaml.Node, error) {
	var out []*yaml.Node
	for _, p := range mutationSeeds {
		src, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(p)))
		if err != nil {
			return nil, err
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		// comments only cost rendering time; nlgen never reads them
		all, _ := nodes(&doc)
		for _, n := range all {
			n.HeadComment, n.LineComment, n.FootComment = "", "", ""
		}
		out = append(out, &doc)
	}
	return out, nil
})

// boundary values that have broken generators before, or might: limits of
// C and wire types, names that are keywords or collide after case
// conversion, expressions, comment openers.
var boundaryValues = []string{
	"0", "1", "-1", "255", "256", "65535", "65536", "16383", "16384", "2147483647", "2147483648",
	"4294967295", "4294967296", "9223372036854775807", "0x10", "1e3", "", "x", "do", "int", "type",
	"auto", "a-b", "a_b", "A-B", "max", "unspec", "u8-max", "s32-min", "x - 1", "null", "true",
	"*/ /*", "%s", "\\", "\"", "é",
}

// mutation reads an edit program: each edit is four bytes (operation, two
// node choices, a value choice). The first byte picks the seed.
type mutation struct {
	prog []byte
}

func (m *mutation) byte() (byte, bool) {
	if len(m.prog) == 0 {
		return 0, false
	}
	b := m.prog[0]
	m.prog = m.prog[1:]
	return b, true
}

// nodes lists a tree's nodes in document order, with their parents.
func nodes(root *yaml.Node) (all []*yaml.Node, parent map[*yaml.Node]*yaml.Node) {
	parent = map[*yaml.Node]*yaml.Node{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		all = append(all, n)
		for _, c := range n.Content {
			parent[c] = n
			walk(c)
		}
	}
	walk(root)
	return all, parent
}

func clone(n *yaml.Node) *yaml.Node {
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = clone(k)
	}
	return &c
}

// mutateSpec applies an edit program to a copy of a seed and renders it.
// At most 16 edits run: more rarely add coverage and cost time.
func mutateSpec(prog []byte) ([]byte, error) {
	seeds, err := seedTrees()
	if err != nil {
		return nil, err
	}
	m := &mutation{prog: prog}
	pick, _ := m.byte()
	doc := clone(seeds[int(pick)%len(seeds)])
	for edits := 0; edits < 16; edits++ {
		op, ok := m.byte()
		if !ok {
			break
		}
		a, _ := m.byte()
		b, _ := m.byte()
		v, _ := m.byte()
		all, parent := nodes(doc)
		var scalars []*yaml.Node
		for _, n := range all {
			if n.Kind == yaml.ScalarNode {
				scalars = append(scalars, n)
			}
		}
		if len(scalars) == 0 {
			break
		}
		x := scalars[int(a)%len(scalars)]
		y := scalars[int(b)%len(scalars)]
		switch op % 8 {
		case 0: // swap two scalars (a type with a name, a value with a doc)
			x.Value, y.Value, x.Tag, y.Tag, x.Style, y.Style = y.Value, x.Value, y.Tag, x.Tag, y.Style, x.Style
		case 1: // rename a reference: give x the name y carries
			x.Value, x.Tag, x.Style = y.Value, "!!str", 0
		case 2: // a boundary value, typed as YAML would read it
			x.Value, x.Tag, x.Style = boundaryValues[int(v)%len(boundaryValues)], "", 0
		case 3, 4: // copy the entry or pair that holds x next to itself
			copyEntry(x, parent, op%8 == 4)
		case 5: // delete the entry or pair that holds x
			deleteEntry(x, parent)
		case 6: // a scalar becomes a list or a mapping holding it
			inner := clone(x)
			if v%2 == 0 {
				*x = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{inner}}
			} else {
				*x = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
					{Kind: yaml.ScalarNode, Tag: "!!str", Value: "name"}, inner}}
			}
		case 7: // a number one off an existing one (ids, values, lengths)
			if n, err := strconv.ParseInt(x.Value, 0, 64); err == nil {
				x.Value, x.Tag, x.Style = strconv.FormatInt(n+int64(int8(v)), 10), "!!int", 0
			}
		}
	}
	return yaml.Marshal(doc)
}

// copyEntry duplicates the list entry or mapping pair that contains x
// (a duplicate key is a legitimate input: the loader must report it).
func copyEntry(x *yaml.Node, parent map[*yaml.Node]*yaml.Node, outer bool) {
	child, p := x, parent[x]
	if outer && p != nil && parent[p] != nil {
		child, p = p, parent[p]
	}
	for p != nil {
		switch p.Kind {
		case yaml.SequenceNode:
			for i, c := range p.Content {
				if c == child {
					p.Content = append(p.Content[:i+1], append([]*yaml.Node{clone(c)}, p.Content[i+1:]...)...)
					return
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(p.Content); i += 2 {
				if p.Content[i] == child || p.Content[i+1] == child {
					pair := []*yaml.Node{clone(p.Content[i]), clone(p.Content[i+1])}
					p.Content = append(p.Content[:i+2], append(pair, p.Content[i+2:]...)...)
					return
				}
			}
		}
		child, p = p, parent[p]
	}
}

func deleteEntry(x *yaml.Node, parent map[*yaml.Node]*yaml.Node) {
	child, p := x, parent[x]
	for p != nil {
		switch p.Kind {
		case yaml.SequenceNode:
			for i, c := range p.Content {
				if c == child {
					p.Content = append(p.Content[:i], p.Content[i+1:]...)
					return
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(p.Content); i += 2 {
				if p.Content[i] == child || p.Content[i+1] == child {
					p.Content = append(p.Content[:i], p.Content[i+2:]...)
					return
				}
			}
		}
		child, p = p, parent[p]
	}
}
