package genl

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

// Device is the system-call seam of the OVS Windows transport: one
// DeviceIoControl on an open handle. Ioctl returns the number of bytes the
// driver wrote into out. device_windows.go implements it with
// golang.org/x/sys/windows; tests use an in-memory fake.
type Device interface {
	Ioctl(code uint32, in, out []byte) (int, error)
	Close() error
}

// Canceler is optionally implemented by a Device whose blocking ioctls can
// be aborted from another goroutine (CancelIoEx on Windows). The transport
// calls it when a call's context is done.
type Canceler interface {
	CancelIO() error
}

// ErrSequence reports a reply whose nlmsg_seq does not match the request,
// which lib/netlink-socket.c also treats as fatal for the transaction.
var ErrSequence = errors.New("genl: reply sequence number does not match request")

// DeviceConn speaks the OVS Windows netlink-over-ioctl protocol
// (lib/netlink-socket.c, #ifdef _WIN32) over a Device:
//
//   - Do:      one TRANSACT ioctl (request in, replies out; 0 bytes = ACK).
//   - Dump:    WRITE the NLM_F_DUMP request, then READ until 0 bytes.
//   - Join:    WRITE ovs_win_control MC_SUBSCRIBE_REQ; Receive then uses
//     READ_EVENT, and WRITE PEND_REQ to block until an event is queued.
//   - SubscribePackets: PACKET_SUBSCRIBE_REQ; Receive uses READ_PACKET and
//     PEND_PACKET_REQ.
//
// Family ids come from Family.StaticID and multicast ids from
// Family.Groups, since the driver has no nlctrl. Requests are serialized.
type DeviceConn struct {
	mu        sync.Mutex
	dev       Device
	pid       uint32
	seq       uint32
	buf       []byte            // reply buffer, reused under mu
	readIoctl uint32            // IoctlRead, IoctlReadEvent or IoctlReadPacket
	names     map[uint16]string // family id -> name, for Message.Family
	pending   []Message         // notifications read but not yet returned
	closed    atomic.Bool       // set by Close without c.mu, so Close can interrupt Receive
}

var _ Conn = (*DeviceConn)(nil)

// NewDeviceConn takes ownership of dev, asks the driver for this handle's
// port id (GET_PID) and announces NETLINK_GENERIC with SOCK_PROP, as OVS
// userspace does when it creates a socket. dev is closed on failure.
func NewDeviceConn(dev Device, opts *Options) (*DeviceConn, error) {
	size := defaultReplyBuffer
	if opts != nil && opts.ReadBufferSize > 0 {
		size = max(opts.ReadBufferSize, ovsMessageErrorLen)
	}
	c := &DeviceConn{
		dev:       dev,
		buf:       make([]byte, size),
		readIoctl: IoctlRead,
		names:     map[uint16]string{ovsWinControlID: OVSWinControl.Name},
	}
	var pid [4]byte
	n, err := dev.Ioctl(IoctlGetPID, nil, pid[:])
	if err == nil && n != len(pid) {
		err = fmt.Errorf("GET_PID returned %d bytes, want 4", n)
	}
	if err != nil {
		dev.Close()
		return nil, fmt.Errorf("genl: OVS device GET_PID: %w", err)
	}
	c.pid = binary.NativeEndian.Uint32(pid[:])

	// SOCK_PROP is a TRANSACTION command; the driver echoes both attributes.
	p := make([]byte, ovsHeaderLen, 32)
	p = nlattr.AppendU32(p, ctrlAttrSockProto, netlinkGeneric)
	p = nlattr.AppendU32(p, ctrlAttrSockPID, c.pid)
	if _, err := c.Do(context.Background(), OVSWinControl, ctrlCmdSockProp, 0, p); err != nil {
		dev.Close()
		return nil, fmt.Errorf("genl: OVS device SOCK_PROP: %w", err)
	}
	return c, nil
}

// PortID returns the handle's port id from GET_PID.
func (c *DeviceConn) PortID() uint32 { return c.pid }

