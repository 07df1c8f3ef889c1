package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// kindCodec is everything the Go generator knows about one attribute
// kind, as ynl_gen_c.py gives each type one class owning its member, put
// and get: how a set's struct holds it, the Go type of one value, its
// encoded size, and the code that appends and decodes it. codecOf is the
// one place that finds a kind's codec; the generator's other functions
// ask the codec, so a new kind is a new ir type plus one codec here
// (TestEveryKindHasCodec and the every-kind golden spec enforce it).
//
// The wire facts (fixed sizes, a string's NUL) come from the ir kind; a
// codec only spells them in Go.
type kindCodec interface {
	// field is how attribute a (not multi-attr) is held in its set's
	// struct, and the kind of one value: the element for an indexed
	// array, else a's kind.
	field(g *familyGen, a *ir.Attr) (shape, ir.Kind)
	// goType is the Go type of one value of attribute a.
	goType(g *familyGen, a *ir.Attr) *jen.Statement
	// size is an expression for the encoded size (header, payload,
	// padding) of value v; elemSize answers a kind of fixed length from
	// ir.FixedWireLen before asking.
	size(g *familyGen, v *jen.Statement) *jen.Statement
	// appendValue is the statements appending value v of attribute a as
	// attribute type typ; errors name path.
	appendValue(g *familyGen, a *ir.Attr, v, typ *jen.Statement, path string) []jen.Code
	// decode is the statements decoding payload p into a value v and
	// handing it to store. typ is the attribute type for error messages.
	decode(g *familyGen, a *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code
	// heldByPointer reports whether an ordered list's element holds the
	// value by pointer (nil is an empty value rather than a zero copy).
	heldByPointer(g *familyGen) bool
	// byteOrder is the sentence a field's doc gives on its values' byte
	// order, "" when it has none.
	byteOrder() string
	// hint is the display-hint helper (hints.go) a single attribute a of
	// the kind gets, if any.
	hint(a *ir.Attr) hintHelper
}

// codecOf is the codec of kind k: the generator's one switch over kinds.
func codecOf(k ir.Kind) kindCodec {
	switch k := k.(type) {
	case ir.Scalar:
		return scalarCodec{k: k}
	case ir.String:
		return stringCodec{}
	case ir.Flag:
		return flagCodec{}
	case ir.Binary:
		switch {
		case k.Struct != nil:
			return structCodec{s: k.Struct}
		case k.Elem != nil:
			return arrayCodec{k: k}
		}
		return bytesCodec{}
	case ir.Bitfield32:
		return bitfield32Codec{}
	case ir.Nest:
		return nestCodec{k: k}
	case ir.IndexedArray:
		return indexedCodec{noValue{k.YNL()}, k}
	case ir.NestTypeValue:
		return typeValueCodec{noValue{k.YNL()}}
	case ir.SubMsg:
		return subMsgCodec{k: k}
	case ir.Unused, ir.Pad:
		return noWireCodec{noValue{k.YNL()}}
	}
	// Unreachable once a kind has a case above; TestEveryKindHasCodec
	// walks ir.AllKinds to keep it so.
	panic(fmt.Sprintf("golang: no codec for attribute kind %T (add one in codec.go)", k))
}

// valueDefaults are the answers shared by most kinds.
type valueDefaults struct{}

func (valueDefaults) field(_ *familyGen, a *ir.Attr) (shape, ir.Kind) { return shapeOptional, a.Kind }
func (valueDefaults) heldByPointer(*familyGen) bool                   { return false }
func (valueDefaults) byteOrder() string                               { return "" }
func (valueDefaults) hint(*ir.Attr) hintHelper                        { return hintHelper{} }

// noValue is embedded by kinds a set holds other than as single values
// (arrays of elements, type-value entries, reserved ids); the generator
// never asks them for one value's code, as their field shape says.
type noValue struct{ what string }

func (n noValue) fail(op string) string {
	return fmt.Sprintf("golang: %s attributes have no single value to %s", n.what, op)
}
func (n noValue) goType(*familyGen, *ir.Attr) *jen.Statement { panic(n.fail("type")) }
func (n noValue) size(*familyGen, *jen.Statement) *jen.Statement {
	panic(n.fail("size"))
}
func (n noValue) appendValue(*familyGen, *ir.Attr, *jen.Statement, *jen.Statement, string) []jen.Code {
	panic(n.fail("append"))
}
func (n noValue) decode(*familyGen, *ir.Attr, *jen.Statement, string, func(jen.Code) jen.Code) []jen.Code {
	panic(n.fail("decode"))
}
func (noValue) heldByPointer(*familyGen) bool { return false }
func (noValue) hint(*ir.Attr) hintHelper      { return hintHelper{} }

// scalarCodec: u8..u64, s8..s64, uint, sint, as nlattr.Optional[T]; an
// enum attribute takes the enum's Go type.
type scalarCodec struct {
	valueDefaults
	k ir.Scalar
}

func (c scalarCodec) goType(g *familyGen, a *ir.Attr) *jen.Statement {
	if a.Enum != nil && (!a.EnumAsFlags || a.Enum.IsFlags) {
		if name, ok := g.enumType(a.Enum, c.k.Bits); ok {
			return jen.Id(name)
		}
	}
	return scalarGoType(c.k)
}

func (c scalarCodec) size(g *familyGen, v *jen.Statement) *jen.Statement {
	if c.k.Signed {
		return jen.Qual(g.nlattr, "SizeSint").Call(jen.Int64().Call(v))
	}
	return jen.Qual(g.nlattr, "SizeUint").Call(jen.Uint64().Call(v))
}

func (c scalarCodec) appendValue(g *familyGen, a *ir.Attr, v, typ *jen.Statement, path string) []jen.Code {
	fn, _, wire := scalarFuncs(c.k)
	put := jen.Id("b").Op("=").Qual(g.nlattr, fn).Call(jen.Id("b"), typ.Clone(), wire.Call(v.Clone()))
	if !g.enumWiderThanWire(a, c.k) {
		return []jen.Code{put}
	}
	// The enum's Go type is wider than the attribute: refuse to truncate.
	return []jen.Code{
		jen.Id("err").Op("=").Qual(g.nlattr, "CheckWidth").Call(typ.Clone(), jen.Uint64().Call(v.Clone()), jen.Lit(c.k.Bits)),
		g.returnErr(typ.Clone(), path),
		put,
	}
}

func (c scalarCodec) decode(g *familyGen, a *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	_, fn, _ := scalarFuncs(c.k)
	return []jen.Code{
		jen.List(jen.Id("v"), jen.Id("err")).Op(":=").Qual(g.nlattr, fn).Call(jen.Id("p")),
		g.annotate(typ, path),
		store(c.goType(g, a).Call(jen.Id("v"))),
	}
}

// A plain u32 may hold an IPv4 address.
func (c scalarCodec) hint(a *ir.Attr) hintHelper {
	if a.Enum == nil && !c.k.Variable && !c.k.Signed && c.k.Bits == 32 {
		return hintOf(a.DisplayHint, true, -1)
	}
	return hintHelper{}
}

func (c scalarCodec) byteOrder() string {
	if c.k.Variable {
		return "Host byte order on the wire, 4 or 8 bytes."
	}
	return byteOrderDoc(c.k)
}

// stringCodec: a NUL-terminated string, as nlattr.Optional[string].
type stringCodec struct{ valueDefaults }

func (stringCodec) goType(*familyGen, *ir.Attr) *jen.Statement { return jen.String() }

func (stringCodec) size(g *familyGen, v *jen.Statement) *jen.Statement {
	return jen.Qual(g.nlattr, "SizeString").Call(v)
}

func (stringCodec) appendValue(g *familyGen, a *ir.Attr, v, typ *jen.Statement, path string) []jen.Code {
	// The checks are a's own or, for an element of an indexed array of
	// strings, the array's: they bound each element as its decoder does.
	if a.Checks.ExactLen != nil {
		return []jen.Code{
			jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "AppendStringExact").Call(jen.Id("b"), typ.Clone(), v, jen.Lit(int(a.Checks.ExactLen.Value))),
			g.returnErr(typ.Clone(), path),
		}
	}
	if c := a.Checks.MinLen; c != nil && c.Value > 0 {
		// Linux ignores min-len on a string (ynl-gen-c has no policy for
		// it), but the Windows driver's NL_POLICY minLen holds it, and the
		// decoder checks it.
		return []jen.Code{
			jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "AppendStringRange").Call(jen.Id("b"), typ.Clone(), v, jen.Lit(int(c.Value)), g.encodeLimit(a)),
			g.returnErr(typ.Clone(), path),
		}
	}
	return []jen.Code{
		jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "AppendStringMax").Call(jen.Id("b"), typ.Clone(), v, g.encodeLimit(a)),
		g.returnErr(typ.Clone(), path),
	}
}

