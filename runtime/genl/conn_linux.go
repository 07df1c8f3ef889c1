//go:build linux

package genl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"golang.org/x/sys/unix"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

// Dial opens a generic-netlink socket (see dialSocket for its options).
func Dial(opts *Options) (Conn, error) {
	s, err := dialSocket(unix.NETLINK_GENERIC, opts)
	if err != nil {
		return nil, fmt.Errorf("genl: dial generic netlink: %w", err)
	}
	return newSocketConn(s), nil
}

// socketConn is the Linux generic-netlink transport: nlSocket plus family
// resolution through nlctrl and the genlmsghdr.
type socketConn struct {
	s *nlSocket

	// Under s.mu.
	families map[string]*linuxFamily
	names    map[uint16]string
}

// linuxFamily is a family as nlctrl described it.
type linuxFamily struct {
	id     uint16
	groups map[string]uint32
}

func newSocketConn(s *nlSocket) *socketConn {
	return &socketConn{s: s, families: map[string]*linuxFamily{}, names: map[uint16]string{}}
}

func (c *socketConn) PortID() uint32 { return c.s.pid }

func (c *socketConn) Close() error { return c.s.close() }

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

// family resolves f through nlctrl once per Conn. Callers hold c.s.mu.
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

// exchange runs one genl request on the socket and returns its replies
// (copied: the receive buffer is reused). Callers hold c.s.mu.
func (c *socketConn) exchange(ctx context.Context, f *Family, id uint16, cmd uint8, flags uint16, payload []byte) ([]Message, error) {
	body := make([]byte, GenlHeaderLen, GenlHeaderLen+len(payload))
	body[0], body[1] = cmd, f.Version
	body = append(body, payload...)
	name := c.names[id]
	var out []Message
	err := c.s.exchange(ctx, f.request(cmd, payload), id, flags, body, func(rm RawMessage) error {
		gcmd, ver, data, err := ParseGenl(rm.Data)
		if err != nil {
			return err
		}
		out = append(out, Message{Family: name, Cmd: gcmd, Version: ver, Flags: rm.Header.Flags, Data: append([]byte(nil), data...)})
		return nil
	})
	return out, err
}

// request resolves f and runs one exchange under the Conn's lock.
func (c *socketConn) request(ctx context.Context, f *Family, cmd uint8, flags uint16, payload []byte) ([]Message, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
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
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
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
	if err := c.s.c.JoinGroup(id); err != nil {
		return fmt.Errorf("genl: %s: join multicast group %q: %w", f.Name, group, err)
	}
	return nil
}

func (c *socketConn) Leave(ctx context.Context, f *Family, group string) error {
	id, err := c.groupID(ctx, f, group)
	if err != nil {
		return err
	}
	if err := c.s.c.LeaveGroup(id); err != nil {
		return fmt.Errorf("genl: %s: leave multicast group %q: %w", f.Name, group, err)
	}
	return nil
}

// Receive returns the next notification. Control messages (ACK, DONE),
// replies to requests and messages too short for a genlmsghdr are skipped.
func (c *socketConn) Receive(ctx context.Context) (Message, error) {
	for {
		rm, err := c.s.receive(ctx, "genl: receive")
		if err != nil {
			return Message{}, err
		}
		gcmd, ver, data, err := ParseGenl(rm.Data)
		if err != nil {
			continue
		}
		c.s.mu.Lock()
		name := c.names[rm.Header.Type]
		c.s.mu.Unlock()
		return Message{Family: name, Cmd: gcmd, Version: ver, Flags: rm.Header.Flags, Data: data}, nil
	}
}
