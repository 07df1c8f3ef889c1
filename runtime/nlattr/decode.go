package nlattr

import (
	"encoding/binary"
	"strconv"
)

// Iter walks one attribute list. It is a small value type: create it with
// NewIter, keep it on the stack, and nothing allocates unless the input is
// malformed. Payloads alias the input buffer.
type Iter struct {
	rest  []byte // the well-formed attributes not yet read
	cur   []byte // the current attribute, header included, padding excluded
	total int    // length of the well-formed prefix
	left  int    // len(rest) before the current attribute was read
	err   error  // the framing error after the well-formed prefix, if any
}

// NewIter returns an iterator over the attributes in b.
//
// It checks the framing of the whole list up front (a walk over the
// headers only), so that Next is small enough for the compiler to inline
// into every generated decoder's loop: Next only ever sees well-formed
// attributes, and the error, if any, is reported once they are consumed.
func NewIter(b []byte) (it Iter) {
	it.rest, it.err = Frame(b)
	it.total = len(it.rest)
	return it
}

// Frame returns the well-formed prefix of the attribute list b and the
// framing error that ends it, if any (what NewIter checks up front).
func Frame(b []byte) (attrs []byte, err error) {
	valid := 0
	for len(b)-valid >= HeaderLen {
		n := int(ne.Uint16(b[valid:]))
		if n < HeaderLen || n > len(b)-valid {
			break
		}
		// The last attribute may omit its padding, as nla_next tolerates.
		valid += min(Align(n), len(b)-valid)
	}
	if valid < len(b) {
		return b[:valid], FramingError(b[valid:])
	}
	return b, nil
}

// Split takes the first attribute off the list b: its raw nla_type (flag
// bits included), its payload (capacity ending with it, so appending never
// overwrites the next attribute) and the attributes after it. ok is false
// when b does not start with a well-formed attribute; FramingError(b) says
// why. Split is small enough to inline, which makes it the loop of
// generated decoders, whose locals stay in registers where an Iter would
// live in memory:
//
//	for len(b) > 0 {
//		typ, p, rest, ok := nlattr.Split(b)
//		if !ok {
//			return nlattr.FramingError(b)
//		}
//		b = rest
//		...
//	}
func Split(b []byte) (rawType uint16, payload, rest []byte, ok bool) {
	if len(b) < HeaderLen {
		return
	}
	n := int(ne.Uint16(b))
	if n < HeaderLen || n > len(b) {
		return
	}
	// (n+3)&^3 is Align(n), spelled out to stay within the inlining budget;
	// the last attribute may omit its padding, as nla_next tolerates.
	return ne.Uint16(b[2:]), b[HeaderLen:n:n], b[min((n+3)&^3, len(b)):], true
}

// Count is the number of well-formed attributes at the start of b, which
// decoders of repeated attributes use to size a slice once.
func Count(b []byte) int {
	n := 0
	for len(b) >= HeaderLen {
		l := int(ne.Uint16(b))
		if l < HeaderLen || l > len(b) {
			break
		}
		b = b[min(Align(l), len(b)):]
		n++
	}
	return n
}

// FramingError describes the malformed attribute header at the start of
// r (nil when r starts with a well-formed attribute or is empty).
func FramingError(r []byte) error {
	if len(r) == 0 {
		return nil
	}
	if len(r) < HeaderLen {
		return &AttrError{Len: len(r), Want: "4-byte header or nothing", Err: ErrTruncated}
	}
	typ := ne.Uint16(r[2:]) & TypeMask
	n := int(ne.Uint16(r))
	switch {
	case n < HeaderLen:
		return &AttrError{Type: typ, Len: n, Want: "nla_len >= 4", Err: ErrLength}
	case n > len(r):
		return &AttrError{Type: typ, Len: n, Want: strconv.Itoa(len(r)) + " bytes left", Err: ErrTruncated}
	}
	return nil
}

// Next advances to the next attribute. It returns false at the end of the
// list or on a framing error (see Err).
func (it *Iter) Next() bool {
	r := it.rest
	if len(r) < HeaderLen {
		it.cur = nil
		return false
	}
	n := int(ne.Uint16(r)) // NewIter checked HeaderLen <= n <= len(r)
	it.left = len(r)
	// Full slice expression: appending to a payload must never overwrite
	// the next attribute. (n+3)&^3 is Align(n), spelled out to stay within
	// the inlining budget.
	it.cur = r[:n:n]
	it.rest = r[min((n+3)&^3, len(r)):]
	return true
}

// Type is the attribute type with the flag bits masked off.
func (it *Iter) Type() uint16 { return it.RawType() & TypeMask }

// RawType is nla_type as on the wire, flag bits included.
func (it *Iter) RawType() uint16 {
	if len(it.cur) < HeaderLen {
		return 0
	}
	return ne.Uint16(it.cur[2:])
}

// Nested reports NLA_F_NESTED. Senders need not set it (the OVS Windows
// driver never checks it), so decoders go by the schema, not by this bit.
func (it *Iter) Nested() bool { return it.RawType()&FlagNested != 0 }

// NetByteOrder reports NLA_F_NET_BYTEORDER.
func (it *Iter) NetByteOrder() bool { return it.RawType()&FlagNetByteOrder != 0 }

