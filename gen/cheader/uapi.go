// Package cheader renders the Linux-style uapi header of families: the
// family name and version macros, consts, enums and flags, structs,
// attribute and command enums and multicast group names, laid out as the
// kernel's ynl-gen-c does.
package cheader

import (
	"bytes"
	"fmt"
	"math"
	"path"
	"slices"
	"strings"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
	"github.com/nlgen/nlgen/templates"
)

// Generator is the c-uapi target.
var Generator = &gen.Generator{
	Name: "c-uapi",
	Doc:  "Linux uapi C header per uapi-header (families sharing one header are rendered together)",
	Options: map[string]string{
		"types-header": "header providing __u8..__u64/__be16.. for structs (default <linux/types.h>; e.g. \"Types.h\")",
	},
	Generate: Generate,
}

// Generate renders one header per distinct uapi-header of the families.
func Generate(req *gen.Request) ([]gen.File, error) {
	var order []string
	groups := map[string][]*ir.Family{}
	for _, f := range req.Families {
		if f.Win != nil && f.Win.WindowsOnly {
			continue // rendered into the Windows header instead
		}
		if _, ok := groups[f.UAPIHeader]; !ok {
			order = append(order, f.UAPIHeader)
		}
		groups[f.UAPIHeader] = append(groups[f.UAPIHeader], f)
	}
	tmpl, err := templates.Parse("uapi.h.tmpl", nil)
	if err != nil {
		return nil, err
	}
	var rendered []*ir.Family
	for _, hdr := range order {
		rendered = append(rendered, groups[hdr]...)
	}
	if err := gen.CConflicts(rendered); err != nil {
		return nil, err
	}
	var files []gen.File
	for _, hdr := range order {
		v, err := uapiView(hdr, groups[hdr], req)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, v); err != nil {
			return nil, fmt.Errorf("c-uapi %s: %w", hdr, err)
		}
		files = append(files, gen.File{Path: path.Clean(hdr), Content: buf.Bytes()})
	}
	return files, nil
}

// Check reports what keeps the families' uapi headers from compiling: C
// names colliding within a family (ir.Family.CConflicts) or across the
// families that share a header. C targets whose output uses those names
// (policy tables, dispatch rows) refuse with the same diagnostics.
func Check(fams []*ir.Family) error {
	if err := gen.CConflicts(fams); err != nil {
		return err
	}
	_, err := Generate(&gen.Request{Families: fams, Target: "c-uapi"})
	return err
}

type fileView struct {
	License  string
	Banner   string
	Guard    string
	Includes []string
	Families []familyView
}

type familyView struct {
	Doc          string
	FamilyMacro  string
	FamilyName   string
	VersionMacro string
	Version      int
	Blocks       []block
	McastGroups  []define
}

type define struct{ Name, Value string }

// block is one rendered C construct: "defines", "struct" or "enum".
// Lines of structs and enums are indented by the view (blank lines stay
// empty, with no trailing tab).
type block struct {
	Kind  string
	Doc   string
	Tag   string
	Lines []string
	After []string
}

