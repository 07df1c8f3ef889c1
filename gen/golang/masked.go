package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// A masked nest (x-nlgen-masked, docs/masked.md) carries one attribute
// of its set whose payload is the value immediately followed by a mask
// of the same length: OVS_ACTION_ATTR_SET_MASKED as the kernel's
// flow_netlink.c validates and dumps it. Its Go type holds each allowed
// attribute as nlattr.Optional[nlattr.Masked[T]].

// maskedCodec is a kind codec that a masked nest can carry: the IR admits
// fixed-width scalars and structs only, whose codecs implement it.
type maskedCodec interface {
	// halfSize is the size of the value (and of the mask), as a number and
	// as the expression the generated code uses.
	halfSize() (int, *jen.Statement)
	// appendHalf appends value or mask x without a header.
	appendHalf(g *familyGen, x *jen.Statement) jen.Code
	// decodeHalves checks payload p is a value then a mask (lengthErr:
	// the error returned when not) and stores them in field, an
	// nlattr.Optional[nlattr.Masked[T]] of attribute a.
	decodeHalves(g *familyGen, a *ir.Attr, field *jen.Statement, lengthErr jen.Code) []jen.Code
}

// maskedOf is the masked codec of attribute a's kind.
func maskedOf(a *ir.Attr) maskedCodec {
	if c, ok := codecOf(a.Kind).(maskedCodec); ok {
		return c
	}
	panic(fmt.Sprintf("golang: %s cannot be masked", a.Kind)) // the IR admits scalars and structs only
}

func (c scalarCodec) halfSize() (int, *jen.Statement) { return c.k.Bytes(), jen.Lit(c.k.Bytes()) }

func (c scalarCodec) appendHalf(_ *familyGen, x *jen.Statement) jen.Code {
	if c.k.Bits == 8 {
		return jen.Id("b").Op("=").Append(jen.Id("b"), jen.Byte().Call(x))
	}
	return jen.Id("b").Op("=").Add(byteOrder(c.k)).Dot(fmt.Sprintf("AppendUint%d", c.k.Bits)).Call(jen.Id("b"), jen.Id(fmt.Sprintf("uint%d", c.k.Bits)).Call(x))
}

func (c scalarCodec) decodeHalves(g *familyGen, a *ir.Attr, field *jen.Statement, lengthErr jen.Code) []jen.Code {
	elem := c.goType(g, a)
	get := func(p *jen.Statement) jen.Code {
		if c.k.Bits == 8 {
			return elem.Clone().Call(p.Index(jen.Lit(0)))
		}
		return elem.Clone().Call(byteOrder(c.k).Dot(fmt.Sprintf("Uint%d", c.k.Bits)).Call(p))
	}
	return []jen.Code{
		jen.If(jen.Len(jen.Id("p")).Op("!=").Lit(2 * c.k.Bytes())).Block(lengthErr),
		field.Op("=").Qual(g.nlattr, "Some").Call(jen.Qual(g.nlattr, "Masked").Types(elem.Clone()).Values(jen.Dict{
			jen.Id("Value"): get(jen.Id("p")),
			jen.Id("Mask"):  get(jen.Id("p").Index(jen.Lit(c.k.Bytes()).Op(":"))),
		})),
	}
}

func (c structCodec) halfSize() (int, *jen.Statement) { return c.s.Size, jen.Id("Size" + c.s.GoName) }

func (c structCodec) appendHalf(g *familyGen, x *jen.Statement) jen.Code {
	return g.structAppend(c.s, x)
}

func (c structCodec) decodeHalves(g *familyGen, _ *ir.Attr, field *jen.Statement, lengthErr jen.Code) []jen.Code {
	_, size := c.halfSize()
	v := field.Clone().Dot("Value")
	return []jen.Code{
		jen.If(jen.Len(jen.Id("p")).Op("!=").Lit(2).Op("*").Add(size.Clone())).Block(lengthErr),
		g.structDecode(c.s, v.Clone().Dot("Value"), jen.Id("p").Index(jen.Op(":").Add(size.Clone()))),
		g.structDecode(c.s, v.Clone().Dot("Mask"), jen.Id("p").Index(size.Clone().Op(":"))),
		field.Clone().Dot("Present").Op("=").True(),
	}
}