func (stringCodec) decode(g *familyGen, a *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	// The string rules below are for a string attribute; an element of an
	// indexed array of strings gets the array's checks as they are.
	_, single := a.Kind.(ir.String)
	// A string accepts the larger of its Linux and Windows limits: a value
	// either platform may send must decode wherever it is read.
	c := a.Checks
	if single && a.WinMaxLen != nil {
		c.MaxLen = nil
		if linux, windows := stringLimits(a); linux >= 0 && windows >= 0 {
			c.MaxLen = &ir.Limit{Value: int64(max(linux, windows))}
		}
	}
	out := g.lengthChecks(a, c, typ, path)
	if single && c.MaxLen != nil {
		// An unterminated payload of max+1 bytes is max+1 characters, as
		// the kernel counts them: too long, and it could not be re-encoded.
		// Checking the length and the last byte first keeps the scan for a
		// NUL off the path of every well-formed string.
		out = append(out, jen.If(jen.Len(jen.Id("p")).Op(">").Lit(int(c.MaxLen.Value)).Op("&&").
			Id("p").Index(jen.Len(jen.Id("p")).Op("-").Lit(1)).Op("!=").Lit(0).Op("&&").
			Len(jen.Qual(g.nlattr, "StringView").Call(jen.Id("p"))).Op(">").Lit(int(c.MaxLen.Value))).Block(
			g.lengthErr(typ.Clone(), path, fmt.Sprintf("at most %d characters", c.MaxLen.Value))))
	}
	return append(out,
		// The Windows driver's NL_A_STRING: NUL-terminated, no embedded NUL.
		jen.If(jen.Id("o").Dot("Strict")).Block(
			jen.If(jen.Id("err").Op(":=").Qual(g.nlattr, "CheckString").Call(jen.Id("p")), jen.Id("err").Op("!=").Nil()).Block(
				jen.Return(jen.Qual(g.nlattr, "Annotate").Call(jen.Id("err"), typ.Clone(), jen.Lit(path))))),
		jen.Id("v").Op(":=").Id("o").Dot("String").Call(jen.Id("p")),
		store(jen.Id("v")),
	)
}

