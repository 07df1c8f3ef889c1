package golang

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestStructAddressHelpers reads OVS keys laid out as the kernel's uapi
// (include/uapi/linux/openvswitch.h) declares them: struct ovs_key_ipv4
// starts with __be32 ipv4_src and ipv4_dst, so 10.0.0.1 is the bytes
// 0a 00 00 01; ovs_key_ethernet is two __u8[ETH_ALEN]; ovs_key_ipv6 holds
// __be32[4] addresses, i.e. the 16 address bytes in network order.
func TestStructAddressHelpers(t *testing.T) {
	wire := []byte{0x0a, 0, 0, 1, 192, 168, 1, 2, 6, 0, 64, 0} // src, dst, proto TCP, tos, ttl 64, frag
	var k ovsflow.OvsKeyIpv4
	if err := k.UnmarshalBinary(wire); err != nil {
		t.Fatal(err)
	}
	if k.Src != 0x0a000001 || k.SrcAddr() != netip.MustParseAddr("10.0.0.1") || k.DstAddr() != netip.MustParseAddr("192.168.1.2") {
		t.Fatalf("decoded %#x %v %v", k.Src, k.SrcAddr(), k.DstAddr())
	}
	if err := k.SetSrcAddr(netip.MustParseAddr("172.16.0.9")); err != nil {
		t.Fatal(err)
	}
	if err := k.SetDstAddr(netip.MustParseAddr("::ffff:192.0.2.7")); err != nil { // IPv4-mapped is IPv4
		t.Fatal(err)
	}
	b, _ := k.AppendBinary(nil)
	if want := []byte{172, 16, 0, 9, 192, 0, 2, 7, 6, 0, 64, 0}; !bytes.Equal(b, want) {
		t.Fatalf("encoded % x, want % x", b, want)
	}
	if err := k.SetSrcAddr(netip.MustParseAddr("2001:db8::1")); !errors.Is(err, nlattr.ErrRange) || k.Src != 0xac100009 {
		t.Fatalf("an IPv6 address in an IPv4 field: %v, field %#x", err, k.Src)
	}

	var e ovsflow.OvsKeyEthernet
	if err := e.UnmarshalBinary([]byte{0, 0x11, 0x22, 0x33, 0x44, 0x55, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}); err != nil {
		t.Fatal(err)
	}
	if e.SrcMAC().String() != "00:11:22:33:44:55" || e.DstMAC().String() != "ff:ff:ff:ff:ff:ff" {
		t.Fatalf("MACs %v %v", e.SrcMAC(), e.DstMAC())
	}
	e.SrcMAC()[0] = 9 // a copy: the key is unchanged
	mac, _ := net.ParseMAC("02:00:00:00:00:01")
	if err := e.SetDstMAC(mac); err != nil || e.Dst != [6]byte{2, 0, 0, 0, 0, 1} || e.Src[0] != 0 {
		t.Fatalf("set MAC: %v %x %x", err, e.Dst, e.Src)
	}
	if err := e.SetDstMAC(net.HardwareAddr{1, 2, 3}); !errors.Is(err, nlattr.ErrRange) {
		t.Fatalf("a 3-byte MAC: %v", err)
	}

	var v6 ovsflow.OvsKeyIpv6
	src := netip.MustParseAddr("2001:db8::1")
	if err := v6.SetSrcAddr(src); err != nil {
		t.Fatal(err)
	}
	b, _ = v6.AppendBinary(nil)
	if !bytes.Equal(b[:16], src.AsSlice()) || v6.SrcAddr() != src {
		t.Fatalf("ipv6 src encodes as % x", b[:16])
	}
	if err := v6.SetDstAddr(netip.MustParseAddr("10.0.0.1")); !errors.Is(err, nlattr.ErrRange) {
		t.Fatalf("an IPv4 address in an IPv6 field: %v", err)
	}
}

// TestAttrAddressHelpers: OVS_TUNNEL_KEY_ATTR_IPV4_SRC is a __be32
// (1 in enum ovs_tunnel_key_attr), IPV6_SRC 16 bytes; an absent
// attribute is the zero Addr and the zero Addr removes it.
func TestAttrAddressHelpers(t *testing.T) {
	var tk ovsflow.TunnelKeyAttrs
	if tk.Ipv4SrcAddr().IsValid() || tk.Ipv6SrcAddr().IsValid() {
		t.Fatal("absent attributes read as addresses")
	}
	if err := tk.SetIpv4SrcAddr(netip.MustParseAddr("192.0.2.1")); err != nil {
		t.Fatal(err)
	}
	b, _ := tk.AppendBinary(nil)
	// nla_len 8, nla_type 1, then the address in network order.
	if want := []byte{8, 0, 1, 0, 192, 0, 2, 1}; !bytes.Equal(b, want) {
		t.Fatalf("encoded % x, want % x", b, want)
	}
	var back ovsflow.TunnelKeyAttrs
	if err := back.Decode(b, nlattr.DecodeOptions{}); err != nil || back.Ipv4SrcAddr() != netip.MustParseAddr("192.0.2.1") {
		t.Fatalf("decoded %v (%v)", back.Ipv4SrcAddr(), err)
	}
	if err := tk.SetIpv4SrcAddr(netip.Addr{}); err != nil || tk.Ipv4Src.Present {
		t.Fatalf("zero Addr left the attribute: %v %+v", err, tk.Ipv4Src)
	}
	if err := tk.SetIpv4SrcAddr(netip.MustParseAddr("2001:db8::1")); !errors.Is(err, nlattr.ErrRange) {
		t.Fatalf("IPv6 in a u32: %v", err)
	}
	if err := tk.SetIpv6DstAddr(netip.MustParseAddr("2001:db8::2")); err != nil || len(tk.Ipv6Dst) != 16 {
		t.Fatalf("ipv6 dst: %v % x", err, tk.Ipv6Dst)
	}
}