func (g *familyGen) renderMasked(f *jen.File, si *setInfo) {
	fds := g.fields(si)
	f.Comment(fmt.Sprintf("%s is one attribute of %s as a masked nest carries it: its value", si.typeName, si.set.SubsetOf.Name))
	f.Comment("followed by a mask of the same length (OVS_ACTION_ATTR_SET_MASKED). Exactly one")
	f.Comment("field is present; Value must be zero wherever Mask is.")
	var members []jen.Code
	for _, fd := range fds {
		members = append(members, jen.Id(fd.name).Qual(g.nlattr, "Optional").Types(
			jen.Qual(g.nlattr, "Masked").Types(g.elemType(fd.attr, fd.attr.Kind))))
	}
	members = append(members,
		jen.Comment(si.unknown+" keeps attributes this schema does not know, in order, for re-encoding."),
		jen.Id(si.unknown).Index().Qual(g.nlattr, "Unknown"))
	f.Type().Id(si.typeName).Struct(members...)

	// EncodedLen
	body := []jen.Code{
		jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Lit(0))),
		jen.Id("n").Op(":=").Qual(g.nlattr, "SizeUnknowns").Call(jen.Id("s").Dot(si.unknown)),
	}
	for _, fd := range fds {
		n, _ := maskedOf(fd.attr).halfSize()
		body = append(body, jen.If(jen.Id("s").Dot(fd.name).Dot("Present")).Block(jen.Id("n").Op("+=").Lit(ir.AttrHeaderLen+ir.Align4(2*n))))
	}
	body = append(body, jen.Return(jen.Id("n")))
	f.Comment("EncodedLen is the exact number of bytes AppendBinary appends.")
	f.Func().Params(recvOf(si)).Id("EncodedLen").Params().Int().Block(body...)

	// AppendBinary
	count := []jen.Code{jen.Id("count").Op(":=").Len(jen.Id("s").Dot(si.unknown))}
	for _, fd := range fds {
		count = append(count, jen.If(jen.Id("s").Dot(fd.name).Dot("Present")).Block(jen.Id("count").Op("++")))
	}
	body = []jen.Code{jen.If(jen.Id("s").Op("==").Nil()).Block(jen.Return(jen.Id("b"), jen.Nil()))}
	body = append(body, count...)
	body = append(body, jen.If(jen.Id("count").Op("!=").Lit(1)).Block(
		jen.Return(jen.Id("b"), jen.Qual(g.nlattr, "MaskedCountError").Call(jen.Lit(si.pathLabel), jen.Id("count")))))
	for _, fd := range fds {
		mc := maskedOf(fd.attr)
		_, size := mc.halfSize()
		typ := jen.Id(g.attrConst(fd.attr))
		v := jen.Id("s").Dot(fd.name).Dot("Value")
		body = append(body, jen.If(jen.Id("s").Dot(fd.name).Dot("Present")).Block(
			jen.Id("start").Op(":=").Len(jen.Id("b")),
			jen.Id("b").Op("=").Qual(g.nlattr, "AppendHeader").Call(jen.Id("b"), typ.Clone(), jen.Lit(2).Op("*").Add(size)),
			mc.appendHalf(g, v.Clone().Dot("Value")),
			mc.appendHalf(g, v.Clone().Dot("Mask")),
			jen.If(jen.Id("err").Op(":=").Qual(g.nlattr, "CheckMasked").Call(typ.Clone(), jen.Id("b").Index(jen.Id("start").Op("+").Qual(g.nlattr, "HeaderLen").Op(":"))), jen.Id("err").Op("!=").Nil()).Block(
				jen.Return(jen.Id("b").Index(jen.Op(":").Id("start")), jen.Qual(g.nlattr, "Annotate").Call(jen.Id("err"), typ.Clone(), jen.Lit(fd.path)))),
			jen.Id("b").Op("=").Qual(g.nlattr, "Pad").Call(jen.Id("b")),
		))
	}
	body = append(body,
		jen.Id("b").Op("=").Qual(g.nlattr, "AppendUnknowns").Call(jen.Id("b"), jen.Id("s").Dot(si.unknown)),
		jen.Return(jen.Id("b"), jen.Nil()))
	f.Comment("AppendBinary appends the one present attribute as value then mask. A value bit")
	f.Comment("outside the mask is an error wrapping nlattr.ErrRange, as the kernel refuses it;")
	f.Comment("none or several present attributes are nlattr.ErrLength.")
	f.Func().Params(recvOf(si)).Id("AppendBinary").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(body...)

	// Decode
	var cases []jen.Code
	for _, fd := range fds {
		mc := maskedOf(fd.attr)
		n, _ := mc.halfSize()
		typ := jen.Id(g.attrConst(fd.attr))
		what := fmt.Sprintf("%d bytes (value then mask, %d each)", 2*n, n)
		cases = append(cases, jen.Case(typ.Clone()).Block(
			mc.decodeHalves(g, fd.attr, jen.Id("s").Dot(fd.name), g.lengthErr(typ.Clone(), fd.path, what))...))
	}
	cases = append(cases, jen.Default().Block(
		jen.List(jen.Id("u"), jen.Id("err")).Op(":=").Id("o").Dot("Unknown").Call(jen.Id("typ"), jen.Id("p"), jen.Lit(si.pathLabel)),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))),
		jen.Id("s").Dot(si.unknown).Op("=").Append(jen.Id("s").Dot(si.unknown), jen.Id("u")),
	))
	f.Comment("Decode reads a masked nest into s, replacing its contents; each attribute's")
	f.Comment("payload must be exactly twice its size (value then mask). Unknown attributes")
	f.Comment("are kept, or rejected with o.Strict.")
	f.Func().Params(recvOf(si)).Id("Decode").Params(jen.Id("b").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Error().Block(
		jen.Op("*").Id("s").Op("=").Id(si.typeName).Values(),
		g.decodeLoop(cases),
		jen.Return(jen.Nil()))
	g.renderMarshal(f, si)
}
