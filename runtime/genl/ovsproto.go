package genl

// Constants of the Open vSwitch Windows driver's user interface
// (datapath-windows/include/OvsDpInterfaceExt.h at OVS commit 9426c2117e,
// the last one with Windows support). See ovs-windows-interface.md §2–§6.

// DefaultDevicePath is the Win32 path of the OVS kernel device.
const DefaultDevicePath = `\\.\OpenvSwitchDevice`

// ctlCode is the Windows CTL_CODE macro; x/sys/windows has no equivalent.
func ctlCode(deviceType, function, method, access uint32) uint32 {
	return deviceType<<16 | access<<14 | function<<2 | method
}

const (
	ovsIoctlDeviceType = 45000 // 0xAFC8
	ovsIoctlStart      = 0x100

	methodBuffered  = 0
	methodInDirect  = 1
	methodOutDirect = 2

	fileReadAccess  = 1
	fileWriteAccess = 2
)

// OVS ioctl codes, CTL_CODE(0xAFC8, OVS_IOCTL_START+n, method, access).
// Note the driver's oddity: WRITE uses read access and TRANSACT write access.
const (
	IoctlGetPID     = ovsIoctlDeviceType<<16 | fileWriteAccess<<14 | (ovsIoctlStart+0)<<2 | methodBuffered  // 0xAFC88400
	IoctlRead       = ovsIoctlDeviceType<<16 | fileReadAccess<<14 | (ovsIoctlStart+1)<<2 | methodOutDirect  // 0xAFC84406
	IoctlReadEvent  = ovsIoctlDeviceType<<16 | fileReadAccess<<14 | (ovsIoctlStart+2)<<2 | methodOutDirect  // 0xAFC8440A
	IoctlReadPacket = ovsIoctlDeviceType<<16 | fileReadAccess<<14 | (ovsIoctlStart+3)<<2 | methodOutDirect  // 0xAFC8440E
	IoctlWrite      = ovsIoctlDeviceType<<16 | fileReadAccess<<14 | (ovsIoctlStart+4)<<2 | methodInDirect   // 0xAFC84411
	IoctlTransact   = ovsIoctlDeviceType<<16 | fileWriteAccess<<14 | (ovsIoctlStart+5)<<2 | methodOutDirect // 0xAFC88416
)

// Message sizes the driver insists on.
const (
	ovsHeaderLen       = 4                                        // struct ovs_header {int dp_ifindex}
	ovsMessageLen      = HeaderLen + GenlHeaderLen + ovsHeaderLen // OVS_MESSAGE, minimum request
	ovsMessageErrorLen = HeaderLen + 4 + HeaderLen                // OVS_MESSAGE_ERROR, minimum output buffer
	defaultReplyBuffer = 64 << 10                                 // lib/netlink-socket.c reply buffer
)

// ovs_win_control family (id 17, version 1). Its attributes start at 0.
const (
	ovsWinControlID      = MinType + 1
	ovsWinControlVersion = 1

	ctrlCmdPendReq         = 0 // OVS_CTRL_CMD_WIN_PEND_REQ
	ctrlCmdPendPacketReq   = 1 // OVS_CTRL_CMD_WIN_PEND_PACKET_REQ
	ctrlCmdMcSubscribeReq  = 2 // OVS_CTRL_CMD_MC_SUBSCRIBE_REQ
	ctrlCmdPacketSubscribe = 3 // OVS_CTRL_CMD_PACKET_SUBSCRIBE_REQ
	ctrlCmdSockProp        = 6 // OVS_CTRL_CMD_SOCK_PROP

	ctrlAttrMcastGrp        = 0 // OVS_NL_ATTR_MCAST_GRP, u32
	ctrlAttrMcastJoin       = 1 // OVS_NL_ATTR_MCAST_JOIN, u8
	ctrlAttrPacketSubscribe = 2 // OVS_NL_ATTR_PACKET_SUBSCRIBE, u8
	ctrlAttrPacketPID       = 3 // OVS_NL_ATTR_PACKET_PID, u32
	ctrlAttrSockProto       = 0 // OVS_NL_ATTR_SOCK_PROTO, u32
	ctrlAttrSockPID         = 1 // OVS_NL_ATTR_SOCK_PID, u32

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
