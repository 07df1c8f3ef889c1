package schema

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Key tables mirror the four YNL schemas; a key's level is the first
// protocol whose schema allows it. Keys of other YNL generations that
// nlgen does not implement are levelNever, so they are reported as "not
// supported yet" rather than as unknown.
var (
	specKeys = keySet{
		"name": levelGenetlink, "doc": levelGenetlink, "protocol": levelGenetlink,
		"uapi-header": levelGenetlink, "definitions": levelGenetlink,
		"attribute-sets": levelGenetlink, "operations": levelGenetlink,
		"mcast-groups": levelGenetlink, "kernel-family": levelGenetlink,
		"c-family-name": levelC, "c-version-name": levelC, "max-by-define": levelC,
		"cmd-max-name": levelC, "cmd-cnt-name": levelC,
		"kernel-policy": levelLegacy, "version": levelLegacy,
		"protonum": levelRaw, "sub-messages": levelRaw,
	}
	definitionKeys = keySet{
		"name": levelGenetlink, "header": levelGenetlink, "type": levelGenetlink,
		"doc": levelGenetlink, "value": levelGenetlink, "value-start": levelGenetlink,
		"entries": levelGenetlink, "render-max": levelGenetlink, "scope": levelGenetlink,
		"enum-name": levelC, "name-prefix": levelC, "enum-cnt-name": levelC,
		"members": levelLegacy,
	}
	entryKeys  = keySet{"name": levelGenetlink, "value": levelGenetlink, "doc": levelGenetlink}
	memberKeys = keySet{
		"name": levelLegacy, "type": levelLegacy, "len": levelLegacy, "byte-order": levelLegacy,
		"doc": levelLegacy, "enum": levelLegacy, "display-hint": levelLegacy, "struct": levelLegacy,
		"enum-as-flags": levelRaw,
	}
	attrSetKeys = keySet{
		"name": levelGenetlink, "name-prefix": levelGenetlink, "enum-name": levelGenetlink,
		"doc": levelGenetlink, "subset-of": levelGenetlink, "attributes": levelGenetlink,
		"attr-cnt-name": levelC, "attr-max-name": levelC, "header": levelC,
	}
	attrKeys = keySet{
		"name": levelGenetlink, "type": levelGenetlink, "doc": levelGenetlink,
		"value": levelGenetlink, "byte-order": levelGenetlink, "multi-attr": levelGenetlink,
		"nested-attributes": levelGenetlink, "enum": levelGenetlink,
		"enum-as-flags": levelGenetlink, "checks": levelGenetlink, "sub-type": levelGenetlink,
		"display-hint": levelGenetlink,
		"name-prefix":  levelC,
		"struct":       levelLegacy, "type-value": levelLegacy,
		"sub-message": levelRaw, "selector": levelRaw,
		// nlgen's own: not in YNL (docs/masked.md).
		"x-nlgen-masked": levelGenetlink,
	}
	checksKeys = keySet{
		"flags-mask": levelGenetlink, "min": levelGenetlink, "max": levelGenetlink,
		"min-len": levelGenetlink, "max-len": levelGenetlink, "exact-len": levelGenetlink,
		"unterminated-ok": levelGenetlink,
	}
	opsKeys = keySet{
		"name-prefix": levelGenetlink, "enum-name": levelGenetlink, "async-prefix": levelGenetlink,
		"async-enum": levelGenetlink, "list": levelGenetlink, "enum-model": levelLegacy,
		"fixed-header": levelLegacy,
	}
	opKeys = keySet{
		"name": levelGenetlink, "doc": levelGenetlink, "value": levelGenetlink,
		"attribute-set": levelGenetlink, "flags": levelGenetlink, "dont-validate": levelGenetlink,
		"config-cond": levelGenetlink, "do": levelGenetlink, "dump": levelGenetlink,
		"notify": levelGenetlink, "event": levelGenetlink, "mcgrp": levelGenetlink,
		"fixed-header": levelLegacy,
	}
	subOpKeys   = keySet{"request": levelGenetlink, "reply": levelGenetlink, "pre": levelGenetlink, "post": levelGenetlink}
	attrListKey = keySet{"attributes": levelGenetlink, "value": levelLegacy}
	eventKeys   = keySet{"attributes": levelGenetlink}
	mcastKeys   = keySet{"list": levelGenetlink}
	mcgrpKeys   = keySet{"name": levelGenetlink, "c-define-name": levelC, "flags": levelGenetlink, "value": levelRaw}
	subMsgKeys  = keySet{"name": levelRaw, "formats": levelRaw}
	formatKeys  = keySet{"value": levelRaw, "fixed-header": levelRaw, "attribute-set": levelRaw}
	kfamKeys    = keySet{"headers": levelGenetlink, "sock-priv": levelGenetlink}
)

