package nlattr

import (
	"errors"
	"strconv"
	"strings"
	"unsafe"
)

// Error classes; test with errors.Is.
var (
	// ErrTruncated: a header or payload extends past the end of the buffer,
	// or 1-3 bytes of trailing garbage follow the last attribute.
	ErrTruncated = errors.New("nlattr: truncated attribute")
	// ErrLength: nla_len < 4, or a payload has the wrong size for its type.
	ErrLength = errors.New("nlattr: bad attribute length")
	// ErrUnknown: strict decoding met an attribute the schema does not know.
	ErrUnknown = errors.New("nlattr: unknown attribute")
	// ErrTooLong: a payload does not fit in nla_len (over MaxPayloadLen).
	ErrTooLong = errors.New("nlattr: attribute payload too long")
	// ErrMissing: strict decoding met a message without an attribute the
	// peer requires (a non-optional entry of the Windows driver's NL_POLICY).
	ErrMissing = errors.New("nlattr: missing mandatory attribute")
	// ErrRange: a value (an enum wider in Go than on the wire) does not fit
	// the attribute's width and would be truncated.
	ErrRange = errors.New("nlattr: value out of range for the attribute")
)

// CheckWidth reports ErrRange (as *AttrError) when v does not fit in an
// unsigned attribute of the given width in bits, so that encoders refuse
// to truncate it silently.
func CheckWidth(typ uint16, v uint64, bits int) error {
	if bits >= 64 || v>>bits == 0 {
		return nil
	}
	return &AttrError{Type: typ & TypeMask, Len: bits / 8, Want: "a value below 2^" + strconv.Itoa(bits) + ", got " + strconv.FormatUint(v, 10), Err: ErrRange}
}

// AttrError describes one bad attribute. Err is one of the sentinels above.
type AttrError struct {
	Type uint16 // attribute type (masked); 0 if unknown to the reporter
	Path string // schema path set by generated code, e.g. "ovs_vport.stats"
	Len  int    // payload length seen (or bytes left, for framing errors)
	Want string // what was expected, e.g. "4 bytes"
	Err  error
}

// Error implements error.
func (e *AttrError) Error() string {
	var sb strings.Builder
	sb.WriteString(e.Err.Error())
	if e.Path != "" {
		sb.WriteString(" ")
		sb.WriteString(e.Path)
	}
	sb.WriteString(" (type ")
	sb.WriteString(strconv.Itoa(int(e.Type)))
	sb.WriteString(", len ")
	sb.WriteString(strconv.Itoa(e.Len))
	if e.Want != "" {
		sb.WriteString(", want ")
		sb.WriteString(e.Want)
	}
	sb.WriteString(")")
	return sb.String()
}

// Unwrap returns the sentinel class.
func (e *AttrError) Unwrap() error { return e.Err }

// Annotate fills in the type and path of an *AttrError returned by a typed
// getter, which only sees the payload. Other errors pass through. It
// returns nil for nil, so generated code can always call it.
func Annotate(err error, typ uint16, path string) error {
	ae, ok := err.(*AttrError)
	if !ok {
		return err
	}
	ae.Type = typ & TypeMask
	if ae.Path == "" {
		ae.Path = path
	}
	return ae
}

// DecodeOptions are the knobs generated UnmarshalBinary-style decoders take.
type DecodeOptions struct {
	// Strict rejects what the strictest peer's parser rejects: attributes
	// the schema does not know (ErrUnknown) instead of keeping them, string
	// payloads without their terminating NUL or with an embedded NUL
	// (ErrLength), and messages missing an attribute the OVS Windows
	// driver's NL_POLICY tables mark mandatory (ErrMissing; the overlay's
	// required lists, in the request types of the operations those tables
	// parse and in nested sets). The default is lenient, as the Linux kernel
	// and libnl readers are: unterminated strings read to their end, bytes
	// after a NUL are ignored, and nothing is mandatory.
	Strict bool
	// Request marks the message as a request, one the kernel or driver
	// parses; the decoders of request types set it for the nests they
	// hold. Strict then also requires the mandatory attributes of nested
	// sets (a meter band's type), which replies need not carry (the Linux
	// kernel's meter replies hold band stats only).
	Request bool
	// Copy makes []byte fields independent copies instead of aliases of
	// the input buffer. Strings are copies unless AliasStrings is set.
	Copy bool
	// AliasStrings lets decoded strings share memory with the input buffer
	// instead of being copied, saving one allocation per string. The caller
	// opts in by promising not to modify or reuse the buffer while the
	// strings are in use. Copy takes precedence.
	AliasStrings bool
	// Strings, when set, interns the strings decoders copy: bytes seen
	// before come back as the string made then, without allocating. The
	// strings never share the input buffer. AliasStrings takes precedence.
	Strings *StringCache
}

// String is the string attribute payload p as String decodes it, aliasing
// p when o.AliasStrings is set (and o.Copy is not), from o.Strings when
// that is set, else copied.
func (o DecodeOptions) String(p []byte) string {
	v := StringView(p)
	switch {
	case len(v) == 0:
		return ""
	case o.AliasStrings && !o.Copy:
		return unsafe.String(unsafe.SliceData(v), len(v))
	case o.Strings != nil:
		return o.Strings.String(v)
	}
	return string(v)
}

// Bytes returns p, or a copy of p when o.Copy is set.
func (o DecodeOptions) Bytes(p []byte) []byte {
	if !o.Copy || p == nil {
		return p
	}
	return append([]byte(nil), p...)
}

// OnUnknown is what a generated decoder calls for an attribute it does not
// know: in strict mode it returns an *AttrError wrapping ErrUnknown;
// otherwise it returns the attribute as an Unknown (payload copied if
// o.Copy) so it can be kept and re-encoded.
func (o DecodeOptions) OnUnknown(it *Iter, path string) (Unknown, error) {
	return o.Unknown(it.RawType(), it.Payload(), path)
}

// Unknown is OnUnknown for an attribute given by its raw nla_type and
// payload (the Frame/Split loop of generated decoders).
func (o DecodeOptions) Unknown(rawType uint16, payload []byte, path string) (Unknown, error) {
	if o.Strict {
		return Unknown{}, &AttrError{Type: rawType & TypeMask, Path: path, Len: len(payload), Want: "known attribute", Err: ErrUnknown}
	}
	return Unknown{Type: rawType, Data: o.Bytes(payload)}, nil
}

// MissingError is the *AttrError (wrapping ErrMissing) a generated
// decoder returns under DecodeOptions.Strict for a mandatory attribute typ
// at path that the message lacks.
//
//go:noinline
func MissingError(typ uint16, path string) error {
	return &AttrError{Type: typ, Path: path, Want: "present", Err: ErrMissing}
}

// LengthError is the *AttrError (wrapping ErrLength) a generated decoder
// returns for payload p of attribute typ at path. It is a call rather than
// a composite literal in the decoder so that the cold error path does not
// bloat the hot attribute loop.
//
//go:noinline
func LengthError(typ uint16, path string, p []byte, want string) error {
	return &AttrError{Type: typ, Path: path, Len: len(p), Want: want, Err: ErrLength}
}
