package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// Fixed C structs are mirrored as plain Go structs and encoded member by
// member at their declared offsets and byte order, so the Go layout (and
// its padding) never matters and no unsafe is needed.

const binaryPkg = "encoding/binary"

func (g *familyGen) renderStructs(f *jen.File) {
	for _, s := range g.fam.Structs {
		if a := g.alias.structs[s]; a != nil {
			g.renderStructAlias(f, s, a)
			continue
		}
		g.renderStruct(f, s)
	}
}

func (g *familyGen) renderStruct(f *jen.File, s *ir.Struct) {
	f.Comment(fmt.Sprintf("%s is struct %s (%d bytes on the wire, packed).", s.GoName, s.CName, s.Size))
	if d := oneLine(s.Doc); d != "" {
		f.Comment(d)
	}
	var fields []jen.Code
	for _, m := range s.Members {
		if m.IsPad() {
			// Pad members carry nothing: no field, zeros on the wire.
			continue
		}
		order := ""
		if m.Type != "string" && m.Type != "binary" {
			order = byteOrderDoc(memberScalar(m))
		}
		for _, d := range fieldDocs(g.names.member[m], m.Doc, order, g.names.helpers[m]) {
			fields = append(fields, jen.Comment(d))
		}
		fields = append(fields, jen.Id(g.names.member[m]).Add(g.memberType(m)))
	}
	f.Type().Id(s.GoName).Struct(fields...)

	recv := jen.Id("s").Op("*").Id(s.GoName)
	f.Comment(fmt.Sprintf("Size%s is the encoded size of %s.", s.GoName, s.GoName))
	f.Const().Id("Size" + s.GoName).Op("=").Lit(s.Size)

	// appendWire and decodeWire are what attribute codecs call; the
	// exported methods follow encoding's interfaces for standalone use.
	var enc []jen.Code
	for _, m := range s.Members {
		enc = append(enc, g.appendMember(m, jen.Id("s").Dot(g.names.member[m])))
	}
	enc = append(enc, jen.Return(jen.Id("b")))
	f.Func().Params(recv.Clone()).Id("appendWire").Params(jen.Id("b").Index().Byte()).Index().Byte().Block(enc...)

	var dec []jen.Code
	for _, m := range s.Members {
		if m.IsPad() {
			continue
		}
		dec = append(dec, g.decodeMember(m, jen.Id("s").Dot(g.names.member[m]), jen.Id("p").Index(jen.Lit(m.Offset).Op(":").Lit(m.Offset+m.Size))))
	}
	f.Comment("decodeWire reads p, which the caller has checked is exactly Size" + s.GoName + " bytes.")
	f.Func().Params(recv.Clone()).Id("decodeWire").Params(jen.Id("p").Index().Byte()).Block(dec...)

	f.Comment("AppendBinary appends the packed wire form of s to b.")
	f.Func().Params(recv.Clone()).Id("AppendBinary").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("s").Dot("appendWire").Call(jen.Id("b")), jen.Nil()),
	)
	f.Comment("UnmarshalBinary reads the packed wire form; p must be exactly Size" + s.GoName + " bytes.")
	f.Func().Params(recv.Clone()).Id("UnmarshalBinary").Params(jen.Id("p").Index().Byte()).Error().Block(
		jen.If(jen.Len(jen.Id("p")).Op("!=").Id("Size"+s.GoName)).Block(
			jen.Return(jen.Op("&").Qual(g.nlattr, "AttrError").Values(jen.Dict{
				jen.Id("Path"): jen.Lit(g.fam.Name + "." + s.Name),
				jen.Id("Len"):  jen.Len(jen.Id("p")),
				jen.Id("Want"): jen.Lit(fmt.Sprintf("%d bytes", s.Size)),
				jen.Id("Err"):  jen.Qual(g.nlattr, "ErrLength"),
			})),
		),
		jen.Id("s").Dot("decodeWire").Call(jen.Id("p")),
		jen.Return(jen.Nil()),
	)
	g.renderMemberHints(f, s)
}