var (
	attrTypes = []string{"unused", "pad", "flag", "binary", "bitfield32", "uint", "sint",
		"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "string", "nest",
		"indexed-array", "array-nest", "nest-type-value", "sub-message"}
	// attrTypeLevel is the first protocol allowing an attribute type
	// (absent: every protocol).
	attrTypeLevel = map[string]level{"bitfield32": levelLegacy, "nest-type-value": levelLegacy, "sub-message": levelRaw}
	memberTypes   = []string{"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "string", "binary", "pad"}
	byteOrders    = []string{"little-endian", "big-endian"}
	displayHints  = []string{"hex", "mac", "fddi", "ipv4", "ipv6", "ipv4-or-v6", "uuid"}
	opFlags       = []string{"admin-perm", "uns-admin-perm"}
)

func (r *reader) spec(root *yaml.Node) *Spec {
	m, node := r.fields(root, "spec", specKeys)
	if m == nil {
		return nil
	}
	r.require(m, node, "spec", "name", "doc", "attribute-sets", "operations")
	s := &Spec{
		Node:         node,
		Name:         r.name(m["name"], "name"),
		Doc:          r.str(m["doc"], "doc"),
		Protocol:     r.level.String(),
		Version:      r.optInt(m["version"], "version"),
		UAPIHeader:   r.str(m["uapi-header"], "uapi-header"),
		CFamilyName:  r.str(m["c-family-name"], "c-family-name"),
		CVersionName: r.str(m["c-version-name"], "c-version-name"),
		MaxByDefine:  r.boolean(m["max-by-define"], "max-by-define"),
		CmdMaxName:   r.str(m["cmd-max-name"], "cmd-max-name"),
		CmdCntName:   r.str(m["cmd-cnt-name"], "cmd-cnt-name"),
		KernelPolicy: r.oneOf(m["kernel-policy"], "kernel-policy", "split", "per-op", "global"),
		Protonum:     r.optInt(m["protonum"], "protonum"),
	}
	if s.Version != nil && *s.Version < 1 {
		r.diags.Add(s.At("version"), "range", "version must be at least 1, got %d", *s.Version)
	}
	for _, d := range r.seq(m["definitions"], "definitions") {
		s.Definitions = append(s.Definitions, r.definition(d))
	}
	for _, a := range r.seq(m["attribute-sets"], "attribute-sets") {
		s.AttributeSets = append(s.AttributeSets, r.attrSet(a))
	}
	for _, sm := range r.seq(m["sub-messages"], "sub-messages") {
		s.SubMessages = append(s.SubMessages, r.subMessage(sm))
	}
	if n := m["operations"]; n != nil {
		s.Operations = r.operations(n)
	}
	if n := m["mcast-groups"]; n != nil {
		gm, _ := r.fields(n, "mcast-groups", mcastKeys)
		for _, g := range r.seq(gm["list"], "mcast-groups list") {
			s.McastGroups = append(s.McastGroups, r.mcastGroup(g))
		}
	}
	if n := m["kernel-family"]; n != nil {
		km, knode := r.fields(n, "kernel-family", kfamKeys)
		kf := &KernelFamily{Node: knode, SockPriv: r.str(km["sock-priv"], "sock-priv")}
		kf.Headers, _ = r.strList(km["headers"], "headers")
		s.KernelFamily = kf
	}
	var defs, sets, subs, ops, groups []named
	for _, d := range s.Definitions {
		defs = append(defs, named{d.Name, d.At("name")})
	}
	for _, x := range s.AttributeSets {
		sets = append(sets, named{x.Name, x.At("name")})
	}
	for _, x := range s.SubMessages {
		subs = append(subs, named{x.Name, x.At("name")})
	}
	if s.Operations != nil {
		for _, x := range s.Operations.List {
			ops = append(ops, named{x.Name, x.At("name")})
		}
	}
	for _, x := range s.McastGroups {
		groups = append(groups, named{x.Name, x.At("name")})
	}
	r.spacedClashes("definition", defs)
	r.spacedClashes("attribute set", sets)
	r.spacedClashes("sub-message", subs)
	r.spacedClashes("operation", ops)
	r.spacedClashes("multicast group", groups)
	s.SpacedNames = r.spaced
	return s
}

// name reads an identifier-like spec name. YNL names are lower-case words
// joined by dashes; legacy specs also use underscores and upper case.
func (r *reader) name(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	s, ok := r.scalar(n, what)
	if !ok {
		return ""
	}
	if !validName(s.Value) {
		r.errorf(s, "name", "%s %q: names must be letters, digits, '-' or '_', starting with a letter or digit", what, s.Value)
		return s.Value
	}
	return s.Value
}

// wordsName reads the name of something a spec defines (not the family's:
// that one names files and packages). The kernel's netlink-raw schema
// takes any string there and its nftables.yaml (up to 6.12) names an
// attribute "set id", so in netlink-raw specs words may also be separated
// by single spaces: a space derives identifiers as '-' does ("set id" is
// C SET_ID, Go SetId), ir warns about it, and JSON keys keep the name as
// written, as the kernel's CLI does. Any other whitespace, a leading or
// trailing space or two in a row is still an error, so every derived
// identifier stays one. Other protocols keep refusing spaces: their
// schemas allow them too, but the kernel's ynl-gen-c, which builds every
// genetlink spec, would print "SET ID" into C; only its CLI reads
// netlink-raw specs, and it uses names only as strings.
func (r *reader) wordsName(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	s, ok := r.scalar(n, what)
	if !ok {
		return ""
	}
	if validName(s.Value) {
		return s.Value
	}
	if r.level != levelRaw {
		r.errorf(s, "name", "%s %q: names must be letters, digits, '-' or '_', starting with a letter or digit", what, s.Value)
		return s.Value
	}
	if !validWordsName(s.Value) {
		r.errorf(s, "name", "%s %q: names must be letters, digits, '-' or '_', starting with a letter or digit (netlink-raw names may separate words with single spaces)", what, s.Value)
		return s.Value
	}
	r.spaced = append(r.spaced, SpacedName{Pos: r.pos(s), What: what, Name: s.Value})
	return s.Value
}

// validWordsName reports whether s is valid names joined by single spaces.
func validWordsName(s string) bool {
	if len(s) > 128 {
		return false
	}
	for _, w := range strings.Split(s, " ") {
		if !validName(w) {
			return false
		}
	}
	return true
}

// separatorKey is what a name's identifiers are derived from: case and
// the word separator ('-', '_' or a space) do not survive into C or Go.
func separatorKey(name string) string {
	return strings.ToLower(strings.NewReplacer(" ", "-", "_", "-").Replace(name))
}

// named is a name of one list and where it is written.
type named struct {
	name string
	pos  Pos
}

// spacedClashes rejects a spaced name whose words another name of the same
// list joins otherwise ("set id" and "set-id"): both would get the same C
// and Go names while the JSON keys differ. Clashes between names without
// spaces ("a-b", "a_b") are left to ir, which has always judged them.
func (r *reader) spacedClashes(what string, names []named) {
	if len(r.spaced) == 0 {
		return
	}
	seen := map[string]named{}
	for _, n := range names {
		if n.name == "" {
			continue
		}
		k := separatorKey(n.name)
		prev, dup := seen[k]
		if !dup {
			seen[k] = n
			continue
		}
		if prev.name != n.name && (strings.Contains(prev.name, " ") || strings.Contains(n.name, " ")) {
			r.diags.Add(n.pos, "name-collision", "%s %q and %q (at %s) differ only in word separators, so they would get the same C and Go names; rename one", what, n.name, prev.name, prev.pos)
		}
	}
}

func validName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '-' && c != '_') {
			return false
		}
	}
	return true
}

