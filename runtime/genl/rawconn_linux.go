//go:build linux

package genl

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// DialRaw opens a netlink socket of a classic protocol (ProtoRoute,
// ProtoNetfilter, ...), with extended and capped acks on and the same
// receive buffering as Dial. Options.NetNS opens it in another network
// namespace. NETLINK_GET_STRICT_CHK is on, as iproute2 and the kernel's
// YNL CLI set it: rtnetlink then checks a dump request's header and
// honours its filters (getaddr of one ifa_index, getroute of one table)
// instead of ignoring them.
func DialRaw(protocol int, opts *Options) (RawConn, error) {
	if protocol == ProtoGeneric {
		return nil, fmt.Errorf("genl: DialRaw(NETLINK_GENERIC): generic netlink families use Dial: %w", ErrUnsupported)
	}
	s, err := dialSocket(protocol, opts)
	if err != nil {
		return nil, fmt.Errorf("genl: dial %s: %w", ProtocolName(protocol), err)
	}
	// Kernels before 4.20 lack the option and check nothing; they are
	// used as they are, as iproute2 does.
	if err := s.c.SetOption(netlink.GetStrictCheck, true); err != nil && !errors.Is(err, unix.ENOPROTOOPT) {
		s.close()
		return nil, fmt.Errorf("genl: dial %s: enable NETLINK_GET_STRICT_CHK: %w", ProtocolName(protocol), err)
	}
	return &rawSocketConn{s: s, protocol: protocol}, nil
}

// rawSocketConn is the Linux classic-netlink transport: nlSocket with the
// payload right after the nlmsghdr.
type rawSocketConn struct {
	s        *nlSocket
	protocol int
}

func (c *rawSocketConn) Protocol() int  { return c.protocol }
func (c *rawSocketConn) PortID() uint32 { return c.s.pid }
func (c *rawSocketConn) Close() error   { return c.s.close() }

// request runs one exchange under the socket's lock; replies are copied
// out of the receive buffer.
func (c *rawSocketConn) request(ctx context.Context, f *RawFamily, typ, flags uint16, payload []byte) ([]RawMessage, error) {
	if err := checkRawRequest(c.protocol, f, typ); err != nil {
		return nil, err
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	var out []RawMessage
	err := c.s.exchange(ctx, f.request(typ, payload), typ, flags, payload, func(rm RawMessage) error {
		rm.Data = append([]byte(nil), rm.Data...)
		out = append(out, rm)
		return nil
	})
	return out, err
}

// Do sends with NLM_F_REQUEST|NLM_F_ACK and reads until the ACK (or error)
// carrying its sequence number.
func (c *rawSocketConn) Do(ctx context.Context, f *RawFamily, typ, flags uint16, payload []byte) ([]RawMessage, error) {
	return c.request(ctx, f, typ, flags|FlagRequest|FlagAck, payload)
}

// Dump collects the whole multipart reply under the lock and then yields
// it, so the loop body may call the Conn again.
//
// The request asks for an ACK, as the kernel's YNL CLI sends every
// request: a classic-netlink handler without a dump callback answers
// NLM_F_DUMP with one message and no NLMSG_DONE (nfnetlink's GETGEN), and
// only the ACK then ends the exchange. A real dump is not acknowledged:
// netlink_rcv_skb skips the ACK when the handler started a dump.
func (c *rawSocketConn) Dump(ctx context.Context, f *RawFamily, typ, flags uint16, payload []byte) iter.Seq2[RawMessage, error] {
	return func(yield func(RawMessage, error) bool) {
		msgs, err := c.request(ctx, f, typ, flags|FlagRequest|FlagDump|FlagAck, payload)
		for _, m := range msgs {
			if !yield(m, nil) {
				return
			}
		}
		if err != nil {
			yield(RawMessage{}, err)
		}
	}
}

func (c *rawSocketConn) Join(_ context.Context, group uint32) error {
	if err := c.s.c.JoinGroup(group); err != nil {
		return fmt.Errorf("genl: %s: join multicast group %d: %w", ProtocolName(c.protocol), group, err)
	}
	return nil
}

func (c *rawSocketConn) Leave(_ context.Context, group uint32) error {
	if err := c.s.c.LeaveGroup(group); err != nil {
		return fmt.Errorf("genl: %s: leave multicast group %d: %w", ProtocolName(c.protocol), group, err)
	}
	return nil
}

// Receive returns the next notification (sequence number 0, not a
// control message).
func (c *rawSocketConn) Receive(ctx context.Context) (RawMessage, error) {
	return c.s.receive(ctx, "genl: "+ProtocolName(c.protocol)+": receive")
}