// stringLimits are the most characters a string attribute may hold on
// Linux (the spec's max-len) and on Windows (the overlay's policies),
// -1 when unbounded. A Windows-only family has no Linux peer: the
// overlay's limit is its only one.
func stringLimits(a *ir.Attr) (linux, windows int) {
	linux = -1
	if a.Checks.MaxLen != nil {
		linux = int(a.Checks.MaxLen.Value)
	}
	windows = linux
	if a.WinMaxLen != nil {
		windows = int(a.WinMaxLen.Value)
		if w := a.Set.Family.Win; w != nil && w.WindowsOnly {
			linux = windows
		}
	}
	return linux, windows
}

// encodeLimit is the limit an encoder checks a string against: the
// spec's, or, when Windows differs, the one of the platform the program
// is built for (nlattr.PlatformLimit).
func (g *familyGen) encodeLimit(a *ir.Attr) jen.Code {
	linux, windows := stringLimits(a)
	if linux == windows {
		return jen.Lit(linux)
	}
	return jen.Qual(g.nlattr, "PlatformLimit").Call(jen.Lit(linux), jen.Lit(windows))
}

// limitDoc documents, on the attribute's field, a string limit that comes
// from the Windows overlay.
func limitDoc(field string, a *ir.Attr) []string {
	if a.WinMaxLen == nil {
		return nil
	}
	linux, windows := stringLimits(a)
	say := func(n int) string {
		if n < 0 {
			return "unbounded"
		}
		return fmt.Sprintf("at most %d bytes before the NUL", n)
	}
	// The policy's maxLen is the macro the overlay names (the limit is
	// that macro less the NUL), or a number.
	macro := a.WinMaxLen.Const
	if macro == "" {
		macro = fmt.Sprint(windows + 1)
	}
	policy := fmt.Sprintf("the overlay's NL_POLICY maxLen %s = %d, NUL included", macro, windows+1)
	if windows < 0 {
		policy = fmt.Sprintf("the overlay's NL_POLICY maxLen %s, whose value macro-values does not give", macro)
	}
	if linux == windows {
		return []string{fmt.Sprintf("%s is %s (%s).", field, say(windows), policy)}
	}
	return []string{
		fmt.Sprintf("%s on Linux: %s (the spec's max-len);", field, say(linux)),
		fmt.Sprintf("on Windows: %s (%s).", say(windows), policy),
		"Decode accepts either; AppendBinary checks the limit of the platform it is built for.",
	}
}