func (r *reader) definition(n *yaml.Node) *Definition {
	m, node := r.fields(n, "definition", definitionKeys)
	d := &Definition{Node: node}
	if m == nil {
		return d
	}
	r.require(m, node, "definition", "name", "type")
	d.Name = r.wordsName(m["name"], "definition name")
	d.Type = r.oneOf(m["type"], "definition type", "const", "enum", "flags", "struct")
	d.Doc = r.str(m["doc"], "doc")
	d.Header = r.str(m["header"], "header")
	d.Scope = r.oneOf(m["scope"], "scope", "uapi", "kernel", "user")
	d.Value = r.intOrName(m["value"], "value")
	d.ValueStart = r.intOrName(m["value-start"], "value-start")
	d.RenderMax = r.boolean(m["render-max"], "render-max")
	d.EnumName = r.optStr(m["enum-name"], "enum-name")
	d.NamePrefix = r.str(m["name-prefix"], "name-prefix")
	d.EnumCntName = r.str(m["enum-cnt-name"], "enum-cnt-name")
	if d.Type == "struct" && r.level < levelLegacy {
		r.diags.Add(d.At("type"), "protocol", "struct definitions need protocol genetlink-legacy")
	}
	for _, e := range r.seq(m["entries"], "entries") {
		d.Entries = append(d.Entries, r.entry(e))
	}
	for _, mm := range r.seq(m["members"], "members") {
		d.Members = append(d.Members, r.member(mm))
	}
	var entries, members []named
	for _, e := range d.Entries {
		entries = append(entries, named{e.Name, e.At("name")})
	}
	for _, mb := range d.Members {
		members = append(members, named{mb.Name, mb.At("name")})
	}
	r.spacedClashes("entry", entries)
	r.spacedClashes("member", members)
	return d
}

