package genl

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

// Errno is a portable error number in Linux numbering. Netlink error codes
// come from the Linux uapi, so Linux numbering is the lingua franca; the
// Windows transport translates the OVS driver's MSVC errno values into it.
// On Linux an Errno compares equal (errors.Is) to the syscall.Errno with the
// same number.
type Errno int

// Errno values (Linux asm-generic/errno*.h numbering).
const (
	EPERM           Errno = 1
	ENOENT          Errno = 2
	ESRCH           Errno = 3
	EINTR           Errno = 4
	EIO             Errno = 5
	ENXIO           Errno = 6
	E2BIG           Errno = 7
	EBADF           Errno = 9
	EAGAIN          Errno = 11
	ENOMEM          Errno = 12
	EACCES          Errno = 13
	EFAULT          Errno = 14
	EBUSY           Errno = 16
	EEXIST          Errno = 17
	EXDEV           Errno = 18
	ENODEV          Errno = 19
	ENOTDIR         Errno = 20
	EISDIR          Errno = 21
	EINVAL          Errno = 22
	ENFILE          Errno = 23
	EMFILE          Errno = 24
	ENOTTY          Errno = 25
	EFBIG           Errno = 27
	ENOSPC          Errno = 28
	ESPIPE          Errno = 29
	EROFS           Errno = 30
	EMLINK          Errno = 31
	EPIPE           Errno = 32
	EDOM            Errno = 33
	ERANGE          Errno = 34
	EDEADLK         Errno = 35
	ENAMETOOLONG    Errno = 36
	ENOLCK          Errno = 37
	ENOSYS          Errno = 38
	ENOTEMPTY       Errno = 39
	ELOOP           Errno = 40
	ENOMSG          Errno = 42
	EIDRM           Errno = 43
	ENODATA         Errno = 61
	ETIME           Errno = 62
	EPROTO          Errno = 71
	EBADMSG         Errno = 74
	EOVERFLOW       Errno = 75
	EILSEQ          Errno = 84
	ENOTSOCK        Errno = 88
	EDESTADDRREQ    Errno = 89
	EMSGSIZE        Errno = 90
	EPROTOTYPE      Errno = 91
	ENOPROTOOPT     Errno = 92
	EPROTONOSUPPORT Errno = 93
	EOPNOTSUPP      Errno = 95 // == ENOTSUP on Linux
	ENOTSUP         Errno = EOPNOTSUPP
	EAFNOSUPPORT    Errno = 97
	EADDRINUSE      Errno = 98
	EADDRNOTAVAIL   Errno = 99
	ENETDOWN        Errno = 100
	ENETUNREACH     Errno = 101
	ENETRESET       Errno = 102
	ECONNABORTED    Errno = 103
	ECONNRESET      Errno = 104
	ENOBUFS         Errno = 105
	EISCONN         Errno = 106
	ENOTCONN        Errno = 107
	ETIMEDOUT       Errno = 110
	ECONNREFUSED    Errno = 111
	EHOSTUNREACH    Errno = 113
	EALREADY        Errno = 114
	EINPROGRESS     Errno = 115
	ECANCELED       Errno = 125
)

var errnoNames = map[Errno]string{
	EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO",
	ENXIO: "ENXIO", E2BIG: "E2BIG", EBADF: "EBADF", EAGAIN: "EAGAIN", ENOMEM: "ENOMEM",
	EACCES: "EACCES", EFAULT: "EFAULT", EBUSY: "EBUSY", EEXIST: "EEXIST", EXDEV: "EXDEV",
	ENODEV: "ENODEV", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL",
	ENFILE: "ENFILE", EMFILE: "EMFILE", ENOTTY: "ENOTTY", EFBIG: "EFBIG", ENOSPC: "ENOSPC",
	ESPIPE: "ESPIPE", EROFS: "EROFS", EMLINK: "EMLINK", EPIPE: "EPIPE", EDOM: "EDOM",
	ERANGE: "ERANGE", EDEADLK: "EDEADLK", ENAMETOOLONG: "ENAMETOOLONG", ENOLCK: "ENOLCK",
	ENOSYS: "ENOSYS", ENOTEMPTY: "ENOTEMPTY", ELOOP: "ELOOP", ENOMSG: "ENOMSG",
	EIDRM: "EIDRM", ENODATA: "ENODATA", ETIME: "ETIME", EPROTO: "EPROTO",
	EBADMSG: "EBADMSG", EOVERFLOW: "EOVERFLOW", EILSEQ: "EILSEQ", ENOTSOCK: "ENOTSOCK",
	EDESTADDRREQ: "EDESTADDRREQ", EMSGSIZE: "EMSGSIZE", EPROTOTYPE: "EPROTOTYPE",
	ENOPROTOOPT: "ENOPROTOOPT", EPROTONOSUPPORT: "EPROTONOSUPPORT",
	EOPNOTSUPP: "EOPNOTSUPP", EAFNOSUPPORT: "EAFNOSUPPORT", EADDRINUSE: "EADDRINUSE",
	EADDRNOTAVAIL: "EADDRNOTAVAIL", ENETDOWN: "ENETDOWN", ENETUNREACH: "ENETUNREACH",
	ENETRESET: "ENETRESET", ECONNABORTED: "ECONNABORTED", ECONNRESET: "ECONNRESET", ENOBUFS: "ENOBUFS",
	EISCONN: "EISCONN", ENOTCONN: "ENOTCONN", ETIMEDOUT: "ETIMEDOUT",
	ECONNREFUSED: "ECONNREFUSED", EHOSTUNREACH: "EHOSTUNREACH", EALREADY: "EALREADY",
	EINPROGRESS: "EINPROGRESS", ECANCELED: "ECANCELED",
}

