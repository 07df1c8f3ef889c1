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
)

// Dial opens a generic-netlink socket with extended acks (NETLINK_EXT_ACK).
//
// NETLINK_CAP_ACK is deliberately left off: mdlayher/netlink v1.11.2
// (message.go checkMessage) locates the extended-ack TLVs at
// 4+nlmsg_len of the echoed request, which is only right when the request
// payload is echoed. With CAP_ACK it reads the TLVs from the wrong offset
// (losing the message) or, for large requests, reports a short-message
// error instead of the errno. The cost is that error replies echo the
// request; successful ACKs are unaffected.
func Dial(opts *Options) (Conn, error) {
	cfg := &netlink.Config{}
	if opts != nil {
		cfg.NetNS = opts.NetNS
	}
	gc, err := genetlink.Dial(cfg)
	if err != nil {
		return nil, fmt.Errorf("genl: dial generic netlink: %w", err)
	}
	if err := gc.SetOption(netlink.ExtendedAcknowledge, true); err != nil {
		gc.Close()
		return nil, fmt.Errorf("genl: enable NETLINK_EXT_ACK: %w", err)
	}
	return newSocketConn(gc), nil
}

// socketConn is the Linux transport over mdlayher/genetlink. genetlink's
// Execute is not used: it stops reading after the first non-multipart
// datagram, which would leave the ACK of a request that also returned data
// in the socket. Instead Do reads until the ACK for its sequence number.
type socketConn struct {
	c *genetlink.Conn

	mu       sync.Mutex // serializes request/response exchanges
	families map[string]genetlink.Family
	names    map[uint16]string

	rxMu    sync.Mutex // serializes Receive
	pending []Message

	pid uint32
}

