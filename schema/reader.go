package schema

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits that keep hostile input from exhausting the machine. They are
// documented in the README; raising them is a one-line change.
const (
	MaxFileSize  = 8 << 20 // bytes per spec, overlay or config file
	MaxDepth     = 64      // nesting of YAML collections
	MaxNodeVisit = 1 << 20 // nodes visited, aliases expanded (alias bombs)
	// MaxAliasGrowth bounds how many times more nodes the walk may visit
	// than the document holds: aliases may share a few sub-trees, but a
	// 40 KB file fanning out into a million attributes is an attack.
	MaxAliasGrowth = 4
	minVisitBudget = 4096 // small documents may alias freely
)

// Node carries the position of a YAML mapping and of each of its keys'
// values, so later stages can point at the exact place of a bad reference.
type Node struct {
	Pos  Pos
	keys map[string]Pos
}

// At returns the position of key's value, or of the mapping when absent.
func (n Node) At(key string) Pos {
	if p, ok := n.keys[key]; ok {
		return p
	}
	return n.Pos
}

// Has reports whether the key was present in the source.
func (n Node) Has(key string) bool { _, ok := n.keys[key]; return ok }

// keySet maps each accepted key to the lowest protocol level allowing it.
type keySet map[string]level

type level int

const (
	levelGenetlink level = iota
	levelC
	levelLegacy
	// levelRaw is classic netlink (rtnetlink, nfnetlink): the kernel's
	// netlink-raw schema adds protonum, sub-messages, pad struct members
	// and multicast group values to genetlink-legacy, and leaves out a
	// few genetlink keys (version, kernel-family), which nlgen's JSON
	// Schema of the protocol rejects.
	levelRaw
	levelNever // keys of other YNL schemas that nlgen does not implement
)

var levelNames = map[string]level{
	"genetlink": levelGenetlink, "genetlink-c": levelC, "genetlink-legacy": levelLegacy,
	"netlink-raw": levelRaw,
}

func (l level) String() string {
	switch l {
	case levelC:
		return "genetlink-c"
	case levelLegacy:
		return "genetlink-legacy"
	case levelRaw:
		return "netlink-raw"
	}
	return "genetlink"
}

// reader walks yaml.Node trees, recording diagnostics instead of failing.
type reader struct {
	file   string
	level  level
	diags  *Diagnostics
	visits int
	budget int // visits allowed; see newReader
	// badType are values of the wrong JSON type, reported by the schema
	// check; they are read as absent so nothing else reports them again.
	badType map[*yaml.Node]bool
	// spaced are the names read with spaces between words (wordsName).
	spaced []SpacedName
}

// newReader sizes the visit budget from the document itself, so alias
// expansion is stopped long before it costs time or memory.
func newReader(file string, root *yaml.Node, diags *Diagnostics) *reader {
	budget := min(MaxNodeVisit, max(minVisitBudget, MaxAliasGrowth*countNodes(root)))
	return &reader{file: file, diags: diags, level: levelLegacy, budget: budget}
}

// countNodes counts the nodes as written, not following aliases.
func countNodes(root *yaml.Node) int {
	n, stack := 0, []*yaml.Node{root}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = append(stack[:len(stack)-1], top.Content...)
		n++
	}
	return n
}

// limitDiag reports an exceeded visit budget, once, at the top of the file.
func (r *reader) limitDiag() {
	if r.overBudget() {
		r.diags.Add(Pos{File: r.file, Line: 1, Col: 1}, "limit",
			"aliases expand the document beyond %d nodes (%d times its %d written nodes, at most %d)",
			r.budget, MaxAliasGrowth, r.budget/MaxAliasGrowth, MaxNodeVisit)
	}
}

func (r *reader) pos(n *yaml.Node) Pos { return Pos{File: r.file, Line: n.Line, Col: n.Column} }

func (r *reader) errorf(n *yaml.Node, rule, format string, args ...any) {
	r.diags.Add(r.pos(n), rule, format, args...)
}

