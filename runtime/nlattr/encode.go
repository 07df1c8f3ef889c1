package nlattr

import (
	"encoding/binary"
	"runtime"
	"strconv"
	"strings"
)

// Wire constants (include/uapi/linux/netlink.h).
const (
	HeaderLen        = 4      // sizeof(struct nlattr)
	FlagNested       = 0x8000 // NLA_F_NESTED
	FlagNetByteOrder = 0x4000 // NLA_F_NET_BYTEORDER
	TypeMask         = 0x3fff // NLA_TYPE_MASK
	// MaxPayloadLen is the largest payload nla_len (a u16 that includes the
	// 4-byte header) can describe.
	MaxPayloadLen = 0xffff - HeaderLen
)

var ne = binary.NativeEndian

// Align rounds n up to the 4-byte attribute alignment (NLA_ALIGN).
func Align(n int) int { return (n + 3) &^ 3 }

// SizeScalar is the encoded size of an attribute with an n-byte payload.
func SizeScalar(n int) int { return HeaderLen + Align(n) }

// SizeBytes is the encoded size of AppendBytes with an n-byte payload.
func SizeBytes(n int) int { return HeaderLen + Align(n) }

// SizeString is the encoded size of AppendString(s): payload len(s)+1.
func SizeString(s string) int { return HeaderLen + Align(len(s)+1) }

// SizeFlag is the encoded size of AppendFlag.
const SizeFlag = HeaderLen

// SizeNest is the encoded size of a nest whose contents take inner bytes.
func SizeNest(inner int) int { return HeaderLen + inner }

// SizeUint is the encoded size of AppendUint(v).
func SizeUint(v uint64) int {
	if v > 0xffffffff {
		return HeaderLen + 8
	}
	return HeaderLen + 4
}

// SizeSint is the encoded size of AppendSint(v).
func SizeSint(v int64) int {
	if v != int64(int32(v)) {
		return HeaderLen + 8
	}
	return HeaderLen + 4
}

// CheckLen reports ErrTooLong (as *AttrError) when a payload of n bytes
// cannot be described by nla_len.
func CheckLen(typ uint16, n int) error {
	if n < 0 || n > MaxPayloadLen {
		return &AttrError{Type: typ & TypeMask, Len: n, Want: "payload <= 65531 bytes", Err: ErrTooLong}
	}
	return nil
}

// AppendHeader appends an attribute header for an n-byte payload. The
// caller appends the payload and then Pad. typ is written as given, so
// flag bits may be included.
func AppendHeader(b []byte, typ uint16, n int) []byte {
	b = ne.AppendUint16(b, uint16(HeaderLen+n))
	return ne.AppendUint16(b, typ)
}

// Pad appends zero bytes until len(b) is 4-byte aligned. Attributes start
// aligned, so this pads the attribute just written.
func Pad(b []byte) []byte {
	switch len(b) & 3 {
	case 1:
		return append(b, 0, 0, 0)
	case 2:
		return append(b, 0, 0)
	case 3:
		return append(b, 0)
	}
	return b
}

// AppendU8 appends a u8 attribute (payload 1 byte, padded to 4).
func AppendU8(b []byte, typ uint16, v uint8) []byte {
	b = AppendHeader(b, typ, 1)
	return append(b, v, 0, 0, 0)
}

// AppendU16 appends a host-order u16 attribute.
func AppendU16(b []byte, typ uint16, v uint16) []byte {
	b = AppendHeader(b, typ, 2)
	b = ne.AppendUint16(b, v)
	return append(b, 0, 0)
}

// AppendU32 appends a host-order u32 attribute.
func AppendU32(b []byte, typ uint16, v uint32) []byte {
	b = AppendHeader(b, typ, 4)
	return ne.AppendUint32(b, v)
}

// AppendU64 appends a host-order u64 attribute. No pad attribute is
// emitted (unlike the kernel's nla_put_u64_64bit); receivers read u64
// payloads at any 4-byte alignment.
func AppendU64(b []byte, typ uint16, v uint64) []byte {
	b = AppendHeader(b, typ, 8)
	return ne.AppendUint64(b, v)
}

// AppendS8 appends an s8 attribute.
func AppendS8(b []byte, typ uint16, v int8) []byte { return AppendU8(b, typ, uint8(v)) }

// AppendS16 appends a host-order s16 attribute.
func AppendS16(b []byte, typ uint16, v int16) []byte { return AppendU16(b, typ, uint16(v)) }

// AppendS32 appends a host-order s32 attribute.
func AppendS32(b []byte, typ uint16, v int32) []byte { return AppendU32(b, typ, uint32(v)) }

// AppendS64 appends a host-order s64 attribute.
func AppendS64(b []byte, typ uint16, v int64) []byte { return AppendU64(b, typ, uint64(v)) }

// AppendBE16 appends a u16 in network byte order.
func AppendBE16(b []byte, typ uint16, v uint16) []byte {
	b = AppendHeader(b, typ, 2)
	b = binary.BigEndian.AppendUint16(b, v)
	return append(b, 0, 0)
}

// AppendBE32 appends a u32 in network byte order.
func AppendBE32(b []byte, typ uint16, v uint32) []byte {
	b = AppendHeader(b, typ, 4)
	return binary.BigEndian.AppendUint32(b, v)
}

// AppendBE64 appends a u64 in network byte order.
func AppendBE64(b []byte, typ uint16, v uint64) []byte {
	b = AppendHeader(b, typ, 8)
	return binary.BigEndian.AppendUint64(b, v)
}

