package genltest

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"

	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// RawRequest is one request the fake RawConn received.
type RawRequest struct {
	// Family is the *genl.RawFamily the client passed.
	Family *genl.RawFamily
	// Type is the request's nlmsg_type (RTM_GETLINK = 18, ...).
	Type uint16
	// Flags are the nlmsghdr flags as they would go on the wire: the
	// client's flags plus FlagRequest|FlagAck (Do) or FlagRequest|FlagDump|FlagAck
	// (Dump).
	Flags uint16
	// Payload is the fixed header followed by the attributes (a copy).
	Payload []byte
}

// IsDump reports whether the request is a dump (NLM_F_DUMP set).
func (r RawRequest) IsDump() bool { return r.Flags&genl.FlagDump == genl.FlagDump }

// Decode decodes the payload into v strictly; see Request.Decode.
func (r RawRequest) Decode(v Decoder) error {
	return r.DecodeWith(v, nlattr.DecodeOptions{Strict: true})
}

// DecodeWith decodes the payload into v with the given options; a decode
// error becomes EINVAL.
func (r RawRequest) DecodeWith(v Decoder, o nlattr.DecodeOptions) error {
	if err := v.DecodeMessage(r.Payload, o); err != nil {
		return Errorf(genl.EINVAL, "%v", err)
	}
	return nil
}

// RawMessage encodes v (fixed header and attributes) as a classic-netlink
// message of type typ, the shape a RawConn returns it in.
func RawMessage(typ uint16, v Appender) (genl.RawMessage, error) {
	b, err := v.AppendMessage(nil)
	if err != nil {
		return genl.RawMessage{}, fmt.Errorf("genltest: encode message type %d: %w", typ, err)
	}
	return genl.RawMessage{Header: genl.Header{Type: typ}, Data: b}, nil
}

// RawReply encodes vs as replies of type typ. Classic netlink answers with
// another type than it was asked with (RTM_GETLINK is answered with
// RTM_NEWLINK), so the handler names it.
func RawReply(typ uint16, vs ...Appender) ([]genl.RawMessage, error) {
	out := make([]genl.RawMessage, 0, len(vs))
	for _, v := range vs {
		m, err := RawMessage(typ, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// RawHandler plays the kernel for one classic-netlink request, as Handler
// does for generic netlink.
type RawHandler func(r RawRequest) ([]genl.RawMessage, error)

// RawConn is the fake genl.RawConn. Create it with NewRaw.
//
// It follows the genl.RawConn contract: a request of a family of another
// protocol fails with genl.ErrUnsupported before the handler sees it;
// replies get the nlmsghdr the kernel would write (Length, the request's
// sequence number, FlagMulti in a dump) and copies of their Data;
// notifications reach Receive only on joined group numbers.
type RawConn struct {
	protocol int
	handler  RawHandler

	mu       sync.Mutex
	requests []RawRequest
	joined   map[uint32]bool
	pid      uint32
	seq      uint32
	closed   bool

	notes chan genl.RawMessage
	done  chan struct{}
}

var _ genl.RawConn = (*RawConn)(nil)

// NewRaw returns a fake RawConn of protocol (genl.ProtoRoute, ...)
// answering with h. A nil h acknowledges every request without a reply and
// ends every dump empty.
func NewRaw(protocol int, h RawHandler) *RawConn {
	return &RawConn{protocol: protocol, handler: h, joined: map[uint32]bool{}, pid: 4242,
		notes: make(chan genl.RawMessage, 1024), done: make(chan struct{})}
}

// Protocol implements genl.RawConn.
func (c *RawConn) Protocol() int { return c.protocol }

// SetPortID changes what PortID returns (4242 by default).
func (c *RawConn) SetPortID(pid uint32) {
	c.mu.Lock()
	c.pid = pid
	c.mu.Unlock()
}

// Requests returns every request received so far, in order.
func (c *RawConn) Requests() []RawRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.requests)
}

// Joined reports whether the code under test has joined group.
func (c *RawConn) Joined(group uint32) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.joined[group]
}