func (r *reader) entry(n *yaml.Node) *EnumEntry {
	n = r.deref(n)
	if n.Kind == yaml.ScalarNode {
		return &EnumEntry{Node: Node{Pos: r.pos(n)}, Name: r.wordsName(n, "entry name")}
	}
	m, node := r.fields(n, "enum entry", entryKeys)
	e := &EnumEntry{Node: node}
	if m == nil {
		return e
	}
	r.require(m, node, "enum entry", "name")
	e.Name = r.wordsName(m["name"], "entry name")
	e.Doc = r.str(m["doc"], "doc")
	e.Value = r.optInt(m["value"], "value")
	return e
}

func (r *reader) member(n *yaml.Node) *Member {
	m, node := r.fields(n, "struct member", memberKeys)
	mb := &Member{Node: node}
	if m == nil {
		return mb
	}
	r.require(m, node, "struct member", "name", "type")
	mb.Name = r.wordsName(m["name"], "member name")
	mb.Type = r.oneOf(m["type"], "member type", memberTypes...)
	mb.Len = r.intOrName(m["len"], "len")
	mb.ByteOrder = r.oneOf(m["byte-order"], "byte-order", byteOrders...)
	mb.Doc = r.str(m["doc"], "doc")
	mb.Enum = r.str(m["enum"], "enum")
	mb.DisplayHint = r.oneOf(m["display-hint"], "display-hint", displayHints...)
	mb.Struct = r.str(m["struct"], "struct")
	mb.EnumAsFlags = r.boolean(m["enum-as-flags"], "enum-as-flags")
	if mb.Type == "pad" && r.level < levelRaw {
		r.diags.Add(mb.At("type"), "protocol", "member type \"pad\" needs protocol netlink-raw")
	}
	return mb
}