// Payload is the current attribute's payload, aliasing the input.
func (it *Iter) Payload() []byte {
	if len(it.cur) < HeaderLen {
		return nil
	}
	return it.cur[HeaderLen:]
}

// Offset is the byte offset of the current attribute's header within the
// buffer given to NewIter (useful to match extended-ack offsets).
func (it *Iter) Offset() int {
	if it.cur == nil {
		return 0 // before the first attribute or after the last
	}
	return it.total - it.left
}

// Err returns the framing error that stopped the walk, or nil.
func (it *Iter) Err() error { return it.err }

func lengthError(p []byte, want string) error {
	return &AttrError{Len: len(p), Want: want, Err: ErrLength}
}

// U8 decodes a 1-byte payload.
func U8(p []byte) (uint8, error) {
	if len(p) != 1 {
		return 0, lengthError(p, "1 byte")
	}
	return p[0], nil
}

// U16 decodes a 2-byte host-order payload.
func U16(p []byte) (uint16, error) {
	if len(p) != 2 {
		return 0, lengthError(p, "2 bytes")
	}
	return binary.NativeEndian.Uint16(p), nil
}

// U32 decodes a 4-byte host-order payload.
func U32(p []byte) (uint32, error) {
	if len(p) != 4 {
		return 0, lengthError(p, "4 bytes")
	}
	return binary.NativeEndian.Uint32(p), nil
}

// U64 decodes an 8-byte host-order payload.
func U64(p []byte) (uint64, error) {
	if len(p) != 8 {
		return 0, lengthError(p, "8 bytes")
	}
	return binary.NativeEndian.Uint64(p), nil
}

// S8 decodes a 1-byte signed payload.
func S8(p []byte) (int8, error) { v, err := U8(p); return int8(v), err }

// S16 decodes a 2-byte host-order signed payload.
func S16(p []byte) (int16, error) { v, err := U16(p); return int16(v), err }

// S32 decodes a 4-byte host-order signed payload.
func S32(p []byte) (int32, error) { v, err := U32(p); return int32(v), err }

// S64 decodes an 8-byte host-order signed payload.
func S64(p []byte) (int64, error) { v, err := U64(p); return int64(v), err }

// BE16 decodes a 2-byte network-order payload.
func BE16(p []byte) (uint16, error) {
	if len(p) != 2 {
		return 0, lengthError(p, "2 bytes")
	}
	return binary.BigEndian.Uint16(p), nil
}

// BE32 decodes a 4-byte network-order payload.
func BE32(p []byte) (uint32, error) {
	if len(p) != 4 {
		return 0, lengthError(p, "4 bytes")
	}
	return binary.BigEndian.Uint32(p), nil
}

// BE64 decodes an 8-byte network-order payload.
func BE64(p []byte) (uint64, error) {
	if len(p) != 8 {
		return 0, lengthError(p, "8 bytes")
	}
	return binary.BigEndian.Uint64(p), nil
}

// Uint decodes a YNL "uint": a 4- or 8-byte host-order payload.
func Uint(p []byte) (uint64, error) {
	switch len(p) {
	case 4:
		return uint64(binary.NativeEndian.Uint32(p)), nil
	case 8:
		return binary.NativeEndian.Uint64(p), nil
	}
	return 0, lengthError(p, "4 or 8 bytes")
}

// Sint decodes a YNL "sint": a 4-byte payload is sign-extended.
func Sint(p []byte) (int64, error) {
	switch len(p) {
	case 4:
		return int64(int32(binary.NativeEndian.Uint32(p))), nil
	case 8:
		return int64(binary.NativeEndian.Uint64(p)), nil
	}
	return 0, lengthError(p, "4 or 8 bytes")
}

// Flag validates a flag attribute's payload, which must be empty (the
// kernel's NLA_FLAG policy). Presence is the value; the caller sets true.
func Flag(p []byte) error {
	if len(p) != 0 {
		return lengthError(p, "0 bytes")
	}
	return nil
}

// StringView returns the payload up to (not including) the first NUL, or
// the whole payload if it is unterminated. It aliases p and never fails.
func StringView(p []byte) []byte {
	for i, c := range p {
		if c == 0 {
			return p[:i:i]
		}
	}
	return p
}

// String is StringView as a string. Unterminated payloads are accepted
// (the kernel's lenient NLA_STRING/nla_strscpy behaviour, also what libnl
// and mdlayher do); bytes after the first NUL are ignored, as C readers
// would. The error is always nil today; it exists so generated code
// treats every getter alike and a stricter policy can be added.
func String(p []byte) (string, error) { return string(StringView(p)), nil }

// CheckString is what strict decoding requires of a string payload: a
// terminating NUL and no NUL before it, as the kernel's NLA_NUL_STRING and
// the OVS Windows driver's NL_A_STRING do. The error wraps ErrLength.
func CheckString(p []byte) error {
	_, err := StringStrict(p)
	return err
}

// StringStrict requires a NUL-terminated payload with no embedded NUL
// (the kernel's NLA_NUL_STRING and the OVS Windows driver's NL_A_STRING).
func StringStrict(p []byte) (string, error) {
	if len(p) == 0 || p[len(p)-1] != 0 {
		return "", lengthError(p, "NUL-terminated string")
	}
	v := StringView(p)
	if len(v) != len(p)-1 {
		return "", lengthError(p, "no embedded NUL")
	}
	return string(v), nil
}