// Notify multicasts m to group: Receive returns it if the group is joined
// (with sequence number and port id 0, as the kernel's notifications), and
// Notify reports whether it was delivered. m.Data is copied.
func (c *RawConn) Notify(group uint32, m genl.RawMessage) bool {
	if !c.Joined(group) {
		return false
	}
	m = frame(m, 0, 0)
	select {
	case c.notes <- m:
		return true
	default: // a full socket buffer drops, as ENOBUFS would
		return false
	}
}

// frame gives m the nlmsghdr the kernel writes and its own copy of Data.
func frame(m genl.RawMessage, seq, pid uint32) genl.RawMessage {
	m.Data = slices.Clone(m.Data)
	m.Header.Length = uint32(genl.HeaderLen + len(m.Data))
	m.Header.Seq, m.Header.PortID = seq, pid
	return m
}

func (c *RawConn) call(ctx context.Context, f *genl.RawFamily, typ, flags uint16, payload []byte) ([]genl.RawMessage, error) {
	name := fmt.Sprintf("netlink type %d", typ)
	if f != nil {
		name = fmt.Sprintf("netlink %s type %d", f.Name, typ)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if f == nil || f.Protocol != c.protocol {
		return nil, fmt.Errorf("%s: family of another protocol than the Conn's %s: %w", name, genl.ProtocolName(c.protocol), genl.ErrUnsupported)
	}
	if typ < genl.MinType {
		return nil, fmt.Errorf("%s: a netlink control message type, not a request", name)
	}
	r := RawRequest{Family: f, Type: typ, Flags: flags, Payload: slices.Clone(payload)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, genl.ErrClosed
	}
	c.requests = append(c.requests, r)
	c.seq++
	seq, pid := c.seq, c.pid
	c.mu.Unlock()
	if c.handler == nil {
		return nil, nil
	}
	msgs, err := c.handler(r)
	out := make([]genl.RawMessage, len(msgs))
	for i, m := range msgs {
		if r.IsDump() {
			m.Header.Flags |= genl.FlagMulti
		}
		out[i] = frame(m, seq, pid)
	}
	if ge, ok := err.(*genl.Error); ok {
		e := *ge
		if e.Family == "" {
			f.Annotate(&e, typ, payload)
		}
		err = &e
	}
	return out, err
}

// Do implements genl.RawConn.
func (c *RawConn) Do(ctx context.Context, f *genl.RawFamily, typ, flags uint16, payload []byte) ([]genl.RawMessage, error) {
	msgs, err := c.call(ctx, f, typ, flags|genl.FlagRequest|genl.FlagAck, payload)
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	return msgs, nil
}

// Dump implements genl.RawConn. Every message carries FlagMulti, as a
// multipart reply does.
func (c *RawConn) Dump(ctx context.Context, f *genl.RawFamily, typ, flags uint16, payload []byte) iter.Seq2[genl.RawMessage, error] {
	return func(yield func(genl.RawMessage, error) bool) {
		msgs, err := c.call(ctx, f, typ, flags|genl.FlagRequest|genl.FlagDump|genl.FlagAck, payload)
		for _, m := range msgs {
			if !yield(m, nil) {
				return
			}
		}
		if err != nil {
			yield(genl.RawMessage{}, err)
		}
	}
}

// Join implements genl.RawConn. Group numbers are not checked: the kernel
// accepts any group number up to the protocol's limit.
func (c *RawConn) Join(ctx context.Context, group uint32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return genl.ErrClosed
	}
	c.joined[group] = true
	return nil
}

// Leave implements genl.RawConn.
func (c *RawConn) Leave(ctx context.Context, group uint32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.joined, group)
	return nil
}

// Receive implements genl.RawConn: it returns the next notification queued
// by Notify, or fails when ctx is done or the Conn is closed.
func (c *RawConn) Receive(ctx context.Context) (genl.RawMessage, error) {
	select {
	case m := <-c.notes:
		return m, nil
	default:
	}
	select {
	case m := <-c.notes:
		return m, nil
	case <-ctx.Done():
		return genl.RawMessage{}, ctx.Err()
	case <-c.done:
		return genl.RawMessage{}, fmt.Errorf("genltest: receive: %w", genl.ErrClosed)
	}
}

// PortID implements genl.RawConn.
func (c *RawConn) PortID() uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pid
}

// Close implements genl.RawConn. Calls after Close fail with genl.ErrClosed.
func (c *RawConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		close(c.done)
	}
	return nil
}
