// Package cheader renders the Linux-style uapi header of families: the
// family name and version macros, consts, enums and flags, structs,
// attribute and command enums and multicast group names, laid out as the
// kernel's ynl-gen-c does.
package cheader

import (
	"fmt"
	"math"
	"path"
	"reflect"
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

// RawWhy is why c-uapi renders no netlink-raw family. The kernel's own
// generator refuses them in uapi mode (Linux 6.12 ynl-gen-c.py: "Codegen
// only supported for genetlink"; specs with sub-message attributes stop
// earlier at "No typed class for type sub-message"): the uapi headers of
// classic netlink are hand-written and ship with the kernel.
const RawWhy = "c-uapi does not apply: the kernel's ynl-gen-c refuses netlink-raw specs (\"Codegen only supported for genetlink\"), " +
	"and the uapi headers of classic netlink families are hand-written (linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h, " +
	"linux/pkt_sched.h, linux/netfilter/nfnetlink.h); include those, and leave this spec out of the c-uapi output"

// Generate renders one header per distinct uapi-header of the families.
func Generate(req *gen.Request) ([]gen.File, error) {
	// A netlink-raw family the Windows overlay carries is Windows-only
	// (the overlay insists), so like every Windows-only family it is left
	// to the Windows header, which holds the driver's copy of it.
	if err := gen.RawRefusal(req.Families, func(*ir.Family) string { return RawWhy }, gen.InOverlay); err != nil {
		return nil, err
	}
	groups, err := HeaderGroups(req.Families, false)
	if err != nil {
		return nil, err
	}
	var files []gen.File
	for _, g := range groups {
		v, err := uapiView(g.Header, g.Families, req)
		if err != nil {
			return nil, err
		}
		b, err := templates.Execute("uapi.h.tmpl", v)
		if err != nil {
			return nil, err
		}
		files = append(files, gen.File{Path: path.Clean(g.Header), Content: b})
	}
	return files, nil
}

// HeaderGroup is the families rendered together under one uapi header.
type HeaderGroup struct {
	Header   string
	Families []*ir.Family
}

// HeaderGroups groups the families by uapi header, in the order the
// headers first appear: the shared families (c-uapi) or the Windows-only
// ones (c-windows-header prints those). It reports what keeps any of
// them from rendering in C (gen.CConflicts).
func HeaderGroups(fams []*ir.Family, windowsOnly bool) ([]HeaderGroup, error) {
	var groups []HeaderGroup
	at := map[string]int{}
	for _, f := range fams {
		if (f.Win != nil && f.Win.WindowsOnly) != windowsOnly {
			continue
		}
		hdr := f.UAPIHeader
		if r := carried(f); r != nil {
			hdr = r.Header // the driver's copy, not the Linux header
		}
		i, ok := at[hdr]
		if !ok {
			i = len(groups)
			at[hdr] = i
			groups = append(groups, HeaderGroup{Header: hdr})
		}
		groups[i].Families = append(groups[i].Families, f)
	}
	var rendered []*ir.Family // in header order
	for _, g := range groups {
		rendered = append(rendered, g.Families...)
	}
	return groups, gen.CConflicts(rendered)
}

// Check reports what keeps the families' uapi headers from compiling: C
// names colliding within a family (ir.Family.CConflicts) or across the
// families that share a header. C targets whose output uses those names
// (policy tables, dispatch rows) refuse with the same diagnostics.
func Check(fams []*ir.Family) error {
	if err := gen.CConflicts(fams); err != nil {
		return err
	}
	// c-uapi renders no netlink-raw family (RawWhy); what the Windows
	// targets render of one the overlay describes is theirs to check.
	var uapi []*ir.Family
	for _, f := range fams {
		if f.Protocol != "netlink-raw" {
			uapi = append(uapi, f)
		}
	}
	groups, err := HeaderGroups(uapi, false)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if _, _, err := FamilyViews(g.Header, g.Families); err != nil {
			return err
		}
	}
	return nil
}

// The views below are data only: names, numbers and comment text already
// escaped. templates/c.tmpl spells every C token of them.

type fileView struct {
	License  string
	Banner   gen.Banner
	Guard    string
	Includes []string
	Families []FamilyView
}

// FamilyView is one family as the shared "uapi-family" template block
// prints it.
type FamilyView struct {
	Doc          []string
	FamilyMacro  string
	FamilyName   string
	VersionMacro string
	Version      int
	Blocks       []block
	McastGroups  []Define
}

