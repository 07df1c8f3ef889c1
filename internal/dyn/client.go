package dyn

import (
	"context"
	"fmt"
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

// Schema names f's operations (by request command) and attributes for the
// transport's error messages.
func Schema(f *ir.Family) *genl.Schema {
	s := &genl.Schema{Ops: map[uint8]genl.OpSchema{}, Sets: map[string]map[uint16]genl.AttrSchema{}}
	for _, op := range f.Ops {
		if op.ReqValue < 0 || op.ReqValue > 255 {
			continue
		}
		o := genl.OpSchema{Name: op.Name}
		if op.AttrSet != nil {
			o.Set = op.AttrSet.Root().Name
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

// Client sends requests of one family described by the IR.
type Client struct {
	Conn   genl.Conn
	Family *ir.Family
	genl   *genl.Family
}

// NewClient returns a client of f over conn.
func NewClient(conn genl.Conn, f *ir.Family) *Client {
	return &Client{Conn: conn, Family: f, genl: GenlFamily(f)}
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
	op, payload, err := c.request(opName, in, false)
	if err != nil {
		return nil, err
	}
	msgs, err := c.Conn.Do(ctx, c.genl, uint8(op.ReqValue), flags, payload)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, m := range msgs {
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
	op, payload, err := c.request(opName, in, true)
	if err != nil {
		return nil, err
	}
	out := []any{}
	for m, err := range c.Conn.Dump(ctx, c.genl, uint8(op.ReqValue), 0, payload) {
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

func (c *Client) request(opName string, in map[string]any, dump bool) (*ir.Op, []byte, error) {
	op, err := c.Op(opName)
	if err != nil {
		return nil, nil, err
	}
	mode, other := op.Do, "dump"
	if dump {
		mode, other = op.Dump, "do"
	}
	if mode == nil || op.ReqValue < 0 {
		kind := map[bool]string{false: "do", true: "dump"}[dump]
		return nil, nil, fmt.Errorf("operation %s has no %s (try --%s)", op.Name, kind, other)
	}
	payload, err := EncodeMessage(op.FixedHeader, op.AttrSet, in)
	if err != nil {
		return nil, nil, fmt.Errorf("%s request: %w", op.Name, err)
	}
	return op, payload, nil
}

func (c *Client) decode(op *ir.Op, m genl.Message) (*Object, error) {
	obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, m.Data)
	if err != nil {
		return nil, fmt.Errorf("%s reply (cmd %d): %w", op.Name, m.Cmd, err)
	}
	return obj, nil
}

// Join subscribes the client's connection to the family's multicast
// group. The group is looked up as the YNL CLI does, among the groups the
// kernel reports for the family (static ids from the overlay on Windows),
// not in the spec: some specs (ethtool's) list none.
func (c *Client) Join(ctx context.Context, group string) error {
	return c.Conn.Join(ctx, c.genl, group)
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
	var found *ir.Op
	for _, op := range c.Family.Ops {
		if op.RspValue != int(m.Cmd) {
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
	if found == nil {
		return nil, fmt.Errorf("family %s: notification with unknown command %d", c.Family.Name, m.Cmd)
	}
	set := found.AttrSet
	if set == nil && found.Notify != nil {
		set = found.Notify.AttrSet
	}
	if set == nil {
		return nil, fmt.Errorf("family %s: notification %s has no attribute set", c.Family.Name, found.Name)
	}
	obj, err := DecodeMessage(found.FixedHeader, set, m.Data)
	if err != nil {
		return nil, fmt.Errorf("%s notification (cmd %d): %w", found.Name, m.Cmd, err)
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
