package golang

import (
	"fmt"
	"slices"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

func (g *familyGen) renderTypes(f *jen.File) {
	g.renderStructs(f)
	g.renderSubMessages(f)
	for _, si := range g.sets {
		if a := g.alias.sets[si.set]; a != nil {
			g.renderSetAlias(f, si, a)
			continue
		}
		if si.ordered {
			g.renderList(f, si)
			continue
		}
		if si.set.Masked {
			g.renderMasked(f, si)
			continue
		}
		g.renderSet(f, si)
	}
	for _, si := range g.narrowed {
		g.renderSet(f, si)
	}
	g.renderSelectorParsers(f)
	for _, a := range g.opTypes.aliases {
		f.Comment(fmt.Sprintf("%s is %s, a %s.", a.name, a.what, a.target))
		f.Type().Id(a.name).Op("=").Id(a.target)
	}
}

func (g *familyGen) fields(si *setInfo) []field {
	var out []field
	for _, a := range si.attrs {
		if ir.OnWire(a.Kind) {
			out = append(out, g.fieldOf(si, a))
		}
	}
	return out
}

func (g *familyGen) renderSet(f *jen.File, si *setInfo) {
	fds := g.fields(si)
	if si.narrows == nil {
		for _, fd := range fds {
			if fd.shape == shapeTypeValue {
				g.renderEntryType(f, fd)
			}
		}
		f.Comment(fmt.Sprintf("%s holds the attributes of the %s attribute set.", si.typeName, si.set.Name))
		if d := oneLine(si.set.Doc); d != "" {
			f.Comment(d)
		}
	} else {
		f.Comment(fmt.Sprintf("%s is %s: the attributes of %s", si.typeName, si.what, si.narrows.typeName))
		f.Comment(si.holds + ", and nothing else; the set's other attributes")
		f.Comment("decode into " + si.unknown + " (rejected with DecodeOptions.Strict).")
	}
	f.Comment("Absent attributes are zero Optionals, nil slices or nests, and false flags.")
	var members []jen.Code
	if si.header != "" {
		members = append(members,
			jen.Comment(si.header+" is the "+headerWhose(g, si)+"fixed header (struct "+si.hdr.CName+") when the set is a whole message."),
			jen.Id(si.header).Id(si.hdr.GoName))
	}
	for _, fd := range fds {
		for _, d := range fieldDocs(fd.name, fd.attr.Doc, attrByteOrder(fd.attr), si.hints[fd.attr]) {
			members = append(members, jen.Comment(d))
		}
		for _, d := range limitDoc(fd.name, fd.attr) {
			members = append(members, jen.Comment(d))
		}
		members = append(members, jen.Id(fd.name).Add(g.goType(fd)))
	}
	members = append(members,
		jen.Comment(si.unknown+" keeps attributes this schema does not know, in order, for re-encoding."),
		jen.Id(si.unknown).Index().Qual(g.nlattr, "Unknown"))
	f.Type().Id(si.typeName).Struct(members...)

	g.cur = si
	defer func() { g.cur = nil }()
	g.renderEncodedLen(f, si, fds)
	g.renderAppend(f, si, fds)
	g.renderDecode(f, si, fds)
	g.renderMarshal(f, si)
	g.renderSelectorMethods(f, si, fds)
	for _, fd := range fds {
		if h, ok := si.hints[fd.attr]; ok {
			g.renderHint(f, recvOf(si), h, jen.Id("s").Dot(fd.name), g.fam.Name+"."+si.set.Name+"."+fd.attr.Name, false)
		}
	}
	if si.topLevel {
		g.renderMessage(f, si)
	}
}

func recvOf(si *setInfo) *jen.Statement { return jen.Id("s").Op("*").Id(si.typeName) }

func (g *familyGen) renderEncodedLen(f *jen.File, si *setInfo, fds []field) {
	body := []jen.Code{
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Lit(0))),
		jen.Id("n").Op(":=").Qual(g.nlattr, "SizeUnknowns").Call(jen.Id("s").Dot(si.unknown)),
	}
	for _, fd := range fds {
		v := func() *jen.Statement { return jen.Id("s").Dot(fd.name) }
		add := func(e jen.Code) jen.Code { return jen.Id("n").Op("+=").Add(e) }
		switch fd.shape {
		case shapeOptional:
			present := jen.If(v().Dot("Present")).Block(add(g.elemSize(fd.elem, v().Dot("Value"))))
			if len(g.selectedValues(si, fd.attr)) > 0 {
				// AppendBinary reports a selector the values disagree on.
				present = present.Else().If(jen.List(jen.Id("sel"), jen.Id("_")).Op(":=").Id("s").Dot(selectorMethod(fd)).Call(),
					jen.Id("sel").Op("!=").Lit("")).Block(g.selectorFill(fd, jen.Id("sel"), true, func(v *jen.Statement) []jen.Code {
					return []jen.Code{add(g.elemSize(fd.elem, v))}
				})...)
			}
			body = append(body, present)
		case shapeFlag:
			body = append(body, jen.If(v()).Block(add(jen.Lit(4))))
		case shapeSlice, shapeNest, shapeList:
			body = append(body, jen.If(v().Op("!=").Nil()).Block(add(g.elemSize(fd.elem, v()))))
		case shapeMulti:
			body = append(body, g.listSize(fd.elem, v))
		case shapeIndexed:
			body = append(body, jen.If(v().Op("!=").Nil()).Block(jen.Id("n").Op("+=").Lit(4), g.listSize(fd.elem, v)))
		case shapeTypeValue:
			body = append(body, g.sizeTypeValue(fd, v))
		}
	}
	body = append(body, jen.Return(jen.Id("n")))
	f.Comment("EncodedLen is the exact number of bytes AppendBinary appends.")
	f.Func().Params(recvOf(si)).Id("EncodedLen").Params().Int().Block(body...)
}

