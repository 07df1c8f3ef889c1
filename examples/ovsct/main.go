// Command ovsct lists the connection-tracking table, in the line format of
// `conntrack -L`, through the ovs_ct client nlgen generates from
// schema/ovs/ovs_ct.yaml (out/go/ovsct): one IPCTNL_MSG_CT_GET dump over
// NETLINK_NETFILTER, decoded into the generated types. It needs Linux with
// nf_conntrack and CAP_NET_ADMIN.
//
//	go run ./examples/ovsct            # every family, like conntrack -L
//	go run ./examples/ovsct -f ipv6    # like conntrack -L -f ipv6
package main

import (
	"context"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/nlgen/nlgen/out/go/ovsct"
	"github.com/nlgen/nlgen/runtime/genl"
)

// families are the nfgenmsg families conntrack's -f names.
var families = map[string]uint8{"": 0, "ipv4": 2, "ipv6": 10}

func main() {
	family := flag.String("f", "", "only this family: ipv4 or ipv6")
	flag.Parse()
	f, ok := families[*family]
	if !ok {
		fmt.Fprintf(os.Stderr, "ovsct: unknown family %q (ipv4 or ipv6)\n", *family)
		os.Exit(2)
	}
	conn, err := genl.DialRaw(ovsct.Protocol, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ovsct:", err)
		os.Exit(1)
	}
	defer conn.Close()
	entries, err := dump(context.Background(), conn, f)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ovsct:", err)
		os.Exit(1)
	}
	for _, e := range entries {
		fmt.Println(format(e))
	}
}

// dump lists the connections of one family (0: all). ctnetlink filters
// by nfgenmsg's family alone; the request carries no attributes.
func dump(ctx context.Context, conn genl.RawConn, family uint8) ([]*ovsct.GetReply, error) {
	return ovsct.NewClient(conn).DumpGetAll(ctx, &ovsct.DumpGetRequest{Header: ovsct.Nfgenmsg{Family: family}})
}

// protoNames are the names conntrack prints for the IP protocols it knows
// (libnetfilter_conntrack's proto2str); others print as "unknown".
var protoNames = map[uint8]string{1: "icmp", 6: "tcp", 17: "udp", 33: "dccp", 47: "gre", 58: "icmpv6", 132: "sctp", 136: "udplite"}

// TCPState is the name conntrack prints for a TCP tracking state
// (libnetfilter_conntrack's states[]): the spec's name in capitals, except
// that value 9 keeps its old name.
func TCPState(s ovsct.TcpConntrack) string {
	if s == ovsct.TcpConntrackSynSent2 {
		return "SYN_SENT2"
	}
	return strings.ToUpper(strings.ReplaceAll(s.String(), "-", "_"))
}

// Addrs returns a tuple's addresses, IPv4 or IPv6, whichever it carries.
func Addrs(t *ovsct.Tuple) (src, dst netip.Addr) {
	if t == nil || t.Ip == nil {
		return
	}
	if t.Ip.V4Src.Present || t.Ip.V4Dst.Present {
		return t.Ip.V4SrcAddr(), t.Ip.V4DstAddr()
	}
	return t.Ip.V6SrcAddr(), t.Ip.V6DstAddr()
}

// format writes e as conntrack -L's default output does
// (libnetfilter_conntrack's __snprintf_conntrack_default), for the
// attributes the ovs_ct reply carries.
func format(e *ovsct.GetReply) string {
	var b strings.Builder
	var proto uint8
	if e.TupleOrig != nil && e.TupleOrig.Proto != nil {
		proto = e.TupleOrig.Proto.Num.Value
	}
	name, ok := protoNames[proto]
	if !ok {
		name = "unknown"
	}
	fmt.Fprintf(&b, "%-8s %d ", name, proto)
	if e.Timeout.Present {
		fmt.Fprintf(&b, "%d ", e.Timeout.Value)
	}
	if e.Protoinfo != nil && e.Protoinfo.Tcp != nil && e.Protoinfo.Tcp.State.Present {
		fmt.Fprintf(&b, "%s ", TCPState(e.Protoinfo.Tcp.State.Value))
	}
	tuple(&b, e.TupleOrig, e.CountersOrig)
	if e.Status.Value&ovsct.IpConntrackStatusSeenReply == 0 {
		b.WriteString("[UNREPLIED] ")
	}
	tuple(&b, e.TupleReply, e.CountersReply)
	if e.Status.Value&ovsct.IpConntrackStatusAssured != 0 {
		b.WriteString("[ASSURED] ")
	}
	if e.Mark.Present {
		fmt.Fprintf(&b, "mark=%d ", e.Mark.Value)
	}
	if e.Zone.Present {
		fmt.Fprintf(&b, "zone=%d ", e.Zone.Value)
	}
	if e.Use.Present {
		fmt.Fprintf(&b, "use=%d ", e.Use.Value)
	}
	return strings.TrimSuffix(b.String(), " ")
}

// tuple writes one direction: addresses, then the protocol's ports or
// ICMP type, code and id, then the counters when accounting is on.
func tuple(b *strings.Builder, t *ovsct.Tuple, c *ovsct.Counters) {
	src, dst := Addrs(t)
	fmt.Fprintf(b, "src=%s dst=%s ", src, dst)
	if t != nil && t.Proto != nil {
		p := t.Proto
		switch {
		case p.SrcPort.Present || p.DstPort.Present:
			fmt.Fprintf(b, "sport=%d dport=%d ", p.SrcPort.Value, p.DstPort.Value)
		case p.IcmpType.Present:
			fmt.Fprintf(b, "type=%d code=%d id=%d ", p.IcmpType.Value, p.IcmpCode.Value, p.IcmpId.Value)
		case p.Icmpv6Type.Present:
			fmt.Fprintf(b, "type=%d code=%d id=%d ", p.Icmpv6Type.Value, p.Icmpv6Code.Value, p.Icmpv6Id.Value)
		}
	}
	if c != nil {
		fmt.Fprintf(b, "packets=%d bytes=%d ", c.Packets.Value, c.Bytes.Value)
	}
}