func newSocketConn(gc *genetlink.Conn) *socketConn {
	c := &socketConn{c: gc, families: map[string]genetlink.Family{}, names: map[uint16]string{}}
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

// family resolves f through nlctrl once per Conn. Callers hold c.mu.
func (c *socketConn) family(f *Family) (genetlink.Family, error) {
	if gf, ok := c.families[f.Name]; ok {
		return gf, nil
	}
	gf, err := c.c.GetFamily(f.Name)
	if err != nil {
		return genetlink.Family{}, c.mapErr(err, f, 0)
	}
	c.families[f.Name] = gf
	c.names[gf.ID] = f.Name
	return gf, nil
}

// mapErr turns mdlayher errors into *Error (kernel errors, with extack
// message/offset) or a wrapped error (socket failures, timeouts).
func (c *socketConn) mapErr(err error, f *Family, cmd uint8) error {
	var op *netlink.OpError
	var errno syscall.Errno
	var sysErr *os.SyscallError
	// An errno inside *os.SyscallError is a failed system call (timeout,
	// EBADF), not a kernel reply; mdlayher stores reply errnos bare.
	if errors.As(err, &op) && !errors.As(op.Err, &sysErr) && errors.As(op.Err, &errno) {
		e := &Error{Errno: errnoFromSyscall(errno), Message: op.Message, Offset: -1, Family: f.Name, Cmd: cmd}
		if op.Offset != 0 {
			e.Offset = op.Offset
		}
		return e
	}
	return fmt.Errorf("genl: %s cmd %d: %w", f.Name, cmd, err)
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

func (c *socketConn) ctxErr(ctx context.Context, err error, f *Family, cmd uint8) error {
	var to interface{ Timeout() bool }
	if ctx.Done() != nil && errors.As(err, &to) && to.Timeout() {
		// Deadlines on the socket come only from ctx, and the socket's
		// timer can fire a hair before ctx's: report the ctx error.
		<-ctx.Done()
	}
	if ctx.Err() != nil {
		return fmt.Errorf("genl: %s cmd %d: %w", f.Name, cmd, ctx.Err())
	}
	return c.mapErr(err, f, cmd)
}

// isControl reports NLMSG_NOOP/ERROR/DONE/OVERRUN. (Type 0 is not control:
// genltest fakes use it for data.)
func isControl(nm netlink.Message) bool {
	return nm.Header.Type >= TypeNoop && nm.Header.Type <= TypeOverrun
}

func toMessage(name string, gm genetlink.Message, nm netlink.Message) Message {
	return Message{Family: name, Cmd: gm.Header.Command, Version: gm.Header.Version, Flags: uint16(nm.Header.Flags), Data: gm.Data}
}

// send locks the Conn, resolves the family and sends one request. On
// success the caller reads the replies and then calls done, which stops
// watching ctx and unlocks; on error nothing is held.
func (c *socketConn) send(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) (netlink.Message, func(), error) {
	if err := ctx.Err(); err != nil {
		return netlink.Message{}, nil, err
	}
	c.mu.Lock()
	gf, err := c.family(f)
	if err != nil {
		c.mu.Unlock()
		return netlink.Message{}, nil, err
	}
	stopWatch := c.watch(ctx)
	done := func() {
		stopWatch()
		c.mu.Unlock()
	}
	req, err := c.c.Send(genetlink.Message{Header: genetlink.Header{Command: cmd, Version: f.Version}, Data: payload},
		gf.ID, netlink.HeaderFlags(flags))
	if err != nil {
		done()
		return netlink.Message{}, nil, c.ctxErr(ctx, err, f, cmd)
	}
	return req, done, nil
}

// Do sends with NLM_F_REQUEST|NLM_F_ACK and reads until the ACK (or error)
// carrying its sequence number; messages with other sequence numbers are
// stale leftovers and are dropped.
func (c *socketConn) Do(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) ([]Message, error) {
	req, done, err := c.send(ctx, f, cmd, flags|FlagRequest|FlagAck, payload)
	if err != nil {
		return nil, err
	}
	defer done()
	if c.pid == 0 {
		c.pid = req.Header.PID
	}
	var out []Message
	for {
		gms, nms, err := c.c.Receive()
		if err != nil {
			var op *netlink.OpError
			if errors.As(err, &op) && op.Sequence != 0 && op.Sequence != req.Header.Sequence {
				continue // error for an older request
			}
			return nil, c.ctxErr(ctx, err, f, cmd)
		}
		if len(nms) == 0 {
			return out, nil // only fakes return nothing; a socket blocks
		}
		for i, nm := range nms {
			if nm.Header.Sequence != req.Header.Sequence {
				continue
			}
			switch nm.Header.Type {
			case netlink.Error:
				return out, nil // errno 0: the ACK ends the exchange
			case netlink.Done, netlink.Noop:
				continue
			}
			out = append(out, toMessage(f.Name, gms[i], nm))
		}
	}
}

// Dump collects the whole multipart reply (mdlayher's Receive reads until
// NLMSG_DONE) under the lock and then yields it, so the loop body may call
// the Conn again.
func (c *socketConn) Dump(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		msgs, err := c.dump(ctx, f, cmd, flags, payload)
		if err != nil {
			yield(Message{}, err)
			return
		}
		for _, m := range msgs {
			if !yield(m, nil) {
				return
			}
		}
	}
}

func (c *socketConn) dump(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) ([]Message, error) {
	req, done, err := c.send(ctx, f, cmd, flags|FlagRequest|FlagDump, payload)
	if err != nil {
		return nil, err
	}
	defer done()
	gms, nms, err := c.c.Receive()
	if err != nil {
		return nil, c.ctxErr(ctx, err, f, cmd)
	}
	out := make([]Message, 0, len(nms))
	for i, nm := range nms {
		if nm.Header.Sequence != req.Header.Sequence || isControl(nm) {
			continue
		}
		out = append(out, toMessage(f.Name, gms[i], nm))
	}
	return out, nil
}

func (c *socketConn) groupID(f *Family, group string) (uint32, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	gf, err := c.family(f)
	if err != nil {
		return 0, err
	}
	for _, g := range gf.Groups {
		if g.Name == group {
			return g.ID, nil
		}
	}
	return 0, &Error{Errno: ENOENT, Message: fmt.Sprintf("no multicast group %q", group), Offset: -1, Family: f.Name}
}

func (c *socketConn) Join(ctx context.Context, f *Family, group string) error {
	id, err := c.groupID(f, group)
	if err != nil {
		return err
	}
	if err := c.c.JoinGroup(id); err != nil {
		return c.mapErr(err, f, 0)
	}
	return nil
}

func (c *socketConn) Leave(ctx context.Context, f *Family, group string) error {
	id, err := c.groupID(f, group)
	if err != nil {
		return err
	}
	if err := c.c.LeaveGroup(id); err != nil {
		return c.mapErr(err, f, 0)
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
		gms, nms, err := c.c.Receive()
		undo()
		if err != nil {
			return Message{}, c.ctxErr(ctx, err, rx, 0)
		}
		if len(nms) == 0 {
			return Message{}, fmt.Errorf("genl: receive returned no messages: %w", ErrShortMessage)
		}
		c.mu.Lock()
		for i, nm := range nms {
			if isControl(nm) || nm.Header.Sequence != 0 {
				continue
			}
			c.pending = append(c.pending, toMessage(c.names[uint16(nm.Header.Type)], gms[i], nm))
		}
		c.mu.Unlock()
	}
	m := c.pending[0]
	c.pending = c.pending[1:]
	return m, nil
}