// Define is one #define: the "define" template block prints its value as
// the first field set says: MaxOf "(MaxOf - 1)", Base "(Base + Num)",
// Shift "(1Suffix << Num)", IsStr a string literal (Wide: a wide one,
// Text: inside Windows' TEXT() macro), else the number Num with its
// Suffix (the literal's U or ULL).
type Define struct {
	Name, Doc   string
	Num, Suffix string
	Shift       bool
	Base        string
	IsStr       bool
	Str         string
	Wide, Text  bool
	MaxOf       string
}

// block is one C construct: "defines" (After alone), "struct" or "enum".
type block struct {
	Kind      string
	Doc       []string
	KernelDoc *kernelDoc
	Tag       string
	Members   []member
	Entries   []entry
	// Tail follows the entries after a blank line: the count and max,
	// under a "private:" marker when Private is set.
	Tail      []entry
	Private   bool
	After     []Define
	MaxDefine *entry // "#define Name (MaxOf - 1)", for families with max-by-define
}

// entry is an enumerator: Value is empty where it follows on from the
// previous one; MaxOf makes it the last one, "Name = (MaxOf - 1)".
type entry struct{ Name, Value, Doc, MaxOf string }

// member is a struct member: a nested struct, a char (Type "string") or
// __u8 (Type "binary") array of Size, or a kernel scalar __<Type>, or
// __be<BEBits> in network byte order.
type member struct {
	Name, Type, Struct, Doc string
	BEBits                  string
	Size                    int
}

type kernelDoc struct {
	Tag, Doc string
	Members  []kernelDocMember
}

type kernelDocMember struct{ Name, Doc string }

// Guard derives the include guard from the uapi header path, the way the
// kernel names them: linux/netdev.h -> _UAPI_LINUX_NETDEV_H.
func Guard(hdr string) string { return gen.CGuard("_UAPI_", hdr) }

// dedup keeps a header compilable when several families of one uapi
// header each define the same struct, enum or const (upstream OVS specs
// repeat struct ovs_header in every family). What counts is the IR: a
// repeat declaring the same C names with the same values and types is
// dropped, whatever its docs say; a different definition under the same
// name is kept, for the registry to report what in it collides.
type dedup map[string]any

func (d dedup) keep(key string, identity any) bool {
	if key == "" {
		return true
	}
	if prev, ok := d[key]; ok && reflect.DeepEqual(prev, identity) {
		return false
	}
	d[key] = identity
	return true
}

// The identities compare what a definition declares, not its docs.
type constIdentity struct {
	Str   string
	Int   int64
	IsStr bool
}

type enumEntryIdentity struct {
	CName string
	Value uint64
}

type enumIdentity struct {
	IsFlags          bool
	Entries          []enumEntryIdentity
	Mask             uint64
	CntName, MaxName string
}

type memberIdentity struct {
	CName, Type, Struct string
	Size                int
	BigEndian           bool
}

func constID(c *ir.Const) constIdentity {
	return constIdentity{Str: c.Str, Int: int64(c.Int), IsStr: c.IsStr}
}

func enumID(e *ir.Enum) enumIdentity {
	id := enumIdentity{IsFlags: e.IsFlags, Mask: e.Mask, CntName: e.CntName, MaxName: e.MaxName}
	for _, x := range e.Entries {
		id.Entries = append(id.Entries, enumEntryIdentity{x.CName, x.Value})
	}
	return id
}

