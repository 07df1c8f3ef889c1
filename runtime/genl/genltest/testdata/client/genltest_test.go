package genltest_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/genl/genltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// datapaths plays ovs_datapath's get as net/openvswitch/datapath.c does:
// a named lookup that fails with ENODEV, and a dump of every datapath.
func datapaths(names ...string) genltest.Handler {
	return func(r genltest.Request) ([]genl.Message, error) {
		if r.Cmd != uint8(ovsdatapath.CmdGet) {
			return nil, genltest.Errorf(genl.EOPNOTSUPP, "command %d not played", r.Cmd)
		}
		var all []genltest.Appender
		for i, n := range names {
			all = append(all, &ovsdatapath.DatapathReply{Header: ovsdatapath.OvsHeader{DpIfindex: int32(10 + i)}, Name: nlattr.Some(n)})
		}
		if r.IsDump() {
			return genltest.Reply(r, all...)
		}
		var req ovsdatapath.GetRequest
		if err := r.Decode(&req); err != nil {
			return nil, err
		}
		for i, n := range names {
			if n == req.Name.Value {
				return genltest.Reply(r, all[i])
			}
		}
		return nil, genltest.Errorf(genl.ENODEV, "no datapath %q", req.Name.Value)
	}
}

func TestDoRecordsAndReplies(t *testing.T) {
	conn := genltest.New(datapaths("br0", "br1"))
	c := ovsdatapath.NewClient(conn)
	dp, err := c.Get(context.Background(), &ovsdatapath.GetRequest{Name: nlattr.Some("br1")})
	if err != nil {
		t.Fatal(err)
	}
	want := &ovsdatapath.DatapathReply{Header: ovsdatapath.OvsHeader{DpIfindex: 11}, Name: nlattr.Some("br1")}
	if !reflect.DeepEqual(dp, want) {
		t.Fatalf("got %+v, want %+v", dp, want)
	}
	reqs := conn.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests recorded", len(reqs))
	}
	r := reqs[0]
	// The genl.Conn contract: Do adds NLM_F_REQUEST|NLM_F_ACK.
	if r.Family != ovsdatapath.Family || r.Cmd != uint8(ovsdatapath.CmdGet) || r.Flags != genl.FlagRequest|genl.FlagAck || r.IsDump() {
		t.Fatalf("recorded %+v", r)
	}
	var got ovsdatapath.GetRequest
	if err := r.Decode(&got); err != nil || got.Name.Value != "br1" {
		t.Fatalf("recorded payload decodes to %+v (%v)", got, err)
	}
}

func TestExtendedAckError(t *testing.T) {
	c := ovsdatapath.NewClient(genltest.New(datapaths("br0")))
	_, err := c.Get(context.Background(), &ovsdatapath.GetRequest{Name: nlattr.Some("nope")})
	var ge *genl.Error
	if !errors.As(err, &ge) || !errors.Is(err, genl.ENODEV) {
		t.Fatalf("error %v (%T), want *genl.Error ENODEV", err, err)
	}
	if ge.Message != `no datapath "nope"` || ge.Offset != -1 || ge.Family != "ovs_datapath" || ge.Cmd != uint8(ovsdatapath.CmdGet) {
		t.Fatalf("error fields %+v", ge)
	}
	// The operation is named from the generated Family's Schema, as the
	// Linux transport names it.
	if ge.Op != "get" || ge.Error() != `ovs_datapath get: ENODEV: no datapath "nope"` {
		t.Fatalf("error text %q", ge.Error())
	}
}

// TestBareAck: a handler returning nothing is an acknowledgement, which
// Do reports as (nil, nil) like every transport.
func TestBareAck(t *testing.T) {
	conn := genltest.New(nil)
	msgs, err := conn.Do(context.Background(), ovsdatapath.Family, uint8(ovsdatapath.CmdDel), genl.FlagEcho, make([]byte, 4))
	if msgs != nil || err != nil {
		t.Fatalf("ack: %v, %v", msgs, err)
	}
	if r := conn.Requests()[0]; !r.Echo() || r.Flags != genl.FlagRequest|genl.FlagAck|genl.FlagEcho {
		t.Fatalf("flags %#x", r.Flags)
	}
}

