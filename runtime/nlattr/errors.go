package nlattr

import (
	"errors"
	"strconv"
	"strings"
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
)

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
	// Strict rejects attributes the schema does not know (ErrUnknown)
	// instead of skipping or keeping them.
	Strict bool
	// Copy makes []byte fields independent copies instead of aliases of
	// the input buffer. Strings are always copies.
	Copy bool
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
	if o.Strict {
		return Unknown{}, &AttrError{Type: it.Type(), Path: path, Len: len(it.Payload()), Want: "known attribute", Err: ErrUnknown}
	}
	return Unknown{Type: it.RawType(), Data: o.Bytes(it.Payload())}, nil
}
