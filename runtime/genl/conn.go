package genl

import (
	"context"
	"errors"
	"iter"
)

// Conn is the transport-agnostic generic-netlink connection that generated
// clients call. The full contract (flags added implicitly, ownership of
// Message.Data, error types, context handling) is documented in the package
// doc; transports in this package are tested against it.
type Conn interface {
	// Do sends one request (cmd of family f, extra nlmsghdr flags, payload =
	// fixed header + attributes) and returns its replies with the netlink
	// and genl headers stripped. FlagRequest|FlagAck are always added.
	Do(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) ([]Message, error)

	// Dump sends a dump request (FlagRequest|FlagDump always added) and
	// yields the replies one by one. A failure is yielded once, as the last
	// pair, with a zero Message.
	Dump(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) iter.Seq2[Message, error]

	// Join subscribes this Conn to the named multicast group of f.
	Join(ctx context.Context, f *Family, group string) error

	// Leave undoes Join.
	Leave(ctx context.Context, f *Family, group string) error

	// Receive blocks until the next notification (multicast message) arrives
	// or ctx is done.
	Receive(ctx context.Context) (Message, error)

	// PortID is the netlink port id of this Conn as the kernel sees it.
	PortID() uint32

	// Close releases the socket or device handle. Pending calls fail.
	Close() error
}

// Family describes a generic-netlink family. Generated code declares one
// package-level *Family per family and passes it to every Conn call.
type Family struct {
	// Name is the genl family name, e.g. "ovs_datapath". On Linux the
	// numeric id is resolved from it via nlctrl.
	Name string
	// Version is written into genlmsghdr.version of every request.
	Version uint8
	// HeaderLen is the size of the family's fixed header that precedes the
	// attributes in every message (4 for struct ovs_header, 0 for most
	// families). Transports use it only for validation and documentation;
	// payloads always include the fixed header.
	HeaderLen int
	// StaticID is the family id on transports without nlctrl (the OVS
	// Windows driver, e.g. 18 for ovs_datapath). 0 means "resolve
	// dynamically"; such a family cannot be used on Windows.
	StaticID uint16
	// Groups maps multicast group names to static group ids for transports
	// without nlctrl (Windows: "ovs_vport" -> 101). Ignored on Linux.
	Groups map[string]uint32
	// Schema, if set, names operations and attributes in errors and
	// warnings (see Schema). Generated packages set it.
	Schema *Schema
}

// Message is one generic-netlink message with the nlmsghdr and genlmsghdr
// stripped. The memory behind Data belongs to the caller.
type Message struct {
	// Family is the name of the family the message belongs to, when the
	// Conn knows it (always for Do/Dump replies; for notifications when the
	// family was used or joined on this Conn). Empty otherwise.
	Family string
	// Cmd and Version are the genlmsghdr fields.
	Cmd     uint8
	Version uint8
	// Flags are the nlmsghdr flags of the reply (e.g. FlagMulti).
	Flags uint16
	// Data is the fixed family header followed by attributes.
	Data []byte
}

// Options configures Dial and NewDeviceConn. A nil *Options means defaults.
type Options struct {
	// NetNS, if non-zero, is a network-namespace file descriptor to open the
	// socket in (Linux only).
	NetNS int
	// DevicePath overrides the OVS device path (Windows only); the default
	// is DefaultDevicePath.
	DevicePath string
	// ReadBufferSize is the starting size of the reply buffer used for each
	// device ioctl (Windows protocol). The default, 64 KiB, matches OVS
	// userspace. The driver never says how much room a reply needs; when a
	// message arrives cut at the end of a full buffer (its nlmsg_len is
	// larger), that call fails with ErrShortMessage and the buffer grows to
	// the message's size for later calls. The Linux transport needs no
	// setting: it peeks each datagram's size and reads into at least 32 KiB.
	ReadBufferSize int
}

// ErrUnsupported is wrapped by Dial on operating systems without a transport
// and by operations a transport cannot perform.
var ErrUnsupported = errors.ErrUnsupported

// ErrClosed is returned by calls on a closed Conn.
var ErrClosed = errors.New("genl: connection closed")