// flagCodec: a zero-length attribute whose presence is its value, a bool.
type flagCodec struct{ valueDefaults }

func (flagCodec) field(_ *familyGen, a *ir.Attr) (shape, ir.Kind) { return shapeFlag, a.Kind }
func (flagCodec) goType(*familyGen, *ir.Attr) *jen.Statement      { return jen.Bool() }

func (flagCodec) size(*familyGen, *jen.Statement) *jen.Statement {
	n, _ := ir.FixedWireLen(ir.Flag{})
	return jen.Lit(n)
}

func (flagCodec) appendValue(g *familyGen, _ *ir.Attr, _, typ *jen.Statement, _ string) []jen.Code {
	return []jen.Code{jen.Id("b").Op("=").Qual(g.nlattr, "AppendFlag").Call(jen.Id("b"), typ)}
}

func (flagCodec) decode(g *familyGen, _ *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	return []jen.Code{
		jen.If(jen.Id("err").Op(":=").Qual(g.nlattr, "Flag").Call(jen.Id("p")), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Qual(g.nlattr, "Annotate").Call(jen.Id("err"), typ.Clone(), jen.Lit(path)))),
		store(jen.True()),
	}
}

// bytesCodec: opaque binary, a []byte that is nil when absent.
type bytesCodec struct{ valueDefaults }

func (bytesCodec) field(_ *familyGen, a *ir.Attr) (shape, ir.Kind) { return shapeSlice, a.Kind }
func (bytesCodec) goType(*familyGen, *ir.Attr) *jen.Statement      { return jen.Index().Byte() }

func (bytesCodec) hint(a *ir.Attr) hintHelper { return hintOf(a.DisplayHint, false, 0) }

func (bytesCodec) size(g *familyGen, v *jen.Statement) *jen.Statement {
	return jen.Qual(g.nlattr, "SizeBytes").Call(jen.Len(v))
}

func (bytesCodec) appendValue(g *familyGen, _ *ir.Attr, v, typ *jen.Statement, path string) []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "AppendBytesChecked").Call(jen.Id("b"), typ.Clone(), v),
		g.returnErr(typ.Clone(), path),
	}
}

func (bytesCodec) decode(g *familyGen, a *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	out := g.lengthChecks(a, a.Checks, typ, path)
	// A present but empty payload must stay non-nil, or it would read as absent.
	return append(out,
		jen.Id("v").Op(":=").Id("o").Dot("Bytes").Call(jen.Id("p")),
		jen.If(jen.Id("v").Op("==").Nil()).Block(jen.Id("v").Op("=").Index().Byte().Values()),
		store(jen.Id("v")))
}

// structCodec: binary holding exactly one fixed struct, as
// nlattr.Optional[T] of the struct's Go type.
type structCodec struct {
	valueDefaults
	s *ir.Struct
}