// subMessage reads one entry of netlink-raw's sub-messages: the formats an
// attribute of type sub-message takes, chosen by its selector's value.
func (r *reader) subMessage(n *yaml.Node) *SubMessage {
	m, node := r.fields(n, "sub-message", subMsgKeys)
	sm := &SubMessage{Node: node}
	if m == nil {
		return sm
	}
	r.require(m, node, "sub-message", "name", "formats")
	sm.Name = r.wordsName(m["name"], "sub-message name")
	for _, fn := range r.seq(m["formats"], "formats") {
		fm, fnode := r.fields(fn, "sub-message format", formatKeys)
		f := &SubMessageFormat{Node: fnode}
		if fm != nil {
			r.require(fm, fnode, "sub-message format", "value")
			f.Value = r.formatValue(fm["value"])
			f.FixedHeader = r.str(fm["fixed-header"], "fixed-header")
			f.AttributeSet = r.str(fm["attribute-set"], "attribute-set")
		}
		sm.Formats = append(sm.Formats, f)
	}
	return sm
}

// formatValue reads a sub-message format's value, the selector's string
// that picks it ("fq_codel", "ip6gre"). It is no name the spec chooses,
// but the format's C and Go types are named after it, so it must make
// identifiers as a netlink-raw name does: words of letters, digits, '-'
// and '_' separated by single spaces. It is matched as written, so a
// spaced value gets no warning; an empty one is ir's to report.
func (r *reader) formatValue(n *yaml.Node) string {
	v := r.str(n, "value")
	if v != "" && !validWordsName(v) {
		r.errorf(n, "name", "sub-message format value %q: values must be letters, digits, '-' or '_', starting with a letter or digit, words separated by single spaces: the format's C and Go types are named after it", v)
	}
	return v
}

func (r *reader) attrSet(n *yaml.Node) *AttrSet {
	m, node := r.fields(n, "attribute set", attrSetKeys)
	s := &AttrSet{Node: node}
	if m == nil {
		return s
	}
	r.require(m, node, "attribute set", "name", "attributes")
	s.Name = r.wordsName(m["name"], "attribute set name")
	s.NamePrefix = r.str(m["name-prefix"], "name-prefix")
	s.EnumName = r.optStr(m["enum-name"], "enum-name")
	s.Doc = r.str(m["doc"], "doc")
	s.SubsetOf = r.str(m["subset-of"], "subset-of")
	s.AttrCntName = r.str(m["attr-cnt-name"], "attr-cnt-name")
	s.AttrMaxName = r.str(m["attr-max-name"], "attr-max-name")
	s.Header = r.str(m["header"], "header")
	if s.SubsetOf != "" && s.NamePrefix != "" {
		r.diags.Add(s.At("name-prefix"), "subset", "a subset (subset-of) inherits its naming; name-prefix is not allowed")
	}
	for _, a := range r.seq(m["attributes"], "attributes") {
		s.Attributes = append(s.Attributes, r.attr(a, s.SubsetOf != ""))
	}
	attrs := make([]named, 0, len(s.Attributes))
	for _, a := range s.Attributes {
		attrs = append(attrs, named{a.Name, a.At("name")})
	}
	r.spacedClashes("attribute", attrs)
	return s
}

