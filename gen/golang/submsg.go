package golang

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// A netlink-raw sub-message attribute (rt_link's linkinfo data) carries
// one of several payload formats, chosen by the value of a selector
// attribute (linkinfo kind "bridge", "vlan" ...). In Go it is a sealed
// interface with one struct per format, so a value always knows its
// selector: the encoder writes the selector from the value when the
// selector field is absent (and refuses a selector that disagrees), and
// the decoder picks the format from the selector, wherever it comes in
// the set (the CLI, lib/ynl.py _decode_sub_msg, needs it first). A selector
// value the spec does not list (a link kind newer than the spec) decodes
// into the <SubMessage>Raw format, which keeps the payload's bytes and
// re-encodes them unchanged.

// subMsgInfo is how one sub-message definition appears in Go.
type subMsgInfo struct {
	def     *ir.SubMessage
	iface   string                          // the interface every format implements
	marker  string                          // its unexported method sealing it
	formats map[*ir.SubMessageFormat]string // struct type per format
	raw     string                          // struct type of an unknown selector
	decode  string                          // package function: selector, payload -> value
}

// settleSubMessages names the Go types of the family's sub-messages.
func (g *familyGen) settleSubMessages(claim func(name, what string) error) error {
	g.subMsgs = map[*ir.SubMessage]*subMsgInfo{}
	for _, d := range g.fam.SubMessages {
		si := &subMsgInfo{def: d, iface: d.GoName, formats: map[*ir.SubMessageFormat]string{},
			marker: "is" + d.GoName, decode: "decode" + d.GoName}
		if err := claim(si.iface, "sub-message "+d.Name); err != nil {
			return err
		}
		for _, f := range d.Formats {
			name := d.GoName + ir.GoExported(f.Value)
			if err := claim(name, fmt.Sprintf("format %q of sub-message %s", f.Value, d.Name)); err != nil {
				return err
			}
			si.formats[f] = name
		}
		si.raw = d.GoName + "Raw"
		if err := claim(si.raw, "unknown-selector format of sub-message "+d.Name); err != nil {
			return err
		}
		g.subMsgs[d] = si
	}
	return nil
}

// subMsgCodec: a sub-message attribute, held as its interface type, nil
// when absent.
type subMsgCodec struct {
	valueDefaults
	k ir.SubMsg
}

func (subMsgCodec) field(_ *familyGen, a *ir.Attr) (shape, ir.Kind) { return shapeSlice, a.Kind }

func (c subMsgCodec) goType(g *familyGen, _ *ir.Attr) *jen.Statement {
	return jen.Id(g.subMsgs[c.k.Def].iface)
}

func (subMsgCodec) size(g *familyGen, v *jen.Statement) *jen.Statement {
	return jen.Qual(g.nlattr, "SizeBytes").Call(v.Dot("EncodedLen").Call())
}

// The payload is the format's bytes under a plain attribute header: the
// kernel fills IFLA_INFO_DATA with nla_nest_start_noflag, and iproute2
// sends it without NLA_F_NESTED too.
func (subMsgCodec) appendValue(g *familyGen, _ *ir.Attr, v, typ *jen.Statement, path string) []jen.Code {
	return []jen.Code{jen.Block(
		jen.Id("n").Op(":=").Add(v.Clone()).Dot("EncodedLen").Call(),
		jen.Id("err").Op("=").Qual(g.nlattr, "CheckLen").Call(typ.Clone(), jen.Id("n")),
		g.returnErr(typ.Clone(), path),
		jen.Id("b").Op("=").Qual(g.nlattr, "AppendHeader").Call(jen.Id("b"), typ.Clone(), jen.Id("n")),
		jen.If(jen.List(jen.Id("b"), jen.Id("err")).Op("=").Add(v.Clone()).Dot("AppendBinary").Call(jen.Id("b")), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Id("b"), jen.Qual(g.nlattr, "Annotate").Call(jen.Id("err"), typ.Clone(), jen.Lit(path)))),
		jen.Id("b").Op("=").Qual(g.nlattr, "Pad").Call(jen.Id("b")),
	)}
}

func (c subMsgCodec) decode(g *familyGen, a *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	return c.decodeReusing(g, typ, path, jen.Nil(), store)
}

