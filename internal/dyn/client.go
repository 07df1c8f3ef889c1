package dyn

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/genl"
)

// GenlFamily describes f to the transport: name and version for Linux,
// the static id and group ids from the Windows overlay for the OVS device.
func GenlFamily(f *ir.Family) *genl.Family {
	gf := &genl.Family{Name: f.Name, Version: uint8(f.Version)}
	if f.FixedHeader != nil {
		gf.HeaderLen = f.FixedHeader.Size
	}
	gf.Schema = Schema(f)
	if f.Win != nil {
		gf.StaticID = uint16(f.Win.ID)
		if len(f.Win.Groups) > 0 {
			gf.Groups = map[string]uint32{}
			for _, g := range f.Win.Groups {
				gf.Groups[g.Name] = uint32(g.ID)
			}
		}
	}
	return gf
}

// RawFamily describes a netlink-raw family f to the classic-netlink
// transport: its protocol, and the names of its requests by message type.
func RawFamily(f *ir.Family) *genl.RawFamily {
	rf := &genl.RawFamily{Name: f.Name, Protocol: f.Protonum, Schema: Schema(f)}
	if f.FixedHeader != nil {
		rf.HeaderLen = f.FixedHeader.Size
	}
	return rf
}

// Schema names f's operations (by request command, or by request message
// type for netlink-raw) and attributes for the transport's error messages.
func Schema(f *ir.Family) *genl.Schema {
	s := &genl.Schema{Ops: map[uint8]genl.OpSchema{}, Sets: map[string]map[uint16]genl.AttrSchema{}}
	raw := f.Protocol == "netlink-raw"
	if raw {
		s.Types = map[uint16]genl.OpSchema{}
	}
	for _, op := range f.Ops {
		o := genl.OpSchema{Name: op.Name}
		if op.AttrSet != nil {
			o.Set = op.AttrSet.Root().Name
		}
		if raw {
			if op.FixedHeader != nil {
				o.HeaderLen = op.FixedHeader.Size
			}
			for _, m := range []*ir.OpMode{op.Do, op.Dump} {
				if v := requestType(op, m); v >= 0 && v <= 0xffff {
					s.Types[uint16(v)] = o
				}
			}
			continue
		}
		if op.ReqValue < 0 || op.ReqValue > 255 {
			continue
		}
		s.Ops[uint8(op.ReqValue)] = o
	}
	for _, set := range f.AttrSets {
		if set.SubsetOf != nil {
			continue
		}
		attrs := map[uint16]genl.AttrSchema{}
		for _, a := range set.Attrs {
			as := genl.AttrSchema{Name: a.Name}
			if n, ok := a.Kind.(ir.Nest); ok {
				as.Nest = n.Set.Root().Name
			}
			attrs[a.ID] = as
		}
		s.Sets[set.Name] = attrs
	}
	return s
}

// requestType is the message id a request of op's mode m goes out with
// (netlink-raw: its nlmsg_type), -1 when there is none.
func requestType(op *ir.Op, m *ir.OpMode) int {
	if m == nil {
		return -1
	}
	if m.Request != nil && m.Request.Value >= 0 {
		return m.Request.Value
	}
	return op.ReqValue
}

// Client sends requests of one family described by the IR: a generic
// netlink family over Conn, a netlink-raw one over Raw.
type Client struct {
	Conn   genl.Conn
	Raw    genl.RawConn
	Family *ir.Family
	genl   *genl.Family
	raw    *genl.RawFamily
}

// NewClient returns a client of the generic-netlink family f over conn.
func NewClient(conn genl.Conn, f *ir.Family) *Client {
	return &Client{Conn: conn, Family: f, genl: GenlFamily(f)}
}

// Close releases the client's socket, whichever transport it has.
func (c *Client) Close() error {
	if c.Raw != nil {
		return c.Raw.Close()
	}
	return c.Conn.Close()
}

// NewRawClient returns a client of the netlink-raw family f over conn, a
// socket of f's protocol (genl.DialRaw(f.Protonum, ...)).
func NewRawClient(conn genl.RawConn, f *ir.Family) *Client {
	return &Client{Raw: conn, Family: f, raw: RawFamily(f)}
}

// message is a reply or notification of either kind of netlink: its
// command (genetlink) or nlmsg_type (netlink-raw), and its payload after
// the genlmsghdr or nlmsghdr.
type message struct {
	typ  int
	data []byte
}