func (c structCodec) goType(*familyGen, *ir.Attr) *jen.Statement { return jen.Id(c.s.GoName) }

func (c structCodec) size(*familyGen, *jen.Statement) *jen.Statement {
	n, _ := ir.FixedWireLen(ir.Binary{Struct: c.s})
	return jen.Lit(n)
}

func (c structCodec) appendValue(g *familyGen, _ *ir.Attr, v, typ *jen.Statement, _ string) []jen.Code {
	return []jen.Code{
		jen.Id("b").Op("=").Qual(g.nlattr, "AppendHeader").Call(jen.Id("b"), typ, jen.Id("Size"+c.s.GoName)),
		g.structAppend(c.s, v),
		jen.Id("b").Op("=").Qual(g.nlattr, "Pad").Call(jen.Id("b")),
	}
}

func (c structCodec) decode(g *familyGen, _ *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	return []jen.Code{
		c.checkLen(g, typ.Clone(), path),
		jen.Var().Id("v").Id(c.s.GoName),
		g.structDecode(c.s, jen.Id("v"), c.known(g)),
		store(jen.Id("v")),
	}
}

// checkLen refuses a payload that is not the struct. Classic netlink
// structs grow with the kernel (struct ipv6_devconf, rtnl_link_stats64:
// a 6.12 kernel sends a longer ipv6_devconf than the 6.12 spec
// describes), so a netlink-raw family's decoder reads the members it
// knows from a longer payload, as the kernel's YNL CLI does; genetlink
// payloads must match exactly.
func (c structCodec) checkLen(g *familyGen, typ *jen.Statement, path string) jen.Code {
	if g.raw() {
		return jen.If(jen.Len(jen.Id("p")).Op("<").Id("Size" + c.s.GoName)).Block(
			g.lengthErr(typ, path, fmt.Sprintf("at least %d bytes (struct %s)", c.s.Size, c.s.CName)))
	}
	return jen.If(jen.Len(jen.Id("p")).Op("!=").Id("Size" + c.s.GoName)).Block(
		g.lengthErr(typ, path, fmt.Sprintf("%d bytes (struct %s)", c.s.Size, c.s.CName)))
}

// known is the part of payload p the struct's members describe.
func (c structCodec) known(g *familyGen) *jen.Statement {
	if g.raw() {
		return jen.Id("p").Index(jen.Op(":").Id("Size" + c.s.GoName))
	}
	return jen.Id("p")
}

// inPlaceDecoder is a codec that decodes an nlattr.Optional field in
// place rather than through a temporary value.
type inPlaceDecoder interface {
	decodeInPlace(g *familyGen, field, typ *jen.Statement, path string) []jen.Code
}

// decodeInPlace decodes straight into the field: no temporary copy of
// the struct.
func (c structCodec) decodeInPlace(g *familyGen, field, typ *jen.Statement, path string) []jen.Code {
	return []jen.Code{
		c.checkLen(g, typ, path),
		g.structDecode(c.s, field.Clone().Dot("Value"), c.known(g)),
		field.Clone().Dot("Present").Op("=").True(),
	}
}

// A nil fixed struct in an ordered list encodes as zeroes.
func (structCodec) heldByPointer(*familyGen) bool { return true }

// arrayCodec: binary as a C array of fixed-width scalars (sub-type), a
// []T that is nil when absent.
type arrayCodec struct {
	valueDefaults
	k ir.Binary
}

func (c arrayCodec) field(_ *familyGen, a *ir.Attr) (shape, ir.Kind) { return shapeSlice, a.Kind }
func (c arrayCodec) goType(*familyGen, *ir.Attr) *jen.Statement {
	return jen.Index().Add(scalarGoType(*c.k.Elem))
}

func (c arrayCodec) size(g *familyGen, v *jen.Statement) *jen.Statement {
	return jen.Qual(g.nlattr, "SizeBytes").Call(jen.Len(v).Op("*").Lit(c.k.Elem.Bytes()))
}

