// Command ovsdpctl drives the Open vSwitch kernel datapath through the
// clients nlgen generates from schema/ovs, in the spirit of the kernel
// selftest's ovs-dpctl.py: it creates a datapath, adds two internal vports,
// installs a flow with a key, a mask and actions (set the destination MAC,
// output to the other vport and
// the local port), dumps the flows, and deletes the flow and the
// datapath.
//
//	go run ./examples/ovsdpctl          # against a fake kernel (genltest)
//	go run ./examples/ovsdpctl -real    # against the openvswitch module (root)
//
// By default it talks to an in-process fake that answers as
// net/openvswitch/datapath.c does (kernel.go), so it runs anywhere. With
// -real it dials generic netlink; without the openvswitch module it stops
// with `family "ovs_datapath" is not registered in this kernel`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

func main() {
	real := flag.Bool("real", false, "use the kernel's openvswitch datapath instead of the fake (needs root and the module)")
	name := flag.String("dp", "nlgen-dp0", "datapath name")
	flag.Parse()
	var conn genl.Conn
	if *real {
		c, err := genl.Dial(nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ovsdpctl:", err)
			os.Exit(1)
		}
		conn = c
	} else {
		conn = newFakeKernel()
	}
	defer conn.Close()
	if err := run(context.Background(), conn, *name, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ovsdpctl:", err)
		os.Exit(1)
	}
}

// run is the whole session. New, del and set send NLM_F_ECHO, as OVS
// userspace does when it wants the result: the kernel answers those
// commands with a bare acknowledgement otherwise.
func run(ctx context.Context, conn genl.Conn, name string, out io.Writer) error {
	echo := uint16(genl.FlagEcho)
	dps := ovsdatapath.NewClient(conn).WithFlags(echo)
	ports := ovsvport.NewClient(conn).WithFlags(echo)
	flows := ovsflow.NewClient(conn).WithFlags(echo)
	pid := conn.PortID()

	dp, err := dps.New(ctx, &ovsdatapath.NewRequest{Name: nlattr.Some(name), UpcallPid: nlattr.Some(pid)})
	if err != nil {
		return fmt.Errorf("create datapath %s: %w", name, err)
	}
	fmt.Fprintf(out, "datapath %s created, dp_ifindex %d\n", dp.Name.Value, dp.Header.DpIfindex)
	// From here on every request names the datapath by its ovs_header.
	// (The three packages share one OvsHeader type.)
	inDP := dps.WithHeader(dp.Header)
	ports, flows = ports.WithHeader(dp.Header), flows.WithHeader(dp.Header)
	cleanup := func() {
		if _, err := inDP.Del(ctx, &ovsdatapath.DelRequest{}); err != nil {
			fmt.Fprintf(out, "delete datapath %s: %v\n", name, err)
		}
	}
	var portNos []uint32
	for _, vname := range []string{name + "-a", name + "-b"} {
		v, err := ports.New(ctx, &ovsvport.NewRequest{Name: nlattr.Some(vname),
			Type: nlattr.Some(ovsvport.OvsVportTypeInternal), UpcallPid: []uint32{pid}})
		if err != nil {
			cleanup()
			return fmt.Errorf("add vport %s: %w", vname, err)
		}
		fmt.Fprintf(out, "vport %s added as port %d (%s)\n", v.Name.Value, v.PortNo.Value, v.Type.Value)
		portNos = append(portNos, v.PortNo.Value)
	}
	for v, err := range ports.DumpGet(ctx, nil) {
		if err != nil {
			cleanup()
			return fmt.Errorf("dump vports: %w", err)
		}
		fmt.Fprintf(out, "  port %d: %s (%s)\n", v.PortNo.Value, v.Name.Value, v.Type.Value)
	}

	// in_port(a),eth(),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.0/24)
	// The key structs hold addresses as the kernel lays them out (a
	// big-endian u32, a 6-byte array); their Addr and MAC methods convert.
	ip := ovsflow.OvsKeyIpv4{Proto: 17, Frag: ovsflow.OvsFragTypeNone}
	ipMask := ovsflow.OvsKeyIpv4{Src: ^uint32(0)}
	var eth ovsflow.OvsKeyEthernet
	if err := errors.Join(
		ip.SetSrcAddr(netip.MustParseAddr("10.0.0.1")),
		ip.SetDstAddr(netip.MustParseAddr("10.0.0.0")),
		ipMask.SetDstAddr(netip.MustParseAddr("255.255.255.0")),
		eth.SetSrcMAC(net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01}),
		eth.SetDstMAC(net.HardwareAddr{0x02, 0, 0, 0, 0, 0x02}),
	); err != nil {
		cleanup()
		return err
	}
	key := &ovsflow.KeyAttrs{
		InPort:    nlattr.Some(portNos[0]),
		Ethernet:  nlattr.Some(ovsflow.OvsKeyEthernet{}),
		Ethertype: nlattr.SomeU16(0x0800),
		Ipv4:      nlattr.Some(ip),
	}
	mask := &ovsflow.KeyAttrs{
		InPort:    nlattr.Some(^uint32(0)),
		Ethernet:  nlattr.Some(ovsflow.OvsKeyEthernet{}),
		Ethertype: nlattr.Some(^uint16(0)),
		Ipv4:      nlattr.Some(ipMask),
	}
	setDst := &ovsflow.KeyAttrs{Ethernet: nlattr.Some(eth)}
	actions := ovsflow.ActionAttrs{
		ovsflow.ActionAttrSet(setDst),
		ovsflow.ActionAttrOutput(portNos[1]),
		ovsflow.ActionAttrOutput(0), // the datapath's local port

	}
	f, err := flows.WithFlags(echo|genl.FlagCreate).New(ctx, &ovsflow.NewRequest{Key: key, Mask: mask, Actions: actions})
	if err != nil {
		cleanup()
		return fmt.Errorf("install flow: %w", err)
	}
	fmt.Fprintf(out, "flow installed: %s\n", formatFlow(f))

	fmt.Fprintln(out, "flows:")
	for f, err := range flows.DumpGet(ctx, nil) {
		if err != nil {
			cleanup()
			return fmt.Errorf("dump flows: %w", err)
		}
		fmt.Fprintf(out, "  %s\n", formatFlow(f))
	}

	if _, err := flows.Del(ctx, &ovsflow.DelRequest{Key: key}); err != nil {
		cleanup()
		return fmt.Errorf("delete flow: %w", err)
	}
	fmt.Fprintln(out, "flow deleted")
	if _, err := inDP.Del(ctx, &ovsdatapath.DelRequest{}); err != nil {
		return fmt.Errorf("delete datapath %s: %w", name, err)
	}
	fmt.Fprintf(out, "datapath %s deleted\n", name)
	if _, err := dps.Get(ctx, &ovsdatapath.GetRequest{Name: nlattr.Some(name)}); !errors.Is(err, genl.ENODEV) {
		return fmt.Errorf("datapath %s still answers after delete: %v", name, err)
	}
	return nil
}