// decodeReusing decodes into the field's previous value (reuse) when it
// holds the selected format: a dump of bridges decodes every message's
// linkinfo data into one LinkinfoDataMsgBridge.
func (c subMsgCodec) decodeReusing(g *familyGen, typ *jen.Statement, path string, reuse jen.Code, store func(v jen.Code) jen.Code) []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("v"), jen.Id("err")).Op(":=").Id(g.subMsgs[c.k.Def].decode).Call(g.selectorOf(c.k.Selector), jen.Id("p"), jen.Id("o"), reuse),
		g.annotate(typ, path),
		store(jen.Id("v")),
	}
}

// A selector one or more sets out (SelectorDepth > 0: tc's
// tca-stats-attrs app is selected by the kind of the tc-attrs nesting it)
// is known only to the set holding it. Decoding passes it down, as the
// kernel's YNL CLI looks it up in the enclosing sets decoded so far
// (lib/ynl.py SpaceAttrs.lookup): each set whose sub-messages, or whose
// nests' sub-messages, are selected from outside takes those selectors'
// values (as format value strings, "" when unknown) as parameters of its
// decodeAttrs, and the set holding a selector hands its field's value to
// the nests it decodes after it. Decode itself, with no enclosing set,
// passes "": such a set decoded on its own keeps those payloads raw.
// These sets are never aliased to another package's (alias.go shareable),
// whose unexported decoder this package could not call.

// settleOuterSelectors finds, for every set printed as a struct, the
// selectors its decoding receives from enclosing sets: those of its own
// sub-messages selected from outside, and those its nested sets receive
// that it does not define itself (the CLI stops at the nearest set
// defining the name). A fixpoint, as nests may be recursive.
func (g *familyGen) settleOuterSelectors() {
	g.outer = map[*setInfo][]*ir.Attr{}
	for changed := true; changed; {
		changed = false
		for _, si := range g.sets {
			if si.ordered || si.set.Masked {
				continue
			}
			for _, a := range si.attrs {
				var need []*ir.Attr
				switch k := a.Kind.(type) {
				case ir.SubMsg:
					if k.SelectorDepth > 0 {
						need = []*ir.Attr{k.Selector}
					}
				case ir.Nest:
					if n := g.setByName[k.Set]; n != nil {
						need = g.outer[n]
					}
				}
				for _, sel := range need {
					if si.set.Attr(sel.Name) != nil || slices.Contains(g.outer[si], sel) {
						continue
					}
					g.outer[si] = append(g.outer[si], sel)
					changed = true
				}
			}
		}
	}
	g.outerParam = map[*setInfo]map[*ir.Attr]string{}
	for si, sels := range g.outer {
		names := map[*ir.Attr]string{}
		taken := map[string]bool{}
		for i, sel := range sels {
			// Two selectors of one name are ambiguous to the IR; the
			// index only guards the Go identifier.
			name := "sel" + sel.GoName
			if taken[name] {
				name += strconv.Itoa(i)
			}
			taken[name] = true
			names[sel] = name
		}
		g.outerParam[si] = names
	}
}

// selectsOutward reports whether set s holds a sub-message selected by an
// attribute of an enclosing set.
func selectsOutward(s *ir.AttrSet) bool {
	for _, a := range s.Attrs {
		if k, ok := a.Kind.(ir.SubMsg); ok && k.SelectorDepth > 0 {
			return true
		}
	}
	return false
}

// outerParams are the selector parameters of si's decodeAttrs.
func (g *familyGen) outerParams(si *setInfo) []jen.Code {
	var out []jen.Code
	for _, sel := range g.outer[si] {
		out = append(out, jen.Id(g.outerParam[si][sel]).String())
	}
	return out
}

// outerArgs passes si's selector parameters on unchanged.
func (g *familyGen) outerArgs(si *setInfo) []jen.Code {
	var out []jen.Code
	for _, sel := range g.outer[si] {
		out = append(out, jen.Id(g.outerParam[si][sel]))
	}
	return out
}

// outerNone are the arguments of a decode that knows no enclosing set.
func (g *familyGen) outerNone(si *setInfo) []jen.Code {
	var out []jen.Code
	for range g.outer[si] {
		out = append(out, jen.Lit(""))
	}
	return out
}

