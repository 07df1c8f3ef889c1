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
// struct ovs_header in every family): identical repeats are dropped,
// conflicting ones are an error.
type dedup map[string]string

func (d dedup) keep(key string, b block) (bool, error) {
	if key == "" {
		return true, nil
	}
	// Compare declarations only: two specs may document the same member
	// differently.
	var decls []string
	for _, l := range b.Lines {
		decl, _, _ := strings.Cut(l, "\t/*")
		decls = append(decls, decl)
	}
	text := strings.Join(decls, "\n")
	if prev, ok := d[key]; ok {
		if prev != text {
			return false, fmt.Errorf("%s is defined twice with different contents", key)
		}
		return false, nil
	}
	d[key] = text
	return true, nil
}

func uapiView(hdr string, fams []*ir.Family, req *gen.Request) (fileView, error) {
	seen := dedup{}
	v := fileView{
		Banner: gen.CBanner(req.Target, fams, req.Options),
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
		for _, d := range f.Defs {
			var b block
			var key string
			switch d := d.(type) {
			case *ir.Const:
				if d.Header != "" {
					continue
				}
				b, key = constBlock(d), "macro "+d.CName
			case *ir.Enum:
				if d.Header != "" || d.Scope == "kernel" || d.Scope == "user" {
					continue
				}
				b = enumBlock(d)
				if len(d.Entries) > 0 {
					key = "enum entry " + d.Entries[0].CName
				}
			case *ir.Struct:
				if d.Header != "" {
					continue
				}
				needTypes = true
				b, key = structBlock(d), "struct "+d.CName
			}
			if len(b.Lines) == 0 {
				continue // an enum with no entries and nothing past INT_MAX
			}
			indent(&b)
			keep, err := seen.keep(key, b)
			if err != nil {
				return v, fmt.Errorf("%s: %w", hdr, err)
			}
			if keep {
				fv.Blocks = append(fv.Blocks, b)
			}
		}
		for _, s := range f.AttrSets {
			if s.SubsetOf == nil && s.Header == "" {
				b := attrSetBlock(f, s)
				indent(&b)
				fv.Blocks = append(fv.Blocks, b)
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