// AppendUint appends a YNL "uint": 4 bytes when v fits in 32 bits, else 8
// (the kernel's nla_put_uint).
func AppendUint(b []byte, typ uint16, v uint64) []byte {
	if v > 0xffffffff {
		return AppendU64(b, typ, v)
	}
	return AppendU32(b, typ, uint32(v))
}

// AppendSint appends a YNL "sint": 4 bytes when v fits in int32, else 8.
func AppendSint(b []byte, typ uint16, v int64) []byte {
	if v != int64(int32(v)) {
		return AppendU64(b, typ, uint64(v))
	}
	return AppendU32(b, typ, uint32(int32(v)))
}

// AppendFlag appends a flag attribute (header only).
func AppendFlag(b []byte, typ uint16) []byte { return AppendHeader(b, typ, 0) }

// AppendString appends s plus a terminating NUL, padded to 4 bytes. The
// caller guarantees len(s)+1 <= MaxPayloadLen (see AppendStringChecked).
func AppendString(b []byte, typ uint16, s string) []byte {
	b = AppendHeader(b, typ, len(s)+1)
	b = append(b, s...)
	b = append(b, 0)
	return Pad(b)
}

// AppendBytes appends p as the payload, padded to 4 bytes. The caller
// guarantees len(p) <= MaxPayloadLen (see AppendBytesChecked).
func AppendBytes(b []byte, typ uint16, p []byte) []byte {
	b = AppendHeader(b, typ, len(p))
	b = append(b, p...)
	return Pad(b)
}

// AppendStringChecked is AppendString with a length check; on error b is
// returned unchanged.
func AppendStringChecked(b []byte, typ uint16, s string) ([]byte, error) {
	if err := CheckLen(typ, len(s)+1); err != nil {
		return b, err
	}
	return AppendString(b, typ, s), nil
}

// AppendStringMax is AppendStringChecked for a string attribute that holds
// at most max bytes, the NUL excluded (max < 0: no limit). A longer s, or
// one with an embedded NUL (which every reader would cut short, and the OVS
// Windows driver rejects), is an *AttrError wrapping ErrLength; b is then
// returned unchanged.
func AppendStringMax(b []byte, typ uint16, s string, max int) ([]byte, error) {
	if max >= 0 && len(s) > max {
		return b, &AttrError{Type: typ & TypeMask, Len: len(s), Want: "at most " + strconv.Itoa(max) + " characters", Err: ErrLength}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return b, &AttrError{Type: typ & TypeMask, Len: len(s), Want: "no embedded NUL", Err: ErrLength}
	}
	return AppendStringChecked(b, typ, s)
}

// AppendStringRange is AppendStringMax for a string that must also have
// at least min characters (a spec's min-len, which counts no NUL).
func AppendStringRange(b []byte, typ uint16, s string, min, max int) ([]byte, error) {
	if len(s) < min {
		return b, &AttrError{Type: typ & TypeMask, Len: len(s), Want: "at least " + strconv.Itoa(min) + " characters", Err: ErrLength}
	}
	return AppendStringMax(b, typ, s, max)
}

// AppendStringExact is AppendStringMax for a string whose payload, NUL
// included, must be exactly n bytes: a spec's exact-len, which the kernel
// checks as NLA_POLICY_EXACT_LEN (ynl-gen-c), so n-1 characters.
func AppendStringExact(b []byte, typ uint16, s string, n int) ([]byte, error) {
	if len(s)+1 != n {
		return b, &AttrError{Type: typ & TypeMask, Len: len(s),
			Want: "exactly " + strconv.Itoa(n-1) + " characters (exact-len " + strconv.Itoa(n) + " counts the NUL)", Err: ErrLength}
	}
	return AppendStringMax(b, typ, s, -1)
}

// PlatformLimit is the limit of the platform the program is built for: the
// Windows OVS driver's (from the nlgen overlay) on GOOS=windows, the Linux
// kernel's (from the spec) elsewhere. Generated encoders check a string
// whose limit differs between the two against it, since that is the peer
// their genl.Conn reaches; decoders accept the larger of the two.
func PlatformLimit(linux, windows int) int {
	if runtime.GOOS == "windows" {
		return windows
	}
	return linux
}

// AppendBytesChecked is AppendBytes with a length check; on error b is
// returned unchanged.
func AppendBytesChecked(b []byte, typ uint16, p []byte) ([]byte, error) {
	if err := CheckLen(typ, len(p)); err != nil {
		return b, err
	}
	return AppendBytes(b, typ, p), nil
}

// BeginNest appends the header of a nested attribute (FlagNested set, as
// mdlayher/netlink and the kernel's nla_nest_start do) and returns the
// offset EndNest needs.
func BeginNest(b []byte, typ uint16) ([]byte, int) {
	start := len(b)
	return AppendHeader(b, typ|FlagNested, 0), start
}

// EndNest patches the length of the nest begun at start to cover
// everything appended since. A start that does not come from BeginNest on
// this buffer leaves b unchanged. Nest contents are attributes, so they
// are already aligned and no padding is added.
func EndNest(b []byte, start int) []byte {
	if start < 0 || start > len(b)-HeaderLen {
		return b
	}
	ne.PutUint16(b[start:], uint16(len(b)-start))
	return b
}

// EndNestChecked is EndNest that fails with ErrTooLong when the nest's
// contents exceed MaxPayloadLen; b is returned with the nest unpatched.
func EndNestChecked(b []byte, start int) ([]byte, error) {
	if start < 0 || start > len(b)-HeaderLen {
		return b, &AttrError{Len: start, Want: "nest start from BeginNest", Err: ErrLength}
	}
	if err := CheckLen(ne.Uint16(b[start+2:]), len(b)-start-HeaderLen); err != nil {
		return b, err
	}
	return EndNest(b, start), nil
}
