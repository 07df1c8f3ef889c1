package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// An ordered list is a set whose every attribute is multi-attr (see
// isOrderedList). A struct would lose the order and interleaving of its
// attributes, which is their meaning for OVS actions, so the set becomes
// `type ActionAttrs []ActionAttr`: one tagged element per attribute, in
// wire order, re-encoded byte for byte.

// listMember is how one attribute of an ordered list is held in the element.
type listMember struct {
	attr *ir.Attr
	name string // element field, "" for flags (the Type says it all)
	typ  *jen.Statement
	ptr  bool   // fixed structs and nested sets are held by pointer
	id   string // the attribute id constant
}

func (g *familyGen) listMembers(si *setInfo) []listMember {
	var out []listMember
	for _, a := range si.set.Attrs {
		if !ir.OnWire(a.Kind) {
			continue
		}
		m := listMember{attr: a, name: a.GoName, id: g.attrConst(a)}
		c := codecOf(a.Kind)
		if sh, _ := c.field(g, a); sh == shapeFlag {
			m.name = ""
		} else {
			m.typ = c.goType(g, a)
			if c.heldByPointer(g) {
				m.ptr, m.typ = true, jen.Op("*").Add(m.typ)
			}
		}
		out = append(out, m)
	}
	return out
}

// listFieldNames are the element's own fields, which attributes must not take.
var listFieldNames = []string{"Type", "Data"}

func (g *familyGen) renderList(f *jen.File, si *setInfo) {
	members := g.listMembers(si)
	taken := map[string]bool{}
	for _, n := range listFieldNames {
		taken[n] = true
	}
	for i := range members {
		if members[i].name != "" {
			members[i].name = freeName(taken, members[i].name, members[i].name+"Value")
		}
	}
	elem, list := si.elemName, si.typeName

	f.Comment(fmt.Sprintf("%s is the %s attribute set as an ordered list: every attribute of the", list, si.set.Name))
	f.Comment("set may repeat and their order is their meaning, so the attributes are kept one")
	f.Comment("element each, in wire order, and re-encoded in that order. A nil list is absent;")
	f.Comment("an empty non-nil list is an empty nest.")
	if d := oneLine(si.set.Doc); d != "" {
		f.Comment(d)
	}
	f.Type().Id(list).Index().Id(elem)

	f.Comment(fmt.Sprintf("%s is one element of %s: one attribute. Type is the attribute id", elem, list))
	f.Comment("(Attr" + si.set.GoName + "...) and selects the one field holding the value; flags carry")
	f.Comment("none. Build elements with the " + elem + "<Attr> constructors. An attribute this schema")
	f.Comment("does not know keeps its raw nla_type (flag bits included) in Type and its payload in Data.")
	fields := []jen.Code{jen.Id("Type").Uint16()}
	for _, m := range members {
		if m.name == "" {
			continue
		}
		if d := docComment(m.name, m.attr.Doc); d != "" {
			fields = append(fields, jen.Comment(d))
		}
		fields = append(fields, jen.Id(m.name).Add(m.typ.Clone()))
	}
	fields = append(fields, jen.Id("Data").Index().Byte())
	f.Type().Id(elem).Struct(fields...)

	for _, m := range members {
		ctor := elem + m.attr.GoName
		if m.name == "" {
			f.Comment(fmt.Sprintf("%s is the %s flag as a list element.", ctor, m.attr.Name))
			f.Func().Id(ctor).Params().Id(elem).Block(jen.Return(jen.Id(elem).Values(jen.Dict{jen.Id("Type"): jen.Id(m.id)})))
			continue
		}
		f.Comment(fmt.Sprintf("%s is a %s attribute as a list element.", ctor, m.attr.Name))
		f.Func().Id(ctor).Params(jen.Id("v").Add(m.typ.Clone())).Id(elem).Block(
			jen.Return(jen.Id(elem).Values(jen.Dict{jen.Id("Type"): jen.Id(m.id), jen.Id(m.name): jen.Id("v")})))
	}

	g.renderListEncode(f, si, members)
	g.renderListDecode(f, si, members)
	f.Comment("MarshalBinary encodes s into a new, exactly sized buffer.")
	f.Func().Params(jen.Id("s").Id(list)).Id("MarshalBinary").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("s").Dot("AppendBinary").Call(jen.Make(jen.Index().Byte(), jen.Lit(0), jen.Id("s").Dot("EncodedLen").Call()))))
	f.Comment("UnmarshalBinary decodes b into s, copying every byte slice so b may be reused.")
	f.Func().Params(jen.Id("s").Op("*").Id(list)).Id("UnmarshalBinary").Params(jen.Id("b").Index().Byte()).Error().Block(
		jen.Return(jen.Id("s").Dot("Decode").Call(jen.Id("b"), jen.Qual(g.nlattr, "DecodeOptions").Values(jen.Dict{jen.Id("Copy"): jen.True()}))))
}