// selectorArgs are the selector values the set being rendered (g.cur)
// hands to nested set n's decoder: its own field for a selector it
// holds, the value it received for one further out, else "" (a set
// printed without g.cur, an ordered list's element, knows none).
func (g *familyGen) selectorArgs(n *setInfo) []jen.Code {
	var out []jen.Code
	for _, sel := range g.outer[n] {
		out = append(out, g.selectorOf(sel))
	}
	return out
}

// selectorOf is the value of selector sel, as a format value string, in
// the decoder of the set being rendered: its own field when the set
// holds sel, else the value an enclosing set passed down. A selector
// the set neither holds nor was given selects no format: "" keeps the
// payload raw.
func (g *familyGen) selectorOf(sel *ir.Attr) jen.Code {
	if g.cur == nil {
		return jen.Lit("")
	}
	if g.cur.set.Attr(sel.Name) != nil {
		if v, ok := g.selectorString(sel); ok {
			return v
		}
		return jen.Lit("")
	}
	if name, ok := g.outerParam[g.cur][sel]; ok {
		return jen.Id(name)
	}
	return jen.Lit("")
}

// A sub-message whose selector is in its own set is decoded after the
// set's other attributes, with the selector's final value: netlink
// attributes are unordered (the kernel parses IFLA_LINKINFO into a table
// before it reads IFLA_INFO_KIND), so a payload may come before its
// selector. The loop keeps its payload (payloadName); decodeSelectedLate
// decodes it. A selector in an enclosing set is passed down, known before
// the set is read.

// decodedLate reports whether field fd of the set being rendered is a
// sub-message decoded after the loop.
func (g *familyGen) decodedLate(fd field) bool {
	k, ok := fd.attr.Kind.(ir.SubMsg)
	if !ok || fd.shape != shapeSlice || k.SelectorDepth != 0 {
		return false
	}
	_, held := g.selectorField(k.Selector)
	return held
}

// payloadName is the local holding a late-decoded sub-message's payload.
func payloadName(fd field) string { return "payload" + fd.name }

// decodeLate decodes the payload the loop kept for field fd, if any.
func (g *familyGen) decodeLate(fd field) jen.Code {
	c := codecOf(fd.elem).(reusingDecoder)
	stmts := c.decodeReusing(g, jen.Id(g.attrConst(fd.attr)), fd.path, jen.Id(reuseName(fd)),
		func(x jen.Code) jen.Code { return jen.Id("s").Dot(fd.name).Op("=").Add(x) })
	return jen.If(jen.Id(payloadName(fd)).Op("!=").Nil()).Block(
		append([]jen.Code{jen.Id("p").Op(":=").Id(payloadName(fd))}, stmts...)...)
}

// selectorString is the value of selector field sel of the set being
// rendered, as the format values spell it.
func (g *familyGen) selectorString(sel *ir.Attr) (jen.Code, bool) {
	name, ok := g.selectorField(sel)
	if !ok {
		return nil, false
	}
	v := jen.Id("s").Dot(name)
	switch sk := sel.Kind.(type) {
	case ir.String:
		return v.Dot("Value"), true
	case ir.Scalar:
		if _, ok := g.enumType(sel.Enum, sk.Bits); ok && !sel.EnumAsFlags {
			// The format values are the enum's entry names, which is
			// what the enum's String returns.
			return jen.Qual(g.nlattr, "SelectorName").Call(v), true
		}
		if info, ok := g.enumTypes[sel.Enum]; ok && !sel.EnumAsFlags && !sel.Enum.IsFlags {
			// Held wider than its enum's Go type (a u64 attribute of a
			// 32-bit enum): named as the enum names it when the enum's
			// type holds the value, which is every value an entry has.
			return jen.Func().Params().String().Block(
				jen.If(jen.Op("!").Add(v.Clone()).Dot("Present")).Block(jen.Return(jen.Lit(""))),
				jen.If(jen.Uint64().Call(v.Clone().Dot("Value")).Op(">>").Lit(info.bits).Op("!=").Lit(0)).Block(
					jen.Return(jen.Qual("strconv", "FormatUint").Call(jen.Uint64().Call(v.Clone().Dot("Value")), jen.Lit(10)))),
				jen.Return(jen.Id(sel.Enum.GoName).Call(v.Clone().Dot("Value")).Dot("String").Call()),
			).Call(), true
		}
		return jen.Qual("strconv", "FormatUint").Call(jen.Uint64().Call(v.Dot("Value")), jen.Lit(10)), true
	}
	return nil, false
}