// exchange sends one request and returns its replies.
func (c *Client) exchange(ctx context.Context, typ int, dump bool, flags uint16, payload []byte) iter.Seq2[message, error] {
	return func(yield func(message, error) bool) {
		switch {
		case c.Raw != nil && dump:
			for m, err := range c.Raw.Dump(ctx, c.raw, uint16(typ), flags, payload) {
				if !yield(message{int(m.Header.Type), m.Data}, err) || err != nil {
					return
				}
			}
		case c.Raw != nil:
			msgs, err := c.Raw.Do(ctx, c.raw, uint16(typ), flags, payload)
			if err != nil {
				yield(message{}, err)
				return
			}
			for _, m := range msgs {
				if !yield(message{int(m.Header.Type), m.Data}, nil) {
					return
				}
			}
		case dump:
			for m, err := range c.Conn.Dump(ctx, c.genl, uint8(typ), flags, payload) {
				if !yield(message{int(m.Cmd), m.Data}, err) || err != nil {
					return
				}
			}
		default:
			msgs, err := c.Conn.Do(ctx, c.genl, uint8(typ), flags, payload)
			if err != nil {
				yield(message{}, err)
				return
			}
			for _, m := range msgs {
				if !yield(message{int(m.Cmd), m.Data}, nil) {
					return
				}
			}
		}
	}
}

// Op finds an operation by name; the error lists the ones that exist.
func (c *Client) Op(name string) (*ir.Op, error) {
	for _, op := range c.Family.Ops {
		if op.Name == name {
			return op, nil
		}
	}
	var names []string
	for _, op := range c.Family.Ops {
		names = append(names, op.Name)
	}
	return nil, fmt.Errorf("family %s has no operation %q; it has: %s", c.Family.Name, name, strings.Join(names, ", "))
}

// Do sends op's do request and decodes the replies: nil when the kernel
// only acknowledged, the object of a single reply, or a list (YNL's shape).
func (c *Client) Do(ctx context.Context, opName string, in map[string]any) (any, error) {
	return c.DoFlags(ctx, opName, in, 0)
}

// DoFlags is Do with extra nlmsghdr flags (genl.FlagCreate, FlagExcl,
// FlagReplace, FlagAppend, FlagEcho), as YNL's do(..., flags).
func (c *Client) DoFlags(ctx context.Context, opName string, in map[string]any, flags uint16) (any, error) {
	op, typ, payload, err := c.request(opName, in, false)
	if err != nil {
		return nil, err
	}
	var out []any
	for m, err := range c.exchange(ctx, typ, false, flags, payload) {
		if err != nil {
			return nil, err
		}
		obj, err := c.decode(op, m)
		if err != nil {
			return nil, err
		}
		out = append(out, obj)
	}
	switch len(out) {
	case 0:
		return nil, nil
	case 1:
		return out[0], nil
	}
	return out, nil
}

// Dump sends op's dump request and decodes every reply into a list.
func (c *Client) Dump(ctx context.Context, opName string, in map[string]any) ([]any, error) {
	op, typ, payload, err := c.request(opName, in, true)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for m, err := range c.exchange(ctx, typ, true, 0, payload) {
		if err != nil {
			return out, err
		}
		obj, err := c.decode(op, m)
		if err != nil {
			return out, err
		}
		out = append(out, obj)
	}
	return out, nil
}

func (c *Client) request(opName string, in map[string]any, dump bool) (*ir.Op, int, []byte, error) {
	op, err := c.Op(opName)
	if err != nil {
		return nil, 0, nil, err
	}
	mode, other := op.Do, "dump"
	if dump {
		mode, other = op.Dump, "do"
		if mode == nil && c.Raw != nil {
			// As the YNL CLI does: --dump sends the operation's message
			// with NLM_F_DUMP whether or not the spec lists a dump. Classic
			// netlink families dump more than their specs say (tc 6.12's
			// getqdisc lists only do; RTM_GETQDISC dumps every qdisc),
			// while a genetlink family refuses a dump its spec lacks
			// anyway, so the error stays there.
			mode = op.Do
		}
	}
	typ := op.ReqValue
	if c.Raw != nil {
		typ = requestType(op, mode)
	}
	if mode == nil || typ < 0 {
		kind := map[bool]string{false: "do", true: "dump"}[dump]
		return nil, 0, nil, fmt.Errorf("operation %s has no %s (try --%s)", op.Name, kind, other)
	}
	payload, err := EncodeMessage(op.FixedHeader, op.AttrSet, in)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("%s request: %w", op.Name, err)
	}
	return op, typ, payload, nil
}

func (c *Client) decode(op *ir.Op, m message) (*Object, error) {
	obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, m.data)
	if err != nil {
		return nil, fmt.Errorf("%s reply (%s %d): %w", op.Name, c.typeWord(), m.typ, err)
	}
	return obj, nil
}

// typeWord is what a message id is called in errors.
func (c *Client) typeWord() string {
	if c.Raw != nil {
		return "type"
	}
	return "cmd"
}

