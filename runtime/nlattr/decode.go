package nlattr

import (
	"encoding/binary"
	"strconv"
)

// Iter walks one attribute list. It is a small value type: create it with
// NewIter, keep it on the stack, and nothing allocates unless the input is
// malformed. Payloads alias the input buffer.
type Iter struct {
	rest    []byte // unread bytes
	off     int    // offset of rest within the original buffer
	cur     int    // offset of the current attribute's header
	typ     uint16 // raw nla_type of the current attribute
	payload []byte
	err     error
}

// NewIter returns an iterator over the attributes in b.
func NewIter(b []byte) Iter { return Iter{rest: b} }

// Next advances to the next attribute. It returns false at the end of the
// list or on a framing error (see Err).
func (it *Iter) Next() bool {
	if it.err != nil || len(it.rest) == 0 {
		it.payload = nil
		return false
	}
	if len(it.rest) < HeaderLen {
		return it.fail(ErrTruncated, len(it.rest), "4-byte header or nothing")
	}
	n := int(binary.NativeEndian.Uint16(it.rest))
	if n < HeaderLen {
		return it.fail(ErrLength, n, "nla_len >= 4")
	}
	if n > len(it.rest) {
		return it.fail(ErrTruncated, n, strconv.Itoa(len(it.rest))+" bytes left")
	}
	it.typ = binary.NativeEndian.Uint16(it.rest[2:])
	// Full slice expression: appending to a payload must never overwrite
	// the next attribute.
	it.payload = it.rest[HeaderLen:n:n]
	it.cur = it.off
	// The last attribute may omit its padding, as nla_next tolerates.
	step := min(Align(n), len(it.rest))
	it.rest = it.rest[step:]
	it.off += step
	return true
}

func (it *Iter) fail(class error, n int, want string) bool {
	it.err = &AttrError{Type: it.peekType(), Len: n, Want: want, Err: class}
	it.payload = nil
	it.rest = nil
	return false
}

func (it *Iter) peekType() uint16 {
	if len(it.rest) >= HeaderLen {
		return binary.NativeEndian.Uint16(it.rest[2:]) & TypeMask
	}
	return 0
}

// Type is the attribute type with the flag bits masked off.
func (it *Iter) Type() uint16 { return it.typ & TypeMask }

// RawType is nla_type as on the wire, flag bits included.
func (it *Iter) RawType() uint16 { return it.typ }

// Nested reports NLA_F_NESTED. Senders need not set it (the OVS Windows
// driver never checks it), so decoders go by the schema, not by this bit.
func (it *Iter) Nested() bool { return it.typ&FlagNested != 0 }

// NetByteOrder reports NLA_F_NET_BYTEORDER.
func (it *Iter) NetByteOrder() bool { return it.typ&FlagNetByteOrder != 0 }

// Payload is the current attribute's payload, aliasing the input.
func (it *Iter) Payload() []byte { return it.payload }

// Offset is the byte offset of the current attribute's header within the
// buffer given to NewIter (useful to match extended-ack offsets).
func (it *Iter) Offset() int { return it.cur }

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
