//go:build linux

package genl

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

// minRecvBuffer is the smallest buffer replies are read into. The kernel
// sizes each batch of dump messages by the largest buffer the socket has
// ever passed to recvmsg (af_netlink.c netlink_recvmsg records
// max_recvmsg_len, capped at 32 KiB minus skb overhead; netlink_dump
// allocates that much). A reader that peeks the size and then reads
// exactly one datagram, as mdlayher/netlink v1.11 does, never passes more
// than the kernel's default page-sized batch, so one message larger than
// that (ethtool features-get of a NIC with many features) fails the dump
// with EMSGSIZE. iproute2's rtnl_recvmsg peeks the size and reads into
// max(size, 32 KiB); so does this transport. The kernel's YNL CLI reads
// into 128 KiB.
const minRecvBuffer = 32 << 10

// Dial opens a generic-netlink socket with extended acks
// (NETLINK_EXT_ACK) and capped acks (NETLINK_CAP_ACK: errors do not echo
// the request, which the Conn still holds), as the kernel's YNL library
// does. mdlayher/netlink opens the socket, sends, joins groups and handles
// deadlines; replies are read and parsed here (see minRecvBuffer).
func Dial(opts *Options) (Conn, error) {
	cfg := &netlink.Config{}
	if opts != nil {
		cfg.NetNS = opts.NetNS
	}
	gc, err := genetlink.Dial(cfg)
	if err != nil {
		return nil, fmt.Errorf("genl: dial generic netlink: %w", err)
	}
	for _, o := range []struct {
		opt  netlink.ConnOption
		name string
	}{{netlink.ExtendedAcknowledge, "NETLINK_EXT_ACK"}, {netlink.CapAcknowledge, "NETLINK_CAP_ACK"}} {
		if err := gc.SetOption(o.opt, true); err != nil {
			gc.Close()
			return nil, fmt.Errorf("genl: enable %s: %w", o.name, err)
		}
	}
	rc, err := gc.SyscallConn()
	if err != nil {
		gc.Close()
		return nil, fmt.Errorf("genl: netlink socket: %w", err)
	}
	return newSocketConn(gc, &socketReader{rc: rc}), nil
}

// datagramReader reads one netlink datagram into *buf (growing it) and
// returns the datagram's bytes. Tests substitute datagrams built as the
// kernel builds them.
type datagramReader interface {
	read(buf *[]byte) ([]byte, error)
}

// socketReader reads datagrams from the socket's file descriptor through
// the runtime poller, so the deadlines set on the mdlayher Conn apply.
type socketReader struct {
	rc syscall.RawConn
}

func (r *socketReader) read(buf *[]byte) ([]byte, error) {
	var n int
	var rerr error
	err := r.rc.Read(func(fd uintptr) bool {
		// MSG_TRUNC with an empty buffer returns the datagram's full size
		// without consuming it.
		n, _, _, _, rerr = unix.Recvmsg(int(fd), nil, nil, unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		if rerr == unix.EAGAIN || rerr == unix.EINTR {
			return false
		}
		if rerr != nil {
			return true
		}
		if want := max(n, minRecvBuffer); len(*buf) < want {
			*buf = make([]byte, want)
		}
		var flags int
		n, _, flags, _, rerr = unix.Recvmsg(int(fd), *buf, nil, unix.MSG_DONTWAIT)
		if rerr == nil && flags&unix.MSG_TRUNC != 0 {
			rerr = fmt.Errorf("%w: datagram larger than the %d bytes it peeked as", ErrShortMessage, len(*buf))
		}
		return rerr != unix.EAGAIN && rerr != unix.EINTR
	})
	if err != nil {
		return nil, err
	}
	if rerr != nil {
		return nil, os.NewSyscallError("recvmsg", rerr)
	}
	return (*buf)[:n], nil
}

// socketConn is the Linux transport.
type socketConn struct {
	c  *genetlink.Conn
	rx datagramReader

	mu       sync.Mutex // serializes request/response exchanges
	buf      []byte     // receive buffer of exchanges, under mu
	families map[string]*linuxFamily
	names    map[uint16]string

	rxMu    sync.Mutex // serializes Receive
	rxBuf   []byte     // receive buffer of Receive, under rxMu
	pending []Message

	pid uint32
}

// linuxFamily is a family as nlctrl described it.
type linuxFamily struct {
	id     uint16
	groups map[string]uint32
}

func newSocketConn(gc *genetlink.Conn, rx datagramReader) *socketConn {
	c := &socketConn{c: gc, rx: rx, families: map[string]*linuxFamily{}, names: map[uint16]string{}}
	if rc, err := gc.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			if sa, err := unix.Getsockname(int(fd)); err == nil {
				if nl, ok := sa.(*unix.SockaddrNetlink); ok {
					c.pid = nl.Pid
				}
			}
		})
	}
	return c
}

