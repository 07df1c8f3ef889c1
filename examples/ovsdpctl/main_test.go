package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/genl/genltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

func TestSessionAgainstFake(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), newFakeKernel(), "dp0", &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	want := `datapath dp0 created, dp_ifindex 7
vport dp0-a added as port 1 (internal)
vport dp0-b added as port 2 (internal)
  port 0: dp0 (internal)
  port 1: dp0-a (internal)
  port 2: dp0-b (internal)
flow installed: in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1/255.255.255.255,dst=10.0.0.0/255.255.255.0,proto=17), packets:0, bytes:0 actions:set(eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)),2,0
flows:
  in_port(1),eth_type(0x0800),ipv4(src=10.0.0.1/255.255.255.255,dst=10.0.0.0/255.255.255.0,proto=17), packets:0, bytes:0 actions:set(eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)),2,0
flow deleted
datapath dp0 deleted
`
	if out.String() != want {
		t.Fatalf("session printed\n%s\nwant\n%s", out.String(), want)
	}
}

// TestFakeAnswersAsDatapathC checks the fake against the behaviour of
// net/openvswitch/datapath.c that the example relies on, so the example
// would behave the same against the module.
func TestFakeAnswersAsDatapathC(t *testing.T) {
	ctx := context.Background()
	conn := newFakeKernel()
	payload := func(m interface{ AppendMessage([]byte) ([]byte, error) }) []byte {
		b, err := m.AppendMessage(nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	newDP := payload(&ovsdatapath.NewRequest{Name: nlattr.Some("dp0"), UpcallPid: nlattr.Some(uint32(1))})

	// ovs_dp_cmd_new without NLM_F_ECHO: ovs_notify reaches listeners only,
	// the requester gets the bare acknowledgement.
	if err := conn.Join(ctx, ovsdatapath.Family, ovsdatapath.GroupOvsDatapath); err != nil {
		t.Fatal(err)
	}
	msgs, err := conn.Do(ctx, ovsdatapath.Family, uint8(ovsdatapath.CmdNew), 0, newDP)
	if err != nil || msgs != nil {
		t.Fatalf("new without echo: %v, %v; want a bare ack", msgs, err)
	}
	n, err := conn.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := ovsdatapath.DecodeNotification(n, nlattr.DecodeOptions{}); err != nil || v.(*ovsdatapath.DatapathReply).Name.Value != "dp0" {
		t.Fatalf("multicast notification %+v (%v)", v, err)
	}
	// Same name again: the local port's netdev exists.
	if _, err := conn.Do(ctx, ovsdatapath.Family, uint8(ovsdatapath.CmdNew), genl.FlagEcho, newDP); !errors.Is(err, genl.EEXIST) {
		t.Fatalf("second datapath of the same name: %v", err)
	}
	// Missing OVS_DP_ATTR_UPCALL_PID is EINVAL.
	if _, err := conn.Do(ctx, ovsdatapath.Family, uint8(ovsdatapath.CmdNew), 0, payload(&ovsdatapath.NewRequest{Name: nlattr.Some("dp1")})); !errors.Is(err, genl.EINVAL) {
		t.Fatalf("new without upcall pid: %v", err)
	}
	// get always replies (genlmsg_reply), flags or not.
	dp, err := ovsdatapath.NewClient(conn).Get(ctx, &ovsdatapath.GetRequest{Name: nlattr.Some("dp0")})
	if err != nil || dp.Header.DpIfindex == 0 {
		t.Fatalf("get: %+v, %v", dp, err)
	}
	if _, err := ovsdatapath.NewClient(conn).Get(ctx, &ovsdatapath.GetRequest{Name: nlattr.Some("nope")}); !errors.Is(err, genl.ENODEV) {
		t.Fatalf("get of an unknown datapath: %v", err)
	}
	hdr := ovsflow.OvsHeader{DpIfindex: dp.Header.DpIfindex}

	// Vport new with a taken port number is EBUSY; port 0 is the local port.
	if _, err := ovsvport.NewClient(conn).WithFlags(genl.FlagEcho).New(ctx, &ovsvport.NewRequest{Header: hdr, PortNo: nlattr.Some(uint32(0)),
		Name: nlattr.Some("p"), Type: nlattr.Some(ovsvport.OvsVportTypeInternal), UpcallPid: []uint32{1}}); err != nil {
		// port_no 0 means "pick one" in ovs_vport_cmd_new.
		t.Fatalf("vport new with port 0: %v", err)
	}
	if _, err := ovsvport.NewClient(conn).WithFlags(genl.FlagEcho).New(ctx, &ovsvport.NewRequest{Header: hdr, PortNo: nlattr.Some(uint32(1)),
		Name: nlattr.Some("q"), Type: nlattr.Some(ovsvport.OvsVportTypeInternal), UpcallPid: []uint32{1}}); !errors.Is(err, genl.EBUSY) {
		t.Fatalf("vport new on a taken port: %v", err)
	}

	// Flow new: key and actions are required; without echo only an ack.
	flows := ovsflow.NewClient(conn)
	key := &ovsflow.KeyAttrs{InPort: nlattr.Some(uint32(1)), Ethernet: nlattr.Some(ovsflow.OvsKeyEthernet{})}
	acts := ovsflow.ActionAttrs{ovsflow.ActionAttrOutput(0)}
	if _, err := conn.Do(ctx, ovsflow.Family, uint8(ovsflow.CmdNew), 0, payload(&ovsflow.NewRequest{Header: hdr, Actions: acts})); !errors.Is(err, genl.EINVAL) {
		t.Fatalf("flow without key: %v", err)
	}
	msgs, err = conn.Do(ctx, ovsflow.Family, uint8(ovsflow.CmdNew), genl.FlagCreate, payload(&ovsflow.NewRequest{Header: hdr, Key: key, Actions: acts}))
	if err != nil || msgs != nil {
		t.Fatalf("flow new without echo: %v, %v; want a bare ack", msgs, err)
	}
	if _, err := flows.WithFlags(genl.FlagCreate|genl.FlagEcho).New(ctx, &ovsflow.NewRequest{Header: hdr, Key: key, Actions: acts}); !errors.Is(err, genl.EEXIST) {
		t.Fatalf("NLM_F_CREATE on an existing flow: %v", err)
	}
	// Without NLM_F_CREATE an existing flow's actions are replaced.
	f, err := flows.WithFlags(genl.FlagEcho).New(ctx, &ovsflow.NewRequest{Header: hdr, Key: key, Actions: ovsflow.ActionAttrs{ovsflow.ActionAttrOutput(2)}})
	if err != nil || len(f.Actions) != 1 || f.Actions[0].Output != 2 {
		t.Fatalf("flow modify: %+v, %v", f, err)
	}
	if _, err := flows.Get(ctx, &ovsflow.GetRequest{Header: hdr, Key: &ovsflow.KeyAttrs{InPort: nlattr.Some(uint32(9))}}); !errors.Is(err, genl.ENOENT) {
		t.Fatalf("get of an unknown flow: %v", err)
	}
	// Del without key or ufid flushes and only acknowledges, echo or not.
	msgs, err = conn.Do(ctx, ovsflow.Family, uint8(ovsflow.CmdDel), genl.FlagEcho, payload(&ovsflow.DelRequest{Header: hdr}))
	if err != nil || msgs != nil {
		t.Fatalf("flush: %v, %v", msgs, err)
	}
	if all, err := flows.DumpGetAll(ctx, &ovsflow.DumpGetRequest{Header: hdr}); err != nil || len(all) != 0 {
		t.Fatalf("after flush: %d flows, %v", len(all), err)
	}
}

// TestRealDatapathWithoutModule: -real on a machine without the
// openvswitch module stops with a message naming the missing family.
func TestRealDatapathWithoutModule(t *testing.T) {
	if _, err := os.Stat("/sys/module/openvswitch"); err == nil {
		t.Skip("the openvswitch module is loaded; this test covers machines without it")
	}
	conn, err := genl.Dial(nil)
	if err != nil {
		t.Skipf("no generic netlink here: %v", err)
	}
	defer conn.Close()
	err = run(context.Background(), conn, "nlgen-test", &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `family "ovs_datapath" is not registered`) || !errors.Is(err, genl.ENOENT) {
		t.Fatalf("error %v, want ENOENT naming the unregistered family", err)
	}
}

var _ genl.Conn = (*genltest.Conn)(nil)