// selectorField is the field of the set being rendered that holds
// selector sel, when it holds it as an Optional value.
func (g *familyGen) selectorField(sel *ir.Attr) (string, bool) {
	if g.cur == nil || sel.MultiAttr {
		return "", false
	}
	name, ok := g.cur.fieldOf[sel]
	if !ok || !slices.Contains(g.cur.attrs, sel) {
		return "", false
	}
	switch sel.Kind.(type) {
	case ir.String, ir.Scalar:
		return name, true
	}
	return "", false
}

// Encoding: the set holding a selector is authoritative for it. Its
// encoder gathers the values of the sub-messages it selects (its own
// fields, and those of single nests below it that do not define a
// selector of that name themselves), writes the selector from the first
// value naming a format when the field is absent, and refuses a value
// naming another format than the selector written, since the receiver
// would read the payload as that format. A value in a repeated nest, a
// list or a masked set is neither gathered nor checked.
//
// The selector is filled only when the value's format value maps back to
// a selector value: a string selector holds it as it is; an integer
// selector whose field is its enum's Go type holds the entry of that name
// (parse<Enum>). An integer selector held as a plain number (a 64-bit
// wire value of an enum whose Go type is 32 bits) cannot be filled: its
// values are not spelled as entry names here, and the IR refuses integer
// selectors without an enum, whose values no format value could name.

// selectedValue is a sub-message value a selector's set selects.
type selectedValue struct {
	fields []string // from the set holding the selector down to the sub-message
	path   string   // the sub-message attribute, for errors
}

// selectedValues are the sub-message values selector sel of si selects,
// in field order, when si holds sel in a form the encoder can fill.
func (g *familyGen) selectedValues(si *setInfo, sel *ir.Attr) []selectedValue {
	if _, held := g.selectorField(sel); !held || g.selectorEnum(sel) == "" && !isString(sel.Kind) {
		return nil
	}
	var out []selectedValue
	onPath := map[*setInfo]bool{si: true}
	var walk func(si *setInfo, prefix []string)
	walk = func(si *setInfo, prefix []string) {
		for _, fd := range g.fields(si) {
			if len(out) == maxSelectedValues {
				return
			}
			path := append(slices.Clip(prefix), fd.name)
			switch k := fd.attr.Kind.(type) {
			case ir.SubMsg:
				if k.Selector == sel && fd.shape == shapeSlice {
					out = append(out, selectedValue{fields: path, path: fd.path})
				}
			case ir.Nest:
				// Only into nests whose decoder receives sel, so below
				// them is a value it selects and no set of that name.
				n := g.setByName[k.Set]
				if fd.shape == shapeNest && n != nil && !onPath[n] && slices.Contains(g.outer[n], sel) {
					onPath[n] = true
					walk(n, path)
					onPath[n] = false
				}
			}
		}
	}
	walk(si, nil)
	return out
}

// maxSelectedValues bounds the values one selector's encoder gathers: a
// set nested in many ways (diamonds of nests) would otherwise multiply
// the ways down to its sub-message. Values past it are not gathered.
const maxSelectedValues = 64

func isString(k ir.Kind) bool { _, ok := k.(ir.String); return ok }

// selectorEnum is the Go enum type of an integer selector held as that
// type, whose entry names the format values are; "" otherwise.
func (g *familyGen) selectorEnum(sel *ir.Attr) string {
	sk, ok := sel.Kind.(ir.Scalar)
	if !ok || sel.EnumAsFlags || sel.Enum == nil || sel.Enum.IsFlags {
		return ""
	}
	name, ok := g.enumType(sel.Enum, sk.Bits)
	if !ok {
		return ""
	}
	return name
}

// selectorMethod names si's method returning the value its encoder
// writes for selector field fd.
func selectorMethod(fd field) string { return "selector" + fd.name }

// selectorLocal is the local holding that value in AppendBinary.
func selectorLocal(fd field) string { return "sel" + fd.name }

