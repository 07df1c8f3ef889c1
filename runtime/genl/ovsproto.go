package genl

// Constants of the Open vSwitch Windows driver's user interface
// (datapath-windows/include/OvsDpInterfaceExt.h at OVS commit 9426c2117e,
// the last one with Windows support). See ovs-windows-interface.md §2–§6.

// DefaultDevicePath is the Win32 path of the OVS kernel device (the
// overlay's device user-name, generated into ovswin_gen.go).
const DefaultDevicePath = deviceUserName

// OVS ioctl codes, CTL_CODE(0xAFC8, OVS_IOCTL_START+n, method, access),
// generated from the overlay (schema/ovs/windows.yaml) into ovswin_gen.go.
// Note the driver's oddity: WRITE uses read access and TRANSACT write access.
const (
	IoctlGetPID     = ioctlGetPid
	IoctlRead       = ioctlRead
	IoctlReadEvent  = ioctlReadEvent
	IoctlReadPacket = ioctlReadPacket
	IoctlWrite      = ioctlWrite
	IoctlTransact   = ioctlTransact
)

// Message sizes the driver insists on.
const (
	ovsHeaderLen       = winControlHeaderLen                      // struct ovs_header {int dp_ifindex}
	ovsMessageLen      = HeaderLen + GenlHeaderLen + ovsHeaderLen // OVS_MESSAGE, minimum request
	ovsMessageErrorLen = HeaderLen + 4 + HeaderLen                // OVS_MESSAGE_ERROR, minimum output buffer
	defaultReplyBuffer = 64 << 10                                 // lib/netlink-socket.c reply buffer
)

// ovs_win_control family: the static id, version, commands and attributes
// come from its spec and the overlay (ovswin_gen.go); these are the names
// the transport uses for them. Its attributes start at 0.
const (
	ovsWinControlID      = winControlID
	ovsWinControlVersion = winControlVersion

	ctrlCmdPendReq         = winControlCmdWinPendReq
	ctrlCmdPendPacketReq   = winControlCmdWinPendPacketReq
	ctrlCmdMcSubscribeReq  = winControlCmdMcSubscribeReq
	ctrlCmdPacketSubscribe = winControlCmdPacketSubscribeReq
	ctrlCmdSockProp        = winControlCmdSockProp

	ctrlAttrMcastGrp        = winControlMcastMcastGrp
	ctrlAttrMcastJoin       = winControlMcastMcastJoin
	ctrlAttrPacketSubscribe = winControlMcastPacketSubscribe
	ctrlAttrPacketPID       = winControlMcastPacketPid
	ctrlAttrSockProto       = winControlSockSockProto
	ctrlAttrSockPID         = winControlSockSockPid

	netlinkGeneric = 16 // NETLINK_GENERIC, the protocol announced via SOCK_PROP
)

// OVSWinControl is the driver's control family. Generated OVS clients do not
// need it; the device transport uses it for SOCK_PROP, subscriptions and
// pending-I/O requests.
var OVSWinControl = &Family{Name: "ovs_win_control", Version: ovsWinControlVersion, HeaderLen: ovsHeaderLen, StaticID: ovsWinControlID}

// msvcErrno maps the MSVC errno values the driver puts (negated) into
// NLMSG_ERROR replies to portable Linux-numbered Errno values. Values 1–42
// are shared with Linux except where listed; 100+ are MSVC's POSIX
// supplement, which Linux numbers differently.
var msvcErrno = map[int]Errno{
	36: EDEADLK, 38: ENAMETOOLONG, 39: ENOLCK, 40: ENOSYS, 41: ENOTEMPTY, 42: EILSEQ,
	100: EADDRINUSE, 101: EADDRNOTAVAIL, 102: EAFNOSUPPORT, 103: EALREADY,
	104: EBADMSG, 105: ECANCELED, 106: ECONNABORTED, 107: ECONNREFUSED,
	108: ECONNRESET, 109: EDESTADDRREQ, 110: EHOSTUNREACH, 111: EIDRM,
	112: EINPROGRESS, 113: EISCONN, 114: ELOOP, 115: EMSGSIZE, 116: ENETDOWN,
	117: ENETRESET, 118: ENETUNREACH, 119: ENOBUFS, 120: ENODATA, 122: ENOMSG,
	123: ENOPROTOOPT, 126: ENOTCONN, 128: ENOTSOCK, 129: ENOTSUP,
	130: EOPNOTSUPP, 132: EOVERFLOW, 134: EPROTO, 135: EPROTONOSUPPORT,
	136: EPROTOTYPE, 137: ETIME, 138: ETIMEDOUT, 140: EAGAIN,
}

// errnoFromMSVC converts a positive MSVC errno to the portable Errno.
func errnoFromMSVC(n int) Errno {
	if e, ok := msvcErrno[n]; ok {
		return e
	}
	if n > 0 && n <= 34 { // EPERM..ERANGE: identical numbering
		return Errno(n)
	}
	return Errno(n) // unknown: keep the raw value, Name prints "errno N"
}
