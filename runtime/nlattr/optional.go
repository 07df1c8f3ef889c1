package nlattr

// Optional is an attribute value together with whether the attribute is
// present. Generated structs use it for scalars, strings and fixed structs
// because netlink gives zero values meaning (OVS vport port 0 is the local
// port), so "zero means absent" would be wrong, and pointers would cost an
// allocation per decoded attribute.
type Optional[T any] struct {
	Value   T
	Present bool
}

// Some returns a present Optional holding v.
func Some[T any](v T) Optional[T] { return Optional[T]{Value: v, Present: true} }

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