// Close closes the device handle. It does not wait for c.mu, so it can
// interrupt a Receive blocked in a pending-I/O request: outstanding ioctls
// are cancelled first when the Device supports it.
func (c *DeviceConn) Close() error {
	if c.closed.Swap(true) {
		return ErrClosed
	}
	if cn, ok := c.dev.(Canceler); ok {
		_ = cn.CancelIO()
	}
	return c.dev.Close()
}

// request frames one OVS_MESSAGE. Callers hold c.mu.
func (c *DeviceConn) request(f *Family, cmd uint8, flags uint16, payload []byte) ([]byte, uint32, error) {
	if c.closed.Load() {
		return nil, 0, ErrClosed
	}
	if f.StaticID == 0 {
		return nil, 0, fmt.Errorf("genl: family %q has no static id, required by the OVS device: %w", f.Name, ErrUnsupported)
	}
	if HeaderLen+GenlHeaderLen+len(payload) < ovsMessageLen {
		return nil, 0, fmt.Errorf("genl: %s request of %d payload bytes lacks the 4-byte ovs_header the OVS device requires", f.Name, len(payload))
	}
	c.names[f.StaticID] = f.Name
	c.seq++
	h := Header{Type: f.StaticID, Flags: flags, Seq: c.seq, PortID: c.pid}
	b, err := AppendRequest(make([]byte, 0, HeaderLen+GenlHeaderLen+len(payload)), h, cmd, f.Version, payload)
	return b, c.seq, err
}

// ioctl runs one device call, aborting it (best effort) when ctx is done.
func (c *DeviceConn) ioctl(ctx context.Context, op string, code uint32, in, out []byte) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if cn, ok := c.dev.(Canceler); ok && ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { _ = cn.CancelIO() })
		defer stop()
	}
	n, err := c.dev.Ioctl(code, in, out)
	if err != nil {
		if c.closed.Load() {
			return 0, fmt.Errorf("genl: OVS device %s: %w", op, ErrClosed)
		}
		if ctx.Err() != nil {
			return 0, fmt.Errorf("genl: OVS device %s: %w", op, ctx.Err())
		}
		return 0, fmt.Errorf("genl: OVS device %s: %w", op, err)
	}
	if n < 0 || n > len(out) {
		return 0, fmt.Errorf("genl: OVS device %s returned %d bytes for a %d-byte buffer", op, n, len(out))
	}
	return n, nil
}

// maxReadBuffer bounds how far the read buffer grows on a driver's word.
const maxReadBuffer = 16 << 20

// checkCut looks for a message the driver cut at the end of a full read
// buffer: its own nlmsg_len is larger than what arrived. The OVS driver
// does that to upcalls (OvsReadDpIoctl copies min(packet, buffer) bytes of
// the queued packet), and a reply that does not fit is never completed
// either. In both cases the driver has already consumed the message or
// acted on the request, so it cannot be read again: the buffer grows to
// the size the message claims, for the next call, and this call fails.
func (c *DeviceConn) checkCut(op string, n int) error {
	if n < len(c.buf) {
		return nil
	}
	for off := 0; off+HeaderLen <= n; {
		h, _ := ParseHeader(c.buf[off:n])
		if h.Length < HeaderLen {
			return nil // malformed: SplitMessages reports it
		}
		if uint64(off)+uint64(h.Length) > uint64(n) {
			need := uint64(off) + uint64(h.Length)
			if need > maxReadBuffer {
				return fmt.Errorf("genl: OVS device %s: a message claims %d bytes, more than the %d this transport reads: %w", op, h.Length, maxReadBuffer, ErrShortMessage)
			}
			c.buf = make([]byte, (need+alignTo-1)&^(alignTo-1))
			return fmt.Errorf("genl: OVS device %s: a %d-byte message was cut to the %d-byte read buffer and is lost; the buffer now holds %d bytes (Options.ReadBufferSize sets the start): %w",
				op, h.Length, n, len(c.buf), ErrShortMessage)
		}
		off += int((h.Length + alignTo - 1) &^ (alignTo - 1))
	}
	return nil
}