func (g *familyGen) renderListEncode(f *jen.File, si *setInfo, members []listMember) {
	list := si.typeName
	var sizeCases, appendCases []jen.Code
	for _, m := range members {
		typ := jen.Id(m.id)
		path := si.pathLabel + "." + m.attr.Name
		if m.name == "" {
			sizeCases = append(sizeCases, jen.Case(typ.Clone()).Block(jen.Id("n").Op("+=").Add(g.elemSize(m.attr.Kind, nil))))
			appendCases = append(appendCases, jen.Case(typ.Clone()).Block(g.elemAppend(m.attr, m.attr.Kind, nil, typ.Clone(), path)...))
			continue
		}
		v := jen.Id("e").Dot(m.name)
		if k, ok := m.attr.Kind.(ir.Binary); ok && k.Struct != nil {
			// A nil fixed struct encodes as zeroes, like a zero value would.
			sizeCases = append(sizeCases, jen.Case(typ.Clone()).Block(jen.Id("n").Op("+=").Add(g.elemSize(k, nil))))
			appendCases = append(appendCases, jen.Case(typ.Clone()).Block(append([]jen.Code{
				jen.Var().Id("v").Id(k.Struct.GoName),
				jen.If(v.Clone().Op("!=").Nil()).Block(jen.Id("v").Op("=").Op("*").Add(v.Clone())),
			}, g.elemAppend(m.attr, k, jen.Id("v"), typ.Clone(), path)...)...))
			continue
		}
		// Nested sets' EncodedLen/AppendBinary accept a nil receiver: an empty nest.
		sizeCases = append(sizeCases, jen.Case(typ.Clone()).Block(jen.Id("n").Op("+=").Add(g.elemSize(m.attr.Kind, v.Clone()))))
		appendCases = append(appendCases, jen.Case(typ.Clone()).Block(g.elemAppend(m.attr, m.attr.Kind, v.Clone(), typ.Clone(), path)...))
	}
	sizeCases = append(sizeCases, jen.Default().Block(jen.Id("n").Op("+=").Qual(g.nlattr, "SizeBytes").Call(jen.Len(jen.Id("e").Dot("Data")))))
	appendCases = append(appendCases, jen.Default().Block(
		jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "AppendBytesChecked").Call(jen.Id("b"), jen.Id("e").Dot("Type"), jen.Id("e").Dot("Data")),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("b"), jen.Id("err")))))

	each := func(body ...jen.Code) jen.Code {
		return jen.For(jen.Id("i").Op(":=").Range().Id("s")).Block(
			append([]jen.Code{jen.Id("e").Op(":=").Op("&").Id("s").Index(jen.Id("i"))}, body...)...)
	}
	f.Comment("EncodedLen is the exact number of bytes AppendBinary appends.")
	f.Func().Params(jen.Id("s").Id(list)).Id("EncodedLen").Params().Int().Block(
		jen.Id("n").Op(":=").Lit(0),
		each(jen.Switch(jen.Id("e").Dot("Type")).Block(sizeCases...)),
		jen.Return(jen.Id("n")))
	f.Comment("AppendBinary appends the elements of s to b in order, without allocating into a")
	f.Comment("buffer with room.")
	f.Func().Params(jen.Id("s").Id(list)).Id("AppendBinary").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Var().Id("err").Error(),
		each(jen.Switch(jen.Id("e").Dot("Type")).Block(appendCases...)),
		jen.Return(jen.Id("b"), jen.Nil()))
}