func (c *socketConn) PortID() uint32 { return c.pid }

func (c *socketConn) Close() error { return c.c.Close() }

// nlctrlFamily is the controller, whose id is fixed (GENL_ID_CTRL); it
// resolves every family, itself included.
var nlctrlFamily = &Family{Name: "nlctrl", Version: 2}

const (
	genlIDCtrl           = MinType // GENL_ID_CTRL
	ctrlCmdGetFamily     = 3       // CTRL_CMD_GETFAMILY
	ctrlAttrFamilyID     = 1       // CTRL_ATTR_FAMILY_ID
	ctrlAttrFamilyName   = 2       // CTRL_ATTR_FAMILY_NAME
	ctrlAttrMcastGroups  = 7       // CTRL_ATTR_MCAST_GROUPS
	ctrlAttrMcastGrpName = 1       // CTRL_ATTR_MCAST_GRP_NAME
	ctrlAttrMcastGrpID   = 2       // CTRL_ATTR_MCAST_GRP_ID
)

// family resolves f through nlctrl once per Conn. Callers hold c.mu.
func (c *socketConn) family(ctx context.Context, f *Family) (*linuxFamily, error) {
	if lf, ok := c.families[f.Name]; ok {
		return lf, nil
	}
	req := nlattr.AppendString(nil, ctrlAttrFamilyName, f.Name)
	msgs, err := c.exchange(ctx, nlctrlFamily, genlIDCtrl, ctrlCmdGetFamily, FlagRequest|FlagAck, req)
	if err != nil {
		if errors.Is(err, ENOENT) {
			return nil, &FamilyNotFoundError{Name: f.Name}
		}
		return nil, err
	}
	lf := &linuxFamily{groups: map[string]uint32{}}
	for _, m := range msgs {
		it := nlattr.NewIter(m.Data)
		for it.Next() {
			switch it.Type() {
			case ctrlAttrFamilyID:
				v, err := nlattr.U16(it.Payload())
				if err != nil {
					return nil, fmt.Errorf("genl: nlctrl reply for %s: family id: %w", f.Name, err)
				}
				lf.id = v
			case ctrlAttrMcastGroups:
				groups := nlattr.NewIter(it.Payload())
				for groups.Next() {
					var name string
					var id uint32
					g := nlattr.NewIter(groups.Payload())
					for g.Next() {
						switch g.Type() {
						case ctrlAttrMcastGrpName:
							name, _ = nlattr.String(g.Payload())
						case ctrlAttrMcastGrpID:
							id, _ = nlattr.U32(g.Payload())
						}
					}
					lf.groups[name] = id
				}
			}
		}
		if it.Err() != nil {
			return nil, fmt.Errorf("genl: nlctrl reply for %s: %w", f.Name, it.Err())
		}
	}
	if lf.id == 0 {
		return nil, fmt.Errorf("genl: nlctrl reply for %s lacks the family id", f.Name)
	}
	c.families[f.Name] = lf
	c.names[lf.id] = f.Name
	return lf, nil
}

