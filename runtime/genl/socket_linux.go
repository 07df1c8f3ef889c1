//go:build linux

package genl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
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

// nlSocket is the netlink socket under both Linux transports, generic
// (socketConn) and classic (rawSocketConn): one implementation of sending,
// reading datagrams, matching replies to requests, acks, extended acks,
// dump ends and notifications, whatever the protocol. The protocols differ
// only in what follows the nlmsghdr, which the callers handle.
type nlSocket struct {
	c  *netlink.Conn
	rx datagramReader

	mu  sync.Mutex // serializes request/response exchanges
	buf []byte     // receive buffer of exchanges, under mu

	rxMu    sync.Mutex // serializes receive
	rxBuf   []byte     // receive buffer of receive, under rxMu
	pending []RawMessage

	pid uint32
}

// dialSocket opens a netlink socket of protocol with extended acks
// (NETLINK_EXT_ACK) and capped acks (NETLINK_CAP_ACK: errors do not echo
// the request, which the caller still holds), as the kernel's YNL library
// does. mdlayher/netlink opens the socket, sends, joins groups and handles
// deadlines; replies are read and parsed here (see minRecvBuffer).
func dialSocket(protocol int, opts *Options) (*nlSocket, error) {
	cfg := &netlink.Config{}
	if opts != nil {
		cfg.NetNS = opts.NetNS
	}
	nc, err := netlink.Dial(protocol, cfg)
	if err != nil {
		return nil, err
	}
	for _, o := range []struct {
		opt  netlink.ConnOption
		name string
	}{{netlink.ExtendedAcknowledge, "NETLINK_EXT_ACK"}, {netlink.CapAcknowledge, "NETLINK_CAP_ACK"}} {
		if err := nc.SetOption(o.opt, true); err != nil {
			nc.Close()
			return nil, fmt.Errorf("enable %s: %w", o.name, err)
		}
	}
	rc, err := nc.SyscallConn()
	if err != nil {
		nc.Close()
		return nil, err
	}
	return newSocket(nc, &socketReader{rc: rc}), nil
}

func newSocket(nc *netlink.Conn, rx datagramReader) *nlSocket {
	s := &nlSocket{c: nc, rx: rx}
	if rc, err := nc.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			if sa, err := unix.Getsockname(int(fd)); err == nil {
				if nl, ok := sa.(*unix.SockaddrNetlink); ok {
					s.pid = nl.Pid
				}
			}
		})
	}
	return s
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

func (s *nlSocket) close() error { return s.c.Close() }

// watch applies ctx to the socket's deadline; the returned func undoes it
// and waits for a racing cancellation so it cannot leak into the next call.
func (s *nlSocket) watch(ctx context.Context) func() {
	if ctx.Done() == nil {
		return func() {}
	}
	if d, ok := ctx.Deadline(); ok {
		_ = s.c.SetDeadline(d)
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		_ = s.c.SetDeadline(time.Unix(1, 0))
		close(fired)
	})
	return func() {
		if !stop() {
			<-fired
		}
		_ = s.c.SetDeadline(time.Time{})
	}
}

// ioErr reports a failed send or receive: the context's error when the
// deadline it set fired, otherwise the socket error.
func ioErr(ctx context.Context, err error, name string) error {
	var to interface{ Timeout() bool }
	if ctx.Done() != nil && errors.As(err, &to) && to.Timeout() {
		// Deadlines on the socket come only from ctx, and the socket's
		// timer can fire a hair before ctx's: report the ctx error.
		<-ctx.Done()
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", name, ctx.Err())
	}
	return fmt.Errorf("%s: %w", name, err)
}

// exchange sends one request (nlmsghdr type and flags, body = everything
// after the nlmsghdr) and reads its replies until the exchange ends: the
// ACK for a do, NLMSG_DONE for a dump, or an error for either. Each data
// message answering it goes to onMsg, aliasing the receive buffer (onMsg
// copies what it keeps). Messages with another sequence number (leftovers
// of an abandoned request, notifications) are dropped. rq names the
// request in errors. Callers hold s.mu.
func (s *nlSocket) exchange(ctx context.Context, rq *reqDesc, typ, flags uint16, body []byte, onMsg func(RawMessage) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	defer s.watch(ctx)()
	req, err := s.c.Send(netlink.Message{Header: netlink.Header{Type: netlink.HeaderType(typ), Flags: netlink.HeaderFlags(flags)}, Data: body})
	if err != nil {
		return ioErr(ctx, err, rq.name())
	}
	if s.pid == 0 {
		s.pid = req.Header.PID
	}
	for {
		b, err := s.rx.read(&s.buf)
		if err != nil {
			return ioErr(ctx, err, rq.name())
		}
		done, err := parseDatagram(ctx, b, rq, req.Header.Sequence, onMsg)
		if err != nil || done {
			return err
		}
	}
}

// parseDatagram hands the data messages of one datagram that answer
// request seq to onMsg. done reports the end of the exchange: an ACK,
// NLMSG_DONE or an error.
func parseDatagram(ctx context.Context, b []byte, rq *reqDesc, seq uint32, onMsg func(RawMessage) error) (done bool, err error) {
	rms, err := SplitMessages(b)
	if err != nil {
		return false, fmt.Errorf("%s: %w", rq.name(), err)
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
					rq.annotate(ge)
					return true, ge
				}
				return true, fmt.Errorf("%s: %w", rq.name(), e)
			}
			if code == 0 {
				if w := ackWarning(rm.Header.Flags, rm.Data); w != nil {
					rq.annotateWarning(w)
					warn(ctx, w)
				}
			}
			return true, nil
		case TypeDone:
			ge, w := ParseDoneMessage(rm.Header.Flags, rm.Data)
			if ge != nil {
				rq.annotate(ge)
				return true, ge
			}
			if w != nil {
				rq.annotateWarning(w)
				warn(ctx, w)
			}
			return true, nil
		case TypeOverrun:
			return true, fmt.Errorf("%s: NLMSG_OVERRUN: %w", rq.name(), ErrShortMessage)
		}
		if err := onMsg(rm); err != nil {
			return true, err
		}
	}
	return false, nil
}

// receive returns the next notification: a message with sequence number 0
// and a type that is not a control message. Its Data is a copy. Replies to
// requests and control messages are skipped.
func (s *nlSocket) receive(ctx context.Context, what string) (RawMessage, error) {
	s.rxMu.Lock()
	defer s.rxMu.Unlock()
	for len(s.pending) == 0 {
		if err := ctx.Err(); err != nil {
			return RawMessage{}, err
		}
		undo := s.watch(ctx)
		b, err := s.rx.read(&s.rxBuf)
		var rms []RawMessage
		if err == nil {
			rms, err = SplitMessages(b)
		}
		undo()
		if err != nil {
			return RawMessage{}, ioErr(ctx, err, what)
		}
		for _, rm := range rms {
			if rm.Header.Type < MinType || rm.Header.Seq != 0 {
				continue
			}
			rm.Data = append([]byte(nil), rm.Data...)
			s.pending = append(s.pending, rm)
		}
	}
	m := s.pending[0]
	s.pending = s.pending[1:]
	return m, nil
}
