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
	"bytes"
	"fmt"
	"path"
	"strings"
	"text/template"

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
		tmpl, err := templates.Parse(out.tmpl, template.FuncMap{"doc": func(s string) string { return gen.CBlockComment(s, "") }})
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, v); err != nil {
			return nil, fmt.Errorf("%s: %w", out.file, err)
		}
		files = append(files, gen.File{Path: out.file, Content: buf.Bytes()})
	}
	return files, nil
}

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
	Families      []*ir.Family
}

// table is one NL_POLICY array as the templates and checks need it.
type table struct {
	Policy *ir.Policy
	Doc    string
	Name   string // the C array name, as upstream
	Ident  string // unique among all tables: function_name or name
	Macro  string // DEFINE_NL_POLICY_<Ident>, for function-local tables
	Decl   string // "static const NL_POLICY name[]" and the like
	Size   string // the array size expression
	Lines  []string
}

func newView(req *gen.Request) (*view, error) {
	if req.Model.Windows == nil {
		return nil, fmt.Errorf("no Windows overlay: add `windows:` to the config")
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
	v.Families = fams
	v.Banner = gen.CBannerData(fams)
	for _, t := range tables {
		if t.Policy.Scope == "extern" {
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
	t := &table{Policy: p, Doc: p.Doc, Name: p.Name, Ident: p.Name, Size: p.Size}
	if p.Function != "" {
		t.Ident = p.Function + "_" + p.Name
	}
	if t.Size == "" {
		t.Size = lastAttr(p).CName + " + 1"
	}
	switch p.Scope {
	case "extern":
		t.Decl = "const NL_POLICY " + p.Name + "[" + t.Size + "]"
	case "local":
		t.Macro = "DEFINE_NL_POLICY_" + t.Ident
		t.Decl = "const NL_POLICY " + p.Name + "[" + p.Size + "]"
	default:
		t.Macro = "DEFINE_NL_POLICY_" + t.Ident
		t.Decl = "static const NL_POLICY " + p.Name + "[" + p.Size + "]"
	}
	for _, e := range p.Entries {
		if e.Derived != nil {
			t.Lines = append(t.Lines, "/* "+gen.OneLine(e.Reason)+" (derived: "+gen.OneLine(initializer(e.Derived))+") */")
		}
		t.Lines = append(t.Lines, "["+e.Attr.CName+"] = "+initializer(e)+",")
	}
	return t
}

// lastAttr is the entry with the highest id, which sizes the array.
func lastAttr(p *ir.Policy) *ir.Attr {
	last := p.Entries[0].Attr
	for _, e := range p.Entries {
		if e.Attr.ID > last.ID {
			last = e.Attr
		}
	}
	return last
}

// initializer renders one NL_POLICY entry. Optional is always written:
// upstream leaves it out for required entries, which reads as an oversight.
func initializer(e *ir.PolicyEntry) string {
	var fields []string
	if !e.OmitType {
		fields = append(fields, ".type = "+TypeName(e.Type))
	}
	if e.MinLen != nil {
		fields = append(fields, ".minLen = "+LenExpr(e.MinLen))
	}
	if e.MaxLen != nil {
		fields = append(fields, ".maxLen = "+LenExpr(e.MaxLen))
	}
	if e.Optional {
		fields = append(fields, ".optional = TRUE")
	} else {
		fields = append(fields, ".optional = FALSE")
	}
	return "{" + strings.Join(fields, ", ") + "}"
}

// TypeName is the driver's NL_ATTR_TYPE enumerator (Netlink.h) for a
// policy type.
func TypeName(t ir.PolicyType) string {
	switch t {
	case ir.PolicyNoAttr:
		return "NL_A_NO_ATTR"
	case ir.PolicyVarLen:
		return "NL_A_VAR_LEN"
	}
	return "NL_A_" + ir.CUpper(string(t))
}

// LenExpr spells a policy length in C.
func LenExpr(l *ir.PolicyLen) string {
	if l.Struct != nil {
		return "sizeof(struct " + l.Struct.CName + ")"
	}
	return l.Expr()
}