// formatFlow prints a flow the way ovs-dpctl.py does for the fields this
// example uses: key/mask pairs, then the actions.
func formatFlow(f *ovsflow.GetReply) string {
	var b strings.Builder
	k, m := f.Key, f.Mask
	if k == nil {
		return "<no key>"
	}
	if m == nil {
		m = k
	}
	if v, ok := k.InPort.Get(); ok {
		fmt.Fprintf(&b, "in_port(%d),", v)
	}
	if v, ok := k.Ethertype.Get(); ok {
		fmt.Fprintf(&b, "eth_type(%#04x),", v)
	}
	if v, ok := k.Ipv4.Get(); ok {
		mv := m.Ipv4.Value
		fmt.Fprintf(&b, "ipv4(src=%s/%s,dst=%s/%s,proto=%d),", v.SrcAddr(), mv.SrcAddr(), v.DstAddr(), mv.DstAddr(), v.Proto)
	}
	if st, ok := f.Stats.Get(); ok {
		fmt.Fprintf(&b, " packets:%d, bytes:%d", st.NPackets, st.NBytes)
	} else {
		b.WriteString(" packets:0, bytes:0")
	}
	b.WriteString(" actions:")
	for i, a := range f.Actions {
		if i > 0 {
			b.WriteByte(',')
		}
		switch a.Type {
		case ovsflow.AttrActionOutput:
			fmt.Fprintf(&b, "%d", a.Output)
		case ovsflow.AttrActionSet:
			if e, ok := a.Set.Ethernet.Get(); ok {
				fmt.Fprintf(&b, "set(eth(src=%s,dst=%s))", e.SrcMAC(), e.DstMAC())
			} else {
				b.WriteString("set(...)")
			}
		default:
			fmt.Fprintf(&b, "action%d", a.Type)
		}
	}
	return b.String()
}
