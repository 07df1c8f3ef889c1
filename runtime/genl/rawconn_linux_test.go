//go:build linux

package genl

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"syscall"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// rtLink is described as the rt-link spec (Linux 6.12) describes it:
// protonum 0, fixed header struct ifinfomsg (16 bytes), getlink = 18
// (RTM_GETLINK) answered by newlink = 16, ifname = 3 (IFLA_IFNAME).
var rtLink = &RawFamily{Name: "rt-link", Protocol: ProtoRoute, HeaderLen: 16, Schema: &Schema{
	Types: map[uint16]OpSchema{18: {Name: "getlink", Set: "link-attrs"}},
	Sets: map[string]map[uint16]AttrSchema{
		"link-attrs":     {3: {Name: "ifname"}, 4: {Name: "mtu"}, 18: {Name: "linkinfo", Nest: "linkinfo-attrs"}},
		"linkinfo-attrs": {1: {Name: "kind"}},
	},
}}

const (
	rtmNewlink = 16 // RTM_NEWLINK
	rtmGetlink = 18 // RTM_GETLINK
	iflaIfname = 3  // IFLA_IFNAME
)

// ifinfomsg appends struct ifinfomsg {family, pad, type, index, flags, change}.
func ifinfomsg(b []byte, index int32) []byte {
	b = append(b, 0, 0, 0, 0)
	b = binary.NativeEndian.AppendUint32(b, uint32(index))
	return append(b, make([]byte, 8)...)
}

// rawKernel answers classic-netlink requests with datagrams built as the
// kernel builds them (rtnetlink replies: nlmsghdr then the fixed header,
// no genlmsghdr; acks and dump ends as netlink_ack/netlink_dump_done).
type rawKernel struct {
	queue [][]byte
	sent  []netlink.Message
	serve func(req netlink.Message) [][]byte
}

func (k *rawKernel) read(buf *[]byte) ([]byte, error) {
	if len(k.queue) == 0 {
		return nil, errors.New("fake kernel: nothing queued (the transport read past the end of the exchange)")
	}
	b := k.queue[0]
	k.queue = k.queue[1:]
	*buf = append((*buf)[:0], b...)
	return *buf, nil
}

func (k *rawKernel) handle(reqs []netlink.Message) ([]netlink.Message, error) {
	for _, r := range reqs {
		r.Data = bytes.Clone(r.Data)
		k.sent = append(k.sent, r)
		k.queue = append(k.queue, k.serve(r)...)
	}
	return nil, nil
}

// rawMsg is one classic-netlink message: nlmsghdr and payload, padded.
func rawMsg(req netlink.Header, typ, flags uint16, payload []byte) []byte {
	b := AppendHeader(nil, Header{Length: uint32(HeaderLen + len(payload)), Type: typ, Flags: flags, Seq: req.Sequence, PortID: req.PID})
	return nlattr.Pad(append(b, payload...))
}

func fakeRawConn(t *testing.T, protocol int, serve func(req netlink.Message) [][]byte) (*rawSocketConn, *rawKernel) {
	t.Helper()
	k := &rawKernel{serve: serve}
	c := &rawSocketConn{s: newSocket(nltest.Dial(k.handle), k), protocol: protocol}
	t.Cleanup(func() { c.Close() })
	return c, k
}

