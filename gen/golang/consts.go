package golang

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// enumInfo is the Go type behind an enum: flags sets are uint64 so any bit
// fits; plain enums are uint32 unless a value needs more.
type enumInfo struct {
	bits int
}

func enumInfoOf(e *ir.Enum) enumInfo {
	if e.IsFlags {
		return enumInfo{bits: 64}
	}
	for _, x := range e.Entries {
		if x.Value > 0xffffffff {
			return enumInfo{bits: 64}
		}
	}
	return enumInfo{bits: 32}
}

// enumFits reports whether a wire integer of the given width can hold every
// value of the enum's Go type without loss, so the field may use it.
func (g *familyGen) enumType(e *ir.Enum, wireBits int) (string, bool) {
	if e == nil {
		return "", false
	}
	info, ok := g.enumTypes[e]
	if !ok || wireBits > info.bits {
		return "", false
	}
	return e.GoName, true
}

func (g *familyGen) renderConsts(f *jen.File) {
	fam := g.fam
	pkgDoc := "Package " + fam.GoPackage + " is the typed Go interface to the " + fam.Name + " generic netlink family."
	if g.raw() {
		pkgDoc = "Package " + fam.GoPackage + " is the typed Go interface to the " + fam.Name + " classic netlink family (netlink-raw)."
	}
	f.PackageComment(pkgDoc)
	if d := oneLine(fam.Doc); d != "" {
		f.PackageComment("")
		f.PackageComment(d)
	}
	if g.raw() {
		f.Const().Defs(
			jen.Comment("FamilyName is the spec's family name; it names requests in errors."),
			jen.Id("FamilyName").Op("=").Lit(fam.Name),
			jen.Comment("Protocol is the netlink protocol of the family's socket (genl.DialRaw)."),
			jen.Id("Protocol").Op("=").Lit(fam.Protonum),
		)
	} else {
		f.Const().Defs(
			jen.Comment("FamilyName is the generic netlink family name."),
			jen.Id("FamilyName").Op("=").Lit(fam.Name),
			jen.Comment("FamilyVersion is written into every request's genlmsghdr."),
			jen.Id("FamilyVersion").Op("=").Lit(fam.Version),
		)
	}
	g.renderFamilyVar(f)
	g.renderCommands(f)
	g.renderGroups(f)
	for _, d := range fam.Defs {
		switch d := d.(type) {
		case *ir.Const:
			g.renderConst(f, d)
		case *ir.Enum:
			g.renderEnum(f, d)
		}
	}
	g.renderAttrIDs(f)
}

// renderFamilyVar declares the *genl.Family every Conn call takes. The
// static id and group ids come from the Windows overlay; Linux resolves
// both through nlctrl and ignores them.
func (g *familyGen) renderFamilyVar(f *jen.File) {
	fam := g.fam
	if g.raw() {
		fields := jen.Dict{
			jen.Id("Name"):     jen.Id("FamilyName"),
			jen.Id("Protocol"): jen.Id("Protocol"),
		}
		if fam.FixedHeader != nil {
			fields[jen.Id("HeaderLen")] = jen.Lit(fam.FixedHeader.Size)
		}
		if schema := g.errorSchema(); schema != nil {
			fields[jen.Id("Schema")] = schema
		}
		f.Comment("Family describes " + fam.Name + " to a genl.RawConn.")
		f.Var().Id("Family").Op("=").Op("&").Qual(g.genl, "RawFamily").Values(fields)
		return
	}
	fields := jen.Dict{
		jen.Id("Name"):    jen.Id("FamilyName"),
		jen.Id("Version"): jen.Id("FamilyVersion"),
	}
	if fam.FixedHeader != nil {
		fields[jen.Id("HeaderLen")] = jen.Lit(fam.FixedHeader.Size)
	}
	if w := fam.Win; w != nil {
		fields[jen.Id("StaticID")] = jen.Lit(w.ID)
		if len(w.Groups) > 0 {
			groups := jen.Dict{}
			for _, gr := range w.Groups {
				groups[jen.Lit(gr.Name)] = jen.Lit(gr.ID)
			}
			fields[jen.Id("Groups")] = jen.Map(jen.String()).Uint32().Values(groups)
		}
	}
	if schema := g.errorSchema(); schema != nil {
		fields[jen.Id("Schema")] = schema
	}
	f.Comment("Family describes " + fam.Name + " to a genl.Conn.")
	f.Var().Id("Family").Op("=").Op("&").Qual(g.genl, "Family").Values(fields)
}