// listSize adds the size of a list of values: a multiplication when every
// element has the same size, a loop otherwise.
func (g *familyGen) listSize(k ir.Kind, v func() *jen.Statement) jen.Code {
	if n, ok := fixedSize(k); ok {
		return jen.Id("n").Op("+=").Len(v()).Op("*").Lit(n)
	}
	return jen.For(jen.Id("i").Op(":=").Range().Add(v())).Block(
		jen.Id("n").Op("+=").Add(g.elemSize(k, v().Index(jen.Id("i")))))
}

// fixedSize is the encoded size of one value of kind k when it never varies.
func fixedSize(k ir.Kind) (int, bool) { return ir.FixedWireLen(k) }

func (g *familyGen) renderAppend(f *jen.File, si *setInfo, fds []field) {
	body := []jen.Code{
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Id("b"), jen.Nil())),
		jen.Var().Id("err").Error(),
	}
	for _, fd := range fds {
		if fd.shape == shapeOptional && len(g.selectedValues(si, fd.attr)) > 0 {
			// Checked before anything is written.
			body = append(body,
				jen.List(jen.Id(selectorLocal(fd)), jen.Id("err")).Op(":=").Id("s").Dot(selectorMethod(fd)).Call(),
				jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("b"), jen.Id("err"))))
		}
	}
	for _, fd := range fds {
		v := func() *jen.Statement { return jen.Id("s").Dot(fd.name) }
		typ := func() *jen.Statement { return jen.Id(g.attrConst(fd.attr)) }
		switch fd.shape {
		case shapeOptional:
			present := jen.If(v().Dot("Present")).Block(g.elemAppend(fd.attr, fd.elem, v().Dot("Value"), typ(), fd.path)...)
			// A sub-message's value names its selector: written here when
			// the selector field is absent.
			if len(g.selectedValues(si, fd.attr)) > 0 {
				sel := jen.Id(selectorLocal(fd))
				present = present.Else().If(sel.Clone().Op("!=").Lit("")).Block(g.selectorFill(fd, sel, false, func(v *jen.Statement) []jen.Code {
					return g.elemAppend(fd.attr, fd.elem, v, typ(), fd.path)
				})...)
			}
			body = append(body, present)
		case shapeFlag:
			body = append(body, jen.If(v()).Block(g.elemAppend(fd.attr, fd.elem, nil, typ(), fd.path)...))
		case shapeSlice, shapeNest, shapeList:
			body = append(body, jen.If(v().Op("!=").Nil()).Block(g.elemAppend(fd.attr, fd.elem, v(), typ(), fd.path)...))
		case shapeMulti:
			body = append(body, jen.For(jen.Id("i").Op(":=").Range().Add(v())).Block(
				g.elemAppend(fd.attr, fd.elem, v().Index(jen.Id("i")), typ(), fd.path)...))
		case shapeIndexed:
			// Elements are numbered from 1, as the kernel's nlctrl does; readers ignore the index.
			body = append(body, jen.If(v().Op("!=").Nil()).Block(
				jen.Var().Id("array").Int(),
				jen.List(jen.Id("b"), jen.Id("array")).Op("=").Qual(g.nlattr, "BeginNest").Call(jen.Id("b"), typ()),
				jen.For(jen.Id("i").Op(":=").Range().Add(v())).Block(
					g.elemAppend(fd.attr, fd.elem, v().Index(jen.Id("i")), jen.Uint16().Call(jen.Id("i").Op("+").Lit(1)), fd.path)...),
				jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "EndNestChecked").Call(jen.Id("b"), jen.Id("array")),
				g.returnErr(typ(), fd.path),
			))
		case shapeTypeValue:
			body = append(body, g.appendTypeValue(fd, typ())...)
		}
	}
	body = append(body,
		jen.Id("b").Op("=").Qual(g.nlattr, "AppendUnknowns").Call(jen.Id("b"), jen.Id("s").Dot(si.unknown)),
		jen.Return(jen.Id("b"), jen.Id("err")))
	f.Comment("AppendBinary appends the attributes of s to b. Nests are written in place and")
	f.Comment("their lengths patched afterwards, so encoding into a reused buffer does not allocate.")
	f.Func().Params(recvOf(si)).Id("AppendBinary").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(body...)
}

