package genltest_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/genl/genltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// link is a hand-written stand-in for a generated rt-link message: struct
// ifinfomsg (16 bytes, ifi_index at 4) and IFLA_IFNAME (3).
type link struct {
	Index int32
	Name  string
}

func (l *link) AppendMessage(b []byte) ([]byte, error) {
	b = append(b, 0, 0, 0, 0)
	b = binary.NativeEndian.AppendUint32(b, uint32(l.Index))
	b = append(b, make([]byte, 8)...)
	return nlattr.AppendString(b, 3, l.Name), nil
}

func (l *link) DecodeMessage(b []byte, o nlattr.DecodeOptions) error {
	if len(b) < 16 {
		return fmt.Errorf("ifinfomsg: %d bytes", len(b))
	}
	l.Index = int32(binary.NativeEndian.Uint32(b[4:8]))
	it := nlattr.NewIter(b[16:])
	for it.Next() {
		switch it.Type() {
		case 3:
			l.Name, _ = nlattr.String(it.Payload())
		default:
			if o.Strict {
				return fmt.Errorf("unknown attribute %d", it.Type())
			}
		}
	}
	return it.Err()
}

const (
	rtmNewlink = 16
	rtmGetlink = 18
)

var rtLink = &genl.RawFamily{Name: "rt-link", Protocol: genl.ProtoRoute, HeaderLen: 16, Schema: &genl.Schema{
	Types: map[uint16]genl.OpSchema{rtmGetlink: {Name: "getlink", Set: "link-attrs"}},
	Sets:  map[string]map[uint16]genl.AttrSchema{"link-attrs": {3: {Name: "ifname"}}},
}}

// links plays rtnetlink's rtnl_getlink / rtnl_dump_ifinfo: RTM_GETLINK
// answered with RTM_NEWLINK, ENODEV for a name no link has.
func links(all ...*link) genltest.RawHandler {
	return func(r genltest.RawRequest) ([]genl.RawMessage, error) {
		if r.Type != rtmGetlink {
			return nil, genltest.Errorf(genl.EOPNOTSUPP, "type %d not played", r.Type)
		}
		if r.IsDump() {
			var as []genltest.Appender
			for _, l := range all {
				as = append(as, l)
			}
			return genltest.RawReply(rtmNewlink, as...)
		}
		var req link
		if err := r.Decode(&req); err != nil {
			return nil, err
		}
		for _, l := range all {
			if l.Name == req.Name {
				return genltest.RawReply(rtmNewlink, l)
			}
		}
		return nil, &genl.Error{Errno: genl.ENODEV, Offset: genl.HeaderLen + 16}
	}
}

func TestRawDoDumpAndErrors(t *testing.T) {
	conn := genltest.NewRaw(genl.ProtoRoute, links(&link{1, "lo"}, &link{2, "eth0"}))
	ctx := context.Background()
	req, _ := (&link{Name: "eth0"}).AppendMessage(nil)
	msgs, err := conn.Do(ctx, rtLink, rtmGetlink, 0, req)
	if err != nil {
		t.Fatal(err)
	}
	var got link
	if len(msgs) != 1 || msgs[0].Header.Type != rtmNewlink || msgs[0].Header.Length != uint32(genl.HeaderLen+len(msgs[0].Data)) ||
		msgs[0].Header.Seq == 0 || msgs[0].Header.PortID != 4242 || got.DecodeMessage(msgs[0].Data, nlattr.DecodeOptions{}) != nil || got != (link{2, "eth0"}) {
		t.Fatalf("reply %+v (%+v)", msgs, got)
	}
	r := conn.Requests()[0]
	if r.Family != rtLink || r.Type != rtmGetlink || r.Flags != genl.FlagRequest|genl.FlagAck || r.IsDump() {
		t.Fatalf("recorded %+v", r)
	}

	var names []string
	for m, err := range conn.Dump(ctx, rtLink, rtmGetlink, 0, make([]byte, 16)) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Header.Flags&genl.FlagMulti == 0 {
			t.Fatalf("dump reply without FlagMulti: %+v", m.Header)
		}
		var l link
		if err := l.DecodeMessage(m.Data, nlattr.DecodeOptions{}); err != nil {
			t.Fatal(err)
		}
		names = append(names, l.Name)
	}
	if fmt.Sprint(names) != "[lo eth0]" || conn.Requests()[1].Flags != genl.FlagRequest|genl.FlagDump|genl.FlagAck {
		t.Fatalf("dump %v, flags %#x", names, conn.Requests()[1].Flags)
	}

	// The error is named as the Linux transport names it: the operation
	// from Schema.Types, the attribute at the extended ack's offset.
	req, _ = (&link{Name: "nope"}).AppendMessage(nil)
	_, err = conn.Do(ctx, rtLink, rtmGetlink, 0, req)
	var ge *genl.Error
	if !errors.As(err, &ge) || !errors.Is(err, genl.ENODEV) || ge.Type != rtmGetlink {
		t.Fatalf("err %v", err)
	}
	if got, want := err.Error(), "rt-link getlink: ENODEV (attribute ifname)"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}

	nf := &genl.RawFamily{Name: "conntrack", Protocol: genl.ProtoNetfilter, HeaderLen: 4}
	if _, err := conn.Do(ctx, nf, 0x101, 0, nil); !errors.Is(err, genl.ErrUnsupported) {
		t.Fatalf("family of another protocol: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := conn.Do(cctx, rtLink, rtmGetlink, 0, req); !errors.Is(err, context.Canceled) {
		t.Fatalf("done ctx: %v", err)
	}
}

func TestRawNotifications(t *testing.T) {
	conn := genltest.NewRaw(genl.ProtoRoute, nil)
	m, _ := genltest.RawMessage(rtmNewlink, &link{3, "d0"})
	const rtnlgrpLink = 1
	if conn.Notify(rtnlgrpLink, m) {
		t.Fatal("delivered to a group nobody joined")
	}
	if err := conn.Join(context.Background(), rtnlgrpLink); err != nil || !conn.Joined(rtnlgrpLink) {
		t.Fatal(err)
	}
	if !conn.Notify(rtnlgrpLink, m) {
		t.Fatal("not delivered to a joined group")
	}
	got, err := conn.Receive(context.Background())
	if err != nil || got.Header.Type != rtmNewlink || got.Header.Seq != 0 {
		t.Fatalf("%+v %v", got.Header, err)
	}
	m.Data[4] = 99 // the fake copied the notification's bytes
	var l link
	if err := l.DecodeMessage(got.Data, nlattr.DecodeOptions{}); err != nil || l != (link{3, "d0"}) {
		t.Fatalf("%+v %v", l, err)
	}
	if err := conn.Leave(context.Background(), rtnlgrpLink); err != nil || conn.Notify(rtnlgrpLink, m) {
		t.Fatal("delivered after Leave")
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		conn.Close()
	}()
	if _, err := conn.Receive(context.Background()); !errors.Is(err, genl.ErrClosed) {
		t.Fatalf("Receive after Close: %v", err)
	}
	if _, err := conn.Do(context.Background(), rtLink, rtmGetlink, 0, nil); !errors.Is(err, genl.ErrClosed) {
		t.Fatalf("Do after Close: %v", err)
	}
}