// errorSchema names the operations and the attributes their requests can
// carry (the request sets and the sets nested in them), so that kernel
// errors name an operation and attributes instead of numbers
// ("netdev dev-get: EINVAL (missing attribute: ifindex)").
func (g *familyGen) errorSchema() jen.Code {
	ops := jen.Dict{}
	var queue []*ir.AttrSet
	seen := map[*ir.AttrSet]bool{}
	rawTypes := map[int]bool{}
	for _, op := range g.fam.Ops {
		if op.ReqValue < 0 {
			continue
		}
		fields := jen.Dict{jen.Id("Name"): jen.Lit(op.Name)}
		if g.raw() {
			if h := op.FixedHeader; h != nil && (g.fam.FixedHeader == nil || h.Size != g.fam.FixedHeader.Size) {
				fields[jen.Id("HeaderLen")] = jen.Lit(h.Size)
			}
		}
		if op.AttrSet != nil {
			root := op.AttrSet.Root()
			fields[jen.Id("Set")] = jen.Lit(root.Name)
			if !seen[root] {
				seen[root] = true
				queue = append(queue, root)
			}
		}
		if !g.raw() {
			ops[jen.Lit(op.ReqValue)] = jen.Values(fields)
			continue
		}
		// Classic netlink names a request by its nlmsg_type; a do and a
		// dump may use different ones.
		for _, m := range []*ir.OpMode{op.Do, op.Dump} {
			if m == nil || m.Request == nil || m.Request.Value < 0 || rawTypes[m.Request.Value] {
				continue
			}
			rawTypes[m.Request.Value] = true
			ops[jen.Lit(m.Request.Value)] = jen.Values(fields)
		}
	}
	if len(ops) == 0 {
		return nil
	}
	sets := jen.Dict{}
	for len(queue) > 0 {
		set := queue[0]
		queue = queue[1:]
		attrs := jen.Dict{}
		for _, a := range set.Attrs {
			fields := jen.Dict{jen.Id("Name"): jen.Lit(a.Name)}
			if n, ok := a.Kind.(ir.Nest); ok {
				inner := n.Set.Root()
				fields[jen.Id("Nest")] = jen.Lit(inner.Name)
				if !seen[inner] {
					seen[inner] = true
					queue = append(queue, inner)
				}
			}
			attrs[jen.Lit(int(a.ID))] = jen.Values(fields)
		}
		sets[jen.Lit(set.Name)] = jen.Values(attrs)
	}
	if g.raw() {
		return jen.Op("&").Qual(g.genl, "Schema").Values(jen.Dict{
			jen.Id("Types"): jen.Map(jen.Uint16()).Qual(g.genl, "OpSchema").Values(ops),
			jen.Id("Sets"):  jen.Map(jen.String()).Map(jen.Uint16()).Qual(g.genl, "AttrSchema").Values(sets),
		})
	}
	return jen.Op("&").Qual(g.genl, "Schema").Values(jen.Dict{
		jen.Id("Ops"):  jen.Map(jen.Uint8()).Qual(g.genl, "OpSchema").Values(ops),
		jen.Id("Sets"): jen.Map(jen.String()).Map(jen.Uint16()).Qual(g.genl, "AttrSchema").Values(sets),
	})
}