func TestDump(t *testing.T) {
	conn := genltest.New(datapaths("br0", "br1", "br2"))
	all, err := ovsdatapath.NewClient(conn).DumpGetAll(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, dp := range all {
		names = append(names, dp.Name.Value)
	}
	if !reflect.DeepEqual(names, []string{"br0", "br1", "br2"}) {
		t.Fatalf("dumped %v", names)
	}
	if r := conn.Requests()[0]; !r.IsDump() || r.Flags != genl.FlagRequest|genl.FlagDump {
		t.Fatalf("dump flags %#x", r.Flags)
	}
	for m := range conn.Dump(context.Background(), ovsdatapath.Family, uint8(ovsdatapath.CmdGet), 0, make([]byte, 4)) {
		if m.Flags&genl.FlagMulti == 0 || m.Family != "ovs_datapath" {
			t.Fatalf("dump message %+v: a multipart reply carries NLM_F_MULTI", m)
		}
	}
}

// TestDumpFailsHalfWay: messages before the error are yielded, then the
// error once, as the last pair.
func TestDumpFailsHalfWay(t *testing.T) {
	conn := genltest.New(func(r genltest.Request) ([]genl.Message, error) {
		msgs, _ := genltest.Reply(r, &ovsdatapath.DatapathReply{Name: nlattr.Some("br0")})
		return msgs, genltest.Errorf(genl.EMSGSIZE, "")
	})
	var n int
	var last error
	for dp, err := range ovsdatapath.NewClient(conn).DumpGet(context.Background(), nil) {
		if err != nil {
			last = err
			continue
		}
		n++
		if dp.Name.Value != "br0" {
			t.Fatalf("dumped %+v", dp)
		}
	}
	if n != 1 || !errors.Is(last, genl.EMSGSIZE) {
		t.Fatalf("%d messages, error %v", n, last)
	}
}

// TestRepliesAreCopies: the contract says Message.Data belongs to the
// caller, so a handler reusing its buffer cannot change what was returned.
func TestRepliesAreCopies(t *testing.T) {
	buf := []byte{0, 0, 0, 0}
	conn := genltest.New(func(r genltest.Request) ([]genl.Message, error) {
		return []genl.Message{{Cmd: r.Cmd, Data: buf}}, nil
	})
	msgs, err := conn.Do(context.Background(), ovsdatapath.Family, 3, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	buf[0] = 9
	if msgs[0].Data[0] != 0 {
		t.Fatal("the reply aliases the handler's buffer")
	}
	payload := []byte{1, 2, 3, 4}
	conn.Do(context.Background(), ovsdatapath.Family, 3, 0, payload)
	payload[0] = 7
	if conn.Requests()[1].Payload[0] != 1 {
		t.Fatal("the recorded request aliases the caller's payload")
	}
}

func TestNotifications(t *testing.T) {
	conn := genltest.New(nil)
	ctx := context.Background()
	msg, err := genltest.Message(ovsdatapath.Family, uint8(ovsdatapath.CmdNew), &ovsdatapath.DatapathReply{Name: nlattr.Some("br0")})
	if err != nil {
		t.Fatal(err)
	}
	if conn.Notify(ovsdatapath.Family, ovsdatapath.GroupOvsDatapath, msg) {
		t.Fatal("a notification reached a Conn that never joined the group")
	}
	withGroups := &genl.Family{Name: "demo", Groups: map[string]uint32{"events": 101}}
	if err := conn.Join(ctx, withGroups, "no-such-group"); !errors.Is(err, genl.ENOENT) {
		t.Fatalf("joining an undeclared group: %v", err)
	}
	if err := conn.Join(ctx, ovsdatapath.Family, ovsdatapath.GroupOvsDatapath); err != nil {
		t.Fatal(err)
	}
	if !conn.Notify(ovsdatapath.Family, ovsdatapath.GroupOvsDatapath, msg) {
		t.Fatal("not delivered after Join")
	}
	m, err := conn.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := ovsdatapath.DecodeNotification(m, nlattr.DecodeOptions{})
	if dp, ok := n.(*ovsdatapath.DatapathReply); err != nil || !ok || dp.Name.Value != "br0" || m.Family != "ovs_datapath" {
		t.Fatalf("notification %+v decoded as %T %+v (%v)", m, n, n, err)
	}
	if err := conn.Leave(ctx, ovsdatapath.Family, ovsdatapath.GroupOvsDatapath); err != nil || conn.Joined(ovsdatapath.Family, ovsdatapath.GroupOvsDatapath) {
		t.Fatalf("Leave: %v", err)
	}
}

func TestContextAndClose(t *testing.T) {
	conn := genltest.New(nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := conn.Do(ctx, ovsdatapath.Family, 3, 0, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Do with a cancelled ctx: %v", err)
	}
	tctx, tcancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer tcancel()
	if _, err := conn.Receive(tctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Receive past the deadline: %v", err)
	}
	errc := make(chan error)
	go func() {
		_, err := conn.Receive(context.Background())
		errc <- err
	}()
	conn.Close()
	if err := <-errc; !errors.Is(err, genl.ErrClosed) {
		t.Fatalf("Receive after Close: %v", err)
	}
	if _, err := conn.Do(context.Background(), ovsdatapath.Family, 3, 0, nil); !errors.Is(err, genl.ErrClosed) {
		t.Fatalf("Do after Close: %v", err)
	}
	if conn.PortID() != 4242 {
		t.Fatalf("port id %d", conn.PortID())
	}
}
