package genl

import (
	"context"
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
//
// The transports fill the request fields (Family, Cmd, Op) and, when the
// Family carries a Schema, translate the extended ack's offsets into
// attribute names (Attr, Missing), as the kernel's YNL library does.
type Error struct {
	Errno Errno
	// Message is the extended-ack text (NLMSGERR_ATTR_MSG), if any.
	Message string
	// Offset is the byte offset into the request (from the nlmsghdr) of the
	// attribute that caused the error (NLMSGERR_ATTR_OFFS), or -1.
	Offset int
	// MissingType reports a missing required attribute
	// (NLMSGERR_ATTR_MISS_TYPE); HasMissing tells if set. MissingNest is the
	// offset into the request of the nest that lacks it
	// (NLMSGERR_ATTR_MISS_NEST), 0 when it is missing at the top level.
	MissingType uint32
	MissingNest uint32
	HasMissing  bool
	// Attr names the attribute at Offset as a dotted path through the
	// request's nests ("header.dev-index"), and Missing names the missing
	// attribute the same way ("header.dev-index" when a nest lacks it,
	// "ifindex" at the top level). Empty when the Family has no Schema or
	// the offsets do not fall on an attribute of the request.
	Attr    string
	Missing string
	// Family, Op and Cmd identify the request that failed. Op is the
	// operation's name from Family.Schema, empty when unknown. Type is the
	// nlmsg_type of a classic-netlink request (RawConn), 0 for generic
	// netlink, whose requests Cmd identifies.
	Family string
	Op     string
	Cmd    uint8
	Type   uint16
}

// Error implements error: "netdev dev-get: EINVAL: <kernel message>
// (missing attribute: ifindex)".
func (e *Error) Error() string {
	var sb strings.Builder
	sb.WriteString(requestName(e.Family, e.Op, e.Cmd, e.Type))
	sb.WriteString(": ")
	sb.WriteString(e.Errno.Name())
	writeExtAck(&sb, e.Message, e.Offset, e.Attr)
	if e.HasMissing {
		m := e.Missing
		if m == "" {
			m = fmt.Sprintf("type %d", e.MissingType)
			if e.MissingNest != 0 {
				m += fmt.Sprintf(" in the nest at offset %d", e.MissingNest)
			}
		}
		fmt.Fprintf(&sb, " (missing attribute: %s)", m)
	}
	return sb.String()
}

// requestName is how errors name a request: "family op", or "genl family
// cmd N" ("netlink family type N" for classic netlink) when the
// operation's name is unknown.
func requestName(family, op string, cmd uint8, typ uint16) string {
	switch {
	case family == "" && typ != 0:
		return "netlink"
	case family == "":
		return "genl"
	case op != "":
		return family + " " + op
	case typ != 0:
		return fmt.Sprintf("netlink %s type %d", family, typ)
	}
	return fmt.Sprintf("genl %s cmd %d", family, cmd)
}

func writeExtAck(sb *strings.Builder, msg string, offset int, attr string) {
	if msg != "" {
		fmt.Fprintf(sb, ": %s", msg)
	}
	switch {
	case attr != "":
		fmt.Fprintf(sb, " (attribute %s)", attr)
	case offset >= 0:
		fmt.Fprintf(sb, " (offset %d)", offset)
	}
}

// Unwrap returns the Errno.
func (e *Error) Unwrap() error { return e.Errno }

// Warning is an extended ack the kernel attached to a request that
// succeeded: a message (and maybe an attribute) in the final NLMSG_DONE of
// a dump or in a successful ACK. ethtool, for one, reports devices it could
// not describe this way. Warnings reach the handler installed with
// WithWarningHandler; without one they are dropped.
type Warning struct {
	Message string
	Offset  int    // as in Error, -1 when absent
	Attr    string // as in Error
	Family  string
	Op      string
	Cmd     uint8
	Type    uint16 // as in Error
}

// String formats the warning like an Error, without an errno.
func (w *Warning) String() string {
	var sb strings.Builder
	sb.WriteString(requestName(w.Family, w.Op, w.Cmd, w.Type))
	sb.WriteString(": kernel warning")
	writeExtAck(&sb, w.Message, w.Offset, w.Attr)
	return sb.String()
}

type warningKey struct{}

// WithWarningHandler returns a context whose requests report kernel
// warnings (see Warning) to fn. fn runs on the calling goroutine before the
// request returns.
func WithWarningHandler(ctx context.Context, fn func(*Warning)) context.Context {
	return context.WithValue(ctx, warningKey{}, fn)
}

func warn(ctx context.Context, w *Warning) {
	if fn, ok := ctx.Value(warningKey{}).(func(*Warning)); ok && fn != nil {
		fn(w)
	}
}

// FamilyNotFoundError reports a family that nlctrl does not know: on Linux
// the module that registers it is usually not loaded. It matches ENOENT
// (errors.Is(err, genl.ENOENT)), which is what nlctrl answers.
type FamilyNotFoundError struct {
	Name string
}

func (e *FamilyNotFoundError) Error() string {
	return fmt.Sprintf("family %q is not registered in this kernel (module not loaded?)", e.Name)
}

// Unwrap returns ENOENT.
func (e *FamilyNotFoundError) Unwrap() error { return ENOENT }

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
	parseExtAck(e, errorTLVs(flags, data, req))
	return code, req, e
}

// errorTLVs returns the extended-ack attributes of an NLMSG_ERROR body, nil
// when there are none.
func errorTLVs(flags uint16, data []byte, req Header) []byte {
	if flags&FlagAckTLVs == 0 || len(data) < 4+HeaderLen {
		return nil
	}
	tlvs := data[4+HeaderLen:]
	if flags&FlagCapped == 0 {
		// The request's payload is echoed (padded) before the TLVs.
		echoed := (int64(req.Length) - HeaderLen + alignTo - 1) &^ (alignTo - 1)
		if echoed < 0 || echoed > int64(len(tlvs)) {
			return nil
		}
		tlvs = tlvs[echoed:]
	}
	return tlvs
}

// ackWarning returns the extended ack of a successful ACK (errno 0), which
// the kernel sends when a handler set a message without failing.
func ackWarning(flags uint16, data []byte) *Warning {
	req, err := ParseHeader(data[min(4, len(data)):])
	if err != nil {
		return nil
	}
	e := &Error{Offset: -1}
	parseExtAck(e, errorTLVs(flags, data, req))
	if e.Message == "" && e.Offset < 0 {
		return nil
	}
	return &Warning{Message: e.Message, Offset: e.Offset}
}

// ParseDoneMessage decodes the body of an NLMSG_DONE message (data after
// the nlmsghdr): the dump's final status, an int that is negative when the
// dump failed, followed by extended-ack attributes when flags has
// FlagAckTLVs (the kernel's netlink_dump_done). It returns an *Error for a
// failed dump and a *Warning for a successful one that carries an
// extended-ack message; both nil otherwise. A 0-byte body (older kernels,
// the OVS driver) is a plain end of dump.
func ParseDoneMessage(flags uint16, data []byte) (*Error, *Warning) {
	if len(data) < 4 {
		return nil, nil
	}
	code := int32(binary.NativeEndian.Uint32(data[:4]))
	e := &Error{Errno: Errno(-int64(code)), Offset: -1}
	if flags&FlagAckTLVs != 0 {
		parseExtAck(e, data[4:])
	}
	if code < 0 {
		return e, nil
	}
	if e.Message == "" && e.Offset < 0 {
		return nil, nil
	}
	return nil, &Warning{Message: e.Message, Offset: e.Offset}
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
