package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// shape is how an attribute is held in its set's struct. Every shape keeps
// "absent" apart from the zero value: Optional for values, nil for slices
// and nests, false for flags (a flag's presence is its value).
type shape int

const (
	shapeOptional  shape = iota // nlattr.Optional[T]
	shapeFlag                   // bool
	shapeSlice                  // []byte or []T of a binary sub-type array; nil = absent
	shapeNest                   // *Set; nil = absent
	shapeMulti                  // []T, one attribute per element
	shapeIndexed                // []T, one nest of elements
	shapeTypeValue              // []Entry, nests keyed by attribute type
	shapeList                   // a nest of an ordered-list set: its slice type; nil = absent
)

// field is one attribute of a set as Go sees it.
type field struct {
	attr  *ir.Attr
	name  string
	shape shape
	elem  ir.Kind // the kind of one value (for indexed arrays, of one element)
	path  string  // for error messages, e.g. "ovs_vport.vport.name"
}

func (g *familyGen) fieldOf(si *setInfo, a *ir.Attr) field {
	fd := field{attr: a, name: si.fieldOf[a], path: si.pathLabel + "." + a.Name}
	fd.shape, fd.elem = codecOf(a.Kind).field(g, a)
	if a.MultiAttr && fd.shape != shapeIndexed && fd.shape != shapeTypeValue {
		fd.shape = shapeMulti
	}
	return fd
}

// enumWiderThanWire reports whether a's Go type is an enum type wider than
// the fixed-width integer k it travels in (a u8 or u16 attribute with a
// 32-bit enum type), so encoding must check the value fits.
func (g *familyGen) enumWiderThanWire(a *ir.Attr, k ir.Scalar) bool {
	if k.Variable || a.Enum == nil || (a.EnumAsFlags && !a.Enum.IsFlags) {
		return false
	}
	if _, ok := g.enumType(a.Enum, k.Bits); !ok {
		return false
	}
	return g.enumTypes[a.Enum].bits > k.Bits
}

// elemType is the Go type of one value of kind k of attribute a.
func (g *familyGen) elemType(a *ir.Attr, k ir.Kind) *jen.Statement {
	return codecOf(k).goType(g, a)
}

// goType is the struct field type of fd.
func (g *familyGen) goType(fd field) *jen.Statement {
	switch fd.shape {
	case shapeFlag:
		return jen.Bool()
	case shapeSlice, shapeList:
		return g.elemType(fd.attr, fd.elem)
	case shapeNest:
		return jen.Op("*").Add(g.elemType(fd.attr, fd.elem))
	case shapeMulti, shapeIndexed:
		return jen.Index().Add(g.elemType(fd.attr, fd.elem))
	case shapeTypeValue:
		return jen.Index().Id(g.entryType(fd))
	}
	return jen.Qual(g.nlattr, "Optional").Types(g.elemType(fd.attr, fd.elem))
}

// entryType names the element type of a nest-type-value attribute.
func (g *familyGen) entryType(fd field) string {
	return fd.attr.Set.GoName + fd.attr.GoName + "Entry"
}

// scalarFuncs names the nlattr encoder and getter of a scalar and the Go
// type they work in; signed big-endian values go through the unsigned ones.
func scalarFuncs(k ir.Scalar) (appendFn, getFn string, wire *jen.Statement) {
	switch {
	case k.Variable && k.Signed:
		return "AppendSint", "Sint", jen.Int64()
	case k.Variable:
		return "AppendUint", "Uint", jen.Uint64()
	case k.BigEndian && k.Bits > 8:
		return fmt.Sprintf("AppendBE%d", k.Bits), fmt.Sprintf("BE%d", k.Bits), jen.Id(fmt.Sprintf("uint%d", k.Bits))
	case k.Signed:
		return fmt.Sprintf("AppendS%d", k.Bits), fmt.Sprintf("S%d", k.Bits), jen.Id(fmt.Sprintf("int%d", k.Bits))
	}
	return fmt.Sprintf("AppendU%d", k.Bits), fmt.Sprintf("U%d", k.Bits), jen.Id(fmt.Sprintf("uint%d", k.Bits))
}

