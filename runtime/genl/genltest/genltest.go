// Package genltest is a fake genl.Conn for testing code that uses an
// nlgen-generated client, in the spirit of mdlayher's genltest: no socket,
// no kernel module, no privileges. A Handler plays the kernel: it sees each
// request as the Conn received it and answers with replies built by the
// generated types' AppendMessage, a bare acknowledgement, or an error with
// an extended-ack message. Notifications are delivered to Receive only for
// groups the code under test joined, as the kernel delivers them.
//
//	conn := genltest.New(func(r genltest.Request) ([]genl.Message, error) {
//		var req ovsdatapath.GetRequest
//		if err := r.Decode(&req); err != nil {
//			return nil, err
//		}
//		if req.Name.Value != "br0" {
//			return nil, genltest.Errorf(genl.ENODEV, "no datapath %q", req.Name.Value)
//		}
//		return genltest.Reply(r, &ovsdatapath.DatapathReply{Name: nlattr.Some("br0")})
//	})
//	dp, err := ovsdatapath.NewClient(conn).Get(ctx, &ovsdatapath.GetRequest{Name: nlattr.Some("br0")})
//
// The fake follows the genl.Conn contract (runtime/genl/doc.go): Do adds
// FlagRequest|FlagAck and Dump FlagRequest|FlagDump to the recorded flags,
// payloads and replies are copied so neither side can alias the other's
// memory, a done ctx fails the call with ctx.Err(), kernel errors come back
// as *genl.Error naming the family and operation (and the attributes an
// extended ack points at) as the transports name them, and Close unblocks Receive
// with an error wrapping genl.ErrClosed.
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

// Request is one request the fake received.
type Request struct {
	// Family is the *genl.Family the client passed (the generated package's
	// Family variable).
	Family *genl.Family
	// Cmd is the genlmsghdr command.
	Cmd uint8
	// Flags are the nlmsghdr flags as they would go on the wire: the
	// client's flags plus FlagRequest|FlagAck (Do) or FlagRequest|FlagDump
	// (Dump).
	Flags uint16
	// Payload is the family's fixed header followed by the attributes (a
	// copy; the handler may keep it).
	Payload []byte
}

// IsDump reports whether the request is a dump (NLM_F_DUMP set).
func (r Request) IsDump() bool { return r.Flags&genl.FlagDump == genl.FlagDump }

// Echo reports whether the requester asked for NLM_F_ECHO: the kernel then
// unicasts the notification a new/del/set command multicasts back to it.
func (r Request) Echo() bool { return r.Flags&genl.FlagEcho != 0 }

// Decoder is what every generated message type implements.
type Decoder interface {
	DecodeMessage(b []byte, o nlattr.DecodeOptions) error
}

// Decode decodes the payload into v, a generated request type, strictly:
// an attribute v does not know is an error, as the kernel's strict
// validation of new commands rejects it.
//
// Strict also applies the OVS Windows driver's NL_POLICY rules (mandatory
// attributes, NUL-terminated strings). A fake of a kernel family that
// parses leniently uses DecodeWith and the options that peer applies.
func (r Request) Decode(v Decoder) error {
	return r.DecodeWith(v, nlattr.DecodeOptions{Strict: true})
}

// DecodeWith decodes the payload into v with the given options; a decode
// error becomes EINVAL, as the kernel answers a message it cannot parse.
func (r Request) DecodeWith(v Decoder, o nlattr.DecodeOptions) error {
	if err := v.DecodeMessage(r.Payload, o); err != nil {
		return Errorf(genl.EINVAL, "%v", err)
	}
	return nil
}

// Appender is what every generated message type implements.
type Appender interface {
	AppendMessage(b []byte) ([]byte, error)
}

// Message encodes v (fixed header and attributes) as a message of family f
// with command cmd, the shape a Conn returns it in.
func Message(f *genl.Family, cmd uint8, v Appender) (genl.Message, error) {
	b, err := v.AppendMessage(nil)
	if err != nil {
		return genl.Message{}, fmt.Errorf("genltest: encode %s cmd %d: %w", f.Name, cmd, err)
	}
	return genl.Message{Family: f.Name, Cmd: cmd, Version: f.Version, Data: b}, nil
}