func (g *familyGen) renderListDecode(f *jen.File, si *setInfo, members []listMember) {
	elem, list := si.elemName, si.typeName
	var cases []jen.Code
	for _, m := range members {
		typ := jen.Id(m.id)
		path := si.pathLabel + "." + m.attr.Name
		store := func(x jen.Code) jen.Code {
			d := jen.Dict{jen.Id("Type"): typ.Clone()}
			if m.name != "" {
				if m.ptr {
					x = jen.Op("&").Add(x)
				}
				d[jen.Id(m.name)] = x
			}
			return jen.Id("list").Op("=").Append(jen.Id("list"), jen.Id(elem).Values(d))
		}
		if k, ok := m.attr.Kind.(ir.Nest); ok && m.ptr {
			cases = append(cases, jen.Case(typ.Clone()).Block(g.listNestDecode(m, k, elem)...))
			continue
		}
		cases = append(cases, jen.Case(typ.Clone()).Block(g.elemDecode(m.attr, m.attr.Kind, typ.Clone(), path, store)...))
	}
	cases = append(cases, g.padCases(si.set)...)
	cases = append(cases, jen.Default().Block(
		jen.List(jen.Id("u"), jen.Id("err")).Op(":=").Id("o").Dot("Unknown").Call(jen.Id("typ"), jen.Id("p"), jen.Lit(si.pathLabel)),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))),
		jen.Id("list").Op("=").Append(jen.Id("list"), jen.Id(elem).Values(jen.Dict{jen.Id("Type"): jen.Id("u").Dot("Type"), jen.Id("Data"): jen.Id("u").Dot("Data")})),
	))
	f.Comment("Decode replaces s with the attributes in b, in order, reusing the backing array of")
	f.Comment("s. The result is non-nil (present) even when b is empty. Byte slices alias b unless")
	f.Comment("o.Copy is set; strings are copies unless o.AliasStrings.")
	body := []jen.Code{
		jen.Id("list").Op(":=").Parens(jen.Op("*").Id("s")).Index(jen.Op(":").Lit(0)),
		// Sized once: growing by append would allocate up to log2(n) times.
		jen.If(jen.Cap(jen.Id("list")).Op("==").Lit(0)).Block(
			jen.Id("list").Op("=").Make(jen.Id(list), jen.Lit(0), jen.Qual(g.nlattr, "Count").Call(jen.Id("b")))),
	}
	body = append(body, g.decodeLoop(cases), jen.Op("*").Id("s").Op("=").Id("list"), jen.Return(jen.Nil()))
	f.Func().Params(jen.Id("s").Op("*").Id(list)).Id("Decode").Params(jen.Id("b").Index().Byte(), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Error().Block(body...)
}

// listNestDecode decodes a nested set held by pointer, reusing the nest of
// the element previously in this slot when it has the same type, so a
// receive loop decoding into one list does not reallocate its nests.
func (g *familyGen) listNestDecode(m listMember, k ir.Nest, elem string) []jen.Code {
	typeName := g.setByName[k.Set].typeName
	v := func() *jen.Statement { return jen.Id("v") }
	return []jen.Code{
		jen.Var().Id("v").Op("*").Id(typeName),
		jen.If(jen.Len(jen.Id("list")).Op("<").Cap(jen.Id("list"))).Block(
			jen.If(jen.Id("old").Op(":=").Op("&").Id("list").Index(jen.Op(":").Len(jen.Id("list")).Op("+").Lit(1)).Index(jen.Len(jen.Id("list"))),
				jen.Id("old").Dot("Type").Op("==").Id(m.id)).Block(
				v().Op("=").Id("old").Dot(m.name))),
		jen.If(v().Op("==").Nil()).Block(
			v().Op("=").New(jen.Id(typeName)),
			jen.If(jen.Id("err").Op(":=").Add(g.decodeFresh(v(), k.Set)), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))),
		).Else().If(jen.Id("err").Op(":=").Add(v()).Dot("Decode").Call(jen.Id("p"), jen.Id("o")), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Id("err"))),
		jen.Id("list").Op("=").Append(jen.Id("list"), jen.Id(elem).Values(jen.Dict{jen.Id("Type"): jen.Id(m.id), jen.Id(m.name): v()})),
	}
}
