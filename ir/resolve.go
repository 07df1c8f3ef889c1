package ir

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"

	"github.com/nlgen/nlgen/schema"
)

// Source is one loaded spec and the path to show in generated files.
type Source struct {
	Spec        *schema.Spec
	DisplayPath string
}

// Resolve builds the model from loaded specs and an optional overlay. All
// problems are returned together as schema.Diagnostics.
func Resolve(sources []Source, win *schema.Windows, winDisplayPath string) (*Model, error) {
	var diags schema.Diagnostics
	m := &Model{}
	seen := map[string]schema.Pos{}
	for _, src := range sources {
		s := src.Spec
		if prev, dup := seen[s.Name]; dup {
			diags.Add(s.At("name"), "duplicate", "family %q is already defined at %s", s.Name, prev)
			continue
		}
		seen[s.Name] = s.At("name")
		r := &resolver{spec: s, diags: &diags, warns: &m.Warnings}
		f := r.family(src.DisplayPath)
		m.Families = append(m.Families, f)
	}
	if win != nil {
		m.Windows = resolveWindows(m, win, winDisplayPath, &diags, &m.Warnings)
	}
	for _, f := range m.Families {
		f.SpecHash = hashInputs(f, win)
	}
	return m, diags.Err()
}

func hashInputs(f *Family, win *schema.Windows) string {
	h := sha256.New()
	h.Write([]byte("nlgen-ir-v1\x00"))
	h.Write(f.source)
	if win != nil && f.Win != nil {
		h.Write([]byte{0})
		h.Write(win.Source)
	}
	return hex.EncodeToString(h.Sum(nil))
}

type resolver struct {
	spec  *schema.Spec
	diags *schema.Diagnostics
	warns *schema.Diagnostics
	fam   *Family
	// C names already used in this family's header, to catch collisions
	// such as "a-b" and "a_b" that both become A_B; struct and enum tags
	// share one namespace, kept under "tag <name>".
	cnames map[string]cname
	// netlink-raw sub-messages by name, and the sub-message attributes
	// whose selectors wait for every nest to be known
	subMsgs map[string]*SubMessage
	pending []pendingSelector
}

// cname is a C identifier the family's header declares: where the spec
// sets it, what it names, and the spec key that renames it.
type cname struct {
	pos       schema.Pos
	what, key string
}

func (r *resolver) errorf(pos schema.Pos, rule, format string, args ...any) {
	r.diags.Add(pos, rule, format, args...)
}

// claim registers a C name (a macro or enum constant) of what, which the
// spec key renames. A second claim is a C conflict: the header would not
// compile, but nothing else depends on C names, so the C targets report
// it when asked to render the family (Family.CConflicts).
func (r *resolver) claim(name string, pos schema.Pos, what, key string) {
	if !ValidCIdent(name) {
		r.errorf(pos, "name", "%q is not a valid C identifier", name)
		return
	}
	if prev, dup := r.cnames[name]; dup {
		r.fam.CConflicts.Add(pos, "name-collision", "C name %s (%s) collides with %s at %s; set %s to rename it",
			name, what, prev.what, prev.pos, key)
		return
	}
	r.cnames[name] = cname{pos, what, key}
}

// claimTag registers a struct or enum tag: C has one namespace for both,
// so "enum ovs_header" and "struct ovs_header" cannot both exist.
func (r *resolver) claimTag(kind, tag string, pos schema.Pos, what, key string) {
	if tag == "" {
		return // anonymous enum
	}
	if prev, dup := r.cnames["tag "+tag]; dup {
		r.fam.CConflicts.Add(pos, "name-collision", "C tag %s %s (%s) collides with %s at %s; set %s to rename it",
			kind, tag, what, prev.what, prev.pos, key)
		return
	}
	r.cnames["tag "+tag] = cname{pos, fmt.Sprintf("%s %s (%s)", kind, tag, what), key}
}