// memberType is the Go type of a struct member.
func (g *familyGen) memberType(m *ir.Member) jen.Code {
	switch {
	case m.Struct != nil:
		return jen.Id(m.Struct.GoName)
	case m.Type == "string" || m.Type == "binary":
		return jen.Index(jen.Lit(m.Size)).Byte()
	}
	k := memberScalar(m)
	if name, ok := g.enumType(m.Enum, k.Bits); ok {
		return jen.Id(name)
	}
	return scalarGoType(k)
}

func memberScalar(m *ir.Member) ir.Scalar {
	var bits int
	fmt.Sscanf(m.Type[1:], "%d", &bits)
	return ir.Scalar{Bits: bits, Signed: m.Type[0] == 's', BigEndian: m.BigEndian}
}

func scalarGoType(k ir.Scalar) *jen.Statement {
	name := fmt.Sprintf("uint%d", k.Bits)
	if k.Signed {
		name = fmt.Sprintf("int%d", k.Bits)
	}
	return jen.Id(name)
}

func byteOrder(k ir.Scalar) *jen.Statement {
	if k.BigEndian {
		return jen.Qual(binaryPkg, "BigEndian")
	}
	return jen.Qual(binaryPkg, "NativeEndian")
}

// appendMember is a statement appending member value v to b.
func (g *familyGen) appendMember(m *ir.Member, v *jen.Statement) jen.Code {
	b := jen.Id("b").Op("=")
	switch {
	case m.IsPad():
		// The compiler appends zeros in place for append(b, make(...)...).
		return b.Append(jen.Id("b"), jen.Make(jen.Index().Byte(), jen.Lit(m.Size)).Op("..."))
	case m.Struct != nil:
		return g.structAppend(m.Struct, v)
	case m.Type == "string" || m.Type == "binary":
		return b.Append(jen.Id("b"), v.Index(jen.Op(":")).Op("..."))
	}
	k := memberScalar(m)
	u := jen.Id(fmt.Sprintf("uint%d", k.Bits)).Call(v)
	if k.Bits == 8 {
		return b.Append(jen.Id("b"), u)
	}
	return b.Add(byteOrder(k)).Dot(fmt.Sprintf("AppendUint%d", k.Bits)).Call(jen.Id("b"), u)
}

// structAppend is a statement appending struct value v (addressable) to b.
// A struct aliased from another package has only its exported encoder,
// which never fails.
func (g *familyGen) structAppend(s *ir.Struct, v *jen.Statement) jen.Code {
	if g.alias.structs[s] != nil {
		return jen.List(jen.Id("b"), jen.Id("_")).Op("=").Add(v).Dot("AppendBinary").Call(jen.Id("b"))
	}
	return jen.Id("b").Op("=").Add(v).Dot("appendWire").Call(jen.Id("b"))
}

// structDecode is a statement reading struct value v (addressable) from p,
// which the caller has checked is exactly the struct's size, so the
// exported decoder of an aliased struct cannot fail either.
func (g *familyGen) structDecode(s *ir.Struct, v, p *jen.Statement) jen.Code {
	if g.alias.structs[s] != nil {
		return jen.Id("_").Op("=").Add(v).Dot("UnmarshalBinary").Call(p)
	}
	return v.Dot("decodeWire").Call(p)
}

// decodeMember is a statement storing the member read from p (exactly its size) into dst.
func (g *familyGen) decodeMember(m *ir.Member, dst, p *jen.Statement) jen.Code {
	switch {
	case m.Struct != nil:
		return g.structDecode(m.Struct, dst, p)
	case m.Type == "string" || m.Type == "binary":
		return jen.Copy(dst.Index(jen.Op(":")), p)
	}
	k := memberScalar(m)
	var raw *jen.Statement
	if k.Bits == 8 {
		raw = p.Index(jen.Lit(0))
	} else {
		raw = byteOrder(k).Dot(fmt.Sprintf("Uint%d", k.Bits)).Call(p)
	}
	return dst.Op("=").Add(g.memberType(m)).Call(raw)
}