// Guard derives the include guard from the uapi header path, the way the
// kernel names them: linux/netdev.h -> _UAPI_LINUX_NETDEV_H.
func Guard(hdr string) string {
	base := strings.TrimSuffix(hdr, ".h")
	var b strings.Builder
	for _, c := range strings.ToUpper(base) {
		if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return "_UAPI_" + b.String() + "_H"
}

// dedup keeps a header compilable when several families of one uapi
// header each define the same struct or enum (upstream OVS specs repeat
// struct ovs_header in every family): identical repeats are dropped;
// a different block under the same name is kept, for the registry to
// report what in it collides.
type dedup map[string]string

func (d dedup) keep(key string, b block) bool {
	if key == "" {
		return true
	}
	// Compare declarations only: two specs may document the same member
	// differently.
	var decls []string
	for _, l := range b.Lines {
		decl, _, _ := strings.Cut(l, "\t/*")
		decls = append(decls, decl)
	}
	text := strings.Join(decls, "\n")
	if prev, ok := d[key]; ok && prev == text {
		return false
	}
	d[key] = text
	return true
}

// decl is a C identifier a rendered block declares, where the spec sets
// it and the key that renames it. Tags (struct and enum share one
// namespace) are named "tag x".
type decl struct {
	name      string
	pos       schema.Pos
	what, key string
	fam       *ir.Family
}

// registry catches what families sharing one header declare twice. Within
// a family the resolver has already found collisions (Family.CConflicts);
// across families only the header that joins them can.
type registry struct {
	hdr   string
	seen  map[string]decl
	diags schema.Diagnostics
}

func (r *registry) declare(ds ...decl) {
	for _, d := range ds {
		if d.name == "" || d.name == "tag " {
			continue
		}
		prev, dup := r.seen[d.name]
		if !dup {
			r.seen[d.name] = d
			continue
		}
		label := "C name " + d.name
		if tag, ok := strings.CutPrefix(d.name, "tag "); ok {
			label = "C tag " + tag
		}
		r.diags.Add(d.pos, "name-collision", "family %s cannot be rendered in C: %s (%s) collides with %s of family %s at %s, both in %s; set %s to rename it",
			d.fam.Name, label, d.what, prev.what, prev.fam.Name, prev.pos, r.hdr, d.key)
	}
}

func enumDecls(f *ir.Family, e *ir.Enum) []decl {
	kind := "enum"
	if e.IsFlags {
		kind = "flags"
	}
	out := []decl{{"tag " + e.CEnumName, e.TagPos, fmt.Sprintf("%s %q", kind, e.Name), "enum-name", f}}
	for _, x := range e.Entries {
		out = append(out, decl{x.CName, x.Pos, fmt.Sprintf("entry %q of %s %q", x.Name, kind, e.Name), "name-prefix", f})
	}
	return append(out,
		decl{e.CntName, e.Pos, fmt.Sprintf("the count of %s %q", kind, e.Name), "enum-cnt-name", f},
		decl{e.MaxName, e.Pos, fmt.Sprintf("the max of %s %q", kind, e.Name), "name-prefix", f})
}

func setDecls(f *ir.Family, s *ir.AttrSet) []decl {
	out := []decl{{"tag " + s.CEnumName, s.TagPos, fmt.Sprintf("attribute set %q", s.Name), "enum-name", f}}
	for _, a := range s.Attrs {
		out = append(out, decl{a.CName, a.Pos, fmt.Sprintf("attribute %q of set %q", a.Name, s.Name), "name-prefix", f})
	}
	return append(out,
		decl{s.CntName, s.CntPos, fmt.Sprintf("the count of attribute set %q", s.Name), "attr-cnt-name", f},
		decl{s.MaxName, s.MaxPos, fmt.Sprintf("the max of attribute set %q", s.Name), "attr-max-name", f})
}

func familyDecls(f *ir.Family) []decl {
	out := []decl{
		{f.CFamilyName, f.Pos, "the family name macro", "c-family-name", f},
		{f.CVersionName, f.Pos, "the family version macro", "c-version-name", f},
	}
	if len(f.Ops) > 0 {
		out = append(out,
			decl{"tag " + f.CmdEnumName, f.Pos, "the command enum", "enum-name", f},
			decl{"tag " + f.AsyncEnumName, f.Pos, "the notification enum", "async-enum", f},
			decl{f.CmdCntName, f.Pos, "the count of the commands", "cmd-cnt-name", f},
			decl{f.CmdMaxName, f.Pos, "the max of the commands", "cmd-max-name", f})
	}
	for _, n := range []string{f.CmdNoneName, f.KernelCmdNoneName, f.KernelCmdCntName, f.KernelCmdMaxName} {
		out = append(out, decl{n, f.Pos, "a bound of the directional command enums", "name-prefix", f})
	}
	for _, op := range f.Ops {
		out = append(out, decl{op.CName, op.Pos, fmt.Sprintf("operation %q", op.Name), "name-prefix", f})
		if op.RspCName != op.CName {
			out = append(out, decl{op.RspCName, op.Pos, fmt.Sprintf("the reply of operation %q", op.Name), "name-prefix", f})
		}
	}
	for _, g := range f.McastGroups {
		out = append(out, decl{g.CName, g.Pos, fmt.Sprintf("multicast group %q", g.Name), "c-define-name", f})
	}
	return out
}

func uapiView(hdr string, fams []*ir.Family, req *gen.Request) (fileView, error) {
	seen := dedup{}
	reg := &registry{hdr: hdr, seen: map[string]decl{}}
	v := fileView{
		Banner: gen.CBanner(fams),
		Guard:  Guard(hdr),
	}
	if lic := fams[0].License; lic != "" {
		v.License = "/* SPDX-License-Identifier: " + gen.OneLine(lic) + " */\n"
	}
	needTypes := false
	for _, f := range fams {
		fv := familyView{
			FamilyMacro:  f.CFamilyName,
			FamilyName:   gen.CString(f.Name),
			VersionMacro: f.CVersionName,
			Version:      f.Version,
			Doc:          gen.CBlockComment(f.Name+": "+f.Doc, ""),
		}
		reg.declare(familyDecls(f)...)
		for _, d := range f.Defs {
			var b block
			var key string
			var decls []decl
			switch d := d.(type) {
			case *ir.Const:
				if d.Header != "" {
					continue
				}
				b, key = constBlock(d), "macro "+d.CName
				decls = []decl{{d.CName, d.Pos, fmt.Sprintf("const %q", d.Name), "name-prefix", f}}
			case *ir.Enum:
				if d.Header != "" || d.Scope == "kernel" || d.Scope == "user" {
					continue
				}
				b = enumBlock(d)
				if len(d.Entries) > 0 {
					key = "enum entry " + d.Entries[0].CName
				}
				decls = enumDecls(f, d)
				if b.Kind == "defines" {
					decls = decls[1:] // an empty enum declares no tag
				}
			case *ir.Struct:
				if d.Header != "" {
					continue
				}
				needTypes = true
				b, key = structBlock(d), "struct "+d.CName
				decls = []decl{{"tag " + d.CName, d.TagPos, fmt.Sprintf("struct %q", d.Name), "enum-name", f}}
			}
			if len(b.Lines) == 0 {
				continue // an enum with no entries and nothing past INT_MAX
			}
			indent(&b)
			if seen.keep(key, b) {
				fv.Blocks = append(fv.Blocks, b)
				reg.declare(decls...)
			}
		}
		for _, s := range f.AttrSets {
			if s.SubsetOf == nil && s.Header == "" {
				b := attrSetBlock(f, s)
				indent(&b)
				fv.Blocks = append(fv.Blocks, b)
				reg.declare(setDecls(f, s)...)
			}
		}
		for _, b := range opBlocks(f) {
			indent(&b)
			fv.Blocks = append(fv.Blocks, b)
		}
		for _, g := range f.McastGroups {
			fv.McastGroups = append(fv.McastGroups, define{g.CName, gen.CString(g.Name)})
		}
		v.Families = append(v.Families, fv)
	}
	if err := reg.diags.Err(); err != nil {
		return v, err
	}
	if needTypes {
		th := req.Options.Get("types-header", "<linux/types.h>")
		if !strings.HasPrefix(th, "<") && !strings.HasPrefix(th, "\"") {
			th = gen.CString(th)
		}
		v.Includes = append(v.Includes, th)
	}
	return v, nil
}

func constBlock(c *ir.Const) block {
	val := fmt.Sprint(c.Int)
	if c.IsStr {
		val = gen.CString(c.Str)
	}
	doc := ""
	if c.Doc != "" {
		doc = "\t/* " + gen.OneLine(c.Doc) + " */"
	}
	return block{Kind: "defines", Lines: []string{"#define " + c.CName + "\t" + val + doc}}
}

// kernelDoc renders a kernel-doc comment for an enum whose entries are documented.
func kernelDoc(kind, tag, doc string, entries []*ir.EnumEntry) string {
	hasDoc := doc != ""
	for _, e := range entries {
		hasDoc = hasDoc || e.Doc != ""
	}
	if !hasDoc {
		return ""
	}
	var b strings.Builder
	b.WriteString("/**\n * " + kind)
	if tag != "" {
		b.WriteString(" " + tag)
	}
	if doc != "" {
		b.WriteString(" - " + gen.OneLine(doc))
	}
	b.WriteString("\n")
	for _, e := range entries {
		if e.Doc != "" {
			b.WriteString(" * @" + e.CName + ": " + gen.OneLine(e.Doc) + "\n")
		}
	}
	b.WriteString(" */\n")
	return b.String()
}

// ISO C requires an enumeration constant to fit int, and -pedantic rejects
// the GNU extension that widens the enum. A value above INT_MAX (a flag
// at bit 31 or higher, an entry past value-start 2147483647, or the
// count or mask after one) is therefore rendered the way uapi headers
// spell such constants, as an unsigned #define after the enum:
// "#define X_F31 (1U << 31)", "#define X_BIG 2147483648U".
const cIntMax = math.MaxInt32

// cUnsigned spells v as an unsigned C constant of a type that holds it.
func cUnsigned(v uint64) string {
	if v <= math.MaxUint32 {
		return fmt.Sprintf("%dU", v)
	}
	return fmt.Sprintf("%dULL", v)
}

// cBit spells the flag value 1 << bit as uapi headers do.
func cBit(bit int) string {
	if bit < 32 {
		return fmt.Sprintf("(1U << %d)", bit)
	}
	return fmt.Sprintf("(1ULL << %d)", bit)
}

func enumBlock(e *ir.Enum) block {
	var inEnum []*ir.EnumEntry
	for _, x := range e.Entries {
		if x.Value <= cIntMax {
			inEnum = append(inEnum, x)
		}
	}
	b := block{Kind: "enum", Tag: e.CEnumName, Doc: kernelDoc("enum", e.CEnumName, e.Doc, inEnum)}
	// next is the value an enumerator without "= value" would get.
	next := uint64(0)
	for _, x := range e.Entries {
		if x.Value > cIntMax {
			val := cUnsigned(x.Value)
			if e.IsFlags {
				val = cBit(x.Bit)
			}
			line := "#define " + x.CName + "\t" + val
			if x.Doc != "" {
				line += "\t/* " + gen.OneLine(x.Doc) + " */"
			}
			b.After = append(b.After, line)
			continue
		}
		switch {
		case e.IsFlags:
			b.Lines = append(b.Lines, fmt.Sprintf("%s = %d,", x.CName, x.Value))
		case x.Value == next:
			b.Lines = append(b.Lines, x.CName+",")
		default:
			b.Lines = append(b.Lines, fmt.Sprintf("%s = %d,", x.CName, x.Value))
		}
		next = x.Value + 1
	}
	if e.MaxName != "" || e.CntName != "" {
		var private []string
		switch {
		case e.IsFlags && e.Mask > cIntMax:
			b.After = append(b.After, "#define "+e.MaxName+"\t"+cUnsigned(e.Mask))
		case e.IsFlags:
			private = append(private, fmt.Sprintf("%s = %d,", e.MaxName, e.Mask))
		default:
			// the count follows the last entry, as in the enum it ends
			cnt := uint64(0)
			if n := len(e.Entries); n > 0 {
				cnt = e.Entries[n-1].Value + 1
			}
			switch {
			case cnt > cIntMax:
				b.After = append(b.After, "#define "+e.CntName+"\t"+cUnsigned(cnt))
				if e.MaxName != "" {
					b.After = append(b.After, fmt.Sprintf("#define %s\t(%s - 1)", e.MaxName, e.CntName))
				}
			case e.MaxName != "":
				if cnt != next {
					private = append(private, fmt.Sprintf("%s = %d,", e.CntName, cnt))
				} else {
					private = append(private, e.CntName+",")
				}
				private = append(private, fmt.Sprintf("%s = (%s - 1)", e.MaxName, e.CntName))
			default:
				if cnt != next {
					private = append(private, fmt.Sprintf("%s = %d,", e.CntName, cnt))
				} else {
					private = append(private, e.CntName+",")
				}
			}
		}
		if len(private) > 0 {
			b.Lines = append(b.Lines, "", "/* private: */")
			b.Lines = append(b.Lines, private...)
		}
	}
	if len(b.Lines) == 0 {
		// ISO C has no empty enum ("enum x {};" is a syntax error), so an
		// enum without enumerators is its defines alone, or nothing.
		return block{Kind: "defines", Lines: b.After}
	}
	return b
}

func structBlock(s *ir.Struct) block {
	b := block{Kind: "struct", Tag: s.CName, Doc: gen.CBlockComment(s.Doc, "")}
	for _, m := range s.Members {
		var line string
		switch {
		case m.Struct != nil:
			line = fmt.Sprintf("struct %s %s;", m.Struct.CName, m.CName)
		case m.Type == "string":
			line = fmt.Sprintf("char %s[%d];", m.CName, m.Size)
		case m.Type == "binary":
			line = fmt.Sprintf("__u8 %s[%d];", m.CName, m.Size)
		default:
			line = fmt.Sprintf("%s %s;", CScalarType(m.Type, m.BigEndian), m.CName)
		}
		if m.Doc != "" {
			line += "\t/* " + gen.OneLine(m.Doc) + " */"
		}
		b.Lines = append(b.Lines, line)
	}
	return b
}

// CScalarType is the kernel type of a scalar: __u32, __be16, __s8.
func CScalarType(t string, bigEndian bool) string {
	if bigEndian && t != "u8" && t != "s8" {
		return "__be" + t[1:]
	}
	return "__" + t
}

func attrSetBlock(f *ir.Family, s *ir.AttrSet) block {
	b := block{Kind: "enum", Tag: s.CEnumName, Doc: gen.CBlockComment(s.Doc, "")}
	next := 0
	for _, a := range s.Attrs {
		line := a.CName + ","
		if int(a.ID) != next {
			line = fmt.Sprintf("%s = %d,", a.CName, a.ID)
		}
		if a.Doc != "" {
			line += "\t/* " + gen.OneLine(a.Doc) + " */"
		}
		b.Lines = append(b.Lines, line)
		next = int(a.ID) + 1
	}
	b.Lines = append(b.Lines, "", s.CntName+",")
	if f.MaxByDefine {
		b.After = append(b.After, fmt.Sprintf("#define %s (%s - 1)", s.MaxName, s.CntName))
	} else {
		b.Lines = append(b.Lines, fmt.Sprintf("%s = (%s - 1)", s.MaxName, s.CntName))
	}
	return b
}

func opBlocks(f *ir.Family) []block {
	if len(f.Ops) == 0 {
		return nil
	}
	if f.EnumModel == "directional" {
		return directionalBlocks(f)
	}
	main := block{Kind: "enum", Tag: f.CmdEnumName}
	async := block{Kind: "enum", Tag: f.AsyncEnumName}
	nextMain, nextAsync := 0, 0
	for _, op := range f.Ops {
		b, next := &main, &nextMain
		if op.Async {
			b, next = &async, &nextAsync
		}
		line := op.CName + ","
		if op.Value != *next {
			line = fmt.Sprintf("%s = %d,", op.CName, op.Value)
		}
		b.Lines = append(b.Lines, line)
		*next = op.Value + 1
	}
	main.Lines = append(main.Lines, "", f.CmdCntName+",")
	if f.MaxByDefine {
		main.After = append(main.After, fmt.Sprintf("#define %s (%s - 1)", f.CmdMaxName, f.CmdCntName))
	} else {
		main.Lines = append(main.Lines, fmt.Sprintf("%s = (%s - 1)", f.CmdMaxName, f.CmdCntName))
	}
	out := []block{main}
	if len(async.Lines) > 0 {
		out = append(out, async)
	}
	return out
}

// directionalBlocks renders a directional family's commands as the
// kernel's ethtool header has them: one enum of what userspace sends and
// one of what the kernel sends, each starting with a NONE entry at 0 and
// ending with its own count and max. Values are the spec's (explicit where
// they do not follow on), which is where nlgen parts from ynl-gen-c: that
// numbers entries in sequence and leaves dump-only operations out, which
// would give nlctrl's CTRL_CMD_GETFAMILY 1 where genetlink.h has 3.
func directionalBlocks(f *ir.Family) []block {
	type entry struct {
		name  string
		value int
	}
	var user, kernel []entry
	for _, op := range f.Ops {
		if op.ReqValue >= 0 {
			user = append(user, entry{op.CName, op.ReqValue})
		}
		if op.RspValue >= 0 {
			kernel = append(kernel, entry{op.RspCName, op.RspValue})
		}
	}
	render := func(tag, none, cnt, maxName string, entries []entry) block {
		// Ascending values keep the count, and so the max, right.
		slices.SortStableFunc(entries, func(a, b entry) int { return a.value - b.value })
		b := block{Kind: "enum", Tag: tag, Lines: []string{none + " = 0,"}}
		next := -1 // the first entry always gives its value, as ynl-gen-c writes it
		for _, e := range entries {
			line := e.name + ","
			if e.value != next {
				line = fmt.Sprintf("%s = %d,", e.name, e.value)
			}
			b.Lines = append(b.Lines, line)
			next = e.value + 1
		}
		b.Lines = append(b.Lines, "", cnt+",")
		if f.MaxByDefine {
			b.After = append(b.After, fmt.Sprintf("#define %s (%s - 1)", maxName, cnt))
		} else {
			b.Lines = append(b.Lines, fmt.Sprintf("%s = (%s - 1)", maxName, cnt))
		}
		return b
	}
	kernelTag := ""
	if f.HasAsyncEnum {
		kernelTag = f.AsyncEnumName
	}
	return []block{
		render(f.CmdEnumName, f.CmdNoneName, f.CmdCntName, f.CmdMaxName, user),
		render(kernelTag, f.KernelCmdNoneName, f.KernelCmdCntName, f.KernelCmdMaxName, kernel),
	}
}

func indent(b *block) {
	if b.Kind == "defines" {
		return
	}
	for i, l := range b.Lines {
		if l != "" {
			b.Lines[i] = "\t" + l
		}
	}
}