// renderSelectorMethods writes, for each selector field of si with
// sub-message values to fill it from or check against, the method
// returning the selector's format value string the encoder writes.
func (g *familyGen) renderSelectorMethods(f *jen.File, si *setInfo, fds []field) {
	for _, fd := range fds {
		if fd.shape != shapeOptional {
			continue
		}
		vals := g.selectedValues(si, fd.attr)
		if len(vals) == 0 {
			continue
		}
		v := jen.Id("s").Dot(fd.name)
		body := []jen.Code{jen.Var().Id("sel").String()}
		if isString(fd.attr.Kind) {
			body = append(body, jen.If(v.Clone().Dot("Present")).Block(jen.Id("sel").Op("=").Add(v.Clone()).Dot("Value")))
		} else {
			body = append(body, jen.If(v.Clone().Dot("Present")).Block(jen.Id("sel").Op("=").Add(v.Clone()).Dot("Value").Dot("String").Call()))
		}
		body = append(body, jen.Id("known").Op(":=").Add(v.Clone()).Dot("Present"))
		for _, sv := range vals {
			var cond *jen.Statement
			x := jen.Id("s")
			for _, name := range sv.fields {
				x = x.Clone().Dot(name)
				c := x.Clone().Op("!=").Nil()
				if cond == nil {
					cond = c
				} else {
					cond = cond.Op("&&").Add(c)
				}
			}
			body = append(body, jen.If(cond).Block(
				jen.If(jen.Id("x").Op(":=").Add(x.Clone()).Dot("Selector").Call(), jen.Id("x").Op("!=").Lit("")).Block(
					jen.If(jen.Op("!").Id("known")).Block(
						jen.List(jen.Id("sel"), jen.Id("known")).Op("=").List(jen.Id("x"), jen.True()),
					).Else().If(jen.Id("x").Op("!=").Id("sel")).Block(
						jen.Return(jen.Lit(""), jen.Qual("fmt", "Errorf").Call(
							jen.Lit(sv.path+": selector %q, but the value is the %q format"), jen.Id("sel"), jen.Id("x")))))))
		}
		body = append(body, jen.Return(jen.Id("sel"), jen.Nil()))
		if e := fd.attr.Enum; !isString(fd.attr.Kind) && !slices.Contains(g.parsers, e) {
			g.parsers = append(g.parsers, e)
		}
		f.Comment(fmt.Sprintf("%s is the value of %s the encoder writes, as the format values spell it:", selectorMethod(fd), fd.name))
		f.Comment(fd.name + " when present, else the format of the first sub-message value it selects that")
		f.Comment("names one (\"\" when none does). A value naming another format is an error.")
		f.Func().Params(recvOf(si)).Id(selectorMethod(fd)).Params().Params(jen.String(), jen.Error()).Block(body...)
	}
}

// renderSelectorParsers writes parse<Enum> for each enum the selector
// methods rendered so far fill a selector with (g.parsers): the entry a
// value's format value names.
func (g *familyGen) renderSelectorParsers(f *jen.File) {
	for _, e := range g.parsers {
		name := e.GoName
		var cases []jen.Code
		for _, x := range e.Entries {
			cases = append(cases, jen.Case(jen.Lit(x.Name)).Block(jen.Return(jen.Id(name+x.GoName), jen.True())))
		}
		cases = append(cases, jen.Default().Block(jen.Return(jen.Lit(0), jen.False())))
		f.Comment(fmt.Sprintf("parse%s is the %s entry named name, as a sub-message format value names it.", name, name))
		f.Func().Id("parse"+name).Params(jen.Id("name").String()).Params(jen.Id(name), jen.Bool()).Block(
			jen.Switch(jen.Id("name")).Block(cases...))
	}
}

// renderSubMessages writes each sub-message's interface, its formats and
// the decoder choosing between them.
func (g *familyGen) renderSubMessages(f *jen.File) {
	for _, d := range g.fam.SubMessages {
		si := g.subMsgs[d]
		var values []string
		for _, fm := range d.Formats {
			values = append(values, fmt.Sprintf("%s (%q)", si.formats[fm], fm.Value))
		}
		f.Comment(fmt.Sprintf("%s is the payload of a %s sub-message attribute: one of its formats,", si.iface, oneLine(d.Name)))
		f.Comment("chosen by the value of the attribute's selector. Selector returns that value,")
		f.Comment("which the encoder writes as the selector when the selector field is absent.")
		f.Comment("The formats are:")
		f.Comment("")
		for _, v := range values {
			f.Comment("  - *" + v)
		}
		f.Comment("  - *" + si.raw + " for a selector value the spec does not list (its bytes, kept)")
		f.Type().Id(si.iface).Interface(
			jen.Id("Selector").Params().String(),
			jen.Id("EncodedLen").Params().Int(),
			jen.Id("AppendBinary").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()),
			jen.Id(si.marker).Params(),
		)
		for _, fm := range d.Formats {
			g.renderFormat(f, si, fm)
		}
		g.renderRawFormat(f, si)
		g.renderSubMsgDecode(f, si)
	}
}