// watch applies ctx to the socket's deadline; the returned func undoes it
// and waits for a racing cancellation so it cannot leak into the next call.
func (c *socketConn) watch(ctx context.Context) func() {
	if ctx.Done() == nil {
		return func() {}
	}
	if d, ok := ctx.Deadline(); ok {
		_ = c.c.SetDeadline(d)
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		_ = c.c.SetDeadline(time.Unix(1, 0))
		close(fired)
	})
	return func() {
		if !stop() {
			<-fired
		}
		_ = c.c.SetDeadline(time.Time{})
	}
}

// ioErr reports a failed send or receive: the context's error when the
// deadline it set fired, otherwise the socket error.
func ioErr(ctx context.Context, err error, f *Family, cmd uint8) error {
	var to interface{ Timeout() bool }
	if ctx.Done() != nil && errors.As(err, &to) && to.Timeout() {
		// Deadlines on the socket come only from ctx, and the socket's
		// timer can fire a hair before ctx's: report the ctx error.
		<-ctx.Done()
	}
	name := requestName(f.Name, f.opName(cmd), cmd)
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", name, ctx.Err())
	}
	return fmt.Errorf("%s: %w", name, err)
}

// exchange sends one request and reads its replies until the exchange
// ends: the ACK for a do, NLMSG_DONE for a dump (or an error for either).
// Messages with another sequence number (leftovers of an abandoned
// request, notifications) are dropped. Callers hold c.mu.
func (c *socketConn) exchange(ctx context.Context, f *Family, id uint16, cmd uint8, flags uint16, payload []byte) ([]Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	defer c.watch(ctx)()
	req, err := c.c.Send(genetlink.Message{Header: genetlink.Header{Command: cmd, Version: f.Version}, Data: payload},
		id, netlink.HeaderFlags(flags))
	if err != nil {
		return nil, ioErr(ctx, err, f, cmd)
	}
	if c.pid == 0 {
		c.pid = req.Header.PID
	}
	var out []Message
	for {
		b, err := c.rx.read(&c.buf)
		if err != nil {
			return nil, ioErr(ctx, err, f, cmd)
		}
		msgs, done, err := parseDatagram(ctx, b, f, c.names[id], cmd, req.Header.Sequence, payload)
		out = append(out, msgs...)
		if err != nil || done {
			return out, err
		}
	}
}

// parseDatagram turns the messages of one datagram that answer request
// seq into Messages (copied: the datagram buffer is reused). done reports
// the end of the exchange: an ACK, NLMSG_DONE or an error.
func parseDatagram(ctx context.Context, b []byte, f *Family, name string, cmd uint8, seq uint32, payload []byte) (out []Message, done bool, err error) {
	rms, err := SplitMessages(b)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", requestName(f.Name, f.opName(cmd), cmd), err)
	}
	for _, rm := range rms {
		if rm.Header.Seq != seq {
			continue
		}
		switch rm.Header.Type {
		case TypeNoop:
			continue
		case TypeError:
			code, _, e := ParseErrorMessage(rm.Header.Flags, rm.Data)
			if e != nil {
				var ge *Error
				if errors.As(e, &ge) {
					f.annotate(ge, cmd, payload)
					return out, true, ge
				}
				return out, true, fmt.Errorf("%s: %w", requestName(f.Name, f.opName(cmd), cmd), e)
			}
			if code == 0 {
				if w := ackWarning(rm.Header.Flags, rm.Data); w != nil {
					f.annotateWarning(w, cmd, payload)
					warn(ctx, w)
				}
			}
			return out, true, nil
		case TypeDone:
			ge, w := ParseDoneMessage(rm.Header.Flags, rm.Data)
			if ge != nil {
				f.annotate(ge, cmd, payload)
				return out, true, ge
			}
			if w != nil {
				f.annotateWarning(w, cmd, payload)
				warn(ctx, w)
			}
			return out, true, nil
		case TypeOverrun:
			return out, true, fmt.Errorf("%s: NLMSG_OVERRUN: %w", requestName(f.Name, f.opName(cmd), cmd), ErrShortMessage)
		}
		gcmd, ver, data, err := ParseGenl(rm.Data)
		if err != nil {
			return out, true, err
		}
		out = append(out, Message{Family: name, Cmd: gcmd, Version: ver, Flags: rm.Header.Flags, Data: append([]byte(nil), data...)})
	}
	return out, false, nil
}

