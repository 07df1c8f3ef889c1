package nlattr

import (
	"fmt"
	"io"
)

// Optional is an attribute value together with whether the attribute is
// present. Generated structs use it for scalars, strings and fixed structs
// because netlink gives zero values meaning (OVS vport port 0 is the local
// port), so "zero means absent" would be wrong, and pointers would cost an
// allocation per decoded attribute.
type Optional[T any] struct {
	Value   T
	Present bool
}

// Some returns a present Optional holding v. Typed values infer T
// (nlattr.Some("br0"), nlattr.Some(ovsvport.OvsVportTypeInternal)); for an
// untyped integer constant, which Go would make an int, use the SomeU32
// family below instead of nlattr.Some[uint32](2).
func Some[T any](v T) Optional[T] { return Optional[T]{Value: v, Present: true} }

// SelectorName is the name of an enum value o holds (its String), or ""
// when o is absent. Generated decoders pick a sub-message's format by it
// when an integer selector names the formats by enum entry: an absent
// selector selects no format, rather than the entry whose value is 0.
func SelectorName[T fmt.Stringer](o Optional[T]) string {
	if !o.Present {
		return ""
	}
	return o.Value.String()
}

// SomeU8 and its siblings are Some for the YNL integer types, so constants
// need no type argument: PortNo: nlattr.SomeU32(2).
func SomeU8(v uint8) Optional[uint8] { return Some(v) }

// SomeU16 is Some for a u16 attribute.
func SomeU16(v uint16) Optional[uint16] { return Some(v) }

// SomeU32 is Some for a u32 attribute.
func SomeU32(v uint32) Optional[uint32] { return Some(v) }

// SomeU64 is Some for a u64 attribute.
func SomeU64(v uint64) Optional[uint64] { return Some(v) }

// SomeS8 is Some for an s8 attribute.
func SomeS8(v int8) Optional[int8] { return Some(v) }

// SomeS16 is Some for an s16 attribute.
func SomeS16(v int16) Optional[int16] { return Some(v) }

// SomeS32 is Some for an s32 attribute.
func SomeS32(v int32) Optional[int32] { return Some(v) }

// SomeS64 is Some for an s64 attribute.
func SomeS64(v int64) Optional[int64] { return Some(v) }

// absent is how an Optional without a value prints. It cannot be mistaken
// for any value: strings print bare, but no attribute value prints with
// angle brackets around "absent" unless it is that very string.
const absent = "<absent>"

// String prints the value as fmt's %v does, or <absent>.
func (o Optional[T]) String() string {
	if !o.Present {
		return absent
	}
	return fmt.Sprint(o.Value)
}

// Format makes fmt print the value alone with any verb and flags (%d, %x,
// %q, %+v, ...), or <absent>, instead of the struct {7 true}; structs that
// hold Optionals print as {PortNo:7 Name:br0 Ifindex:<absent>}. %#v prints
// Go syntax: nlattr.Some[uint32](0x7), nlattr.Optional[uint32]{}.
func (o Optional[T]) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		if !o.Present {
			fmt.Fprintf(f, "nlattr.Optional[%T]{}", o.Value)
			return
		}
		fmt.Fprintf(f, "nlattr.Some[%T](%#v)", o.Value, o.Value)
		return
	}
	if !o.Present {
		io.WriteString(f, absent)
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), o.Value)
}

// Get returns the value and whether it is present, for `if v, ok := x.Get(); ok`.
func (o Optional[T]) Get() (T, bool) { return o.Value, o.Present }

// Set stores v and marks the attribute present.
func (o *Optional[T]) Set(v T) { o.Value, o.Present = v, true }

// Clear marks the attribute absent and zeroes the value.
func (o *Optional[T]) Clear() { *o = Optional[T]{} }

// Bitfield32 is struct nla_bitfield32: the bits to change (Selector) and
// their new values (Value).
type Bitfield32 struct {
	Value    uint32
	Selector uint32
}

// AppendBitfield32 appends a bitfield32 attribute.
func AppendBitfield32(b []byte, typ uint16, v Bitfield32) []byte {
	b = AppendHeader(b, typ, 8)
	b = ne.AppendUint32(b, v.Value)
	return ne.AppendUint32(b, v.Selector)
}

// DecodeBitfield32 decodes an 8-byte bitfield32 payload.
func DecodeBitfield32(p []byte) (Bitfield32, error) {
	if len(p) != 8 {
		return Bitfield32{}, lengthError(p, "8 bytes")
	}
	return Bitfield32{Value: ne.Uint32(p), Selector: ne.Uint32(p[4:])}, nil
}
