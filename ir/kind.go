package ir

import "fmt"

// Kind is the wire type of an attribute. There is one Go type per YNL
// attribute type family; every emitter (C header, NL_POLICY, Go codec,
// docs, breaking-change check) asks the kind, so a new kind is added here.
type Kind interface {
	// YNL is the spec's type name.
	YNL() string
	// PayloadLen is the payload size range on the wire; Max < 0 is unbounded.
	PayloadLen() (min, max int)
	// CountsNUL reports whether the payload carries a terminating NUL that
	// the spec's length checks leave out and the wire length counts.
	CountsNUL() bool
	// String describes the kind for docs and messages.
	String() string
}

// Scalar is u8..u64, s8..s64 and the variable-width uint/sint.
type Scalar struct {
	Bits      int // 8, 16, 32, 64; 64 for variable
	Signed    bool
	BigEndian bool
	Variable  bool // YNL uint/sint: 4 or 8 bytes on the wire
}

func (k Scalar) YNL() string {
	switch {
	case k.Variable && k.Signed:
		return "sint"
	case k.Variable:
		return "uint"
	case k.Signed:
		return fmt.Sprintf("s%d", k.Bits)
	}
	return fmt.Sprintf("u%d", k.Bits)
}

func (k Scalar) PayloadLen() (int, int) {
	if k.Variable {
		return 4, 8
	}
	return k.Bits / 8, k.Bits / 8
}
func (Scalar) CountsNUL() bool { return false }

func (k Scalar) String() string {
	if k.BigEndian {
		return k.YNL() + " (big-endian)"
	}
	return k.YNL()
}

// Bytes is the fixed size of the scalar (8 for variable).
func (k Scalar) Bytes() int { return k.Bits / 8 }

// String is a NUL-terminated string.
type String struct{}

func (String) YNL() string            { return "string" }
func (String) PayloadLen() (int, int) { return 0, -1 }
func (String) CountsNUL() bool        { return true }
func (String) String() string         { return "string" }

// Flag is a zero-length presence attribute.
type Flag struct{}

func (Flag) YNL() string            { return "flag" }
func (Flag) PayloadLen() (int, int) { return 0, 0 }
func (Flag) CountsNUL() bool        { return false }
func (Flag) String() string         { return "flag" }

// Binary is opaque bytes, a fixed struct, or a C array of scalars.
type Binary struct {
	Struct *Struct // set: exactly one struct
	Elem   *Scalar // set: an array of scalars (sub-type)
}

func (Binary) YNL() string { return "binary" }

func (k Binary) PayloadLen() (int, int) {
	if k.Struct != nil {
		return k.Struct.Size, k.Struct.Size
	}
	return 0, -1
}
func (Binary) CountsNUL() bool { return false }

func (k Binary) String() string {
	switch {
	case k.Struct != nil:
		return "struct " + k.Struct.CName
	case k.Elem != nil:
		return k.Elem.String() + "[]"
	}
	return "binary"
}

// Bitfield32 is struct nla_bitfield32 {value, selector}.
type Bitfield32 struct{}

func (Bitfield32) YNL() string            { return "bitfield32" }
func (Bitfield32) PayloadLen() (int, int) { return 8, 8 }
func (Bitfield32) CountsNUL() bool        { return false }
func (Bitfield32) String() string         { return "bitfield32" }

// Nest holds attributes of another set.
type Nest struct{ Set *AttrSet }

func (Nest) YNL() string            { return "nest" }
func (Nest) PayloadLen() (int, int) { return 0, -1 }
func (Nest) CountsNUL() bool        { return false }
func (k Nest) String() string       { return "nest(" + k.Set.Name + ")" }

// IndexedArray is a nest whose attributes are array elements (type = index).
type IndexedArray struct {
	Elem Kind // Nest, Scalar, String or Binary
}

func (IndexedArray) YNL() string            { return "indexed-array" }
func (IndexedArray) PayloadLen() (int, int) { return 0, -1 }
func (IndexedArray) CountsNUL() bool        { return false }
func (k IndexedArray) String() string       { return "indexed-array of " + k.Elem.String() }

// NestTypeValue nests values keyed by their attribute type (legacy).
type NestTypeValue struct {
	Set       *AttrSet
	TypeValue []string
}

func (NestTypeValue) YNL() string            { return "nest-type-value" }
func (NestTypeValue) PayloadLen() (int, int) { return 0, -1 }
func (NestTypeValue) CountsNUL() bool        { return false }
func (k NestTypeValue) String() string       { return "nest-type-value(" + k.Set.Name + ")" }

// SubMsg is a netlink-raw sub-message attribute: its payload's format
// (a fixed header and/or attributes of a set) is the one of Def whose
// value the Selector attribute holds. The selector is found as the
// kernel's YNL CLI finds it (lib/ynl.py SpaceAttrs.lookup): in the
// attribute's own set (SelectorDepth 0, rt_link's linkinfo kind), else
// in the set nesting it through a nest attribute, one level further up
// for each step (tc's stats app reads the kind of tc-attrs: depth 1). The
// selector precedes the sub-message in the message. A string selector
// holds the format value; an integer selector with an enum holds the
// value of the enum entry named by the format value (nftables obj-data).
type SubMsg struct {
	Def           *SubMessage
	Selector      *Attr
	SelectorDepth int
}

