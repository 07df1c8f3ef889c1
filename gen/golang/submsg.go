package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// A netlink-raw sub-message attribute (rt_link's linkinfo data) carries
// one of several payload formats, chosen by the value of a selector
// attribute (linkinfo kind "bridge", "vlan" ...). In Go it is a sealed
// interface with one struct per format, so a value always knows its
// selector: the encoder writes the selector from the value when the
// selector field is absent (and refuses a selector that disagrees), and
// the decoder picks the format from the selector decoded before it, as
// the kernel's YNL CLI does (lib/ynl.py _decode_sub_msg). A selector
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
		jen.List(jen.Id("v"), jen.Id("err")).Op(":=").Id(g.subMsgs[c.k.Def].decode).Call(g.selectorValue(c.k), jen.Id("p"), jen.Id("o"), reuse),
		g.annotate(typ, path),
		store(jen.Id("v")),
	}
}

// selectorValue is the selector's value, as a format value string, for
// the decoder of a sub-message in the set being rendered (g.cur): the
// selector field decoded before it. A selector in an enclosing set
// (SelectorDepth > 0, tc's stats app) or one this type does not hold is
// not known here: "" selects no format, and the payload stays raw.
func (g *familyGen) selectorValue(k ir.SubMsg) jen.Code {
	name, ok := g.selectorField(k)
	if !ok {
		return jen.Lit("")
	}
	v := jen.Id("s").Dot(name)
	switch sk := k.Selector.Kind.(type) {
	case ir.String:
		return v.Dot("Value")
	case ir.Scalar:
		if _, ok := g.enumType(k.Selector.Enum, sk.Bits); ok && !k.Selector.EnumAsFlags {
			// The format values are the enum's entry names, which is
			// what the enum's String returns.
			return v.Dot("Value").Dot("String").Call()
		}
		return jen.Qual("strconv", "FormatUint").Call(jen.Uint64().Call(v.Dot("Value")), jen.Lit(10))
	}
	return jen.Lit("")
}

// selectorField is the field of the set being rendered that holds the
// selector of sub-message kind k, when it holds it as an Optional value.
func (g *familyGen) selectorField(k ir.SubMsg) (string, bool) {
	if g.cur == nil || k.SelectorDepth != 0 {
		return "", false
	}
	name, ok := g.cur.fieldOf[k.Selector]
	if !ok || k.Selector.MultiAttr {
		return "", false
	}
	held := false
	for _, a := range g.cur.attrs {
		held = held || a == k.Selector
	}
	if !held {
		return "", false
	}
	switch k.Selector.Kind.(type) {
	case ir.String, ir.Scalar:
		return name, true
	}
	return "", false
}

// selectedBy are the single sub-message fields of the set being rendered
// whose string selector is attribute sel: the encoder writes sel from
// them when it is absent.
func (g *familyGen) selectedBy(sel *ir.Attr, fds []field) []field {
	if _, str := sel.Kind.(ir.String); !str {
		return nil
	}
	var out []field
	for _, fd := range fds {
		if k, ok := fd.attr.Kind.(ir.SubMsg); ok && fd.shape == shapeSlice && k.Selector == sel {
			if _, held := g.selectorField(k); held {
				out = append(out, fd)
			}
		}
	}
	return out
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
	f.Comment("arrived before its selector): Data holds the payload as received and is sent unchanged.")
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
			jen.If(jen.Op("!").Id("ok")).Block(jen.Id("v").Op("=").Op("&").Id(si.formats[fm]).Values()),
			jen.Return(jen.Id("v"), jen.Id("v").Dot("Decode").Call(jen.Id("p"), jen.Id("o")))))
	}
	cases = append(cases, jen.Default().Block(
		jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("prev").Assert(jen.Op("*").Id(si.raw)),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Id("v").Op("=").Op("&").Id(si.raw).Values()),
		jen.Op("*").Id("v").Op("=").Id(si.raw).Values(jen.Dict{jen.Id("Value"): jen.Id("selector"), jen.Id("Data"): jen.Id("o").Dot("Bytes").Call(jen.Id("p"))}),
		jen.Return(jen.Id("v"), jen.Nil())))
	f.Comment(si.decode + " decodes payload p in the format selector names, into prev when it")
	f.Comment("holds that format (a value of an earlier Decode, recycled).")
	f.Func().Id(si.decode).Params(jen.Id("selector").String(), jen.Id("p").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions"), jen.Id("prev").Id(si.iface)).
		Params(jen.Id(si.iface), jen.Error()).Block(jen.Switch(jen.Id("selector")).Block(cases...))
}
