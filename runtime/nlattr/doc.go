// Package nlattr is the netlink attribute codec that nlgen-generated code
// calls. It exists because generated encoders and decoders know every
// attribute's type and size at compile time, so they need straight-line
// append/read helpers rather than a dynamic builder: the helpers here are
// stdlib-only, allocation-free on the hot path, small enough for the
// compiler to inline, and portable to every GOOS (the same bytes go to the
// Linux kernel and to the OVS Windows driver). The output is byte-identical
// to github.com/mdlayher/netlink's AttributeEncoder (tested).
//
// # Wire format
//
// An attribute is struct nlattr {u16 nla_len; u16 nla_type} in host byte
// order, then the payload, then zero padding to a 4-byte boundary. nla_len
// counts header and payload but not padding, so a payload is at most
// MaxPayloadLen (65531) bytes. The top two bits of nla_type are flags:
// FlagNested (NLA_F_NESTED, 0x8000) and FlagNetByteOrder (0x4000); the
// type proper is nla_type & TypeMask.
//
// # Encoding
//
// Every encoder appends to a caller-owned buffer and returns it, so callers
// can reuse buffers (encoding.BinaryAppender style):
//
//	b = nlattr.AppendU32(b, T_PORT, 7)
//	b = nlattr.AppendString(b, T_NAME, "br0") // NUL added, padded to 4
//	b, nest := nlattr.BeginNest(b, T_STATS)  // FlagNested is set
//	b = nlattr.AppendU64(b, T_RX, rx)
//	b = nlattr.EndNest(b, nest)              // length patched in place
//
// Scalars: AppendU8..U64, AppendS8..S64, AppendBE16/32/64 (network order
// payload; the FlagNetByteOrder bit is not set, like libmnl and mdlayher),
// AppendUint/AppendSint (YNL "uint"/"sint": 4 bytes when the value fits,
// else 8), AppendFlag. Variable length: AppendString, AppendBytes,
// BeginNest/EndNest, AppendUnknown, and AppendHeader for hand-rolled
// payloads such as fixed C structs.
//
// Lengths: the unchecked AppendString/AppendBytes/EndNest assume the
// payload fits in nla_len; if it does not, the length field is wrong and
// the kernel will reject or misparse the message. Code whose sizes are not
// bounded by the schema calls the checked variants AppendStringChecked,
// AppendBytesChecked and EndNestChecked, which return ErrTooLong instead.
// CheckLen validates a payload length up front.
//
// Sizes: Align, SizeScalar, SizeString, SizeBytes, SizeUint, SizeSint,
// SizeNest and SizeFlag return exact encoded sizes (header + payload +
// padding), so a generated EncodedLen() can pre-size the buffer exactly.
//
// # Decoding
//
// Iter is a value type that walks one attribute list without allocating:
//
//	it := nlattr.NewIter(b)
//	for it.Next() {
//		switch it.Type() {
//		case T_PORT:
//			v, err := nlattr.U32(it.Payload())
//		case T_STATS:
//			inner := nlattr.NewIter(it.Payload())
//			...
//		}
//	}
//	if err := it.Err(); err != nil { ... }
//
// Payload aliases the input buffer (zero copy); use DecodeOptions.Bytes to
// copy when DecodeOptions.Copy is set, and DecodeOptions.String for strings
// (copies unless the caller opts into DecodeOptions.AliasStrings). NewIter
// checks the framing of the whole list first so that Next inlines. Split
// (with FramingError and DecodeOptions.Unknown) is the iterator-free walk
// generated decoders use, whose locals stay in registers. Count sizes a
// slice for repeated attributes; CheckWidth refuses values wider than their
// attribute (ErrRange). Iteration follows the kernel's
// nla_ok/nla_next: an attribute with nla_len < 4 or past the end stops the
// walk with an error wrapping ErrLength or ErrTruncated; the last attribute
// may omit its padding; any other leftover bytes (1–3 trailing bytes) are
// an error, as with the kernel's NL_VALIDATE_TRAILING.
//
// Typed getters check the exact payload length and return *AttrError
// (wrapping ErrLength) otherwise: U8..U64, S8..S64, BE16/32/64, Uint and
// Sint (4 or 8 bytes), Flag (empty payload). String returns the bytes up to
// the first NUL and accepts an unterminated payload, the lenient behaviour
// of the kernel's nla_strscpy and of libnl/mdlayher; StringStrict demands a
// terminating NUL (NLA_NUL_STRING); StringView is the allocation-free
// []byte form of String.
//
// Errors are *AttrError values carrying the attribute type, a path supplied
// by generated code, the actual length and what was wanted;
// errors.Is(err, ErrTruncated | ErrLength | ErrUnknown | ErrTooLong) selects
// the class. Annotate adds the type and path to a getter's error.
//
// Unknown attributes: generated decoders skip them by default, or keep them
// as Unknown values (raw type with flag bits, so re-encoding with
// AppendUnknown is byte-identical); DecodeOptions.Strict turns them into
// ErrUnknown errors.
//
// Nothing in this package panics on any input; this is fuzzed (FuzzIter).
package nlattr