// Name returns the symbolic name ("ENOENT"), or "errno N" if unknown.
func (e Errno) Name() string {
	if s, ok := errnoNames[e]; ok {
		return s
	}
	return "errno " + strconv.Itoa(int(e))
}

// Error implements error.
func (e Errno) Error() string { return e.Name() }

// Is reports whether target is the same error number, including (on Linux)
// a syscall.Errno or an error that syscall.Errno itself matches, such as
// os.ErrNotExist for ENOENT.
func (e Errno) Is(target error) bool {
	if t, ok := target.(Errno); ok {
		return t == e
	}
	return errnoIsSyscall(e, target)
}

// Error is a failure reported by the kernel (NLMSG_ERROR with a non-zero
// code, or an error at the end of a dump). Unwrap yields the Errno, so
// errors.Is(err, genl.ENOENT) works.
type Error struct {
	Errno Errno
	// Message is the extended-ack text (NLMSGERR_ATTR_MSG), if any.
	Message string
	// Offset is the byte offset into the request (from the nlmsghdr) of the
	// attribute that caused the error (NLMSGERR_ATTR_OFFS), or -1.
	Offset int
	// MissingType/MissingNest report a missing required attribute
	// (NLMSGERR_ATTR_MISS_TYPE / MISS_NEST); HasMissing tells if set.
	// Filled by ParseErrorMessage; the Linux transport cannot fill them
	// because mdlayher/netlink exposes only the message and offset.
	MissingType uint32
	MissingNest uint32
	HasMissing  bool
	// Family and Cmd identify the request that failed, for messages.
	Family string
	Cmd    uint8
}

// Error implements error.
func (e *Error) Error() string {
	var sb strings.Builder
	sb.WriteString("genl")
	if e.Family != "" {
		fmt.Fprintf(&sb, " %s cmd %d", e.Family, e.Cmd)
	}
	sb.WriteString(": ")
	sb.WriteString(e.Errno.Name())
	if e.Message != "" {
		fmt.Fprintf(&sb, ": %s", e.Message)
	}
	if e.Offset >= 0 {
		fmt.Fprintf(&sb, " (offset %d)", e.Offset)
	}
	if e.HasMissing {
		fmt.Fprintf(&sb, " (missing attribute %d in nest %d)", e.MissingType, e.MissingNest)
	}
	return sb.String()
}

// Unwrap returns the Errno.
func (e *Error) Unwrap() error { return e.Errno }

// Extended-ack attribute types (include/uapi/linux/netlink.h).
const (
	extAckMsg      = 1 // NLMSGERR_ATTR_MSG
	extAckOffs     = 2 // NLMSGERR_ATTR_OFFS
	extAckMissType = 5 // NLMSGERR_ATTR_MISS_TYPE
	extAckMissNest = 6 // NLMSGERR_ATTR_MISS_NEST
)

// ParseErrorMessage decodes the body of an NLMSG_ERROR message (data after
// the outer nlmsghdr) whose outer header carried flags. It returns the
// negated error code (0 for an ACK), the embedded request header, and an
// *Error when the code is non-zero. Extended-ack attributes that are
// malformed are ignored rather than hiding the errno.
func ParseErrorMessage(flags uint16, data []byte) (code int32, req Header, err error) {
	if len(data) < 4+HeaderLen {
		return 0, Header{}, fmt.Errorf("%w: %d-byte NLMSG_ERROR", ErrShortMessage, len(data))
	}
	code = int32(binary.NativeEndian.Uint32(data[:4]))
	req, _ = ParseHeader(data[4:])
	if code == 0 {
		return 0, req, nil
	}
	e := &Error{Errno: Errno(-int64(code)), Offset: -1}
	if flags&FlagAckTLVs != 0 {
		tlvs := data[4+HeaderLen:]
		if flags&FlagCapped == 0 {
			// The request's payload is echoed (padded) before the TLVs.
			echoed := (int64(req.Length) - HeaderLen + alignTo - 1) &^ (alignTo - 1)
			if echoed < 0 || echoed > int64(len(tlvs)) {
				return code, req, e
			}
			tlvs = tlvs[echoed:]
		}
		parseExtAck(e, tlvs)
	}
	return code, req, e
}

func parseExtAck(e *Error, b []byte) {
	it := nlattr.NewIter(b)
	for it.Next() {
		p := it.Payload()
		switch it.Type() {
		case extAckMsg:
			if s, err := nlattr.String(p); err == nil {
				e.Message = s
			}
		case extAckOffs:
			if v, err := nlattr.U32(p); err == nil {
				e.Offset = int(v)
			}
		case extAckMissType:
			if v, err := nlattr.U32(p); err == nil {
				e.MissingType, e.HasMissing = v, true
			}
		case extAckMissNest:
			if v, err := nlattr.U32(p); err == nil {
				e.MissingNest = v
			}
		}
	}
}
