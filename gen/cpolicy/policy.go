// Package cpolicy renders the Windows driver's NL_POLICY tables: one array
// per policy of the overlay, entries as designated initializers indexed by
// the attribute enum, with types and lengths derived from the spec (see
// ir.DerivePolicyEntry) unless the overlay overrides them.
//
// Upstream keeps most tables inside the handler that parses with them, and
// several share a name (four ovsVportPolicy, two policy). A generated .c
// file cannot put a table inside a hand-written function, and renaming the
// tables would break the handlers, so:
//
//   - scope extern tables are defined in the .c file and declared, with
//     their complete array type and a ...Len variable, in the header;
//   - scope static and local tables become a macro in the header,
//     DEFINE_NL_POLICY_<function>_<name>, that expands to the upstream
//     declaration ("static const NL_POLICY name[] = {...}"). The handler
//     writes "DEFINE_NL_POLICY_OvsGetVport_ovsVportPolicy;" where the table
//     used to be, so name, scope and ARRAY_SIZE stay exactly as upstream.
package cpolicy

import (
	"fmt"
	"path"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cheader"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/templates"
)

// Generator is the c-policy target.
var Generator = &gen.Generator{
	Name: "c-policy",
	Doc:  "Windows driver NL_POLICY tables (.c) and their header: extern declarations, lengths, function-local table macros",
	Options: map[string]string{
		"header":  "header file name (default NlPolicy.h)",
		"source":  "source file name (default NlPolicy.c)",
		"include": "header the .c file includes first for NL_POLICY and the OVS enums (default precomp.h)",
	},
	Generate: Generate,
}

// Generate renders the policy header and source.
func Generate(req *gen.Request) ([]gen.File, error) {
	v, err := newView(req)
	if err != nil {
		return nil, err
	}
	var files []gen.File
	for _, out := range []struct{ tmpl, file string }{{"policy.h.tmpl", v.Header}, {"policy.c.tmpl", v.Source}} {
		b, err := templates.Execute(out.tmpl, v)
		if err != nil {
			return nil, err
		}
		files = append(files, gen.File{Path: out.file, Content: b})
	}
	return files, nil
}

// The views are data only: names, numbers, flags and escaped comment
// text. The shared policy blocks of templates/c.tmpl spell every C token.
type view struct {
	Banner  gen.Banner
	Guard   string
	Header  string
	Source  string
	Include string
	// HeaderInclude is the header's name as the .c file includes it.
	HeaderInclude string
	Extern        []*table
	Local         []*table
}

// table is one NL_POLICY array.
type table struct {
	Doc      []string
	Name     string // the C array name, as upstream
	Ident    string // unique among all tables: function_name or name
	Scope    string // extern, static or local
	Size     string // the overlay's array size, or "": LastAttr + 1
	LastAttr string // the entry with the highest id
	Entries  []entry
}

// entry is one NL_POLICY initializer, and what the check program expects
// of it.
type entry struct {
	Attr           string // the attribute's C name (the index)
	Type           string // the NL_ATTR_TYPE enumerator without NL_A_
	OmitType       bool
	MinLen, MaxLen *length
	Optional       bool
	// Derived is what the spec implies, for an entry the overlay
	// overrides for Reason (escaped for a comment).
	Derived *entry
	Reason  string
	// Name and KindMin..KindMax are the spec's attribute name and the
	// payload sizes its kind allows, for the check program.
	Name             string
	KindMin, KindMax uint64
}

// length is an ir.PolicyLen: a struct's size, an overlay macro, a spec
// limit plus Add bytes, or a number.
type length struct {
	Value  int64
	Struct string
	Macro  string
	Check  *limit
	Add    int64
}

// limit is an ir.Limit: Const less Minus plus Plus, or Value.
type limit struct {
	Value       int64
	Const       string
	Minus, Plus int64
}