// deref follows aliases and counts visits so an alias bomb is stopped early.
func (r *reader) deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	r.visits++
	return n
}

func (r *reader) overBudget() bool { return r.visits > r.budget }

// fields checks that n is a mapping, rejects duplicate, unknown and
// unsupported keys, and returns the values by key.
func (r *reader) fields(n *yaml.Node, what string, keys keySet) (map[string]*yaml.Node, Node) {
	n = r.deref(n)
	node := Node{Pos: r.pos(n), keys: map[string]Pos{}}
	if r.overBudget() {
		return nil, node // stop the walk: the caller reports the limit once
	}
	if n.Kind != yaml.MappingNode {
		r.errorf(n, "type", "%s must be a mapping, got %s", what, kindName(n))
		return nil, node
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := r.deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			r.errorf(k, "type", "%s: keys must be strings", what)
			continue
		}
		key := k.Value
		if k.Tag == "!!merge" || key == "<<" {
			r.errorf(k, "unsupported", "not supported yet: %s (YAML merge keys)", "<<")
			continue
		}
		if _, dup := out[key]; dup {
			r.errorf(k, "duplicate-key", "duplicate key %q in %s", key, what)
			continue
		}
		lv, known := keys[key]
		switch {
		case !known:
			r.errorf(k, "unknown-key", "unknown key %q in %s%s; expected one of: %s", key, what, Suggest(key, keys.names(r.level)), keys.list(r.level))
			continue
		case lv == levelNever:
			r.errorf(k, "unsupported", "not supported yet: %s", key)
			continue
		case lv > r.level:
			later := " or later"
			if lv == levelRaw {
				later = "" // the last level: "or later" would promise more
			}
			r.errorf(k, "protocol", "key %q in %s needs protocol %s%s (spec says %s)", key, what, lv, later, r.level)
			continue
		}
		vd := r.deref(v)
		node.keys[key] = r.pos(vd)
		if r.badType[vd] {
			continue
		}
		out[key] = v
	}
	return out, node
}

func (ks keySet) list(l level) string {
	return strings.Join(ks.names(l), ", ")
}