// parseReplies converts a reply buffer to Messages. It copies the n bytes
// once so the reusable buffer is never aliased. done reports NLMSG_DONE.
func (c *DeviceConn) parseReplies(raw []byte, f *Family, cmd uint8, seq uint32) (msgs []Message, done bool, err error) {
	owned := append([]byte(nil), raw...)
	rms, err := SplitMessages(owned)
	if err != nil {
		return nil, false, err
	}
	for _, rm := range rms {
		if seq != 0 && rm.Header.Seq != seq {
			return nil, false, fmt.Errorf("%w: got %d, want %d", ErrSequence, rm.Header.Seq, seq)
		}
		switch rm.Header.Type {
		case TypeNoop:
			continue
		case TypeDone:
			return msgs, true, nil
		case TypeError:
			if _, _, e := ParseErrorMessage(rm.Header.Flags, rm.Data); e != nil {
				var ge *Error
				if errors.As(e, &ge) {
					ge.Errno = errnoFromMSVC(int(ge.Errno))
					if f != nil {
						ge.Family, ge.Cmd, ge.Op = f.Name, cmd, f.opName(cmd)
					}
				}
				return nil, false, e
			}
			continue // error 0: an ACK
		}
		gcmd, ver, _, err := ParseGenl(rm.Data)
		if err != nil {
			return nil, false, err
		}
		msgs = append(msgs, Message{
			Family:  c.names[rm.Header.Type],
			Cmd:     gcmd,
			Version: ver,
			Flags:   rm.Header.Flags,
			Data:    rm.Data[GenlHeaderLen:],
		})
	}
	return msgs, false, nil
}

// Do performs one TRANSACT ioctl with a reply buffer of Options.ReadBufferSize
// (64 KiB by default). A 0-byte reply means success without data.
func (c *DeviceConn) Do(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) ([]Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	req, seq, err := c.request(f, cmd, flags|FlagRequest|FlagAck, payload)
	if err != nil {
		return nil, err
	}
	n, err := c.ioctl(ctx, "TRANSACT", IoctlTransact, req, c.buf)
	if err != nil || n == 0 {
		return nil, err
	}
	if err := c.checkCut("TRANSACT", n); err != nil {
		return nil, err
	}
	msgs, _, err := c.parseReplies(c.buf[:n], f, cmd, seq)
	return msgs, err
}

// Dump WRITEs the request with NLM_F_DUMP (the driver stores it as the
// handle's dump state) and READs until a READ returns 0 bytes. The Conn is
// locked while the loop runs; an early break drains the rest of the dump
// so the next dump starts clean.
func (c *DeviceConn) Dump(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		req, seq, err := c.request(f, cmd, flags|FlagRequest|FlagDump, payload)
		if err == nil {
			_, err = c.ioctl(ctx, "WRITE", IoctlWrite, req, nil)
		}
		if err != nil {
			yield(Message{}, err)
			return
		}
		stopped := false
		for {
			n, err := c.ioctl(ctx, "READ", IoctlRead, nil, c.buf)
			if err != nil {
				if !stopped {
					yield(Message{}, err)
				}
				return
			}
			if n == 0 {
				return // end of dump
			}
			if stopped {
				continue // draining after an early break
			}
			if err := c.checkCut("READ", n); err != nil {
				yield(Message{}, err)
				c.drain(ctx)
				return
			}
			msgs, done, err := c.parseReplies(c.buf[:n], f, cmd, seq)
			if err != nil {
				yield(Message{}, err)
				c.drain(ctx)
				return
			}
			for _, m := range msgs {
				if !yield(m, nil) {
					stopped = true
					break
				}
			}
			if done {
				c.drain(ctx)
				return
			}
		}
	}
}

// drain READs until the driver reports no dump state (0 bytes) or fails.
func (c *DeviceConn) drain(ctx context.Context) {
	for {
		n, err := c.ioctl(ctx, "READ", IoctlRead, nil, c.buf)
		if err != nil || n == 0 {
			return
		}
	}
}

// control sends an ovs_win_control command with WRITE (its devOp), with a
// zero ovs_header (dp_ifindex 0 is the only datapath on Windows).
func (c *DeviceConn) control(ctx context.Context, cmd uint8, attrs []byte) error {
	payload := append(make([]byte, ovsHeaderLen, ovsHeaderLen+len(attrs)), attrs...)
	req, _, err := c.request(OVSWinControl, cmd, FlagRequest, payload)
	if err != nil {
		return err
	}
	_, err = c.ioctl(ctx, "WRITE", IoctlWrite, req, nil)
	return err
}