// TestRawConnFake checks the classic-netlink request on the wire (type and
// flags from the caller, the payload right after the nlmsghdr) and the
// replies: their own nlmsghdr type, the payload from the fixed header on.
func TestRawConnFake(t *testing.T) {
	link := func(h netlink.Header, flags uint16, index int32, name string) []byte {
		return rawMsg(h, rtmNewlink, flags, nlattr.AppendString(ifinfomsg(nil, index), iflaIfname, name))
	}
	c, k := fakeRawConn(t, ProtoRoute, func(r netlink.Message) [][]byte {
		if r.Header.Flags&netlink.Dump != 0 {
			return [][]byte{concat(link(r.Header, FlagMulti, 1, "lo"), link(r.Header, FlagMulti, 2, "eth0")),
				concat(link(r.Header, FlagMulti, 3, "d0"), kernelDone(r.Header, 0, nil))}
		}
		stale := r.Header
		stale.Sequence--
		return [][]byte{kernelAck(stale, 0, nil), concat(link(r.Header, 0, 1, "lo"), kernelAck(r.Header, 0, nil))}
	})
	req := nlattr.AppendString(ifinfomsg(nil, 0), iflaIfname, "lo")
	msgs, err := c.Do(context.Background(), rtLink, rtmGetlink, 0, req)
	if err != nil {
		t.Fatal(err)
	}
	sent := k.sent[0]
	if sent.Header.Type != rtmGetlink || sent.Header.Flags != netlink.Request|netlink.Acknowledge || !bytes.Equal(sent.Data, req) {
		t.Fatalf("sent %+v % x", sent.Header, sent.Data)
	}
	if len(msgs) != 1 || msgs[0].Header.Type != rtmNewlink || len(msgs[0].Data) < 16 {
		t.Fatalf("replies %+v", msgs)
	}
	if name, _ := nlattr.String(msgs[0].Data[16+nlattr.HeaderLen:]); name != "lo" {
		t.Fatalf("reply % x", msgs[0].Data)
	}

	var names []string
	for m, err := range c.Dump(context.Background(), rtLink, rtmGetlink, 0, ifinfomsg(nil, 0)) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Flags&FlagMulti == 0 {
			t.Errorf("dump reply without NLM_F_MULTI: %+v", m.Header)
		}
		name, _ := nlattr.String(m.Data[16+nlattr.HeaderLen:])
		names = append(names, name)
	}
	if got := k.sent[1].Header.Flags; got != netlink.Request|netlink.Dump|netlink.Acknowledge {
		t.Fatalf("dump flags %v", got)
	}
	if len(names) != 3 || names[2] != "d0" {
		t.Fatalf("dump %v", names)
	}
	if len(k.queue) != 0 {
		t.Fatalf("%d datagrams unread", len(k.queue))
	}
}

// TestRawConnErrors: extended acks on classic netlink count offsets from
// the nlmsghdr with no genlmsghdr in between, and errors name the
// operation by message type.
func TestRawConnErrors(t *testing.T) {
	var tlvs []byte
	c, _ := fakeRawConn(t, ProtoRoute, func(r netlink.Message) [][]byte {
		return [][]byte{kernelAck(r.Header, -int32(syscall.EINVAL), tlvs)}
	})
	// linkinfo{kind "nope"} after the ifinfomsg: the nest is at 32, kind at 36.
	req := nlattr.AppendBytes(ifinfomsg(nil, 0), 18|nlattr.FlagNested, nlattr.AppendString(nil, 1, "nope"))
	tlvs = nlattr.AppendU32(nlattr.AppendString(nil, extAckMsg, "Unknown device type"), extAckOffs, 36)
	_, err := c.Do(context.Background(), rtLink, rtmGetlink, 0, req)
	var ge *Error
	if !errors.As(err, &ge) || !errors.Is(err, syscall.EINVAL) || ge.Type != rtmGetlink || ge.Cmd != 0 {
		t.Fatalf("err = %#v", err)
	}
	if got, want := err.Error(), "rt-link getlink: EINVAL: Unknown device type (attribute linkinfo.kind)"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}

	tlvs = nlattr.AppendU32(nil, extAckMissType, iflaIfname)
	_, err = c.Do(context.Background(), &RawFamily{Name: "rt-link", Protocol: ProtoRoute, HeaderLen: 16}, rtmGetlink, 0, req)
	if got, want := err.Error(), "netlink rt-link type 18: EINVAL (missing attribute: type 3)"; got != want {
		t.Fatalf("without a schema: got %q want %q", got, want)
	}

	nf := &RawFamily{Name: "conntrack", Protocol: ProtoNetfilter, HeaderLen: 4}
	if _, err := c.Do(context.Background(), nf, 0x101, 0, nil); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("NETLINK_NETFILTER family on a NETLINK_ROUTE Conn: %v", err)
	}
	if _, err := c.Do(context.Background(), rtLink, TypeDone, 0, nil); err == nil {
		t.Fatal("a control message type was sent as a request")
	}
}
