//go:build linux

package main

import (
	"context"
	"fmt"
	"github.com/nlgen/nlgen/internal/livetest"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/examples/ipaddr/rtroute"
	"github.com/nlgen/nlgen/runtime/genl"
)

// route is a route in the fields `ip -j route` prints, spelled as it
// spells them (iproute2's ip/iproute.c print_route and lib/rt_names.c):
// type only when not unicast, dst "default" for a zero-length prefix and
// without /len for a host route, table only when not main, protocol only
// when not boot, scope only when not universe.
type route struct {
	Type, Dst, Gateway, Dev, Table, Protocol, Scope string
}

func (r route) String() string {
	return fmt.Sprintf("{%s %s via %s dev %s table %s proto %s scope %s}", r.Type, r.Dst, r.Gateway, r.Dev, r.Table, r.Protocol, r.Scope)
}

// rt_names.c's tables, for the values this test meets.
var (
	rtnTypes  = map[uint8]string{2: "local", 3: "broadcast", 4: "anycast", 5: "multicast", 6: "blackhole", 7: "unreachable", 8: "prohibit", 9: "throw", 10: "nat"}
	rtTables  = map[uint32]string{253: "default", 255: "local"}
	rtProtos  = map[uint8]string{0: "unspec", 1: "redirect", 2: "kernel", 4: "static", 9: "ra", 16: "dhcp"}
	rtScopes  = map[uint8]string{200: "site", 253: "link", 254: "host", 255: "nowhere"}
	hostBits  = map[uint8]uint8{2: 32, 10: 128}
	rtmCloned = uint32(0x200) // RTM_F_CLONED: ip route leaves the cache out
)

func name[K comparable](m map[K]string, k K) string {
	if s, ok := m[k]; ok {
		return s
	}
	return fmt.Sprint(k)
}

// TestRoutesMatchIP: the generated rt-route client's dump of every table
// lists the routes `ip -j route show table all` lists, in the fields ip
// prints: dst/prefix, gateway, device, table, protocol, scope and type.
func TestRoutesMatchIP(t *testing.T) {
	links, _ := example(t) // skips where ip or rtnetlink is missing
	devs := map[uint32]string{}
	for _, l := range links {
		devs[uint32(l.Index)] = l.Name
	}
	conn, err := genl.DialRaw(rtroute.Protocol, nil)
	if err != nil {
		t.Skipf("no rtnetlink: %v", err)
	}
	defer conn.Close()
	var got []route
	for r, err := range rtroute.NewClient(conn).DumpGetroute(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		h := r.Header
		if h.Flags&rtmCloned != 0 {
			continue
		}
		table := uint32(h.Table)
		if r.RtaTable.Present {
			table = r.RtaTable.Value
		}
		g := route{Dev: devs[r.RtaOif.Value]}
		if h.Type != 1 {
			g.Type = rtnTypes[uint8(h.Type)]
		}
		if table != 254 {
			g.Table = name(rtTables, table)
		}
		if h.Protocol != 3 {
			g.Protocol = name(rtProtos, h.Protocol)
		}
		if h.Scope != 0 {
			g.Scope = name(rtScopes, h.Scope)
		}
		if dst, ok := netip.AddrFromSlice(r.RtaDst); ok {
			g.Dst = dst.String()
			if h.DstLen != hostBits[h.Family] {
				g.Dst += fmt.Sprintf("/%d", h.DstLen)
			}
		} else if h.DstLen == 0 {
			g.Dst = "default"
		}
		if gw, ok := netip.AddrFromSlice(r.RtaGateway); ok {
			g.Gateway = gw.String()
		}
		got = append(got, g)
	}
	var ip []struct {
		Type, Dst, Gateway, Dev, Table, Protocol, Scope string
	}
	livetest.IPJSON(t, "", &ip, "route", "show", "table", "all")
	var want []route
	for _, r := range ip {
		want = append(want, route(r))
	}
	sortRoutes := func(s []route) {
		slices.SortFunc(s, func(a, b route) int { return strings.Compare(a.String(), b.String()) })
	}
	sortRoutes(got)
	sortRoutes(want)
	if len(want) == 0 {
		t.Fatal("ip -j route show table all lists no route: no proof")
	}
	if !slices.Equal(got, want) {
		t.Errorf("generated rt-route dump (%d):\n%v\nip -j route show table all (%d):\n%v", len(got), got, len(want), want)
	}
}