func (g *familyGen) renderCommands(f *jen.File) {
	type cmd struct {
		name, spec, doc string
		value           int
	}
	// A directional family numbers what userspace sends and what the kernel
	// sends apart (ethtool's LINKINFO_SET and LINKINFO_NTF are both 3), so
	// each direction is a type of its own, as the kernel's header has two
	// enums; a unified family has one.
	directional := g.fam.EnumModel == "directional"
	var all, reqs, rsps []cmd // all in op order, for a unified family
	for _, op := range g.fam.Ops {
		if op.ReqValue >= 0 {
			c := cmd{"Cmd" + op.GoName, op.Name, docComment("Cmd"+op.GoName, op.Doc), op.ReqValue}
			all, reqs = append(all, c), append(reqs, c)
		}
		if op.RspValue >= 0 && (directional || op.RspValue != op.ReqValue) {
			name := g.rspCmdName(op)
			c := cmd{name, op.Name, docComment(name, op.Doc), op.RspValue}
			all, rsps = append(all, c), append(rsps, c)
		}
	}
	render := func(typ, doc string, cmds []cmd) {
		for _, l := range strings.Split(doc, "\n") {
			f.Comment(l)
		}
		if g.raw() {
			f.Type().Id(typ).Uint16()
		} else {
			f.Type().Id(typ).Uint8()
		}
		if len(cmds) == 0 {
			return
		}
		defs := make([]jen.Code, 0, 2*len(cmds))
		for _, c := range cmds {
			if c.doc != "" {
				defs = append(defs, jen.Comment(c.doc))
			}
			defs = append(defs, jen.Id(c.name).Id(typ).Op("=").Lit(c.value))
		}
		f.Const().Defs(defs...)
		seen := map[int]bool{}
		var cases []jen.Code
		for _, c := range cmds {
			if seen[c.value] {
				continue
			}
			seen[c.value] = true
			cases = append(cases, jen.Case(jen.Id(c.name)).Block(jen.Return(jen.Lit(c.spec))))
		}
		cases = append(cases, jen.Default().Block(jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit(typ+"(%d)"), jen.Id(g.cmdWire()).Call(jen.Id("c"))))))
		// The spec's operation name (a reply with a value of its own is
		// named after its operation too), so String reads like the YNL CLI
		// and the docs, as enum String methods do.
		f.Comment("String returns the spec's name of the operation the command belongs to.")
		f.Func().Params(jen.Id("c").Id(typ)).Id("String").Params().String().Block(jen.Switch(jen.Id("c")).Block(cases...))
	}
	if !directional {
		if len(all) > 0 {
			render("Command", "Command is a genlmsghdr command of "+g.fam.Name+".", all)
		}
		return
	}
	if len(reqs)+len(rsps) == 0 {
		return
	}
	render("Command", "Command is a genlmsghdr command userspace sends to "+g.fam.Name+": a request.", reqs)
	render("KernelCommand", "KernelCommand is a genlmsghdr command "+g.fam.Name+" sends: a reply, notification or event.\n"+
		"The family numbers these apart from its requests (its enum-model is directional),\n"+
		"so a KernelCommand may have the value of a different Command.", rsps)
}

// rspCmdName is the Go constant of the message the kernel sends for op:
// the op's own command, except that a directional family's reply is a
// message of its own (CmdStrsetGetReply, ETHTOOL_MSG_STRSET_GET_REPLY in C).
func (g *familyGen) rspCmdName(op *ir.Op) string {
	if op.ReqValue >= 0 && (g.fam.EnumModel == "directional" || op.RspValue != op.ReqValue) {
		return "Cmd" + op.GoName + "Reply"
	}
	return "Cmd" + op.GoName
}

// rspCmdType is the Go type of the commands the kernel sends.
func (g *familyGen) rspCmdType() string {
	if g.fam.EnumModel == "directional" {
		return "KernelCommand"
	}
	return "Command"
}

