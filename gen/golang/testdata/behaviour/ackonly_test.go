package golang

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// ovsKernelConn answers do requests the way the Linux openvswitch module
// does (net/openvswitch/datapath.c, 6.12), written from its source rather
// than from the generated code:
//
//   - ovs_{dp,vport}_cmd_{new,set,del} build the reply and hand it to
//     ovs_notify -> genl_notify, which multicasts it and echoes it to the
//     requester only when nlmsg_report() (NLM_F_ECHO) says so;
//   - ovs_flow_cmd_{new,set,del} do not even build it unless
//     ovs_must_notify() (NLM_F_ECHO or a listener on the group) holds;
//   - ovs_flow_cmd_del without KEY and UFID flushes the table and returns 0
//     before any reply is built, echo or not;
//   - *_cmd_get answers with genlmsg_reply, always.
//
// Every request is acknowledged (the genl core sends NLMSG_ERROR 0 for
// NLM_F_ACK), which a genl.Conn reports as (nil, nil) when no reply came.
type ovsKernelConn struct {
	genl.Conn
	flags []uint16 // flags of every Do, in order
}

const (
	ovsFlowAttrKey   = 1 // OVS_FLOW_ATTR_KEY
	ovsFlowAttrStats = 3 // OVS_FLOW_ATTR_STATS
	ovsFlowAttrUfid  = 9 // OVS_FLOW_ATTR_UFID
	ovsDpAttrName    = 1 // OVS_DP_ATTR_NAME
	cmdNew, cmdDel   = 1, 2
	cmdGet, cmdSet   = 3, 4
)

func (c *ovsKernelConn) Do(_ context.Context, f *genl.Family, cmd uint8, flags uint16, payload []byte) ([]genl.Message, error) {
	c.flags = append(c.flags, flags)
	echo := flags&genl.FlagEcho != 0
	attrs := map[uint16][]byte{} // whole attributes, header included
	for b := payload[4:]; len(b) > 0; {
		n := int(binary.NativeEndian.Uint16(b))
		attrs[binary.NativeEndian.Uint16(b[2:])&nlattr.TypeMask] = b[:n]
		b = b[min((n+3)&^3, len(b)):]
	}
	reply := append([]byte(nil), payload[:4]...) // struct ovs_header
	switch f.Name {
	case "ovs_flow":
		if cmd == cmdDel && attrs[ovsFlowAttrKey] == nil && attrs[ovsFlowAttrUfid] == nil {
			return nil, nil // ovs_flow_tbl_flush, no reply
		}
		if cmd != cmdGet && !echo {
			return nil, nil // ovs_flow_cmd_alloc_info(..., always=false) returned NULL
		}
		reply = append(reply, attrs[ovsFlowAttrKey]...)
		stats := make([]byte, 4+16) // struct ovs_flow_stats {n_packets, n_bytes}
		binary.NativeEndian.PutUint16(stats, 20)
		binary.NativeEndian.PutUint16(stats[2:], ovsFlowAttrStats)
		binary.NativeEndian.PutUint64(stats[4:], 3)
		reply = append(reply, stats...)
	case "ovs_datapath":
		if cmd != cmdGet && !echo {
			return nil, nil // built, but only multicast by genl_notify
		}
		reply = append(reply, attrs[ovsDpAttrName]...)
	}
	return []genl.Message{{Family: f.Name, Cmd: cmd, Data: reply}}, nil
}

// TestAckOnlyDos: a do the kernel acknowledges without a reply succeeds
// with a nil reply; WithEcho sets NLM_F_ECHO and gets the reply; a flush
// never replies; get always does.
func TestAckOnlyDos(t *testing.T) {
	ctx := context.Background()
	conn := &ovsKernelConn{}
	flows := ovsflow.NewClient(conn)
	key := &ovsflow.KeyAttrs{InPort: nlattr.Some(uint32(1)), Ethertype: nlattr.Some(uint16(0x0800))}
	put := &ovsflow.NewRequest{Header: ovsflow.OvsHeader{DpIfindex: 3}, Key: key,
		Actions: ovsflow.ActionAttrs{ovsflow.ActionAttrOutput(2)}}

	rsp, err := flows.WithFlags(genl.FlagCreate).New(ctx, put)
	if err != nil || rsp != nil {
		t.Fatalf("flow new without echo: reply %+v, err %v; want nil, nil", rsp, err)
	}
	if got := conn.flags[len(conn.flags)-1]; got != genl.FlagCreate {
		t.Fatalf("flow new without echo sent flags %#x, want %#x", got, genl.FlagCreate)
	}

	rsp, err = flows.WithFlags(genl.FlagCreate).WithEcho().New(ctx, put)
	if err != nil || rsp == nil {
		t.Fatalf("flow new with echo: reply %+v, err %v", rsp, err)
	}
	if got := conn.flags[len(conn.flags)-1]; got != genl.FlagCreate|genl.FlagEcho {
		t.Fatalf("flow new with echo sent flags %#x, want %#x", got, genl.FlagCreate|genl.FlagEcho)
	}
	if rsp.Header.DpIfindex != 3 || rsp.Key == nil || rsp.Key.InPort.Value != 1 || rsp.Stats.Value.NPackets != 3 {
		t.Fatalf("echoed reply decoded as %+v", rsp)
	}

	for _, echo := range []bool{false, true} {
		c := flows
		if echo {
			c = flows.WithEcho()
		}
		rsp, err = c.Del(ctx, &ovsflow.DelRequest{Header: ovsflow.OvsHeader{DpIfindex: 3}})
		if err != nil || rsp != nil {
			t.Fatalf("flow flush (echo %v): reply %+v, err %v; want nil, nil", echo, rsp, err)
		}
	}
	rsp, err = flows.Del(ctx, &ovsflow.DelRequest{Header: ovsflow.OvsHeader{DpIfindex: 3}, Key: key})
	if err != nil || rsp != nil {
		t.Fatalf("flow del without echo: reply %+v, err %v; want nil, nil", rsp, err)
	}
	rsp, err = flows.Set(ctx, &ovsflow.SetRequest{Header: ovsflow.OvsHeader{DpIfindex: 3}, Key: key, Clear: true})
	if err != nil || rsp != nil {
		t.Fatalf("flow set without echo: reply %+v, err %v; want nil, nil", rsp, err)
	}
	rsp, err = flows.Get(ctx, &ovsflow.GetRequest{Header: ovsflow.OvsHeader{DpIfindex: 3}, Key: key})
	if err != nil || rsp == nil || rsp.Key == nil {
		t.Fatalf("flow get (genlmsg_reply, always): reply %+v, err %v", rsp, err)
	}

	dps := ovsdatapath.NewClient(conn)
	dp, err := dps.New(ctx, &ovsdatapath.NewRequest{Name: nlattr.Some("ovs-system"), UpcallPid: nlattr.Some(uint32(0))})
	if err != nil || dp != nil {
		t.Fatalf("datapath new without echo: reply %+v, err %v; want nil, nil", dp, err)
	}
	dp, err = dps.WithEcho().New(ctx, &ovsdatapath.NewRequest{Name: nlattr.Some("ovs-system"), UpcallPid: nlattr.Some(uint32(0))})
	if err != nil || dp == nil || dp.Name.Value != "ovs-system" {
		t.Fatalf("datapath new with echo: reply %+v, err %v", dp, err)
	}
}
