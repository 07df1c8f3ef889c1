package genl

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Sizes of the fixed headers (include/uapi/linux/netlink.h, genetlink.h).
const (
	HeaderLen     = 16 // struct nlmsghdr
	GenlHeaderLen = 4  // struct genlmsghdr
	alignTo       = 4  // NLMSG_ALIGNTO
)

// nlmsghdr.nlmsg_type values below NLMSG_MIN_TYPE are control messages.
const (
	TypeNoop    = 0x1
	TypeError   = 0x2
	TypeDone    = 0x3
	TypeOverrun = 0x4
	MinType     = 0x10 // NLMSG_MIN_TYPE; also GENL_ID_CTRL
)

// nlmsghdr.nlmsg_flags.
const (
	FlagRequest      = 0x1
	FlagMulti        = 0x2
	FlagAck          = 0x4
	FlagEcho         = 0x8
	FlagDumpIntr     = 0x10
	FlagDumpFiltered = 0x20

	// Modifiers of GET requests.
	FlagRoot   = 0x100
	FlagMatch  = 0x200
	FlagAtomic = 0x400
	FlagDump   = FlagRoot | FlagMatch

	// Modifiers of NEW requests.
	FlagReplace = 0x100
	FlagExcl    = 0x200
	FlagCreate  = 0x400
	FlagAppend  = 0x800

	// Flags of NLMSG_ERROR acknowledgements.
	FlagCapped  = 0x100 // request payload was not echoed
	FlagAckTLVs = 0x200 // extended-ack attributes follow
)

// Header is struct nlmsghdr. All fields are host byte order on the wire.
type Header struct {
	Length uint32
	Type   uint16
	Flags  uint16
	Seq    uint32
	PortID uint32
}

// ErrShortMessage reports a message or header that is cut short or whose
// length field disagrees with the buffer.
var ErrShortMessage = errors.New("genl: short or malformed netlink message")

// AppendHeader appends h in wire format.
func AppendHeader(b []byte, h Header) []byte {
	b = binary.NativeEndian.AppendUint32(b, h.Length)
	b = binary.NativeEndian.AppendUint16(b, h.Type)
	b = binary.NativeEndian.AppendUint16(b, h.Flags)
	b = binary.NativeEndian.AppendUint32(b, h.Seq)
	return binary.NativeEndian.AppendUint32(b, h.PortID)
}

// ParseHeader decodes the nlmsghdr at the start of b.
func ParseHeader(b []byte) (Header, error) {
	if len(b) < HeaderLen {
		return Header{}, ErrShortMessage
	}
	return Header{
		Length: binary.NativeEndian.Uint32(b[0:4]),
		Type:   binary.NativeEndian.Uint16(b[4:6]),
		Flags:  binary.NativeEndian.Uint16(b[6:8]),
		Seq:    binary.NativeEndian.Uint32(b[8:12]),
		PortID: binary.NativeEndian.Uint32(b[12:16]),
	}, nil
}

// AppendRequest appends a complete request: nlmsghdr (length computed),
// genlmsghdr {cmd, version, 0} and payload. The length field covers the
// unpadded message, as the kernel and libnl write it.
func AppendRequest(b []byte, h Header, cmd, version uint8, payload []byte) ([]byte, error) {
	n := HeaderLen + GenlHeaderLen + len(payload)
	if uint64(n) > uint64(^uint32(0)) {
		return b, fmt.Errorf("genl: request of %d bytes is too long", n)
	}
	h.Length = uint32(n)
	b = AppendHeader(b, h)
	b = append(b, cmd, version, 0, 0)
	return append(b, payload...), nil
}

// RawMessage is one framed netlink message: its nlmsghdr and Data,
// everything after it. From SplitMessages Data aliases the buffer split;
// from a RawConn (replies and notifications of classic netlink, where Data
// is the fixed header and attributes) it belongs to the caller.
type RawMessage struct {
	Header Header
	Data   []byte
}

// SplitMessages walks the netlink messages in a receive buffer (a datagram
// or a device read). It never panics: a malformed length yields
// ErrShortMessage once and stops. Trailing bytes shorter than a header
// that are all padding are ignored, as the kernel's nlmsg_ok loop does.
func SplitMessages(b []byte) ([]RawMessage, error) {
	var out []RawMessage
	for len(b) >= HeaderLen {
		h, _ := ParseHeader(b)
		if h.Length < HeaderLen || uint64(h.Length) > uint64(len(b)) {
			return out, fmt.Errorf("%w: nlmsg_len %d with %d bytes left", ErrShortMessage, h.Length, len(b))
		}
		out = append(out, RawMessage{Header: h, Data: b[HeaderLen:h.Length]})
		next := (int(h.Length) + alignTo - 1) &^ (alignTo - 1)
		if next > len(b) {
			next = len(b)
		}
		b = b[next:]
	}
	return out, nil
}

// ParseGenl splits a genl message body into its genlmsghdr fields and the
// payload. Unlike mdlayher/genetlink it tolerates non-zero reserved bytes,
// because the OVS Windows driver does not promise to zero them.
func ParseGenl(data []byte) (cmd, version uint8, payload []byte, err error) {
	if len(data) < GenlHeaderLen {
		return 0, 0, nil, fmt.Errorf("%w: %d-byte genl message", ErrShortMessage, len(data))
	}
	return data[0], data[1], data[GenlHeaderLen:], nil
}