// names are the keys allowed at protocol level l, sorted.
func (ks keySet) names(l level) []string {
	var names []string
	for k, kl := range ks {
		if kl <= l {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

func (r *reader) require(m map[string]*yaml.Node, node Node, what string, keys ...string) bool {
	ok := true
	for _, k := range keys {
		if _, has := m[k]; !has && m != nil && !node.Has(k) {
			r.diags.Add(node.Pos, "missing-key", "%s: missing required key %q", what, k)
			ok = false
		}
	}
	return ok
}

func (r *reader) scalar(n *yaml.Node, what string) (*yaml.Node, bool) {
	n = r.deref(n)
	if n.Kind != yaml.ScalarNode {
		r.errorf(n, "type", "%s must be a scalar, got %s", what, kindName(n))
		return n, false
	}
	return n, true
}

func (r *reader) str(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	s, ok := r.scalar(n, what)
	if !ok {
		return ""
	}
	if s.Tag != "!!str" && s.Tag != "!!null" {
		// YNL docs are sometimes numbers or booleans by accident; names never are.
		if s.Tag == "!!int" || s.Tag == "!!float" || s.Tag == "!!bool" {
			return s.Value
		}
	}
	if s.Tag == "!!null" {
		return ""
	}
	return s.Value
}

// optStr distinguishes an absent key from an explicit null (YNL's
// "enum-name:" with no value means "render an anonymous enum").
func (r *reader) optStr(n *yaml.Node, what string) OptString {
	if n == nil {
		return OptString{}
	}
	s, ok := r.scalar(n, what)
	if !ok {
		return OptString{}
	}
	if s.Tag == "!!null" {
		return OptString{Set: true, Null: true}
	}
	return OptString{Set: true, Value: s.Value}
}

func (r *reader) boolean(n *yaml.Node, what string) bool {
	if n == nil {
		return false
	}
	s, ok := r.scalar(n, what)
	if !ok {
		return false
	}
	if s.Tag != "!!bool" {
		r.errorf(s, "type", "%s must be true or false, got %q", what, s.Value)
		return false
	}
	return s.Value == "true" || s.Value == "True" || s.Value == "TRUE"
}

// integer parses any YAML integer form (decimal, 0x, 0o, 0b, underscores).
func (r *reader) integer(n *yaml.Node, what string) (int64, bool) {
	s, ok := r.scalar(n, what)
	if !ok {
		return 0, false
	}
	if s.Tag != "!!int" {
		r.errorf(s, "type", "%s must be an integer, got %q", what, s.Value)
		return 0, false
	}
	v, err := parseInt(s.Value)
	if err != nil {
		r.errorf(s, "range", "%s: %q does not fit in 64 bits", what, s.Value)
		return 0, false
	}
	return v, true
}

func parseInt(s string) (int64, error) {
	clean := strings.ReplaceAll(s, "_", "")
	v, err := strconv.ParseInt(clean, 0, 64)
	if err == nil {
		return v, nil
	}
	u, uerr := strconv.ParseUint(clean, 0, 64)
	if uerr != nil || u > math.MaxInt64 {
		return 0, err
	}
	return int64(u), nil
}

func (r *reader) optInt(n *yaml.Node, what string) *int64 {
	if n == nil {
		return nil
	}
	v, ok := r.integer(n, what)
	if !ok {
		return nil
	}
	return &v
}

// intOrName reads YNL's len-or-define / len-or-limit values.
func (r *reader) intOrName(n *yaml.Node, what string) *Value {
	if n == nil {
		return nil
	}
	s, ok := r.scalar(n, what)
	if !ok {
		return nil
	}
	v := &Value{Pos: r.pos(s)}
	if s.Tag == "!!int" {
		i, err := parseInt(s.Value)
		if err != nil {
			r.errorf(s, "range", "%s: %q does not fit in 64 bits", what, s.Value)
			return nil
		}
		v.Int = i
		return v
	}
	if s.Tag != "!!str" || s.Value == "" {
		r.errorf(s, "type", "%s must be an integer or a name, got %q", what, s.Value)
		return nil
	}
	v.Name = s.Value
	return v
}

func (r *reader) seq(n *yaml.Node, what string) []*yaml.Node {
	if n == nil {
		return nil
	}
	n = r.deref(n)
	if r.overBudget() || n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(n, "type", "%s must be a list, got %s", what, kindName(n))
		return nil
	}
	return n.Content
}

func (r *reader) strList(n *yaml.Node, what string) ([]string, []Pos) {
	items := r.seq(n, what)
	out := make([]string, 0, len(items))
	pos := make([]Pos, 0, len(items))
	for _, it := range items {
		s, ok := r.scalar(it, what+" entry")
		if !ok {
			continue
		}
		out = append(out, s.Value)
		pos = append(pos, r.pos(s))
	}
	return out, pos
}

// oneOf reads a string that must be one of the allowed words.
func (r *reader) oneOf(n *yaml.Node, what string, allowed ...string) string {
	if n == nil {
		return ""
	}
	s := r.str(n, what)
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	r.errorf(r.deref(n), "value", "%s: %q is not one of %s%s", what, s, strings.Join(allowed, ", "), Suggest(s, allowed))
	return ""
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "scalar " + strconv.Quote(n.Value)
	case yaml.DocumentNode:
		return "a document"
	}
	return "nothing"
}

// OptString is a string key that may be absent, null, or set.
type OptString struct {
	Set   bool
	Null  bool
	Value string
}

// Or returns the value if set (null gives ""), otherwise def.
func (o OptString) Or(def string) string {
	if !o.Set {
		return def
	}
	return o.Value
}

// Value is an integer or a name (of a const, or a limit like u8-max).
type Value struct {
	Pos  Pos
	Int  int64
	Name string
}

// IsName reports whether the value names something instead of a number.
func (v *Value) IsName() bool { return v != nil && v.Name != "" }