func (c arrayCodec) appendValue(g *familyGen, _ *ir.Attr, v, typ *jen.Statement, path string) []jen.Code {
	e := c.k.Elem
	n := e.Bytes()
	put := jen.Id("b").Op("=").Add(byteOrder(*e)).Dot(fmt.Sprintf("AppendUint%d", e.Bits)).
		Call(jen.Id("b"), jen.Id(fmt.Sprintf("uint%d", e.Bits)).Call(jen.Id("x")))
	if n == 1 {
		put = jen.Id("b").Op("=").Append(jen.Id("b"), jen.Byte().Call(jen.Id("x")))
	}
	return []jen.Code{
		jen.Id("err").Op("=").Qual(g.nlattr, "CheckLen").Call(typ.Clone(), jen.Len(v.Clone()).Op("*").Lit(n)),
		g.returnErr(typ.Clone(), path),
		jen.Id("b").Op("=").Qual(g.nlattr, "AppendHeader").Call(jen.Id("b"), typ.Clone(), jen.Len(v.Clone()).Op("*").Lit(n)),
		jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Add(v)).Block(put),
		jen.Id("b").Op("=").Qual(g.nlattr, "Pad").Call(jen.Id("b")),
	}
}

func (c arrayCodec) decode(g *familyGen, _ *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	return c.decodeReusing(g, typ, path, nil, store)
}

// reusingDecoder is a codec whose slice field Decode refills when its
// backing array is large enough; reuse is the field's previous value.
type reusingDecoder interface {
	decodeReusing(g *familyGen, typ *jen.Statement, path string, reuse jen.Code, store func(v jen.Code) jen.Code) []jen.Code
}

// decodeReusing decodes the array payload into v. With a
// reuse slice (the field's previous value) its backing array is used
// again when it is large enough; a present empty array stays non-nil.
func (c arrayCodec) decodeReusing(g *familyGen, typ *jen.Statement, path string, reuse jen.Code, store func(v jen.Code) jen.Code) []jen.Code {
	k := c.k
	n := k.Elem.Bytes()
	var get jen.Code = byteOrder(*k.Elem).Dot(fmt.Sprintf("Uint%d", k.Elem.Bits)).Call(jen.Id("p").Index(jen.Id("i").Op("*").Lit(n).Op(":")))
	if n == 1 {
		get = jen.Id("p").Index(jen.Id("i"))
	}
	elem := scalarGoType(*k.Elem)
	out := []jen.Code{
		jen.If(jen.Len(jen.Id("p")).Op("%").Lit(n).Op("!=").Lit(0)).Block(
			g.lengthErr(typ.Clone(), path, fmt.Sprintf("a multiple of %d bytes", n))),
	}
	if reuse == nil {
		out = append(out, jen.Id("v").Op(":=").Make(jen.Index().Add(elem), jen.Len(jen.Id("p")).Op("/").Lit(n)))
	} else {
		out = append(out,
			jen.Id("v").Op(":=").Add(reuse),
			jen.If(jen.Id("v").Op("==").Nil().Op("||").Cap(jen.Id("v")).Op("<").Len(jen.Id("p")).Op("/").Lit(n)).Block(
				jen.Id("v").Op("=").Make(jen.Index().Add(elem.Clone()), jen.Len(jen.Id("p")).Op("/").Lit(n)),
			).Else().Block(
				jen.Id("v").Op("=").Id("v").Index(jen.Op(":").Len(jen.Id("p")).Op("/").Lit(n))))
	}
	return append(out,
		jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(
			jen.Id("v").Index(jen.Id("i")).Op("=").Add(elem.Clone()).Call(get)),
		store(jen.Id("v")))
}

func (c arrayCodec) byteOrder() string { return byteOrderDoc(*c.k.Elem) }

// bitfield32Codec: struct nla_bitfield32, as nlattr.Optional[nlattr.Bitfield32].
type bitfield32Codec struct{ valueDefaults }

func (bitfield32Codec) goType(g *familyGen, _ *ir.Attr) *jen.Statement {
	return jen.Qual(g.nlattr, "Bitfield32")
}

func (bitfield32Codec) size(*familyGen, *jen.Statement) *jen.Statement {
	n, _ := ir.FixedWireLen(ir.Bitfield32{})
	return jen.Lit(n)
}