func (r *reader) attr(n *yaml.Node, inSubset bool) *Attr {
	m, node := r.fields(n, "attribute", attrKeys)
	a := &Attr{Node: node}
	if m == nil {
		return a
	}
	r.require(m, node, "attribute", "name")
	if !inSubset {
		r.require(m, node, "attribute", "type")
	}
	a.Name = r.wordsName(m["name"], "attribute name")
	a.Type = r.attrType(m["type"], "attribute type")
	a.Doc = r.str(m["doc"], "doc")
	if v := r.optInt(m["value"], "value"); v != nil {
		if *v < 0 {
			r.diags.Add(a.At("value"), "range", "attribute value must not be negative, got %d", *v)
		} else {
			a.Value = v
		}
	}
	a.TypeValue, _ = r.strList(m["type-value"], "type-value")
	a.ByteOrder = r.oneOf(m["byte-order"], "byte-order", byteOrders...)
	a.MultiAttr = r.boolean(m["multi-attr"], "multi-attr")
	a.NestedAttributes = r.str(m["nested-attributes"], "nested-attributes")
	a.Enum = r.str(m["enum"], "enum")
	a.EnumAsFlags = r.boolean(m["enum-as-flags"], "enum-as-flags")
	a.SubType = r.attrType(m["sub-type"], "sub-type")
	a.DisplayHint = r.oneOf(m["display-hint"], "display-hint", displayHints...)
	a.NamePrefix = r.str(m["name-prefix"], "name-prefix")
	a.Struct = r.str(m["struct"], "struct")
	a.Masked, a.MaskedPos = r.strList(m["x-nlgen-masked"], "x-nlgen-masked")
	a.SubMessage = r.str(m["sub-message"], "sub-message")
	a.Selector = r.str(m["selector"], "selector")
	if c := m["checks"]; c != nil {
		a.Checks = r.checks(c)
	}
	return a
}

// AttrTypes are the attribute type names the reader accepts (array-nest
// is read as indexed-array), so ir can check it has a kind for each.
func AttrTypes() []string { return append([]string(nil), attrTypes...) }

// attrType accepts every attribute type of the three schemas, and the older
// spelling array-nest for indexed-array.
func (r *reader) attrType(n *yaml.Node, what string) string {
	t := r.oneOf(n, what, attrTypes...)
	if t == "array-nest" {
		t = "indexed-array"
	}
	if lv, ok := attrTypeLevel[t]; ok && r.level < lv {
		r.errorf(r.deref(n), "protocol", "%s %q needs protocol %s", what, t, lv)
	}
	return t
}

func (r *reader) checks(n *yaml.Node) *Checks {
	m, node := r.fields(n, "checks", checksKeys)
	c := &Checks{Node: node}
	if m == nil {
		return c
	}
	c.FlagsMask = r.str(m["flags-mask"], "flags-mask")
	c.Min = r.intOrName(m["min"], "min")
	c.Max = r.intOrName(m["max"], "max")
	c.MinLen = r.intOrName(m["min-len"], "min-len")
	c.MaxLen = r.intOrName(m["max-len"], "max-len")
	c.ExactLen = r.intOrName(m["exact-len"], "exact-len")
	c.UnterminatedOK = r.boolean(m["unterminated-ok"], "unterminated-ok")
	return c
}

func (r *reader) operations(n *yaml.Node) *Operations {
	m, node := r.fields(n, "operations", opsKeys)
	o := &Operations{Node: node}
	if m == nil {
		return o
	}
	r.require(m, node, "operations", "list")
	o.EnumModel = r.oneOf(m["enum-model"], "enum-model", "unified", "directional")
	o.NamePrefix = r.str(m["name-prefix"], "name-prefix")
	o.EnumName = r.optStr(m["enum-name"], "enum-name")
	o.AsyncPrefix = r.str(m["async-prefix"], "async-prefix")
	o.AsyncEnum = r.optStr(m["async-enum"], "async-enum")
	o.FixedHeader = r.str(m["fixed-header"], "fixed-header")
	for _, op := range r.seq(m["list"], "operations list") {
		o.List = append(o.List, r.operation(op))
	}
	return o
}