func (SubMsg) YNL() string            { return "sub-message" }
func (SubMsg) PayloadLen() (int, int) { return 0, -1 }
func (SubMsg) CountsNUL() bool        { return false }
func (k SubMsg) String() string {
	return "sub-message(" + k.Def.Name + ") selected by " + k.Selector.Name
}

// Unused reserves an id; it is never sent.
type Unused struct{}

func (Unused) YNL() string            { return "unused" }
func (Unused) PayloadLen() (int, int) { return 0, -1 }
func (Unused) CountsNUL() bool        { return false }
func (Unused) String() string         { return "unused" }

// Pad is alignment padding for 64-bit attributes.
type Pad struct{}

func (Pad) YNL() string            { return "pad" }
func (Pad) PayloadLen() (int, int) { return 0, -1 }
func (Pad) CountsNUL() bool        { return false }
func (Pad) String() string         { return "pad" }

// OnWire reports whether attributes of this kind carry data (unused and pad
// attributes only reserve ids).
func OnWire(k Kind) bool {
	switch k.(type) {
	case Unused, Pad:
		return false
	}
	return true
}

// FixedPayload is the payload length when every value of the kind has the
// same one.
func FixedPayload(k Kind) (int, bool) {
	lo, hi := k.PayloadLen()
	return lo, lo == hi && hi >= 0
}

// AttrHeaderLen is the size of struct nlattr, which precedes every payload.
const AttrHeaderLen = 4

// Align4 rounds a length up to the 4-byte netlink attribute alignment.
func Align4(n int) int { return (n + 3) &^ 3 }

// FixedWireLen is the whole encoded attribute (header, payload and
// padding) when the kind fixes its payload length.
func FixedWireLen(k Kind) (int, bool) {
	n, ok := FixedPayload(k)
	if !ok {
		return 0, false
	}
	return AttrHeaderLen + Align4(n), true
}

// PayloadBounds is the payload length, in bytes on the wire, that the
// attribute's kind and length checks allow: a string's NUL counted, max
// < 0 unbounded. A kind with a fixed length ignores checks; an indexed
// array's checks bound its elements, not its payload.
func (a *Attr) PayloadBounds() (min, max int64) {
	lo, hi := a.Kind.PayloadLen()
	if lo == hi && hi >= 0 {
		return int64(lo), int64(hi)
	}
	min, max = int64(lo), int64(hi)
	if _, arr := a.Kind.(IndexedArray); arr {
		return min, max
	}
	nul := nulLen(a.Kind)
	c := a.Checks
	if c.ExactLen != nil {
		// exact-len is the payload's length, NUL and all: ynl-gen-c makes
		// it NLA_POLICY_EXACT_LEN, a binary length, for strings too.
		return c.ExactLen.Value, c.ExactLen.Value
	}
	min += nul
	if c.MinLen != nil {
		min = c.MinLen.Value + nul
	}
	if c.MaxLen != nil {
		max = c.MaxLen.Value + nul
	}
	return min, max
}

// nulLen is the bytes a kind's payload carries beyond what the spec's
// length checks count: its NUL (Kind.CountsNUL).
func nulLen(k Kind) int64 {
	if k.CountsNUL() {
		return 1
	}
	return 0
}

// AllKinds is a sample of every kind and every variant a generator
// treats apart (a binary as bytes, struct and scalar array; an indexed
// array of nests and of scalars), so a test can run each generator's one
// place per kind over all of them. A new kind is added here as well as
// being given its Go type above; ir's TestAllKindsCoverTheSchema fails
// until every type the schema accepts has a sample.
func AllKinds() []Kind {
	fam := &Family{Name: "sample"}
	set := &AttrSet{Name: "sample", Family: fam, GoName: "Sample", CEnumName: "sample_attrs"}
	st := &Struct{Name: "sample", CName: "sample", GoName: "Sample",
		Members: []*Member{{Name: "value", CName: "value", GoName: "Value", Type: "u32", Size: 4}}, Size: 4, NaturalSize: 4}
	u16 := Scalar{Bits: 16}
	selector := &Attr{Name: "kind", Kind: String{}, Set: set}
	sub := &SubMessage{Name: "sample-msg", GoName: "SampleMsg"}
	sub.Formats = []*SubMessageFormat{
		{Value: "attrs", AttrSet: set, Msg: sub},
		{Value: "header", FixedHeader: st, Msg: sub},
		{Value: "both", FixedHeader: st, AttrSet: set, Msg: sub},
	}
	return []Kind{
		Scalar{Bits: 8}, Scalar{Bits: 16, BigEndian: true}, Scalar{Bits: 32, Signed: true},
		Scalar{Bits: 64}, Scalar{Bits: 64, Variable: true}, Scalar{Bits: 64, Signed: true, Variable: true},
		String{},
		Flag{},
		Binary{}, Binary{Struct: st}, Binary{Elem: &u16},
		Bitfield32{},
		Nest{Set: set},
		IndexedArray{Elem: Nest{Set: set}}, IndexedArray{Elem: Scalar{Bits: 32}},
		IndexedArray{Elem: String{}}, IndexedArray{Elem: Binary{}},
		NestTypeValue{Set: set, TypeValue: []string{"outer", "inner"}},
		SubMsg{Def: sub, Selector: selector},
		Unused{},
		Pad{},
	}
}