// Reply is the handler's usual answer: the messages vs, each encoded as a
// reply to r (same family and command). With several values it answers a
// dump.
func Reply(r Request, vs ...Appender) ([]genl.Message, error) {
	out := make([]genl.Message, 0, len(vs))
	for _, v := range vs {
		m, err := Message(r.Family, r.Cmd, v)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// Errorf is a kernel error with an extended-ack message (NLMSGERR_ATTR_MSG)
// and no offset, as the Linux transport returns it. The Conn fills in the
// family and command. For an offset or a missing attribute, return a
// *genl.Error with those fields set instead.
func Errorf(errno genl.Errno, format string, args ...any) *genl.Error {
	return &genl.Error{Errno: errno, Message: fmt.Sprintf(format, args...), Offset: -1}
}

// Handler plays the kernel for one request. For Do it returns the replies
// in order, or none for a bare acknowledgement; for Dump the messages of
// the dump. A non-nil error fails the call; a dump yields the messages
// returned with it first and then the error, as a dump that fails half way
// does.
type Handler func(r Request) ([]genl.Message, error)

// Conn is the fake genl.Conn. The zero value is not usable; call New.
type Conn struct {
	handler Handler

	mu       sync.Mutex
	requests []Request
	joined   map[string]bool
	pid      uint32
	closed   bool

	notes chan genl.Message
	done  chan struct{}
}

var _ genl.Conn = (*Conn)(nil)

// New returns a fake Conn answering with h. A nil h acknowledges every
// request without a reply and ends every dump empty.
func New(h Handler) *Conn {
	return &Conn{handler: h, joined: map[string]bool{}, pid: 4242,
		notes: make(chan genl.Message, 1024), done: make(chan struct{})}
}

// SetPortID changes what PortID returns (4242 by default).
func (c *Conn) SetPortID(pid uint32) {
	c.mu.Lock()
	c.pid = pid
	c.mu.Unlock()
}

// Requests returns every request received so far, in order.
func (c *Conn) Requests() []Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.requests)
}

// Joined reports whether the code under test has joined group of f.
func (c *Conn) Joined(f *genl.Family, group string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.joined[f.Name+"/"+group]
}

// Notify multicasts m to group of f: Receive returns it if the group is
// joined, and Notify reports whether it was delivered. A group nobody joined
// drops the message, as the kernel does. m.Data is copied.
func (c *Conn) Notify(f *genl.Family, group string, m genl.Message) bool {
	if !c.Joined(f, group) {
		return false
	}
	if m.Family == "" {
		m.Family = f.Name
	}
	m.Data = slices.Clone(m.Data)
	select {
	case c.notes <- m:
		return true
	default: // a full socket buffer drops, as ENOBUFS would
		return false
	}
}

func (c *Conn) call(ctx context.Context, f *genl.Family, cmd uint8, flags uint16, payload []byte) ([]genl.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("genl: %s cmd %d: %w", f.Name, cmd, err)
	}
	r := Request{Family: f, Cmd: cmd, Flags: flags, Payload: slices.Clone(payload)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, genl.ErrClosed
	}
	c.requests = append(c.requests, r)
	c.mu.Unlock()
	if c.handler == nil {
		return nil, nil
	}
	msgs, err := c.handler(r)
	out := make([]genl.Message, len(msgs))
	for i, m := range msgs {
		if m.Family == "" {
			m.Family = f.Name
		}
		m.Data = slices.Clone(m.Data)
		out[i] = m
	}
	if ge, ok := err.(*genl.Error); ok {
		e := *ge
		if e.Family == "" {
			f.Annotate(&e, cmd, payload)
		}
		err = &e
	}
	return out, err
}

// Do implements genl.Conn.
func (c *Conn) Do(ctx context.Context, f *genl.Family, cmd uint8, flags uint16, payload []byte) ([]genl.Message, error) {
	msgs, err := c.call(ctx, f, cmd, flags|genl.FlagRequest|genl.FlagAck, payload)
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	return msgs, nil
}

// Dump implements genl.Conn. Every message carries FlagMulti, as a
// multipart reply does.
func (c *Conn) Dump(ctx context.Context, f *genl.Family, cmd uint8, flags uint16, payload []byte) iter.Seq2[genl.Message, error] {
	return func(yield func(genl.Message, error) bool) {
		msgs, err := c.call(ctx, f, cmd, flags|genl.FlagRequest|genl.FlagDump, payload)
		for _, m := range msgs {
			m.Flags |= genl.FlagMulti
			if !yield(m, nil) {
				return
			}
		}
		if err != nil {
			yield(genl.Message{}, err)
		}
	}
}

// Join implements genl.Conn. When f.Groups lists the family's groups (the
// static ids of the Windows overlay), a group not among them is ENOENT, as
// the group lookup fails on Linux; otherwise any name is joined.
func (c *Conn) Join(ctx context.Context, f *genl.Family, group string) error {
	if f.Groups != nil {
		if _, ok := f.Groups[group]; !ok {
			return &genl.Error{Errno: genl.ENOENT, Message: fmt.Sprintf("no multicast group %q", group), Offset: -1, Family: f.Name}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return genl.ErrClosed
	}
	c.joined[f.Name+"/"+group] = true
	return nil
}

// Leave implements genl.Conn.
func (c *Conn) Leave(ctx context.Context, f *genl.Family, group string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.joined, f.Name+"/"+group)
	return nil
}

// Receive implements genl.Conn: it returns the next notification queued by
// Notify, or fails when ctx is done or the Conn is closed.
func (c *Conn) Receive(ctx context.Context) (genl.Message, error) {
	select {
	case m := <-c.notes:
		return m, nil
	default:
	}
	select {
	case m := <-c.notes:
		return m, nil
	case <-ctx.Done():
		return genl.Message{}, ctx.Err()
	case <-c.done:
		return genl.Message{}, fmt.Errorf("genltest: receive: %w", genl.ErrClosed)
	}
}

// PortID implements genl.Conn.
func (c *Conn) PortID() uint32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pid
}

// Close implements genl.Conn. Calls after Close fail with genl.ErrClosed.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		close(c.done)
	}
	return nil
}