func newView(req *gen.Request) (*view, error) {
	if _, err := gen.NeedWindows(req); err != nil {
		return nil, err
	}
	if err := gen.RawRefusal(req.Families, gen.WindowsRawWhy, gen.InOverlay); err != nil {
		return nil, err
	}
	v := &view{
		Header:  path.Clean(req.Options.Get("header", "NlPolicy.h")),
		Source:  path.Clean(req.Options.Get("source", "NlPolicy.c")),
		Include: gen.CInclude(req.Options.Get("include", "precomp.h")),
	}
	v.Guard = gen.CDriverGuard(v.Header)
	v.HeaderInclude = gen.CString(v.Header)
	tables, fams, err := Tables(req.Families)
	if err != nil {
		return nil, err
	}
	// the tables index and size by the uapi header's attribute names
	if err := cheader.Check(fams); err != nil {
		return nil, err
	}
	v.Banner = gen.CBannerData(fams)
	for _, t := range tables {
		if t.Scope == "extern" {
			v.Extern = append(v.Extern, t)
		} else {
			v.Local = append(v.Local, t)
		}
	}
	return v, nil
}

// Tables returns every policy of the families in overlay order, with
// identifiers that tell same-named tables apart, and the families that
// have any.
func Tables(families []*ir.Family) ([]*table, []*ir.Family, error) {
	var out []*table
	var fams []*ir.Family
	seen := map[string]string{}
	for _, f := range families {
		if f.Win == nil || len(f.Win.Policies) == 0 {
			continue
		}
		fams = append(fams, f)
		for _, p := range f.Win.Policies {
			t := newTable(p)
			if prev, dup := seen[t.Ident]; dup {
				return nil, nil, fmt.Errorf("policy %s of family %s: %s already names a table of family %s; give one a different function",
					p.Name, f.Name, t.Ident, prev)
			}
			seen[t.Ident] = f.Name
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("the selected families have no policies in the Windows overlay")
	}
	return out, fams, nil
}

func newTable(p *ir.Policy) *table {
	t := &table{Doc: gen.CCommentLines(p.Doc), Name: p.Name, Ident: p.Name, Scope: p.Scope, Size: p.Size, LastAttr: p.Last.CName}
	if p.Function != "" {
		t.Ident = p.Function + "_" + p.Name
	}
	for _, e := range p.Entries {
		ev := newEntry(e)
		if e.Derived != nil {
			ev.Derived, ev.Reason = newEntry(e.Derived), gen.OneLine(e.Reason)
		}
		ev.KindMin, ev.KindMax = kindBounds(e.Attr)
		t.Entries = append(t.Entries, *ev)
	}
	return t
}

// newEntry is one NL_POLICY entry. Optional is always written: upstream
// leaves it out for required entries, which reads as an oversight.
func newEntry(e *ir.PolicyEntry) *entry {
	return &entry{Attr: e.Attr.CName, Name: e.Attr.Name, Type: typeName(e.Type), OmitType: e.OmitType,
		MinLen: newLength(e.MinLen), MaxLen: newLength(e.MaxLen), Optional: e.Optional}
}

// typeName is the driver's NL_ATTR_TYPE enumerator (Netlink.h) for a
// policy type, without its NL_A_ prefix: the overlay's type names are
// the enumerators in YNL spelling (no-attr, be16, var-len).
func typeName(t ir.PolicyType) string { return ir.CUpper(string(t)) }

func newLength(l *ir.PolicyLen) *length {
	if l == nil {
		return nil
	}
	out := &length{Value: l.Value, Macro: l.Macro, Add: l.Add, Check: newLimit(l.Check)}
	if l.Struct != nil {
		out.Struct = l.Struct.CName
	}
	return out
}

func newLimit(l *ir.Limit) *limit {
	if l == nil {
		return nil
	}
	out := &limit{Value: l.Value, Const: l.Const}
	if l.Offset < 0 {
		out.Minus = -l.Offset
	} else {
		out.Plus = l.Offset
	}
	return out
}

// TypeName is the driver's NL_ATTR_TYPE enumerator for a policy type, as
// the tables spell it.
func TypeName(t ir.PolicyType) string { return templates.MustSpell("policy-type", typeName(t)) }

// LenExpr is a policy length as the tables spell it.
func LenExpr(l *ir.PolicyLen) string { return templates.MustSpell("policy-len", newLength(l)) }

// LimitExpr is a spec limit spelled in C: its const and offset, or its
// number.
func LimitExpr(l *ir.Limit) string { return templates.MustSpell("limit", newLimit(l)) }