func (g *familyGen) renderFormat(f *jen.File, si *subMsgInfo, fm *ir.SubMessageFormat) {
	name := si.formats[fm]
	recv := jen.Id("v").Op("*").Id(name)
	var fields []jen.Code
	desc := "no payload"
	switch {
	case fm.FixedHeader != nil && fm.AttrSet != nil:
		desc = "struct " + fm.FixedHeader.CName + ", then the attributes of " + fm.AttrSet.Name
	case fm.FixedHeader != nil:
		desc = "struct " + fm.FixedHeader.CName
	case fm.AttrSet != nil:
		desc = "the attributes of " + fm.AttrSet.Name
	}
	if fm.FixedHeader != nil {
		fields = append(fields, jen.Id("Header").Id(fm.FixedHeader.GoName))
	}
	if fm.AttrSet != nil {
		fields = append(fields, jen.Id("Attrs").Id(g.setByName[fm.AttrSet].typeName))
	}
	f.Comment(fmt.Sprintf("%s is the %q format of %s: %s.", name, fm.Value, si.iface, oneLine(desc)))
	f.Type().Id(name).Struct(fields...)
	f.Comment("Selector returns " + fmt.Sprintf("%q", fm.Value) + ".")
	f.Func().Params(recv.Clone()).Id("Selector").Params().String().Block(jen.Return(jen.Lit(fm.Value)))
	f.Func().Params(recv.Clone()).Id(si.marker).Params().Block()

	size := []jen.Code{}
	var sum *jen.Statement = jen.Lit(0)
	if fm.FixedHeader != nil {
		sum = jen.Id("Size" + fm.FixedHeader.GoName)
	}
	if fm.AttrSet != nil {
		sum = sum.Op("+").Id("v").Dot("Attrs").Dot("EncodedLen").Call()
	}
	size = append(size, jen.Return(sum))
	f.Comment("EncodedLen is the payload's exact size.")
	f.Func().Params(recv.Clone()).Id("EncodedLen").Params().Int().Block(size...)

	enc := []jen.Code{}
	if fm.FixedHeader != nil {
		enc = append(enc, g.structAppend(fm.FixedHeader, jen.Id("v").Dot("Header")))
	}
	if fm.AttrSet != nil {
		enc = append(enc, jen.Return(jen.Id("v").Dot("Attrs").Dot("AppendBinary").Call(jen.Id("b"))))
	} else {
		enc = append(enc, jen.Return(jen.Id("b"), jen.Nil()))
	}
	f.Comment("AppendBinary appends the payload (without the attribute header) to b.")
	f.Func().Params(recv.Clone()).Id("AppendBinary").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(enc...)

	dec := []jen.Code{}
	rest := jen.Id("p")
	if fm.FixedHeader != nil {
		hs := jen.Id("Size" + fm.FixedHeader.GoName)
		dec = append(dec,
			jen.If(jen.Len(jen.Id("p")).Op("<").Add(hs.Clone())).Block(
				jen.Return(jen.Qual(g.nlattr, "LengthError").Call(jen.Lit(0), jen.Lit(g.fam.Name+"."+si.def.Name+" "+fm.Value), jen.Id("p"),
					jen.Lit(fmt.Sprintf("at least %d bytes (struct %s)", fm.FixedHeader.Size, fm.FixedHeader.CName))))),
			g.structDecode(fm.FixedHeader, jen.Id("v").Dot("Header"), jen.Id("p").Index(jen.Op(":").Add(hs.Clone()))))
		rest = jen.Id("p").Index(hs.Clone().Op(":"))
	}
	if fm.AttrSet != nil {
		dec = append(dec, jen.Return(jen.Id("v").Dot("Attrs").Dot("Decode").Call(rest, jen.Id("o"))))
	} else {
		dec = append(dec, jen.Return(jen.Nil()))
	}
	f.Comment("Decode reads the payload p into v (see the attribute sets' Decode).")
	f.Func().Params(recv.Clone()).Id("Decode").Params(jen.Id("p").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Error().Block(dec...)
}

func (g *familyGen) renderRawFormat(f *jen.File, si *subMsgInfo) {
	recv := jen.Id("v").Op("*").Id(si.raw)
	f.Comment(si.raw + " is a " + si.iface + " whose selector value the spec does not list (or which")
	f.Comment("came with no selector): Data holds the payload as received and is sent unchanged.")
	f.Type().Id(si.raw).Struct(
		jen.Comment("Value is the selector's value."),
		jen.Id("Value").String(),
		jen.Id("Data").Index().Byte(),
	)
	f.Comment("Selector returns v.Value.")
	f.Func().Params(recv.Clone()).Id("Selector").Params().String().Block(jen.Return(jen.Id("v").Dot("Value")))
	f.Func().Params(recv.Clone()).Id(si.marker).Params().Block()
	f.Comment("EncodedLen is len(v.Data).")
	f.Func().Params(recv.Clone()).Id("EncodedLen").Params().Int().Block(jen.Return(jen.Len(jen.Id("v").Dot("Data"))))
	f.Comment("AppendBinary appends v.Data to b.")
	f.Func().Params(recv.Clone()).Id("AppendBinary").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Append(jen.Id("b"), jen.Id("v").Dot("Data").Op("...")), jen.Nil()))
}

