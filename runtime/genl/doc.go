// Package genl is the transport layer that nlgen-generated clients call. It
// frames generic-netlink messages (Conn) and classic-netlink ones (RawConn,
// for netlink-raw families such as rtnetlink), and hides the difference
// between the Linux kernel (a netlink socket, family ids resolved through
// nlctrl) and the Open vSwitch Windows driver (a device handle driven by
// DeviceIoControl, static family ids, no nlctrl). Generated code only ever
// sees the Conn and RawConn interfaces, so one generated package serves
// both operating systems.
//
// Why a separate package: the attribute codec (runtime/nlattr) is pure byte
// manipulation and must stay allocation-free and portable; framing, sequence
// numbers, error mapping and the per-OS system calls live here instead.
//
// # The Conn contract
//
// Generated code encodes the family's fixed header (if any, e.g. the 4-byte
// struct ovs_header) followed by the attributes into one payload, and hands
// it to a Conn together with a *Family and a command number:
//
//	Do(ctx, f, cmd, flags, payload) ([]Message, error)
//	Dump(ctx, f, cmd, flags, payload) iter.Seq2[Message, error]
//	Join(ctx, f, group) error
//	Leave(ctx, f, group) error
//	Receive(ctx) (Message, error)
//	PortID() uint32
//	Close() error
//
// Rules every transport follows (and tests check):
//
//   - payload is everything after the 4-byte genlmsghdr: the family's fixed
//     header (Family.HeaderLen bytes) and then attributes. The Conn writes the
//     nlmsghdr and genlmsghdr itself (length, family id, sequence number, port
//     id, cmd, f.Version). The Conn never retains payload after returning.
//   - flags are extra nlmsghdr flags such as FlagCreate|FlagExcl or FlagEcho.
//     Do always adds FlagRequest|FlagAck (so commands without a reply still
//     report errors); Dump always adds FlagRequest|FlagDump. Callers never
//     need to pass those.
//   - Do returns the replies in order, with the nlmsghdr and genlmsghdr
//     stripped (Message.Data starts at the family's fixed header). A command
//     that only acknowledges returns (nil, nil). NLMSG_DONE and the final ACK
//     are consumed by the Conn and never returned.
//   - Dump yields one Message per reply, in kernel order, and stops after the
//     end of the dump (NLMSG_DONE on Linux, a 0-byte READ on Windows). If the
//     dump fails, the last pair yielded has a non-nil error and a zero
//     Message. Breaking out of the loop early is allowed; the Conn drains or
//     discards the rest of the dump before the next request.
//   - Message.Data is owned by the caller: a Conn never reuses or overwrites
//     the memory of a Message it returned, so decoders may alias it.
//   - Errors from the kernel are *Error, naming the request (Family, Op from
//     Family.Schema, Cmd) and, when Family.Schema describes the request's
//     attributes, the attribute the extended ack points at (Attr) and the
//     one it reports missing (Missing). A family the kernel does not know
//     is *FamilyNotFoundError. Extended acks on requests that succeeded
//     (a dump's NLMSG_DONE, an ACK) are Warnings, delivered to the handler
//     of WithWarningHandler. errors.Is(err, genl.ENOENT) works on
//     every OS; on Linux errors.Is(err, syscall.ENOENT) (and unix.ENOENT)
//     works too. Errno values use Linux numbering everywhere: the Windows
//     transport translates the driver's negative MSVC errno values
//     (-22, -129, -115, -122, ...) into the same named constants.
//   - ctx: a deadline or cancellation aborts the wait for replies and returns
//     ctx.Err() (wrapped). On Windows a cancelled blocking ioctl is aborted
//     with CancelIoEx on a best-effort basis.
//   - Join subscribes to a multicast group by name. On Linux the group id is
//     resolved through nlctrl (Family.Groups is ignored); on Windows it comes
//     from Family.Groups. Receive returns the next notification; its
//     Message.Family names the family it belongs to (from the families this
//     Conn has resolved or joined), so a Conn may join groups of several
//     families. A Conn that has joined a group should be used for Receive
//     only; use a second Conn for requests (notifications and replies share
//     one socket/handle and would interleave).
//   - A Conn is safe for concurrent use by multiple goroutines; requests are
//     serialized internally. Do not call the same Conn from inside a Dump
//     loop: a transport may hold its lock while the dump streams (the
//     Windows one does), so the inner call would block until the loop ends.
//   - Close may be called while Receive blocks; Receive then fails with an
//     error wrapping ErrClosed (or the socket's close error on Linux).
//   - PortID is the netlink port id the kernel knows this Conn by (the socket's
//     nl_pid on Linux, the GET_PID value on Windows); OVS needs it for
//     OVS_VPORT_ATTR_UPCALL_PID.
//
// # Families
//
// Family describes a generic-netlink family as the generated code knows it.
// On Linux only Name and Version matter: the numeric id is resolved with
// CTRL_CMD_GETFAMILY on first use and cached per Conn. On Windows StaticID
// must be set (the OVS driver has no nlctrl) and Groups must list the static
// multicast group ids. Generated code declares one package-level *Family per
// family and passes it to every call; a Conn may cache by pointer or name.
//
// # Dialing
//
// Dial(opts) opens the platform transport: a generic-netlink socket on Linux
// (NETLINK_EXT_ACK and NETLINK_CAP_ACK on; each datagram's size is peeked
// and it is read into at least 32 KiB, see conn_linux.go), the \\.\OpenvSwitchDevice
// device on Windows, and an error wrapping ErrUnsupported elsewhere.
// NewDeviceConn(dev, opts) runs the OVS Windows protocol over any Device; it
// is portable and exists so the protocol can be tested without Windows.
//
// # Classic netlink (netlink-raw families)
//
// The families of YNL's netlink-raw protocol (rtnetlink's rt-link,
// rt-addr, rt-route, tc; nfnetlink's conntrack, nftables) are not generic
// netlink: a request is addressed by the socket's protocol (the spec's
// protonum) and its nlmsghdr type (the operation's message value), both
// static, and the payload follows the nlmsghdr directly. RawConn is their
// transport:
//
//	DialRaw(protocol, opts) (RawConn, error)
//	Do(ctx, f *RawFamily, typ, flags, payload) ([]RawMessage, error)
//	Dump(ctx, f, typ, flags, payload) iter.Seq2[RawMessage, error]
//	Join(ctx, group uint32) error / Leave(ctx, group uint32) error
//	Receive(ctx) (RawMessage, error)
//	Protocol() int, PortID() uint32, Close() error
//
// Every rule of the Conn contract above holds (implicit flags, caller-owned
// Data, *Error and Warning, ctx, concurrency, one Conn for requests and
// another for notifications), with these differences: payload = fixed
// header + attributes, right after the nlmsghdr; replies and notifications
// keep their nlmsghdr (RawMessage.Header.Type tells RTM_NEWLINK from
// RTM_DELLINK); groups are joined by number (RTNLGRP_LINK = 1); errors
// carry Type instead of Cmd and are named from Schema.Types. A RawFamily
// of another protocol than the Conn's is refused before anything is sent.
//
// On Linux Conn and RawConn run on one socket implementation (nlSocket in
// socket_linux.go): the same reads, the same ack, extended-ack and dump-end
// parsing, the same notification queue. Outside Linux DialRaw fails with
// an error wrapping ErrUnsupported: the OVS Windows driver carries only
// generic-netlink families.
//
//	var rtLink = &genl.RawFamily{Name: "rt-link", Protocol: genl.ProtoRoute, HeaderLen: 16}
//
//	c, err := genl.DialRaw(genl.ProtoRoute, nil)
//	...
//	ifi := make([]byte, 16) // struct ifinfomsg, all zero: every link
//	for m, err := range c.Dump(ctx, rtLink, 18 /* RTM_GETLINK */, 0, ifi) {
//		if err != nil { ... }
//		// m.Header.Type == 16 (RTM_NEWLINK); m.Data = ifinfomsg + IFLA_* attributes
//	}
//
// # Example
//
//	var dpFamily = &genl.Family{Name: "ovs_datapath", Version: 2, HeaderLen: 4, StaticID: 18}
//
//	c, err := genl.Dial(nil)
//	if err != nil { ... }
//	defer c.Close()
//
//	payload := make([]byte, 4, 64)                       // struct ovs_header{dp_ifindex: 0}
//	payload = nlattr.AppendString(payload, 1, "ovs-system") // OVS_DP_ATTR_NAME
//	msgs, err := c.Do(ctx, dpFamily, 3 /* OVS_DP_CMD_GET */, 0, payload)
//	if errors.Is(err, genl.ENODEV) { ... }
//	for _, m := range msgs {
//		attrs := m.Data[dpFamily.HeaderLen:]
//		...
//	}
//
//	for m, err := range c.Dump(ctx, dpFamily, 3, 0, make([]byte, 4)) {
//		if err != nil { ... }
//		...
//	}
package genl