func (g *familyGen) renderGroups(f *jen.File) {
	if len(g.fam.McastGroups) == 0 {
		return
	}
	var defs []jen.Code
	if g.raw() {
		for _, gr := range g.fam.McastGroups {
			defs = append(defs, jen.Comment(fmt.Sprintf("Group%s is multicast group %s, number %d, for genl.RawConn.Join.", gr.GoName, gr.Name, gr.Value)),
				jen.Id("Group"+gr.GoName).Uint32().Op("=").Lit(gr.Value))
		}
		f.Const().Defs(defs...)
		return
	}
	for _, gr := range g.fam.McastGroups {
		defs = append(defs, jen.Comment("Group"+gr.GoName+" is a multicast group name for genl.Conn.Join."),
			jen.Id("Group"+gr.GoName).Op("=").Lit(gr.Name))
	}
	f.Const().Defs(defs...)
}

func (g *familyGen) renderConst(f *jen.File, c *ir.Const) {
	if d := docComment(c.GoName, c.Doc); d != "" {
		f.Comment(d)
	}
	if c.IsStr {
		f.Const().Id(c.GoName).Op("=").Lit(c.Str)
	} else {
		f.Const().Id(c.GoName).Op("=").Id(strconv.FormatInt(c.Int, 10))
	}
}

func (g *familyGen) renderEnum(f *jen.File, e *ir.Enum) {
	info := g.enumTypes[e]
	base := jen.Uint32()
	if info.bits == 64 {
		base = jen.Uint64()
	}
	what := "enum"
	if e.IsFlags {
		what = "set of flags"
	}
	f.Comment(e.GoName + " is the " + e.Name + " " + what + " of " + g.fam.Name + ".")
	if d := oneLine(e.Doc); d != "" {
		f.Comment(d)
	}
	a := g.alias.enums[e]
	if a != nil {
		f.Comment("It is " + path.Base(a.pkgPath) + "." + a.name + ": the enums are identical, so values pass between the packages.")
		f.Type().Id(e.GoName).Op("=").Add(a.qual(a.name))
	} else {
		f.Type().Id(e.GoName).Add(base)
	}
	var defs []jen.Code
	for _, x := range e.Entries {
		name := e.GoName + x.GoName
		if d := docComment(name, x.Doc); d != "" {
			defs = append(defs, jen.Comment(d))
		}
		defs = append(defs, jen.Id(name).Id(e.GoName).Op("=").Add(untypedUint(x.Value, e.IsFlags)))
	}
	if len(defs) > 0 {
		f.Const().Defs(defs...)
	}
	if a != nil {
		return // String is the aliased type's
	}
	if e.IsFlags {
		g.renderFlagsString(f, e)
		return
	}
	// A value several entries share is named by the last of them, as the
	// YNL CLI's entries_by_val and nlgen call name it: a sub-message format
	// named by that entry is then found by the name String gives.
	last := map[uint64]*ir.EnumEntry{}
	for _, x := range e.Entries {
		last[x.Value] = x
	}
	var cases []jen.Code
	for _, x := range e.Entries {
		if last[x.Value] != x {
			continue
		}
		cases = append(cases, jen.Case(jen.Id(e.GoName+x.GoName)).Block(jen.Return(jen.Lit(x.Name))))
	}
	cases = append(cases, jen.Default().Block(jen.Return(
		jen.Qual("fmt", "Sprintf").Call(jen.Lit(e.GoName+"(%d)"), jen.Uint64().Call(jen.Id("v"))))))
	doc := "String returns the spec's name of the value."
	if len(last) < len(e.Entries) {
		doc = "String returns the spec's name of the value: of the last entry, where entries share one."
	}
	f.Comment(doc)
	f.Func().Params(jen.Id("v").Id(e.GoName)).Id("String").Params().String().Block(jen.Switch(jen.Id("v")).Block(cases...))
}