// elemSize is an expression for the encoded size of one value v of kind k.
func (g *familyGen) elemSize(k ir.Kind, v *jen.Statement) *jen.Statement {
	if n, ok := ir.FixedWireLen(k); ok {
		return jen.Lit(n)
	}
	return codecOf(k).size(g, v)
}

// returnErr returns from an encoder with err annotated with the attribute.
func (g *familyGen) returnErr(typ jen.Code, path string) jen.Code {
	return jen.If(jen.Id("err").Op("!=").Nil()).Block(
		jen.Return(jen.Id("b"), jen.Qual(g.nlattr, "Annotate").Call(jen.Id("err"), typ, jen.Lit(path))))
}

// elemAppend is the statements appending value v of kind k as attribute typ.
func (g *familyGen) elemAppend(a *ir.Attr, k ir.Kind, v *jen.Statement, typ *jen.Statement, path string) []jen.Code {
	return codecOf(k).appendValue(g, a, v, typ, path)
}

// lengthErr is a decode error for a payload of the wrong size.
func (g *familyGen) lengthErr(typ jen.Code, path, want string) jen.Code {
	return jen.Return(jen.Qual(g.nlattr, "LengthError").Call(typ, jen.Lit(path), jen.Id("p"), jen.Lit(want)))
}

// elemDecode is the statements decoding payload p (kind k) into a value v
// and handing it to store. typ is the attribute type for error messages.
func (g *familyGen) elemDecode(a *ir.Attr, k ir.Kind, typ *jen.Statement, path string, store func(v jen.Code) jen.Code) []jen.Code {
	return codecOf(k).decode(g, a, typ, path, store)
}

// annotate returns from a decoder with a non-nil err annotated with the
// attribute.
func (g *familyGen) annotate(typ *jen.Statement, path string) jen.Code {
	return jen.If(jen.Id("err").Op("!=").Nil()).Block(
		jen.Return(jen.Qual(g.nlattr, "Annotate").Call(jen.Id("err"), typ.Clone(), jen.Lit(path))))
}

// decodeFresh is a call decoding payload p into v, a zero value of set's
// type: it skips the reset Decode does, so a nest is zeroed only once.
func (g *familyGen) decodeFresh(v *jen.Statement, set *ir.AttrSet) *jen.Statement {
	si := g.setByName[set]
	if si.ordered || si.set.Masked || g.alias.sets[set] != nil {
		// Lists reset nothing; an aliased set's fast path is unexported.
		return v.Dot("Decode").Call(jen.Id("p"), jen.Id("o"))
	}
	args := []jen.Code{jen.Id("p"), jen.Id("o")}
	for range g.reusedNests(si) {
		args = append(args, jen.Nil())
	}
	return v.Dot("decodeAttrs").Call(append(args, g.selectorArgs(si)...)...)
}

// lengthChecks enforces length checks c (the spec's len/min-len/max-len)
// on a binary or string payload, as the kernel's policy would; a kind
// whose payload carries a NUL the checks leave out gets one byte more.
func (g *familyGen) lengthChecks(a *ir.Attr, c ir.Checks, typ *jen.Statement, path string) []jen.Code {
	var out []jen.Code
	if c.ExactLen != nil {
		out = append(out, jen.If(jen.Len(jen.Id("p")).Op("!=").Lit(int(c.ExactLen.Value))).Block(
			g.lengthErr(typ.Clone(), path, fmt.Sprintf("%d bytes", c.ExactLen.Value))))
	}
	k := a.Kind
	if arr, ok := k.(ir.IndexedArray); ok {
		k = arr.Elem // an array's checks bound its elements
	}
	// min-len and max-len count characters; the payload carries the NUL
	// too (exact-len already counts it).
	var nul int64
	if k.CountsNUL() {
		nul = 1
	}
	if c.MinLen != nil && c.MinLen.Value > 0 {
		min := c.MinLen.Value + nul
		out = append(out, jen.If(jen.Len(jen.Id("p")).Op("<").Lit(int(min))).Block(
			g.lengthErr(typ.Clone(), path, fmt.Sprintf("at least %d bytes", min))))
	}
	if c.MaxLen != nil {
		max := c.MaxLen.Value + nul
		out = append(out, jen.If(jen.Len(jen.Id("p")).Op(">").Lit(int(max))).Block(
			g.lengthErr(typ.Clone(), path, fmt.Sprintf("at most %d bytes", max))))
	}
	return out
}