func (r *reader) operation(n *yaml.Node) *Operation {
	m, node := r.fields(n, "operation", opKeys)
	op := &Operation{Node: node}
	if m == nil {
		return op
	}
	r.require(m, node, "operation", "name", "doc")
	op.Name = r.wordsName(m["name"], "operation name")
	op.Doc = r.str(m["doc"], "doc")
	if v := r.optInt(m["value"], "value"); v != nil {
		if ok, limit := r.msgValueFits(*v); !ok {
			r.diags.Add(op.At("value"), "range", "operation value must fit the %s, got %d", limit, *v)
		} else {
			op.Value = v
		}
	}
	op.AttributeSet = r.str(m["attribute-set"], "attribute-set")
	op.Flags = r.wordList(m["flags"], "flags", opFlags...)
	op.DontValidate = r.wordList(m["dont-validate"], "dont-validate", "strict", "dump", "dump-strict")
	op.ConfigCond = r.str(m["config-cond"], "config-cond")
	op.FixedHeader = r.str(m["fixed-header"], "fixed-header")
	op.Notify = r.str(m["notify"], "notify")
	op.Mcgrp = r.str(m["mcgrp"], "mcgrp")
	if d := m["do"]; d != nil {
		op.Do = r.subOp(d, "do")
	}
	if d := m["dump"]; d != nil {
		op.Dump = r.subOp(d, "dump")
	}
	if e := m["event"]; e != nil {
		em, enode := r.fields(e, "event", eventKeys)
		op.Event = &AttrList{Node: enode}
		op.Event.Attributes, op.Event.AttrPos = r.strList(em["attributes"], "event attributes")
	}
	if op.Flags != nil {
		for _, f := range op.Flags {
			if f == "uns-admin-perm" && r.level < levelLegacy {
				r.diags.Add(op.At("flags"), "protocol", "flag uns-admin-perm needs protocol genetlink-legacy")
			}
		}
	}
	return op
}

func (r *reader) wordList(n *yaml.Node, what string, allowed ...string) []string {
	var out []string
	for _, it := range r.seq(n, what) {
		if w := r.oneOf(it, what+" entry", allowed...); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func (r *reader) subOp(n *yaml.Node, what string) *SubOp {
	n = r.deref(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return &SubOp{Node: Node{Pos: r.pos(n)}}
	}
	m, node := r.fields(n, what, subOpKeys)
	s := &SubOp{Node: node}
	if m == nil {
		return s
	}
	s.Pre = r.str(m["pre"], "pre")
	s.Post = r.str(m["post"], "post")
	if q := m["request"]; q != nil {
		s.Request = r.attrList(q, what+" request")
	}
	if q := m["reply"]; q != nil {
		s.Reply = r.attrList(q, what+" reply")
	}
	return s
}

func (r *reader) attrList(n *yaml.Node, what string) *AttrList {
	n = r.deref(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return &AttrList{Node: Node{Pos: r.pos(n)}}
	}
	m, node := r.fields(n, what, attrListKey)
	l := &AttrList{Node: node}
	if m == nil {
		return l
	}
	l.Attributes, l.AttrPos = r.strList(m["attributes"], what+" attributes")
	if v := r.optInt(m["value"], "value"); v != nil {
		if ok, limit := r.msgValueFits(*v); !ok {
			r.diags.Add(l.At("value"), "range", "%s value must fit the %s, got %d", what, limit, *v)
		} else {
			l.Value = v
		}
	}
	return l
}

// msgValueFits tells whether a message id fits where the protocol carries
// it: genetlink's 8-bit genlmsghdr.cmd, classic netlink's 16-bit
// nlmsghdr.nlmsg_type.
func (r *reader) msgValueFits(v int64) (bool, string) {
	if r.level == levelRaw {
		return v >= 0 && v <= 0xffff, "16-bit netlink message type"
	}
	return v >= 0 && v <= 255, "8-bit genl command"
}

func (r *reader) mcastGroup(n *yaml.Node) *McastGroup {
	m, node := r.fields(n, "multicast group", mcgrpKeys)
	g := &McastGroup{Node: node}
	if m == nil {
		return g
	}
	r.require(m, node, "multicast group", "name")
	g.Name = r.wordsName(m["name"], "multicast group name")
	g.CDefineName = r.str(m["c-define-name"], "c-define-name")
	g.Flags = r.wordList(m["flags"], "flags", opFlags...)
	g.Value = r.optInt(m["value"], "value")
	return g
}