func (g *familyGen) renderSubMsgDecode(f *jen.File, si *subMsgInfo) {
	var cases []jen.Code
	for _, fm := range si.def.Formats {
		cases = append(cases, jen.Case(jen.Lit(fm.Value)).Block(
			jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("prev").Assert(jen.Op("*").Id(si.formats[fm])),
			// A typed nil the caller left in the field is not a value to reuse.
			jen.If(jen.Op("!").Id("ok").Op("||").Id("v").Op("==").Nil()).Block(jen.Id("v").Op("=").Op("&").Id(si.formats[fm]).Values()),
			jen.Return(jen.Id("v"), jen.Id("v").Dot("Decode").Call(jen.Id("p"), jen.Id("o")))))
	}
	cases = append(cases, jen.Default().Block(
		jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("prev").Assert(jen.Op("*").Id(si.raw)),
		jen.If(jen.Op("!").Id("ok").Op("||").Id("v").Op("==").Nil()).Block(jen.Id("v").Op("=").Op("&").Id(si.raw).Values()),
		jen.Op("*").Id("v").Op("=").Id(si.raw).Values(jen.Dict{jen.Id("Value"): jen.Id("selector"), jen.Id("Data"): jen.Id("o").Dot("Bytes").Call(jen.Id("p"))}),
		jen.Return(jen.Id("v"), jen.Nil())))
	f.Comment(si.decode + " decodes payload p in the format selector names, into prev when it")
	f.Comment("holds that format (a value of an earlier Decode, recycled).")
	f.Func().Id(si.decode).Params(jen.Id("selector").String(), jen.Id("p").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions"), jen.Id("prev").Id(si.iface)).
		Params(jen.Id(si.iface), jen.Error()).Block(jen.Switch(jen.Id("selector")).Block(cases...))
}

// selectorFill is the statements writing selector field fd from format
// value string sel with use: as it is for a string, as the entry it names
// for an enum, when it names one. sized says use needs the value only
// for its size.
func (g *familyGen) selectorFill(fd field, sel *jen.Statement, sized bool, use func(v *jen.Statement) []jen.Code) []jen.Code {
	if isString(fd.attr.Kind) {
		return use(sel)
	}
	v := jen.Id("v")
	if _, fixed := ir.FixedWireLen(fd.elem); fixed && sized {
		v = jen.Id("_")
	}
	return []jen.Code{jen.If(jen.List(v, jen.Id("ok")).Op(":=").Id("parse"+fd.attr.Enum.GoName).Call(sel), jen.Id("ok")).Block(
		use(jen.Id("v"))...)}
}