func (r *resolver) family(display string) *Family {
	s := r.spec
	f := &Family{
		Pos:          s.At("name"),
		Name:         s.Name,
		Doc:          s.Doc,
		Protocol:     s.Protocol,
		ProtocolPos:  s.At("protocol"),
		Version:      1,
		SpecPath:     display,
		UAPIHeader:   s.UAPIHeader,
		Ident:        CLower(s.Name),
		GoPackage:    GoPackageName(s.Name),
		GoName:       GoExported(s.Name),
		MaxByDefine:  s.MaxByDefine,
		KernelPolicy: s.KernelPolicy,
		source:       s.Source,
	}
	f.License = spdxOf(s.Source)
	r.fam = f
	r.cnames = map[string]cname{}
	for _, n := range s.SpacedNames {
		r.warns.Add(n.Pos, "name", "%s %q separates words with spaces: C and Go names are derived as from %q, nlgen call's JSON and the docs keep it as written; YNL names separate words with '-'",
			n.What, n.Name, strings.ReplaceAll(n.Name, " ", "-"))
	}
	if s.Version != nil {
		f.Version = int(*s.Version)
		if *s.Version > math.MaxUint8 {
			// genlmsghdr.version is a __u8: C and Go would truncate it
			r.errorf(s.At("version"), "range", "version %d does not fit the 8-bit genlmsghdr version (max 255)", *s.Version)
		}
	}
	if f.UAPIHeader == "" {
		f.UAPIHeader = "linux/" + s.Name + ".h"
	}
	if f.KernelPolicy == "" {
		f.KernelPolicy = "split"
	}
	f.CFamilyName = CUpper(orDefault(s.CFamilyName, f.Ident+"-family-name"))
	f.CVersionName = CUpper(orDefault(s.CVersionName, f.Ident+"-family-version"))
	r.claim(f.CFamilyName, s.At("name"), "the family name macro", "c-family-name")
	r.claim(f.CVersionName, s.At("name"), "the family version macro", "c-version-name")
	if s.KernelFamily != nil {
		f.KernelHeaders, f.KernelSockPriv = s.KernelFamily.Headers, s.KernelFamily.SockPriv
	}
	r.protonum()

	r.definitions()
	r.attrSets()
	r.operations()
	r.mcastGroups()
	r.bindOpGroups()
	r.opSets()
	return f
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (r *resolver) definitions() {
	f := r.fam
	names := map[string]schema.Pos{}
	for _, d := range r.spec.Definitions {
		if d.Name == "" {
			continue
		}
		if prev, dup := names[d.Name]; dup {
			r.errorf(d.At("name"), "duplicate", "definition %q is already defined at %s", d.Name, prev)
			continue
		}
		names[d.Name] = d.At("name")
		switch d.Type {
		case "const":
			c := r.constant(d)
			f.Consts = append(f.Consts, c)
			f.Defs = append(f.Defs, c)
		case "enum", "flags":
			e := r.enum(d)
			f.Enums = append(f.Enums, e)
			f.Defs = append(f.Defs, e)
		case "struct":
			// structs may refer to enums and structs defined later; lay
			// them out after every enum exists.
		}
	}
	for _, d := range r.spec.Definitions {
		if d.Type == "struct" && d.Name != "" && r.structByName(d.Name) == nil {
			st := r.structure(d, nil)
			_ = st
		}
	}
	// keep spec order for structs too
	var ordered []Definition
	for _, d := range r.spec.Definitions {
		switch d.Type {
		case "const":
			if c := r.constByName(d.Name); c != nil {
				ordered = append(ordered, c)
			}
		case "enum", "flags":
			if e := r.enumByName(d.Name); e != nil {
				ordered = append(ordered, e)
			}
		case "struct":
			if st := r.structByName(d.Name); st != nil {
				ordered = append(ordered, st)
			}
		}
	}
	f.Defs = dedupDefs(ordered)
}

func dedupDefs(in []Definition) []Definition {
	seen := map[Definition]bool{}
	var out []Definition
	for _, d := range in {
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

func (r *resolver) constant(d *schema.Definition) *Const {
	c := &Const{Name: d.Name, Doc: d.Doc, Header: d.Header, Pos: d.Pos, GoName: GoExported(d.Name)}
	prefix := r.fam.Ident + "-"
	if d.Has("name-prefix") {
		prefix = d.NamePrefix
	}
	c.CName = CUpper(prefix + d.Name)
	if c.Header == "" {
		r.claim(c.CName, d.At("name"), fmt.Sprintf("const %q", d.Name), "name-prefix")
	}
	switch {
	case d.Value == nil:
		r.errorf(d.Pos, "missing-key", "const %q needs a value", d.Name)
	case d.Value.IsName():
		c.IsStr, c.Str = true, d.Value.Name
	default:
		c.Int = d.Value.Int
	}
	return c
}

func (r *resolver) enum(d *schema.Definition) *Enum {
	f := r.fam
	e := &Enum{Name: d.Name, Doc: d.Doc, IsFlags: d.Type == "flags", RenderMax: d.RenderMax,
		Header: d.Header, Scope: d.Scope, Pos: d.Pos, GoName: GoExported(d.Name)}
	e.TagPos = d.At("name")
	if d.EnumName.Set {
		e.TagPos = d.At("enum-name")
		e.CEnumName = r.explicitTag(d.EnumName.Value, d.At("enum-name"))
	} else {
		e.CEnumName = CIdentTag(f.Ident + "-" + d.Name)
	}
	prefix := f.Ident + "-" + d.Name + "-"
	if d.Has("name-prefix") {
		prefix = d.NamePrefix
	}
	start := int64(0)
	if d.ValueStart != nil {
		if d.ValueStart.IsName() {
			r.errorf(d.ValueStart.Pos, "value", "value-start must be a number here, got %q", d.ValueStart.Name)
		} else {
			start = d.ValueStart.Int
		}
	}
	// An enum without entries is legal YNL (newer upstream specs declare
	// placeholders with "entries: []"); generators render what fits
	// their language.
	next := start
	values := map[uint64]string{}
	names := map[string]bool{}
	for _, en := range d.Entries {
		if en.Name == "" {
			continue
		}
		if names[en.Name] {
			r.errorf(en.Pos, "duplicate", "entry %q appears twice in %s", en.Name, d.Name)
			continue
		}
		names[en.Name] = true
		v := next
		if en.Value != nil {
			v = *en.Value
		}
		next = v + 1
		x := &EnumEntry{Name: en.Name, Doc: en.Doc, CName: CUpper(prefix + en.Name), GoName: GoExported(en.Name), Pos: en.Pos}
		if e.IsFlags {
			if v < 0 || v > 63 {
				r.errorf(en.Pos, "range", "flag %q: bit %d is outside 0..63", en.Name, v)
				continue
			}
			x.Bit, x.Value = int(v), uint64(1)<<uint(v)
			e.Mask |= x.Value
		} else {
			if v < 0 || v > math.MaxUint32 {
				r.errorf(en.Pos, "range", "enum entry %q: value %d is outside 0..%d", en.Name, v, uint32(math.MaxUint32))
				continue
			}
			x.Value = uint64(v)
		}
		if prev, dup := values[x.Value]; dup {
			// C enums may alias values (IP_CT_ESTABLISHED_REPLY ==
			// IP_CT_IS_REPLY); worth a look, not a failure.
			r.warns.Add(en.Pos, "duplicate-value", "entry %q has the same value (%d) as %q", en.Name, x.Value, prev)
		}
		values[x.Value] = en.Name
		if rendered(e) {
			r.claim(x.CName, en.Pos, fmt.Sprintf("entry %q of %s %q", en.Name, d.Type, d.Name), "name-prefix")
		}
		e.Entries = append(e.Entries, x)
	}
	if e.RenderMax {
		if e.IsFlags {
			e.MaxName = CUpper(prefix + "mask")
		} else {
			e.MaxName = CUpper(prefix + "max")
			e.CntName = CUpper(orDefault(d.EnumCntName, "__"+prefix+"max"))
		}
	} else if d.EnumCntName != "" {
		e.CntName = CUpper(d.EnumCntName)
	}
	if rendered(e) {
		if e.CntName != "" {
			r.claim(e.CntName, d.At("name"), fmt.Sprintf("the count of %s %q", d.Type, d.Name), "enum-cnt-name")
		}
		if e.MaxName != "" {
			r.claim(e.MaxName, d.At("name"), fmt.Sprintf("the max of %s %q", d.Type, d.Name), "name-prefix")
		}
		r.claimTag("enum", e.CEnumName, e.TagPos, fmt.Sprintf("%s %q", d.Type, d.Name), "enum-name")
	}
	return e
}

// rendered tells whether an enum is declared by the family's uapi header:
// one defined in another header, or scoped to the kernel or userspace
// only, is not.
func rendered(e *Enum) bool {
	return e.Header == "" && e.Scope != "kernel" && e.Scope != "user"
}

// CIdentTag is a C tag name (struct/enum) from a spec name.
func CIdentTag(name string) string { return CLower(name) }

// explicitTag is a C enum tag the spec spells out (enum-name): it is
// used as written, so it is rejected rather than renamed when it is not a
// C identifier ("enum int" would not compile). Empty means anonymous.
func (r *resolver) explicitTag(name string, pos schema.Pos) string {
	tag := CIdentTag(name)
	if tag != "" && !ValidCIdent(tag) {
		r.errorf(pos, "name", "enum-name %q is not a valid C identifier (explicit C names are not renamed)", name)
	}
	return tag
}

func (r *resolver) constByName(name string) *Const {
	for _, c := range r.fam.Consts {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (r *resolver) enumByName(name string) *Enum {
	for _, e := range r.fam.Enums {
		if e.Name == name {
			return e
		}
	}
	return nil
}

func (r *resolver) structByName(name string) *Struct {
	for _, s := range r.fam.Structs {
		if s.Name == name {
			return s
		}
	}
	return nil
}

func (r *resolver) definitionByName(name string) *schema.Definition {
	for _, d := range r.spec.Definitions {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// lookupEnum resolves an enum reference, reporting a dangling one at pos.
func (r *resolver) lookupEnum(name string, pos schema.Pos, what string) *Enum {
	if name == "" {
		return nil
	}
	if e := r.enumByName(name); e != nil {
		return e
	}
	r.errorf(pos, "reference", "%s: no enum or flags definition named %q%s", what, name, r.suggest(name, r.enumNames()))
	return nil
}

func (r *resolver) enumNames() []string {
	var out []string
	for _, e := range r.fam.Enums {
		out = append(out, e.Name)
	}
	return out
}

// suggest returns ` (did you mean "x"?)` for a close name, or "".
func (r *resolver) suggest(name string, candidates []string) string {
	return schema.Suggest(name, candidates)
}

// limit resolves a len-or-define / len-or-limit value.
func (r *resolver) limit(v *schema.Value, what string, allowTypeLimits bool) *Limit {
	if v == nil {
		return nil
	}
	if !v.IsName() {
		if v.Int < 0 {
			r.errorf(v.Pos, "range", "%s must not be negative, got %d", what, v.Int)
			return nil
		}
		return &Limit{Value: v.Int}
	}
	name, minus := strings.CutSuffix(v.Name, " - 1")
	if allowTypeLimits {
		if val, ok := typeLimit(name); ok {
			return &Limit{Value: val}
		}
	}
	c := r.constByName(name)
	if c == nil || c.IsStr {
		r.errorf(v.Pos, "reference", "%s: %q is not a number, a numeric const%s", what, v.Name,
			map[bool]string{true: " or a type limit like u32-max", false: ""}[allowTypeLimits]+r.suggest(name, r.constNames()))
		return nil
	}
	l := &Limit{Value: c.Int, Const: c.CName}
	if minus {
		l.Value, l.Offset = l.Value-1, -1
	}
	return l
}

func (r *resolver) constNames() []string {
	var out []string
	for _, c := range r.fam.Consts {
		out = append(out, c.Name)
	}
	return out
}

func typeLimit(s string) (int64, bool) {
	switch s {
	case "u8-min", "u16-min", "u32-min", "u64-min":
		return 0, true
	case "u8-max":
		return math.MaxUint8, true
	case "u16-max":
		return math.MaxUint16, true
	case "u32-max":
		return math.MaxUint32, true
	case "u64-max":
		return math.MaxInt64, true // clamped: limits are int64 in the IR
	case "s8-min":
		return math.MinInt8, true
	case "s8-max":
		return math.MaxInt8, true
	case "s16-min":
		return math.MinInt16, true
	case "s16-max":
		return math.MaxInt16, true
	case "s32-min":
		return math.MinInt32, true
	case "s32-max":
		return math.MaxInt32, true
	case "s64-min":
		return math.MinInt64, true
	case "s64-max":
		return math.MaxInt64, true
	}
	return 0, false
}

func spdxOf(src []byte) string {
	line, _, _ := strings.Cut(string(src), "\n")
	const tag = "# SPDX-License-Identifier:"
	if !strings.HasPrefix(line, tag) {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(line, tag))
}