func (g *familyGen) renderDecode(f *jen.File, si *setInfo, fds []field) {
	var cases []jen.Code
	for _, fd := range fds {
		v := func() *jen.Statement { return jen.Id("s").Dot(fd.name) }
		typ := func() *jen.Statement { return jen.Id(g.attrConst(fd.attr)) }
		var stmts []jen.Code
		switch fd.shape {
		case shapeOptional:
			if c, ok := codecOf(fd.elem).(inPlaceDecoder); ok {
				stmts = c.decodeInPlace(g, v(), typ(), fd.path)
				break
			}
			stmts = g.elemDecode(fd.attr, fd.elem, typ(), fd.path, func(x jen.Code) jen.Code {
				return v().Op("=").Qual(g.nlattr, "Some").Call(x)
			})
		case shapeFlag, shapeSlice:
			if g.decodedLate(fd) {
				stmts = []jen.Code{jen.Id(payloadName(fd)).Op("=").Id("p")}
				break
			}
			if isReusedArray(fd) {
				stmts = codecOf(fd.elem).(reusingDecoder).decodeReusing(g, typ(), fd.path, jen.Id(reuseName(fd)), func(x jen.Code) jen.Code { return v().Op("=").Add(x) })
				break
			}
			stmts = g.elemDecode(fd.attr, fd.elem, typ(), fd.path, func(x jen.Code) jen.Code { return v().Op("=").Add(x) })
		case shapeNest:
			reuse := jen.Id(reuseName(fd))
			nested := fd.elem.(ir.Nest).Set
			again := reuse.Clone().Dot("Decode").Call(jen.Id("p"), jen.Id("o"))
			if n := g.setByName[nested]; len(g.outer[n]) > 0 {
				again = reuse.Clone().Dot("decodeSelected").Call(append([]jen.Code{jen.Id("p"), jen.Id("o")}, g.selectorArgs(n)...)...)
			}
			stmts = []jen.Code{
				jen.If(reuse.Clone().Op("==").Nil()).Block(
					reuse.Clone().Op("=").New(jen.Id(g.setByName[nested].typeName)),
					jen.If(jen.Id("err").Op(":=").Add(g.decodeFresh(reuse.Clone(), nested)), jen.Id("err").Op("!=").Nil()).Block(
						jen.Return(jen.Id("err"))),
				).Else().If(jen.Id("err").Op(":=").Add(again), jen.Id("err").Op("!=").Nil()).Block(
					jen.Return(jen.Id("err"))),
				v().Op("=").Add(reuse.Clone()),
			}
		case shapeList:
			reuse := jen.Id(reuseName(fd))
			stmts = []jen.Code{
				jen.If(jen.Id("err").Op(":=").Add(reuse.Clone()).Dot("Decode").Call(jen.Id("p"), jen.Id("o")), jen.Id("err").Op("!=").Nil()).Block(
					jen.Return(jen.Id("err"))),
				v().Op("=").Add(reuse.Clone()),
			}
		case shapeMulti:
			stmts = g.elemDecode(fd.attr, fd.elem, typ(), fd.path, func(x jen.Code) jen.Code { return v().Op("=").Append(v(), x) })
		case shapeIndexed:
			inner := g.elemDecode(fd.attr, fd.elem, typ(), fd.path, func(x jen.Code) jen.Code { return v().Op("=").Append(v(), x) })
			stmts = []jen.Code{
				// An empty array is present: keep it non-nil.
				jen.If(v().Op("==").Nil()).Block(v().Op("=").Index().Add(g.elemType(fd.attr, fd.elem)).Values()),
				jen.Id("array").Op(":=").Qual(g.nlattr, "NewIter").Call(jen.Id("p")),
				jen.For(jen.Id("array").Dot("Next").Call()).Block(
					append([]jen.Code{jen.Id("p").Op(":=").Id("array").Dot("Payload").Call()}, inner...)...),
				jen.If(jen.Id("err").Op(":=").Id("array").Dot("Err").Call(), jen.Id("err").Op("!=").Nil()).Block(
					jen.Return(jen.Qual(g.nlattr, "Annotate").Call(jen.Id("err"), typ(), jen.Lit(fd.path)))),
			}
		case shapeTypeValue:
			stmts = g.decodeTypeValue(fd, typ())
		}
		cases = append(cases, jen.Case(typ()).Block(stmts...))
	}
	if si.narrows == nil {
		// A narrowed type lists no pad attribute: one decodes into Unknown.
		cases = append(cases, g.padCases(si.set)...)
	}
	cases = append(cases, jen.Default().Block(
		jen.List(jen.Id("u"), jen.Id("err")).Op(":=").Id("o").Dot("Unknown").Call(jen.Id("typ"), jen.Id("p"), jen.Lit(si.pathLabel)),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))),
		jen.Id("s").Dot(si.unknown).Op("=").Qual(g.nlattr, "KeepUnknown").Call(jen.Id("s").Dot(si.unknown), jen.Id("u")),
	))
	var loop []jen.Code
	if si.narrows != nil && si.holds == requestDir.verb {
		loop = append(loop, jen.Id("o").Dot("Request").Op("=").True())
	}
	var late []field
	for _, fd := range fds {
		if g.decodedLate(fd) {
			late = append(late, fd)
			loop = append(loop, jen.Var().Id(payloadName(fd)).Index().Byte())
		}
	}
	loop = append(loop, g.decodeLoop(cases))
	for _, fd := range late {
		loop = append(loop, g.decodeLate(fd))
	}
	if len(si.mandatory) > 0 {
		var checks []jen.Code
		for _, a := range si.mandatory {
			fd := g.fieldOf(si, a)
			v := jen.Id("s").Dot(fd.name)
			var absent *jen.Statement
			switch fd.shape {
			case shapeOptional:
				absent = jen.Op("!").Add(v).Dot("Present")
			case shapeFlag:
				absent = jen.Op("!").Add(v)
			case shapeMulti:
				absent = jen.Len(v).Op("==").Lit(0)
			default:
				absent = v.Op("==").Nil()
			}
			checks = append(checks, jen.If(absent).Block(
				jen.Return(jen.Qual(g.nlattr, "MissingError").Call(jen.Id(g.attrConst(a)), jen.Lit(fd.path)))))
		}
		// The Windows driver's NlAttrParse fails a message without a
		// non-optional attribute of its NL_POLICY table; it parses
		// requests only, so a nested set's are checked inside requests.
		cond := jen.Id("o").Dot("Strict")
		if !si.topLevel {
			cond = cond.Op("&&").Id("o").Dot("Request")
		}
		loop = append(loop, jen.If(cond).Block(checks...))
	}
	loop = append(loop, jen.Return(jen.Nil()))
	reused := g.reusedNests(si)
	var saved, params []jen.Code
	args := []jen.Code{jen.Id("b"), jen.Id("o")}
	for _, fd := range reused {
		saved = append(saved, jen.Id(reuseName(fd)).Op(":=").Id("s").Dot(fd.name))
		params = append(params, jen.Id(reuseName(fd)).Add(g.reuseType(fd)))
		args = append(args, jen.Id(reuseName(fd)))
	}
	f.Comment("Decode reads the attributes in b into s, replacing its contents. Nests, ordered")
	f.Comment("lists, binary arrays, sub-message values of the same format and the Unknown slice s")
	f.Comment("already holds are reused rather than reallocated (do not keep them, or a copy of s,")
	f.Comment("across a Decode), so decoding into the same value again allocates only for what grew,")
	f.Comment("strings (unless o.Strings or o.AliasStrings) and repeated attributes.")
	f.Comment("Byte slices alias b unless o.Copy is set; strings are copies unless o.AliasStrings.")
	f.Comment("Unknown attributes are kept, or rejected with o.Strict. Malformed input is an error")
	f.Comment("wrapping nlattr.ErrTruncated or ErrLength.")
	// The unknown attributes' backing array is recycled too: a kernel
	// newer than the spec sends the same unknown attributes in every
	// message of a dump. Unknown stays nil when there are none.
	unknown := jen.Id("s").Dot(si.unknown)
	decodeBody := func(args []jen.Code) []jen.Code {
		return append(slices.Clip(saved),
			jen.Id("unknown").Op(":=").Add(unknown.Clone()).Index(jen.Empty(), jen.Lit(0)),
			jen.Op("*").Id("s").Op("=").Id(si.typeName).Values(),
			unknown.Clone().Op("=").Id("unknown"),
			jen.Id("err").Op(":=").Id("s").Dot("decodeAttrs").Call(args...),
			jen.If(jen.Len(unknown.Clone()).Op("==").Lit(0)).Block(unknown.Clone().Op("=").Nil()),
			jen.Return(jen.Id("err")))
	}
	if outer := g.outerParams(si); len(outer) > 0 {
		f.Func().Params(recvOf(si)).Id("Decode").Params(jen.Id("b").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Error().Block(
			jen.Return(jen.Id("s").Dot("decodeSelected").Call(append([]jen.Code{jen.Id("b"), jen.Id("o")}, g.outerNone(si)...)...)))
		f.Comment("decodeSelected is Decode for s nested in a set that passes the selectors of")
		f.Comment("sub-messages it selects from outside (\"\" when unknown).")
		f.Func().Params(recvOf(si)).Id("decodeSelected").Params(
			append([]jen.Code{jen.Id("b").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")}, outer...)...).Error().Block(
			decodeBody(append(slices.Clip(args), g.outerArgs(si)...))...)
		params = append(params, outer...)
	} else {
		f.Func().Params(recvOf(si)).Id("Decode").Params(jen.Id("b").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Error().Block(
			decodeBody(args)...)
	}
	f.Comment("decodeAttrs decodes into a zero s, filling nests from the reuse values when given.")
	f.Func().Params(recvOf(si)).Id("decodeAttrs").Params(
		append([]jen.Code{jen.Id("b").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")}, params...)...).Error().Block(loop...)
}

// decodeLoop walks the attributes in b with nlattr.Split rather than an
// nlattr.Iter: plain locals stay in registers, where an Iter lives in
// memory, and the framing is checked in the same pass. A framing error
// returns at once; the switch's default case always uses typ and p.
func (g *familyGen) decodeLoop(cases []jen.Code) jen.Code {
	return jen.For(jen.Len(jen.Id("b")).Op(">").Lit(0)).Block(
		jen.List(jen.Id("typ"), jen.Id("p"), jen.Id("rest"), jen.Id("ok")).Op(":=").Qual(g.nlattr, "Split").Call(jen.Id("b")),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Qual(g.nlattr, "FramingError").Call(jen.Id("b")))),
		jen.Id("b").Op("=").Id("rest"),
		jen.Switch(jen.Id("typ").Op("&").Qual(g.nlattr, "TypeMask")).Block(cases...),
	)
}

// reusedNests are the fields whose memory Decode recycles: nests,
// ordered lists and binary arrays held directly (not inside slices).
func (g *familyGen) reusedNests(si *setInfo) []field {
	var out []field
	for _, fd := range g.fields(si) {
		if fd.shape == shapeNest || fd.shape == shapeList || isReusedArray(fd) {
			out = append(out, fd)
		}
	}
	return out
}

// isReusedArray is a slice field whose codec refills its backing array
// when it is large enough (a binary array, sub-type).
func isReusedArray(fd field) bool {
	_, ok := codecOf(fd.elem).(reusingDecoder)
	return ok && fd.shape == shapeSlice
}

// reuseName is the local variable holding a field's recycled nest. Field
// names are exported identifiers, so the prefix keeps it clear of the
// decoder's own locals (b, o, it, p, v, err, u).
func reuseName(fd field) string { return "reuse" + fd.name }

func (g *familyGen) reuseType(fd field) *jen.Statement { return g.goType(fd) }

func (g *familyGen) renderMarshal(f *jen.File, si *setInfo) {
	f.Comment("MarshalBinary encodes s into a new, exactly sized buffer.")
	f.Func().Params(recvOf(si)).Id("MarshalBinary").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("s").Dot("AppendBinary").Call(jen.Make(jen.Index().Byte(), jen.Lit(0), jen.Id("s").Dot("EncodedLen").Call()))))
	f.Comment("UnmarshalBinary decodes b into s, copying every byte slice so b may be reused.")
	f.Func().Params(recvOf(si)).Id("UnmarshalBinary").Params(jen.Id("b").Index().Byte()).Error().Block(
		jen.Return(jen.Id("s").Dot("Decode").Call(jen.Id("b"), jen.Qual(g.nlattr, "DecodeOptions").Values(jen.Dict{jen.Id("Copy"): jen.True()}))))
}

// renderMessage adds the methods the client uses on sets that are whole
// messages: the family's fixed header, then the attributes.
func (g *familyGen) renderMessage(f *jen.File, si *setInfo) {
	recv := recvOf(si)
	b := func() *jen.Statement { return jen.Id("b") }
	if si.header == "" {
		f.Comment("MessageLen is EncodedLen: " + g.fam.Name + " has no fixed header.")
		f.Func().Params(recv.Clone()).Id("MessageLen").Params().Int().Block(jen.Return(jen.Id("s").Dot("EncodedLen").Call()))
		f.Comment("AppendMessage is AppendBinary: " + g.fam.Name + " has no fixed header.")
		f.Func().Params(recv.Clone()).Id("AppendMessage").Params(b().Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(
			jen.Return(jen.Id("s").Dot("AppendBinary").Call(b())))
		f.Comment("DecodeMessage is Decode: " + g.fam.Name + " has no fixed header.")
		f.Func().Params(recv.Clone()).Id("DecodeMessage").Params(b().Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Error().Block(
			jen.Return(jen.Id("s").Dot("Decode").Call(b(), jen.Id("o"))))
		return
	}
	hdr := si.hdr
	size := jen.Id("Size" + hdr.GoName)
	f.Comment("MessageLen is the size of the fixed header plus EncodedLen.")
	f.Func().Params(recv.Clone()).Id("MessageLen").Params().Int().Block(jen.Return(size.Clone().Op("+").Id("s").Dot("EncodedLen").Call()))
	zero := jen.Return(jen.Id("zero").Dot("appendWire").Call(b()), jen.Nil())
	if g.alias.structs[hdr] != nil {
		zero = jen.Return(jen.Id("zero").Dot("AppendBinary").Call(b()))
	}
	f.Comment("AppendMessage appends the fixed header and then the attributes; a nil s is a zero header alone.")
	f.Func().Params(recv.Clone()).Id("AppendMessage").Params(b().Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.Id("s").Op("==").Nil()).Block(
			jen.Var().Id("zero").Id(hdr.GoName),
			zero),
		g.structAppend(hdr, jen.Id("s").Dot(si.header)),
		jen.Return(jen.Id("s").Dot("AppendBinary").Call(b())))
	f.Comment("DecodeMessage reads the fixed header and then the attributes (see Decode).")
	f.Func().Params(recv.Clone()).Id("DecodeMessage").Params(b().Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Error().Block(
		jen.If(jen.Len(b()).Op("<").Add(size.Clone())).Block(
			jen.Return(jen.Op("&").Qual(g.nlattr, "AttrError").Values(jen.Dict{
				jen.Id("Path"): jen.Lit(g.fam.Name + " fixed header"),
				jen.Id("Len"):  jen.Len(b()),
				jen.Id("Want"): jen.Lit(fmt.Sprintf("%d bytes (struct %s)", hdr.Size, hdr.CName)),
				jen.Id("Err"):  jen.Qual(g.nlattr, "ErrTruncated"),
			}))),
		jen.If(jen.Id("err").Op(":=").Id("s").Dot("Decode").Call(b().Index(size.Clone().Op(":")), jen.Id("o")), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Id("err"))),
		g.structDecode(hdr, jen.Id("s").Dot(si.header), b().Index(jen.Op(":").Add(size.Clone()))),
		jen.Return(jen.Nil()))
}

// padCases is the switch case that skips a set's pad attributes, which
// only align 64-bit values and carry nothing; none when the set has none.
func (g *familyGen) padCases(set *ir.AttrSet) []jen.Code {
	var skip []jen.Code
	for _, a := range set.Attrs {
		if _, pad := a.Kind.(ir.Pad); pad {
			skip = append(skip, jen.Id(g.attrConst(a)))
		}
	}
	if len(skip) == 0 {
		return nil
	}
	return []jen.Code{jen.Case(skip...).Comment("alignment padding carries nothing")}
}

// headerWhose says whose fixed header a set's is: the family's, or (a
// netlink-raw operation's own) its operations'.
func headerWhose(g *familyGen, si *setInfo) string {
	if si.hdr == g.fam.FixedHeader {
		return "family's "
	}
	return "operations' "
}