// renderFlagsString prints set bits by name joined with '|', and any bits
// the spec does not name as one hex number, so no information is lost.
func (g *familyGen) renderFlagsString(f *jen.File, e *ir.Enum) {
	entries := append([]*ir.EnumEntry(nil), e.Entries...)
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Value < entries[j].Value })
	var names []jen.Code
	for _, x := range entries {
		names = append(names, jen.Values(jen.Id(e.GoName+x.GoName), jen.Lit(x.Name)))
	}
	table := lowerFirst(e.GoName) + "Names"
	f.Var().Id(table).Op("=").Index().Struct(jen.Id("bit").Id(e.GoName), jen.Id("name").String()).Values(names...)
	f.Comment("String lists the set flags by name, separated by '|'.")
	f.Func().Params(jen.Id("v").Id(e.GoName)).Id("String").Params().String().Block(
		jen.If(jen.Id("v").Op("==").Lit(0)).Block(jen.Return(jen.Lit("0"))),
		jen.Var().Id("s").String(),
		jen.For(jen.List(jen.Id("_"), jen.Id("n")).Op(":=").Range().Id(table)).Block(
			jen.If(jen.Id("n").Dot("bit").Op("!=").Lit(0).Op("&&").Id("v").Op("&").Id("n").Dot("bit").Op("==").Id("n").Dot("bit")).Block(
				jen.If(jen.Id("s").Op("!=").Lit("")).Block(jen.Id("s").Op("+=").Lit("|")),
				jen.Id("s").Op("+=").Id("n").Dot("name"),
				jen.Id("v").Op("&^=").Id("n").Dot("bit"),
			),
		),
		jen.If(jen.Id("v").Op("!=").Lit(0)).Block(
			jen.If(jen.Id("s").Op("!=").Lit("")).Block(jen.Id("s").Op("+=").Lit("|")),
			jen.Id("s").Op("+=").Qual("fmt", "Sprintf").Call(jen.Lit("%#x"), jen.Uint64().Call(jen.Id("v"))),
		),
		jen.Return(jen.Id("s")),
	)
}

// renderAttrIDs declares the attribute ids of every root set; subsets
// share their parent's ids.
func (g *familyGen) renderAttrIDs(f *jen.File) {
	for _, si := range g.sets {
		s := si.set
		if s.SubsetOf != nil {
			continue
		}
		var defs []jen.Code
		for _, a := range s.Attrs {
			name := g.attrConst(a)
			if d := docComment(name, a.Doc); d != "" {
				defs = append(defs, jen.Comment(d))
			}
			defs = append(defs, jen.Id(name).Uint16().Op("=").Lit(int(a.ID)))
		}
		if len(defs) == 0 {
			continue
		}
		f.Comment(fmt.Sprintf("Attribute ids of the %s set (%s).", s.Name, si.typeName))
		f.Const().Defs(defs...)
	}
}

// attrConst names an attribute id constant (names.go).
func (g *familyGen) attrConst(a *ir.Attr) string {
	if n, ok := g.names.attrID[a]; ok {
		return n
	}
	// A set made in this package (a masked view of a spec set) shares its
	// root's ids; its attributes are copies, found by name.
	if r := a.Set.Root().Attr(a.Name); r != nil && r != a {
		if n, ok := g.names.attrID[r]; ok {
			return n
		}
	}
	return "Attr" + a.Set.Root().GoName + a.GoName
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	b := []byte(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}

// untypedUint renders an untyped integer literal (jen.Lit would write
// uint64(1), which does not convert to a named type); flags read best in hex.
func untypedUint(v uint64, hex bool) *jen.Statement {
	if hex {
		return jen.Id(fmt.Sprintf("%#x", v))
	}
	return jen.Id(strconv.FormatUint(v, 10))
}

// raw reports a netlink-raw family: a genl.RawConn client, 16-bit message
// types, groups joined by number.
func (g *familyGen) raw() bool { return g.fam.Protocol == "netlink-raw" }

// cmdWire is the Go type of a command on the wire: genlmsghdr.cmd, or a
// classic netlink message's nlmsg_type.
func (g *familyGen) cmdWire() string {
	if g.raw() {
		return "uint16"
	}
	return "uint8"
}