func structID(s *ir.Struct) []memberIdentity {
	var id []memberIdentity
	for _, m := range s.Members {
		mi := memberIdentity{CName: m.CName, Type: m.Type, Size: m.Size, BigEndian: m.BigEndian}
		if m.Struct != nil {
			mi.Struct = m.Struct.CName
		}
		id = append(id, mi)
	}
	return id
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
	if r := carried(f); r != nil {
		out = []decl{
			{r.NameCName, f.Pos, "the family name macro", "netlink-raw family (overlay)", f},
			{r.VersionCName, f.Pos, "the family version macro", "netlink-raw family (overlay)", f},
		}
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
	if r := carried(f); r != nil {
		if r.McastName != "" {
			out = append(out, decl{r.McastName, f.Pos, "the multicast group macro", "netlink-raw mcast-group (overlay)", f})
		}
		return out
	}
	for _, g := range f.McastGroups {
		out = append(out, decl{g.CName, g.Pos, fmt.Sprintf("multicast group %q", g.Name), "c-define-name", f})
	}
	return out
}

// carried is how the Windows driver carries a netlink-raw family, nil for
// any other family. c-uapi renders no netlink-raw family, so a carried
// family is rendered only into the Windows header, as the driver's copy
// of it: the placeholder family's macros, commands numbered by the
// driver's NETLINK_CMD.cmd, fixed headers with the driver's extension.
func carried(f *ir.Family) *ir.WinRaw {
	if f.Protocol != "netlink-raw" || f.Win == nil {
		return nil
	}
	return f.Win.Raw
}

func uapiView(hdr string, fams []*ir.Family, req *gen.Request) (fileView, error) {
	v := fileView{
		Banner: gen.CBannerData(fams),
		Guard:  Guard(hdr),
	}
	if lic := fams[0].License; lic != "" {
		v.License = gen.OneLine(lic)
	}
	fvs, needTypes, err := FamilyViews(hdr, fams)
	if err != nil {
		return v, err
	}
	v.Families = fvs
	if needTypes {
		v.Includes = append(v.Includes, gen.CInclude(req.Options.Get("types-header", "<linux/types.h>")))
	}
	return v, nil
}

// FamilyViews builds the views of families rendered together under the
// header hdr, with repeated definitions dropped and C names declared
// twice across them reported. needTypes says whether a struct needs the
// kernel's __u8.. types.
func FamilyViews(hdr string, fams []*ir.Family) (views []FamilyView, needTypes bool, err error) {
	seen := dedup{}
	reg := &registry{hdr: hdr, seen: map[string]decl{}}
	for _, f := range fams {
		fv := FamilyView{
			FamilyMacro:  f.CFamilyName,
			FamilyName:   f.Name,
			VersionMacro: f.CVersionName,
			Version:      f.Version,
			Doc:          gen.CCommentLines(f.Name + ": " + f.Doc),
		}
		raw := carried(f)
		if raw != nil {
			fv.FamilyMacro, fv.FamilyName, fv.VersionMacro, fv.Version = raw.NameCName, raw.Name, raw.VersionCName, raw.Version
		}
		reg.declare(familyDecls(f)...)
		for _, d := range f.Defs {
			var b block
			var key string
			var id any
			var decls []decl
			switch d := d.(type) {
			case *ir.Const:
				if d.Header != "" {
					continue
				}
				b, key, id = constBlock(d), "macro "+d.CName, constID(d)
				decls = []decl{{d.CName, d.Pos, fmt.Sprintf("const %q", d.Name), "name-prefix", f}}
			case *ir.Enum:
				if d.Header != "" || d.Scope == "kernel" || d.Scope == "user" {
					continue
				}
				b, id = enumBlock(d), enumID(d)
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
				s := d
				if raw != nil {
					s = raw.FixedHeader(d)
				}
				b, key, id = structBlock(s), "struct "+s.CName, structID(s)
				decls = []decl{{"tag " + d.CName, d.TagPos, fmt.Sprintf("struct %q", d.Name), "enum-name", f}}
			}
			if b.Kind == "defines" && len(b.After) == 0 {
				continue // an enum with no entries and nothing past INT_MAX
			}
			if seen.keep(key, id) {
				fv.Blocks = append(fv.Blocks, b)
				reg.declare(decls...)
			}
		}
		for _, s := range f.AttrSets {
			if s.SubsetOf == nil && s.Header == "" {
				fv.Blocks = append(fv.Blocks, attrSetBlock(f, s))
				reg.declare(setDecls(f, s)...)
			}
		}
		fv.Blocks = append(fv.Blocks, opBlocks(f)...)
		switch {
		case raw != nil && raw.McastName != "":
			// a classic netlink family's groups are numbers (the spec's
			// values); the driver's copy names only its placeholder
			fv.McastGroups = append(fv.McastGroups, Define{Name: raw.McastName, IsStr: true, Str: raw.McastGroup})
		case raw == nil:
			for _, g := range f.McastGroups {
				fv.McastGroups = append(fv.McastGroups, Define{Name: g.CName, IsStr: true, Str: g.Name})
			}
		}
		views = append(views, fv)
	}
	return views, needTypes, reg.diags.Err()
}

func constBlock(c *ir.Const) block {
	return block{Kind: "defines", After: []Define{ConstDefine(c)}}
}

// ConstDefine is the #define of a const: its number or string.
func ConstDefine(c *ir.Const) Define {
	if c.IsStr {
		return Define{Name: c.CName, IsStr: true, Str: c.Str, Doc: gen.OneLine(c.Doc)}
	}
	return Define{Name: c.CName, Num: fmt.Sprint(c.Int), Doc: gen.OneLine(c.Doc)}
}

// enumKernelDoc is the kernel-doc comment of an enum whose entries are
// documented, or nil.
func enumKernelDoc(tag, doc string, entries []*ir.EnumEntry) *kernelDoc {
	hasDoc := doc != ""
	for _, e := range entries {
		hasDoc = hasDoc || e.Doc != ""
	}
	if !hasDoc {
		return nil
	}
	k := &kernelDoc{Tag: tag, Doc: gen.OneLine(doc)}
	for _, e := range entries {
		if e.Doc != "" {
			k.Members = append(k.Members, kernelDocMember{e.CName, gen.OneLine(e.Doc)})
		}
	}
	return k
}

// ISO C requires an enumeration constant to fit int, and -pedantic rejects
// the GNU extension that widens the enum. A value above INT_MAX (a flag
// at bit 31 or higher, an entry past value-start 2147483647, or the
// count or mask after one) is therefore rendered the way uapi headers
// spell such constants, as an unsigned #define after the enum:
// "#define X_F31 (1U << 31)", "#define X_BIG 2147483648U".
const cIntMax = math.MaxInt32

// unsignedDefine defines name as v, with the suffix of an unsigned C type
// that holds it.
func unsignedDefine(name string, v uint64) Define {
	if v <= math.MaxUint32 {
		return Define{Name: name, Num: fmt.Sprint(v), Suffix: "U"}
	}
	return Define{Name: name, Num: fmt.Sprint(v), Suffix: "ULL"}
}

// bitDefine defines name as the flag 1 << bit, as uapi headers spell it.
func bitDefine(name string, bit int) Define {
	if bit < 32 {
		return Define{Name: name, Num: fmt.Sprint(bit), Suffix: "U", Shift: true}
	}
	return Define{Name: name, Num: fmt.Sprint(bit), Suffix: "ULL", Shift: true}
}

func enumBlock(e *ir.Enum) block {
	var inEnum []*ir.EnumEntry
	for _, x := range e.Entries {
		if x.Value <= cIntMax {
			inEnum = append(inEnum, x)
		}
	}
	b := block{Kind: "enum", Tag: e.CEnumName, KernelDoc: enumKernelDoc(e.CEnumName, e.Doc, inEnum)}
	// next is the value an enumerator without "= value" would get.
	next := uint64(0)
	for _, x := range e.Entries {
		if x.Value > cIntMax {
			d := unsignedDefine(x.CName, x.Value)
			if e.IsFlags {
				d = bitDefine(x.CName, x.Bit)
			}
			d.Doc = gen.OneLine(x.Doc)
			b.After = append(b.After, d)
			continue
		}
		en := entry{Name: x.CName}
		if e.IsFlags || x.Value != next {
			en.Value = fmt.Sprint(x.Value)
		}
		b.Entries = append(b.Entries, en)
		next = x.Value + 1
	}
	if e.MaxName != "" || e.CntName != "" {
		switch {
		case e.IsFlags && e.Mask > cIntMax:
			b.After = append(b.After, unsignedDefine(e.MaxName, e.Mask))
		case e.IsFlags:
			b.Tail = append(b.Tail, entry{Name: e.MaxName, Value: fmt.Sprint(e.Mask)})
		default:
			// the count follows the last entry, as in the enum it ends
			cnt := uint64(0)
			if n := len(e.Entries); n > 0 {
				cnt = e.Entries[n-1].Value + 1
			}
			if cnt > cIntMax {
				b.After = append(b.After, unsignedDefine(e.CntName, cnt))
				if e.MaxName != "" {
					b.After = append(b.After, Define{Name: e.MaxName, MaxOf: e.CntName})
				}
				break
			}
			c := entry{Name: e.CntName}
			if cnt != next {
				c.Value = fmt.Sprint(cnt)
			}
			b.Tail = append(b.Tail, c)
			if e.MaxName != "" {
				b.Tail = append(b.Tail, entry{Name: e.MaxName, MaxOf: e.CntName})
			}
		}
		b.Private = len(b.Tail) > 0
	}
	if len(b.Entries) == 0 && len(b.Tail) == 0 {
		// ISO C has no empty enum ("enum x {};" is a syntax error), so an
		// enum without enumerators is its defines alone, or nothing.
		return block{Kind: "defines", After: b.After}
	}
	return b
}

func structBlock(s *ir.Struct) block {
	b := block{Kind: "struct", Tag: s.CName, Doc: gen.CCommentLines(s.Doc)}
	for _, m := range s.Members {
		mv := member{Name: m.CName, Doc: gen.OneLine(m.Doc)}
		switch {
		case m.Struct != nil:
			mv.Struct = m.Struct.CName
		case m.Type == "string", m.Type == "binary":
			mv.Type, mv.Size = m.Type, m.Size
		case m.BigEndian && m.Type != "u8" && m.Type != "s8":
			mv.BEBits = m.Type[1:]
		default:
			mv.Type = m.Type
		}
		b.Members = append(b.Members, mv)
	}
	return b
}

// countAndMax ends an attribute or command enum: the count after a blank
// line, then the max, inside the enum or, for families whose headers have
// it so, as a #define after it.
func countAndMax(f *ir.Family, b *block, cnt, maxName string) {
	b.Tail = append(b.Tail, entry{Name: cnt})
	if f.MaxByDefine {
		b.MaxDefine = &entry{Name: maxName, MaxOf: cnt}
	} else {
		b.Tail = append(b.Tail, entry{Name: maxName, MaxOf: cnt})
	}
}

func attrSetBlock(f *ir.Family, s *ir.AttrSet) block {
	b := block{Kind: "enum", Tag: s.CEnumName, Doc: gen.CCommentLines(s.Doc)}
	next := 0
	for _, a := range s.Attrs {
		en := entry{Name: a.CName, Doc: gen.OneLine(a.Doc)}
		if int(a.ID) != next {
			en.Value = fmt.Sprint(a.ID)
		}
		b.Entries = append(b.Entries, en)
		next = int(a.ID) + 1
	}
	countAndMax(f, &b, s.CntName, s.MaxName)
	return b
}

func opBlocks(f *ir.Family) []block {
	if len(f.Ops) == 0 {
		return nil
	}
	if r := carried(f); r != nil {
		return []block{carriedCommands(f, r)}
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
		en := entry{Name: op.CName}
		if op.Value != *next {
			en.Value = fmt.Sprint(op.Value)
		}
		b.Entries = append(b.Entries, en)
		*next = op.Value + 1
	}
	countAndMax(f, &main, f.CmdCntName, f.CmdMaxName)
	out := []block{main}
	if len(async.Entries) > 0 {
		out = append(out, async)
	}
	return out
}

// carriedCommands is the command enum of a netlink-raw family as the
// Windows driver's copy has it (and as classic netlink's own headers do:
// nfnetlink_conntrack.h's enum cntl_msg_types): one entry per message
// type, in both directions, numbered by the driver's NETLINK_CMD.cmd
// (IPCTNL_MSG_CT_GET = 1 for type 0x101), named by the first operation
// that uses it (a request, or an event that is nothing else); an event
// sharing a request's type (ctnetlink's destroy event is
// IPCTNL_MSG_CT_DELETE) is that entry.
func carriedCommands(f *ir.Family, r *ir.WinRaw) block {
	b := block{Kind: "enum", Tag: f.CmdEnumName}
	next := 0
	seen := map[int]bool{}
	for _, op := range f.Ops {
		v := r.Command(op.Value)
		if op.Value < 0 || seen[v] {
			continue
		}
		seen[v] = true
		en := entry{Name: op.CName}
		if v != next {
			en.Value = fmt.Sprint(v)
		}
		b.Entries = append(b.Entries, en)
		next = v + 1
	}
	countAndMax(f, &b, f.CmdCntName, f.CmdMaxName)
	return b
}

// directionalBlocks renders a directional family's commands as the
// kernel's ethtool header has them: one enum of what userspace sends and
// one of what the kernel sends, each starting with a NONE entry at 0 and
// ending with its own count and max. Values are the spec's (explicit where
// they do not follow on), which is where nlgen parts from ynl-gen-c: that
// numbers entries in sequence and leaves dump-only operations out, which
// would give nlctrl's CTRL_CMD_GETFAMILY 1 where genetlink.h has 3.
func directionalBlocks(f *ir.Family) []block {
	type op struct {
		name  string
		value int
	}
	var user, kernel []op
	for _, o := range f.Ops {
		if o.ReqValue >= 0 {
			user = append(user, op{o.CName, o.ReqValue})
		}
		if o.RspValue >= 0 {
			kernel = append(kernel, op{o.RspCName, o.RspValue})
		}
	}
	render := func(tag, none, cnt, maxName string, ops []op) block {
		// Ascending values keep the count, and so the max, right.
		slices.SortStableFunc(ops, func(a, b op) int { return a.value - b.value })
		b := block{Kind: "enum", Tag: tag, Entries: []entry{{Name: none, Value: "0"}}}
		next := -1 // the first entry always gives its value, as ynl-gen-c writes it
		for _, o := range ops {
			en := entry{Name: o.name}
			if o.value != next {
				en.Value = fmt.Sprint(o.value)
			}
			b.Entries = append(b.Entries, en)
			next = o.value + 1
		}
		countAndMax(f, &b, cnt, maxName)
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
