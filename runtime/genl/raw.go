package genl

import (
	"context"
	"fmt"
	"iter"
	"strconv"
)

// Classic (non-generic) netlink: the families of YNL's netlink-raw
// protocol (rtnetlink, nfnetlink, tc ...). They share the whole framing
// with generic netlink: nlmsghdr, NLMSG_ERROR acks with extended acks,
// NLMSG_DONE, multicast notifications. What differs is the request's
// address: a protocol chosen when the socket is opened and a message type
// per operation (RTM_GETLINK = 18), both fixed by the spec, instead of a
// family id resolved through nlctrl plus a genlmsghdr command. RawConn is
// the Conn of these families; on Linux it runs on the same socket code as
// Conn.

// Netlink protocol numbers (include/uapi/linux/netlink.h) of classic
// families, as netlink-raw specs give them in protonum.
const (
	ProtoRoute     = 0  // NETLINK_ROUTE: rt-link, rt-addr, rt-route, tc, ...
	ProtoSockDiag  = 4  // NETLINK_SOCK_DIAG
	ProtoXFRM      = 6  // NETLINK_XFRM
	ProtoNetfilter = 12 // NETLINK_NETFILTER: conntrack, nftables, ...
	ProtoGeneric   = 16 // NETLINK_GENERIC: use Dial and Conn instead
)

// ProtocolName is how errors name a protocol: "NETLINK_ROUTE", or
// "netlink protocol N" for one without a constant here.
func ProtocolName(protocol int) string {
	switch protocol {
	case ProtoRoute:
		return "NETLINK_ROUTE"
	case ProtoSockDiag:
		return "NETLINK_SOCK_DIAG"
	case ProtoXFRM:
		return "NETLINK_XFRM"
	case ProtoNetfilter:
		return "NETLINK_NETFILTER"
	case ProtoGeneric:
		return "NETLINK_GENERIC"
	}
	return "netlink protocol " + strconv.Itoa(protocol)
}

// RawFamily describes a classic-netlink family as a netlink-raw spec does.
// Generated code declares one package-level *RawFamily per family and
// passes it to every RawConn call.
type RawFamily struct {
	// Name is the spec's family name ("rt-link"); it names requests in
	// errors.
	Name string
	// Protocol is the netlink protocol (the spec's protonum, ProtoRoute
	// ...). A RawConn serves one protocol, chosen by DialRaw; a request of
	// a family of another protocol fails before anything is sent.
	Protocol int
	// HeaderLen is the size of the family's fixed header (the operations'
	// fixed-header: struct ifinfomsg = 16, struct nfgenmsg = 4), which
	// starts every payload before the attributes. Errors use it to find the
	// attributes an extended ack points at; OpSchema.HeaderLen overrides it
	// per operation.
	HeaderLen int
	// Schema, if set, names operations (Schema.Types, by request message
	// type) and attributes in errors and warnings. Generated packages set
	// it.
	Schema *Schema
}

// request describes a classic-netlink request of f for errors.
func (f *RawFamily) request(typ uint16, payload []byte) *reqDesc {
	if f == nil {
		return &reqDesc{typ: typ, payload: payload}
	}
	return &reqDesc{family: f.Name, schema: f.Schema, headerLen: f.HeaderLen, typ: typ, payload: payload}
}

// Annotate fills the request fields of e (Family, Type, and Op from
// f.Schema) and names the attributes its extended ack points at, as
// RawConn transports do for a kernel error; payload is the request as the
// RawConn got it. Fakes call it so the errors they return read exactly
// like the kernel's.
func (f *RawFamily) Annotate(e *Error, typ uint16, payload []byte) {
	f.request(typ, payload).annotate(e)
}

// RawConn is the transport of classic-netlink families: one socket of one
// netlink protocol. Its contract is Conn's (package doc) with these
// differences:
//
//   - A request is addressed by its nlmsghdr type (the operation's message
//     value from the spec), and payload follows the nlmsghdr directly: the
//     operation's fixed header, then attributes. No nlctrl, no genlmsghdr.
//   - Replies and notifications are RawMessages: Header is the reply's
//     nlmsghdr (Type tells RTM_NEWLINK from RTM_NEWADDR; Flags has
//     FlagMulti in a dump), Data the fixed header and attributes. Data
//     belongs to the caller, as Message.Data does.
//   - Multicast groups are joined by number (the spec's mcast-group
//     value: RTNLGRP_LINK = 1); netlink-raw families have no group names
//     the kernel could resolve.
//   - Errors are *Error with Type set (Cmd is 0) and, when f.Schema has the
//     operation in Types, Op, Attr and Missing as for generic netlink.
type RawConn interface {
	// Protocol is the netlink protocol the Conn was dialed for.
	Protocol() int

	// Do sends one request of type typ (extra nlmsghdr flags; payload =
	// fixed header + attributes) and returns its replies.
	// FlagRequest|FlagAck are always added; a bare ACK is (nil, nil).
	Do(ctx context.Context, f *RawFamily, typ uint16, flags uint16, payload []byte) ([]RawMessage, error)

	// Dump sends a dump request (FlagRequest|FlagDump|FlagAck always
	// added) and yields the replies until NLMSG_DONE, or the ACK of a
	// handler that answers NLM_F_DUMP with a single message (nftables'
	// NFT_MSG_GETGEN). A failure is yielded once, as the last pair, with a
	// zero RawMessage.
	Dump(ctx context.Context, f *RawFamily, typ uint16, flags uint16, payload []byte) iter.Seq2[RawMessage, error]

	// Join subscribes the Conn to multicast group number group.
	Join(ctx context.Context, group uint32) error

	// Leave undoes Join.
	Leave(ctx context.Context, group uint32) error

	// Receive blocks until the next notification arrives or ctx is done.
	Receive(ctx context.Context) (RawMessage, error)

	// PortID is the netlink port id of this Conn as the kernel sees it.
	PortID() uint32

	// Close releases the socket. Pending calls fail.
	Close() error
}

// checkRawRequest refuses what no kernel would take: a family of another
// protocol than the Conn's, or a control message type as a request.
func checkRawRequest(protocol int, f *RawFamily, typ uint16) error {
	if f == nil {
		return fmt.Errorf("genl: %s request type %d without a RawFamily", ProtocolName(protocol), typ)
	}
	if f.Protocol != protocol {
		return fmt.Errorf("%s: family of %s on a %s Conn: %w", f.request(typ, nil).name(),
			ProtocolName(f.Protocol), ProtocolName(protocol), ErrUnsupported)
	}
	if typ < MinType {
		return fmt.Errorf("%s: type %d is a netlink control message, not a request", f.request(typ, nil).name(), typ)
	}
	return nil
}
