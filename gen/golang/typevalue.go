package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// Nest-type-value attributes (nlctrl's policy dumps) nest their values one
// level per key, using the key as the attribute type:
// attr { key1 { key2 { value set } } }. Go flattens that into a list of
// entries holding every key and the value. Without type-value keys
// (ynl-gen-c parses the attribute's payload as the set itself) each entry
// is one attribute nesting its value, so a list of them round-trips as
// the repeated attribute it is on the wire.

func (g *familyGen) typeValueKeys(fd field) []string {
	var keys []string
	for _, k := range fd.attr.Kind.(ir.NestTypeValue).TypeValue {
		keys = append(keys, ir.GoExported(k))
	}
	return keys
}

func (g *familyGen) renderEntryType(f *jen.File, fd field) {
	k := fd.attr.Kind.(ir.NestTypeValue)
	var members []jen.Code
	for i, key := range g.typeValueKeys(fd) {
		members = append(members, jen.Comment(fmt.Sprintf("%s is the attribute type of nesting level %d (%s).", key, i+1, k.TypeValue[i])),
			jen.Id(key).Uint16())
	}
	members = append(members, jen.Id("Value").Id(g.setByName[k.Set].typeName))
	f.Comment(g.entryDoc(fd))
	f.Type().Id(g.entryType(fd)).Struct(members...)
}

// sizeTypeValue adds the encoded size of a nest-type-value attribute.
func (g *familyGen) sizeTypeValue(fd field, v func() *jen.Statement) jen.Code {
	depth := len(fd.attr.Kind.(ir.NestTypeValue).TypeValue)
	value := v().Index(jen.Id("i")).Dot("Value").Dot("EncodedLen").Call()
	if depth == 0 {
		return jen.For(jen.Id("i").Op(":=").Range().Add(v())).Block(
			jen.Id("n").Op("+=").Lit(4).Op("+").Add(value))
	}
	return jen.If(v().Op("!=").Nil()).Block(
		jen.Id("n").Op("+=").Lit(4),
		jen.For(jen.Id("i").Op(":=").Range().Add(v())).Block(
			jen.Id("n").Op("+=").Lit(4*depth).Op("+").Add(value)))
}

// entryDoc documents the entry type of a nest-type-value attribute.
func (g *familyGen) entryDoc(fd field) string {
	if len(fd.attr.Kind.(ir.NestTypeValue).TypeValue) == 0 {
		return fmt.Sprintf("%s is one value of the %s attribute, which has no type-value keys: each value is an attribute of its own.", g.entryType(fd), fd.attr.Name)
	}
	return fmt.Sprintf("%s is one value of the %s attribute with its keys.", g.entryType(fd), fd.attr.Name)
}

func (g *familyGen) appendTypeValue(fd field, typ *jen.Statement) []jen.Code {
	keys := g.typeValueKeys(fd)
	entry := func() *jen.Statement { return jen.Id("s").Dot(fd.name).Index(jen.Id("i")) }
	if len(keys) == 0 {
		return []jen.Code{jen.For(jen.Id("i").Op(":=").Range().Id("s").Dot(fd.name)).Block(
			jen.Var().Id("start").Int(),
			jen.List(jen.Id("b"), jen.Id("start")).Op("=").Qual(g.nlattr, "BeginNest").Call(jen.Id("b"), typ.Clone()),
			jen.If(jen.List(jen.Id("b"), jen.Id("err")).Op("=").Add(entry()).Dot("Value").Dot("AppendBinary").Call(jen.Id("b")),
				jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("b"), jen.Id("err"))),
			jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "EndNestChecked").Call(jen.Id("b"), jen.Id("start")),
			g.returnErr(typ.Clone(), fd.path),
		)}
	}
	var inner []jen.Code
	for i, key := range keys {
		inner = append(inner, jen.List(jen.Id("b"), jen.Id("starts").Index(jen.Lit(i))).Op("=").
			Qual(g.nlattr, "BeginNest").Call(jen.Id("b"), entry().Dot(key)))
	}
	inner = append(inner, jen.If(jen.List(jen.Id("b"), jen.Id("err")).Op("=").Add(entry()).Dot("Value").Dot("AppendBinary").Call(jen.Id("b")),
		jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("b"), jen.Id("err"))))
	for i := len(keys) - 1; i >= 0; i-- {
		inner = append(inner,
			jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "EndNestChecked").Call(jen.Id("b"), jen.Id("starts").Index(jen.Lit(i))),
			g.returnErr(typ.Clone(), fd.path))
	}
	return []jen.Code{jen.If(jen.Id("s").Dot(fd.name).Op("!=").Nil()).Block(
		jen.Var().Id("outer").Int(),
		jen.Var().Id("starts").Index(jen.Lit(len(keys))).Int(),
		jen.List(jen.Id("b"), jen.Id("outer")).Op("=").Qual(g.nlattr, "BeginNest").Call(jen.Id("b"), typ.Clone()),
		jen.For(jen.Id("i").Op(":=").Range().Id("s").Dot(fd.name)).Block(inner...),
		jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "EndNestChecked").Call(jen.Id("b"), jen.Id("outer")),
		g.returnErr(typ.Clone(), fd.path),
	)}
}

func (g *familyGen) decodeTypeValue(fd field, typ *jen.Statement) []jen.Code {
	keys := g.typeValueKeys(fd)
	set := g.setByName[fd.attr.Kind.(ir.NestTypeValue).Set]
	lvl := func(i int) string { return fmt.Sprintf("level%d", i) }
	var entry jen.Dict = jen.Dict{}
	for i, key := range keys {
		entry[jen.Id(key)] = jen.Id(lvl(i)).Dot("Type").Call()
	}
	entry[jen.Id("Value")] = jen.Id("v")
	value := jen.Id("p")
	if len(keys) > 0 {
		value = jen.Id(lvl(len(keys) - 1)).Dot("Payload").Call()
	}
	// Built inside out: the innermost loop decodes the value.
	body := []jen.Code{
		jen.Var().Id("v").Id(set.typeName),
		jen.If(jen.Id("err").Op(":=").Id("v").Dot("Decode").Call(value, jen.Id("o")),
			jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))),
		jen.Id("s").Dot(fd.name).Op("=").Append(jen.Id("s").Dot(fd.name), jen.Id(g.entryType(fd)).Values(entry)),
	}
	for i := len(keys) - 1; i >= 0; i-- {
		src := jen.Id("p")
		if i > 0 {
			src = jen.Id(lvl(i - 1)).Dot("Payload").Call()
		}
		body = []jen.Code{
			jen.Id(lvl(i)).Op(":=").Qual(g.nlattr, "NewIter").Call(src),
			jen.For(jen.Id(lvl(i)).Dot("Next").Call()).Block(body...),
			jen.If(jen.Id("err").Op(":=").Id(lvl(i)).Dot("Err").Call(), jen.Id("err").Op("!=").Nil()).Block(
				jen.Return(jen.Qual(g.nlattr, "Annotate").Call(jen.Id("err"), typ.Clone(), jen.Lit(fd.path)))),
		}
	}
	if len(keys) == 0 {
		return body
	}
	// An empty outer nest is present: keep the slice non-nil.
	return append([]jen.Code{jen.If(jen.Id("s").Dot(fd.name).Op("==").Nil()).Block(
		jen.Id("s").Dot(fd.name).Op("=").Index().Id(g.entryType(fd)).Values())}, body...)
}