// request resolves f and runs one exchange under the Conn's lock.
func (c *socketConn) request(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) ([]Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lf, err := c.family(ctx, f)
	if err != nil {
		return nil, err
	}
	return c.exchange(ctx, f, lf.id, cmd, flags, payload)
}

// Do sends with NLM_F_REQUEST|NLM_F_ACK and reads until the ACK (or error)
// carrying its sequence number.
func (c *socketConn) Do(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) ([]Message, error) {
	return c.request(ctx, f, cmd, flags|FlagRequest|FlagAck, payload)
}

// Dump collects the whole multipart reply under the lock and then yields
// it, so the loop body may call the Conn again.
func (c *socketConn) Dump(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		msgs, err := c.request(ctx, f, cmd, flags|FlagRequest|FlagDump, payload)
		for _, m := range msgs {
			if !yield(m, nil) {
				return
			}
		}
		if err != nil {
			yield(Message{}, err)
		}
	}
}

func (c *socketConn) groupID(ctx context.Context, f *Family, group string) (uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lf, err := c.family(ctx, f)
	if err != nil {
		return 0, err
	}
	if id, ok := lf.groups[group]; ok {
		return id, nil
	}
	return 0, &Error{Errno: ENOENT, Message: fmt.Sprintf("no multicast group %q", group), Offset: -1, Family: f.Name}
}

func (c *socketConn) Join(ctx context.Context, f *Family, group string) error {
	id, err := c.groupID(ctx, f, group)
	if err != nil {
		return err
	}
	if err := c.c.JoinGroup(id); err != nil {
		return fmt.Errorf("genl: %s: join multicast group %q: %w", f.Name, group, err)
	}
	return nil
}

func (c *socketConn) Leave(ctx context.Context, f *Family, group string) error {
	id, err := c.groupID(ctx, f, group)
	if err != nil {
		return err
	}
	if err := c.c.LeaveGroup(id); err != nil {
		return fmt.Errorf("genl: %s: leave multicast group %q: %w", f.Name, group, err)
	}
	return nil
}

// Receive returns the next notification. Control messages (ACK, DONE) and
// replies to requests are skipped.
func (c *socketConn) Receive(ctx context.Context) (Message, error) {
	c.rxMu.Lock()
	defer c.rxMu.Unlock()
	rx := &Family{Name: "notification"}
	for len(c.pending) == 0 {
		if err := ctx.Err(); err != nil {
			return Message{}, err
		}
		undo := c.watch(ctx)
		b, err := c.rx.read(&c.rxBuf)
		var rms []RawMessage
		if err == nil {
			rms, err = SplitMessages(b)
		}
		undo()
		if err != nil {
			return Message{}, ioErr(ctx, err, rx, 0)
		}
		c.mu.Lock()
		for _, rm := range rms {
			if rm.Header.Type < MinType || rm.Header.Seq != 0 {
				continue
			}
			gcmd, ver, data, err := ParseGenl(rm.Data)
			if err != nil {
				continue
			}
			c.pending = append(c.pending, Message{Family: c.names[rm.Header.Type], Cmd: gcmd, Version: ver,
				Flags: rm.Header.Flags, Data: append([]byte(nil), data...)})
		}
		c.mu.Unlock()
	}
	m := c.pending[0]
	c.pending = c.pending[1:]
	return m, nil
}