// Join subscribes the client's connection to the family's multicast
// group. The group is looked up as the YNL CLI does, among the groups the
// kernel reports for the family (static ids from the overlay on Windows),
// not in the spec: some specs (ethtool's) list none.
//
// A netlink-raw family's groups have numbers fixed by the spec (RTNLGRP_LINK
// is 1), so they are looked up there, as the YNL CLI does for them.
func (c *Client) Join(ctx context.Context, group string) error {
	if c.Raw == nil {
		return c.Conn.Join(ctx, c.genl, group)
	}
	var names []string
	for _, g := range c.Family.McastGroups {
		if g.Name != group {
			names = append(names, g.Name)
			continue
		}
		if g.Value <= 0 {
			return fmt.Errorf("family %s: multicast group %q has no value in the spec, so it cannot be joined", c.Family.Name, group)
		}
		return c.Raw.Join(ctx, uint32(g.Value))
	}
	return fmt.Errorf("family %s has no multicast group %q; it has: %s", c.Family.Name, group, strings.Join(names, ", "))
}

// Receive waits for the next notification and decodes it. A message the
// spec cannot describe is an error that leaves the client usable
// (decodeErr true); a transport error or ctx's end is not.
func (c *Client) Receive(ctx context.Context) (n *Notification, decodeErr bool, err error) {
	var m message
	if c.Raw != nil {
		rm, err := c.Raw.Receive(ctx)
		if err != nil {
			return nil, false, err
		}
		m = message{int(rm.Header.Type), rm.Data}
	} else {
		gm, err := c.Conn.Receive(ctx)
		if err != nil {
			return nil, false, err
		}
		m = message{int(gm.Cmd), gm.Data}
	}
	n, err = c.decodeNotification(m)
	return n, err != nil, err
}

// Notification is a decoded message the kernel sent unprompted, in the
// shape YNL's CLI prints: the operation's name and its attributes.
type Notification struct {
	Name string  `json:"name"`
	Msg  *Object `json:"msg"`
}

// DecodeNotification decodes m by its command, as YNL does (the operation
// whose reply or notification carries that command id; a notify or event
// operation is preferred over a reply of the same id).
func (c *Client) DecodeNotification(m genl.Message) (*Notification, error) {
	return c.decodeNotification(message{int(m.Cmd), m.Data})
}

// replyTypes are the message ids op's replies and notifications carry.
func (c *Client) replyTypes(op *ir.Op) []int {
	if c.Raw == nil {
		return []int{op.RspValue}
	}
	out := []int{op.RspValue}
	for _, m := range []*ir.OpMode{op.Do, op.Dump} {
		if m != nil && m.Reply != nil {
			out = append(out, m.Reply.Value)
		}
	}
	if op.Event != nil {
		out = append(out, op.Event.Value)
	}
	return out
}

func (c *Client) decodeNotification(m message) (*Notification, error) {
	var found *ir.Op
	for _, op := range c.Family.Ops {
		if !slices.Contains(c.replyTypes(op), m.typ) {
			continue
		}
		if op.Notify != nil || op.Event != nil || op.Mcgrp != nil {
			found = op
			break
		}
		if found == nil {
			found = op
		}
	}
	if found == nil && c.Raw != nil {
		// rtnetlink multicasts a deletion with its request's type
		// (RTM_DELLINK), which no operation of the spec replies with.
		for _, op := range c.Family.Ops {
			if requestType(op, op.Do) == m.typ {
				found = op
				break
			}
		}
	}
	if found == nil {
		return nil, fmt.Errorf("family %s: notification with unknown %s %d", c.Family.Name, map[bool]string{false: "command", true: "message type"}[c.Raw != nil], m.typ)
	}
	set := found.AttrSet
	if set == nil && found.Notify != nil {
		set = found.Notify.AttrSet
	}
	if set == nil {
		return nil, fmt.Errorf("family %s: notification %s has no attribute set", c.Family.Name, found.Name)
	}
	obj, err := DecodeMessage(found.FixedHeader, set, m.data)
	if err != nil {
		return nil, fmt.Errorf("%s notification (%s %d): %w", found.Name, c.typeWord(), m.typ, err)
	}
	return &Notification{Name: found.Name, Msg: obj}, nil
}

// ListOps describes the operations one per line, as YNL's --list-ops
// does: the name and the request modes it supports.
func ListOps(f *ir.Family) []string {
	var out []string
	for _, op := range f.Ops {
		var modes []string
		if op.Do != nil {
			modes = append(modes, "do")
		}
		if op.Dump != nil {
			modes = append(modes, "dump")
		}
		if op.Event != nil || op.Notify != nil {
			modes = append(modes, "notify")
		}
		out = append(out, fmt.Sprintf("%-24s [%s]", op.Name, strings.Join(modes, ", ")))
	}
	return out
}