func groupID(f *Family, group string) (uint32, error) {
	id, ok := f.Groups[group]
	if !ok {
		return 0, fmt.Errorf("genl: family %q has no static multicast group %q: %w", f.Name, group, ErrUnsupported)
	}
	return id, nil
}

// Join subscribes to f.Groups[group] with MC_SUBSCRIBE_REQ and switches
// Receive to READ_EVENT.
func (c *DeviceConn) Join(ctx context.Context, f *Family, group string) error {
	return c.subscribe(ctx, f, group, true)
}

// Leave unsubscribes and switches Receive back to plain READ.
func (c *DeviceConn) Leave(ctx context.Context, f *Family, group string) error {
	return c.subscribe(ctx, f, group, false)
}

func (c *DeviceConn) subscribe(ctx context.Context, f *Family, group string, join bool) error {
	id, err := groupID(f, group)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if join && c.readIoctl == IoctlReadPacket {
		return errors.New("genl: OVS device handle is subscribed to packets; use another Conn for events")
	}
	attrs := nlattr.AppendU32(nil, ctrlAttrMcastGrp, id)
	attrs = nlattr.AppendU8(attrs, ctrlAttrMcastJoin, b2u8(join))
	if err := c.control(ctx, ctrlCmdMcSubscribeReq, attrs); err != nil {
		return err
	}
	c.names[f.StaticID] = f.Name
	if join {
		c.readIoctl = IoctlReadEvent
	} else {
		c.readIoctl = IoctlRead
	}
	return nil
}

// SubscribePackets subscribes this handle to upcalls (PACKET_SUBSCRIBE_REQ
// with this handle's port id) and switches Receive to READ_PACKET. Like
// OVS userspace it requires a handle not joined to events. Linux has no
// equivalent: there upcalls go to the port id set in OVS_VPORT_ATTR_UPCALL_PID.
func (c *DeviceConn) SubscribePackets(ctx context.Context, subscribe bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if subscribe && c.readIoctl != IoctlRead {
		return errors.New("genl: OVS device handle is joined to events; use another Conn for packets")
	}
	attrs := nlattr.AppendU8(nil, ctrlAttrPacketSubscribe, b2u8(subscribe))
	attrs = nlattr.AppendU32(attrs, ctrlAttrPacketPID, c.pid)
	if err := c.control(ctx, ctrlCmdPacketSubscribe, attrs); err != nil {
		return err
	}
	if subscribe {
		c.readIoctl = IoctlReadPacket
	} else {
		c.readIoctl = IoctlRead
	}
	return nil
}

// Receive returns the next event (after Join) or upcall (after
// SubscribePackets). When nothing is queued it WRITEs a pending-I/O request
// (PEND_REQ / PEND_PACKET_REQ), which the driver completes once data
// arrives; with a synchronous handle that call simply blocks.
func (c *DeviceConn) Receive(ctx context.Context) (Message, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if len(c.pending) > 0 {
			m := c.pending[0]
			c.pending = c.pending[1:]
			return m, nil
		}
		if c.closed.Load() {
			return Message{}, ErrClosed
		}
		read, pend, op := c.readIoctl, uint8(ctrlCmdPendReq), "READ_EVENT"
		switch read {
		case IoctlRead:
			return Message{}, errors.New("genl: Receive needs Join or SubscribePackets first")
		case IoctlReadPacket:
			pend, op = ctrlCmdPendPacketReq, "READ_PACKET"
		}
		n, err := c.ioctl(ctx, op, read, nil, c.buf)
		if err != nil {
			return Message{}, err
		}
		if n > 0 {
			if err := c.checkCut(op, n); err != nil {
				return Message{}, err
			}
			// Notifications carry seq 0 and are not matched to a request.
			msgs, _, err := c.parseReplies(c.buf[:n], nil, 0, 0)
			if err != nil {
				return Message{}, err
			}
			c.pending = append(c.pending, msgs...)
			continue
		}
		if err := c.control(ctx, pend, nil); err != nil {
			return Message{}, err
		}
	}
}

func b2u8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