func (bitfield32Codec) appendValue(g *familyGen, _ *ir.Attr, v, typ *jen.Statement, _ string) []jen.Code {
	return []jen.Code{jen.Id("b").Op("=").Qual(g.nlattr, "AppendBitfield32").Call(jen.Id("b"), typ, v)}
}

func (bitfield32Codec) decode(g *familyGen, _ *ir.Attr, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("v"), jen.Id("err")).Op(":=").Qual(g.nlattr, "DecodeBitfield32").Call(jen.Id("p")),
		g.annotate(typ, path),
		store(jen.Id("v")),
	}
}

// nestCodec: a nested set, held as *Set (or, for an ordered-list set, its
// slice type), nil when absent.
type nestCodec struct {
	valueDefaults
	k ir.Nest
}

func (c nestCodec) field(g *familyGen, a *ir.Attr) (shape, ir.Kind) {
	if g.setByName[c.k.Set].ordered {
		return shapeList, a.Kind
	}
	return shapeNest, a.Kind
}

func (c nestCodec) goType(g *familyGen, _ *ir.Attr) *jen.Statement {
	return jen.Id(g.setByName[c.k.Set].typeName)
}

func (nestCodec) size(g *familyGen, v *jen.Statement) *jen.Statement {
	return jen.Qual(g.nlattr, "SizeNest").Call(v.Dot("EncodedLen").Call())
}

func (nestCodec) appendValue(g *familyGen, _ *ir.Attr, v, typ *jen.Statement, path string) []jen.Code {
	return []jen.Code{jen.Block(
		jen.Var().Id("start").Int(),
		jen.List(jen.Id("b"), jen.Id("start")).Op("=").Qual(g.nlattr, "BeginNest").Call(jen.Id("b"), typ.Clone()),
		jen.If(jen.List(jen.Id("b"), jen.Id("err")).Op("=").Add(v).Dot("AppendBinary").Call(jen.Id("b")), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Id("b"), jen.Id("err"))),
		jen.List(jen.Id("b"), jen.Id("err")).Op("=").Qual(g.nlattr, "EndNestChecked").Call(jen.Id("b"), jen.Id("start")),
		g.returnErr(typ.Clone(), path),
	)}
}

func (c nestCodec) decode(g *familyGen, _ *ir.Attr, _ *jen.Statement, _ string, store func(v jen.Code) jen.Code) []jen.Code {
	return []jen.Code{
		jen.Var().Id("v").Id(g.setByName[c.k.Set].typeName),
		jen.If(jen.Id("err").Op(":=").Add(g.decodeFresh(jen.Id("v"), c.k.Set)), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Id("err"))),
		store(jen.Id("v")),
	}
}

// A struct-like nest in an ordered list is held by pointer; an ordered
// list's own slice type is nil when empty.
func (c nestCodec) heldByPointer(g *familyGen) bool { return !g.setByName[c.k.Set].ordered }

// indexedCodec: a nest of elements whose attribute type is the index, a
// []T of the element's Go type; the element kind's codec does the rest.
type indexedCodec struct {
	noValue
	k ir.IndexedArray
}

func (c indexedCodec) field(*familyGen, *ir.Attr) (shape, ir.Kind) { return shapeIndexed, c.k.Elem }
func (c indexedCodec) byteOrder() string {
	if s, ok := c.k.Elem.(ir.Scalar); ok {
		return byteOrderDoc(s)
	}
	return ""
}

// typeValueCodec: nests keyed by attribute type, a []Entry (typevalue.go).
type typeValueCodec struct{ noValue }

func (typeValueCodec) field(_ *familyGen, a *ir.Attr) (shape, ir.Kind) {
	return shapeTypeValue, a.Kind
}
func (typeValueCodec) byteOrder() string { return "" }

// noWireCodec: unused and pad attributes reserve ids and are never held.
type noWireCodec struct{ noValue }

func (noWireCodec) field(_ *familyGen, a *ir.Attr) (shape, ir.Kind) { return shapeOptional, a.Kind }
func (noWireCodec) byteOrder() string                               { return "" }
