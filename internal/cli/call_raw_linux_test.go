//go:build linux

package cli

import (
	"encoding/json"
	"fmt"
	"github.com/nlgen/nlgen/internal/livetest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nlgen/nlgen/runtime/genl"
)

// Live tests of `nlgen call` on the upstream netlink-raw specs (Linux
// 6.12's rt_addr, rt_link, rt_route) against this machine's rtnetlink,
// compared with what iproute2 prints for the same objects. The numbers
// ip turns into names are mapped with iproute2's own tables
// (lib/rt_names.c, /etc/iproute2/rt_*) and include/uapi/linux/if.h.

const rawSpecs = "../../../shared/specs/linux-6.12"

// rawSpec returns an upstream netlink-raw spec, skipping when the shared
// folder, NETLINK_ROUTE or iproute2 is absent.
func rawSpec(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(rawSpecs, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("upstream netlink-raw spec %s absent (../shared not checked out): %v", p, err)
	}
	c, err := genl.DialRaw(genl.ProtoRoute, nil)
	if err != nil {
		t.Skipf("no NETLINK_ROUTE socket here: %v", err)
	}
	c.Close()
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("iproute2's ip is not installed; nothing to compare with")
	}
	return p
}

// callDump runs `nlgen call --spec spec --dump op` and returns the list.
func callDump(t *testing.T, spec, op string) []map[string]any {
	t.Helper()
	r := run("call", "--spec", spec, "--dump", op, "--output-json")
	if r.code != ExitOK {
		t.Fatalf("nlgen call --dump %s: exit %d\n%s", op, r.code, r.stderr)
	}
	var out []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("--dump %s output is not a JSON list: %v\n%s", op, err, r.stdout)
	}
	return out
}

// num reads a JSON number of the output (-1 when absent).
func num(v any) int64 {
	f, ok := v.(float64)
	if !ok {
		return -1
	}
	return int64(f)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// ipScope is iproute2's rtnl_rtscope_n2a (lib/rt_names.c).
func ipScope(n int64) string {
	switch n {
	case 0:
		return "global"
	case 200:
		return "site"
	case 253:
		return "link"
	case 254:
		return "host"
	case 255:
		return "nowhere"
	}
	return strconv.FormatInt(n, 10)
}

// sameSets compares two multisets of rows, retrying the whole collection
// a few times: the kernel may add a link-local address or route between
// the two dumps (IPv6 DAD finishing), which is no disagreement.
func sameSets(t *testing.T, what string, collect func() (got, want []string)) {
	t.Helper()
	var got, want []string
	for try := 0; try < 4; try++ {
		got, want = collect()
		slices.Sort(got)
		slices.Sort(want)
		if slices.Equal(got, want) {
			t.Logf("%s: %d rows agree", what, len(got))
			if len(got) == 0 {
				t.Fatalf("%s: nothing to compare", what)
			}
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Fatalf("%s differ\nnlgen call: %s\nip:         %s", what, strings.Join(got, "\n            "), strings.Join(want, "\n            "))
}

func checkAddrs(t *testing.T, ns string) {
	spec := rawSpec(t, "rt_addr.yaml")
	sameSets(t, "addresses", func() (got, want []string) {
		for _, a := range callDump(t, spec, "getaddr") {
			local := str(a["ifa-local"])
			if local == "" {
				local = str(a["ifa-address"])
			}
			got = append(got, fmt.Sprintf("%d %s/%d scope %s label %q", num(a["ifa-index"]), local,
				num(a["ifa-prefixlen"]), ipScope(num(a["ifa-scope"])), str(a["ifa-label"])))
		}
		var links []struct {
			Ifindex  int64 `json:"ifindex"`
			AddrInfo []struct {
				Local     string `json:"local"`
				Prefixlen int64  `json:"prefixlen"`
				Scope     string `json:"scope"`
				Label     string `json:"label"`
			} `json:"addr_info"`
		}
		livetest.IPJSON(t, ns, &links, "addr", "show")
		for _, l := range links {
			for _, a := range l.AddrInfo {
				want = append(want, fmt.Sprintf("%d %s/%d scope %s label %q", l.Ifindex, a.Local, a.Prefixlen, a.Scope, a.Label))
			}
		}
		return got, want
	})
}

// ipOperstate is include/uapi/linux/if.h's IF_OPER_* as ip names them.
var ipOperstate = []string{"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"}

// ipFlag is the IFF_* name iproute2's print_link_flags prints for each
// entry of the spec's ifinfo-flags (its names follow if.h's comments).
var ipFlag = map[string]string{
	"up": "UP", "broadcast": "BROADCAST", "debug": "DEBUG", "loopback": "LOOPBACK",
	"point-to-point": "POINTOPOINT", "no-trailers": "NOTRAILERS", "no-arp": "NOARP",
	"promisc": "PROMISC", "all-multi": "ALLMULTI", "master": "MASTER", "slave": "SLAVE",
	"multicast": "MULTICAST", "portsel": "PORTSEL", "auto-media": "AUTOMEDIA",
	"dynamic": "DYNAMIC", "lower-up": "LOWER_UP", "dormant": "DORMANT", "echo": "ECHO",
}

func checkLinks(t *testing.T, ns string) (kinds []string) {
	spec := rawSpec(t, "rt_link.yaml")
	sameSets(t, "links", func() (got, want []string) {
		kinds = nil
		for _, l := range callDump(t, spec, "getlink") {
			var flags []string
			fl, _ := l["ifi-flags"].([]any)
			up, running := false, false
			for _, f := range fl {
				switch str(f) {
				case "running": // print_link_flags leaves IFF_RUNNING out
					running = true
					continue
				case "up":
					up = true
				}
				flags = append(flags, ipFlag[str(f)])
			}
			if up && !running {
				flags = append(flags, "NO-CARRIER")
			}
			slices.Sort(flags)
			state := strconv.FormatInt(num(l["operstate"]), 10)
			if n := num(l["operstate"]); n >= 0 && n < int64(len(ipOperstate)) {
				state = ipOperstate[n]
			}
			kind := ""
			if li, ok := l["linkinfo"].(map[string]any); ok {
				kind = str(li["kind"])
				kinds = append(kinds, kind)
			}
			got = append(got, fmt.Sprintf("%d %s mtu %d <%s> %s kind %q", num(l["ifi-index"]), str(l["ifname"]),
				num(l["mtu"]), strings.Join(flags, ","), state, kind))
		}
		var links []struct {
			Ifindex   int64    `json:"ifindex"`
			Ifname    string   `json:"ifname"`
			MTU       int64    `json:"mtu"`
			Flags     []string `json:"flags"`
			Operstate string   `json:"operstate"`
			Linkinfo  struct {
				Kind string `json:"info_kind"`
			} `json:"linkinfo"`
		}
		livetest.IPJSON(t, ns, &links, "-d", "link", "show")
		for _, l := range links {
			// M-DOWN is no flag: ip adds it for a link whose lower
			// device is down.
			flags := slices.DeleteFunc(l.Flags, func(f string) bool { return f == "M-DOWN" })
			slices.Sort(flags)
			want = append(want, fmt.Sprintf("%d %s mtu %d <%s> %s kind %q", l.Ifindex, l.Ifname, l.MTU,
				strings.Join(flags, ","), l.Operstate, l.Linkinfo.Kind))
		}
		return got, want
	})
	return kinds
}

// ipProto is iproute2's rtnl_rtprot_n2a for the protocols a kernel or
// iproute2 sets (include/uapi/linux/rtnetlink.h RTPROT_*).
var ipProto = map[string]int64{"redirect": 1, "kernel": 2, "boot": 3, "static": 4, "ra": 9, "dhcp": 16}

// ipTable is rtnl_rttable_n2a for the reserved tables.
var ipTable = map[string]int64{"default": 253, "main": 254, "local": 255}

func checkRoutes(t *testing.T, ns string) {
	spec := rawSpec(t, "rt_route.yaml")
	sameSets(t, "routes", func() (got, want []string) {
		for _, r := range callDump(t, spec, "getroute") {
			dst := str(r["rta-dst"])
			host := int64(32)
			if r["rtm-family"] == float64(10) { // AF_INET6
				host = 128
			}
			switch l := num(r["rtm-dst-len"]); {
			case dst == "":
				dst = "default"
			case l != host:
				dst += "/" + strconv.FormatInt(l, 10)
			}
			table := num(r["rta-table"])
			if table < 0 {
				table = num(r["rtm-table"])
			}
			got = append(got, fmt.Sprintf("%s via %q dev %d table %d proto %d scope %s type %s", dst, str(r["rta-gateway"]),
				num(r["rta-oif"]), table, num(r["rtm-protocol"]), ipScope(num(r["rtm-scope"])), str(r["rtm-type"])))
		}
		var links []struct {
			Ifindex int64  `json:"ifindex"`
			Ifname  string `json:"ifname"`
		}
		livetest.IPJSON(t, ns, &links, "link", "show")
		index := map[string]int64{}
		for _, l := range links {
			index[l.Ifname] = l.Ifindex
		}
		var routes []struct {
			Type     string `json:"type"`
			Dst      string `json:"dst"`
			Gateway  string `json:"gateway"`
			Dev      string `json:"dev"`
			Table    string `json:"table"`
			Protocol string `json:"protocol"`
			Scope    string `json:"scope"`
		}
		livetest.IPJSON(t, ns, &routes, "route", "show", "table", "all")
		for _, r := range routes {
			// print_route leaves out what is the default: table main,
			// protocol boot, scope global, type unicast.
			table, proto, scope, typ := int64(254), int64(3), r.Scope, r.Type
			if r.Table != "" {
				var err error
				if table, err = strconv.ParseInt(r.Table, 10, 64); err != nil {
					table = ipTable[r.Table]
				}
			}
			if r.Protocol != "" {
				p, err := strconv.ParseInt(r.Protocol, 10, 64)
				if err != nil {
					var known bool
					if p, known = ipProto[r.Protocol]; !known {
						t.Fatalf("ip names a route protocol %q this test does not know", r.Protocol)
					}
				}
				proto = p
			}
			if scope == "" {
				scope = "global"
			}
			if typ == "" {
				typ = "unicast"
			}
			dev := int64(-1)
			if r.Dev != "" {
				dev = index[r.Dev]
			}
			want = append(want, fmt.Sprintf("%s via %q dev %d table %d proto %d scope %s type %s", r.Dst, r.Gateway,
				dev, table, proto, scope, typ))
		}
		return got, want
	})
}

// TestCallRawDumpsMatchIP compares call's rt-addr, rt-link and rt-route
// dumps with `ip -j addr`, `ip -j -d link` and `ip -j route show table
// all`: on this machine as it is, and in a namespace the test fills with
// a bridge, a veth pair enslaved to it, IPv4 and IPv6 addresses and routes
// in the main table and table 100, so the link kinds and the bridge's
// sub-messages are there.
func TestCallRawDumpsMatchIP(t *testing.T) {
	rawSpec(t, "rt_link.yaml")
	t.Run("host", func(t *testing.T) {
		checkAddrs(t, "")
		checkLinks(t, "")
		checkRoutes(t, "")
	})
	t.Run("netns", func(t *testing.T) {
		ns := liveNetns(t)
		for _, cmd := range [][]string{
			{"link", "add", "br0", "type", "bridge"},
			{"link", "add", "v0", "type", "veth", "peer", "name", "v1"},
			{"link", "set", "v0", "master", "br0"},
			{"link", "set", "lo", "up"},
			{"link", "set", "br0", "up"},
			{"link", "set", "v0", "up"},
			{"addr", "add", "10.9.0.1/24", "dev", "br0"},
			{"addr", "add", "fd01::1/64", "dev", "br0", "nodad"},
			{"route", "add", "10.10.0.0/16", "via", "10.9.0.2", "table", "100"},
			{"-6", "route", "add", "fd02::/64", "via", "fd01::2"},
		} {
			if out, err := exec.Command("ip", append([]string{"-n", ns}, cmd...)...).CombinedOutput(); err != nil {
				t.Skipf("ip %s in the test's namespace: %v: %s", strings.Join(cmd, " "), err, out)
			}
		}
		checkAddrs(t, ns)
		kinds := checkLinks(t, ns)
		if !slices.Contains(kinds, "bridge") || !slices.Contains(kinds, "veth") {
			t.Errorf("link kinds %v: want the bridge and the veth pair", kinds)
		}
		checkRoutes(t, ns)

		// The bridge's linkinfo data is the spec's linkinfo-bridge-attrs
		// sub-message (selector kind), the enslaved veth's slave-data
		// linkinfo-brport-attrs (selector slave-kind): compare what
		// ip -d prints of both.
		var ipLinks []struct {
			Ifname   string `json:"ifname"`
			Linkinfo struct {
				Data struct {
					MaxAge   int64 `json:"max_age"`
					StpState int64 `json:"stp_state"`
					Priority int64 `json:"priority"`
				} `json:"info_data"`
				SlaveKind string `json:"info_slave_kind"`
				SlaveData struct {
					Cost     int64 `json:"cost"`
					Priority int64 `json:"priority"`
				} `json:"info_slave_data"`
			} `json:"linkinfo"`
		}
		livetest.IPJSON(t, ns, &ipLinks, "-d", "link", "show")
		for _, l := range callDump(t, rawSpec(t, "rt_link.yaml"), "getlink") {
			li, _ := l["linkinfo"].(map[string]any)
			for _, il := range ipLinks {
				if il.Ifname != str(l["ifname"]) {
					continue
				}
				switch il.Ifname {
				case "br0":
					d, _ := li["data"].(map[string]any)
					got := fmt.Sprint(num(d["max-age"]), num(d["stp-state"]), num(d["priority"]))
					want := fmt.Sprint(il.Linkinfo.Data.MaxAge, il.Linkinfo.Data.StpState, il.Linkinfo.Data.Priority)
					if got != want || d == nil {
						t.Errorf("br0 bridge data (max-age stp-state priority): call %s, ip %s (%v)", got, want, li)
					}
				case "v0":
					d, _ := li["slave-data"].(map[string]any)
					got := fmt.Sprint(str(li["slave-kind"]), num(d["cost"]), num(d["priority"]))
					want := fmt.Sprint(il.Linkinfo.SlaveKind, il.Linkinfo.SlaveData.Cost, il.Linkinfo.SlaveData.Priority)
					if got != want || d == nil {
						t.Errorf("v0 bridge port data (slave-kind cost priority): call %s, ip %s (%v)", got, want, li)
					}
				}
			}
		}
	})
}

// TestCallRawNewlinkSubMessage creates a bridge with a newlink do whose
// linkinfo data is a sub-message chosen by its sibling kind, as
// rtnl_newlink reads IFLA_INFO_DATA by IFLA_INFO_KIND, and reads the
// settings back with ip.
func TestCallRawNewlinkSubMessage(t *testing.T) {
	spec := rawSpec(t, "rt_link.yaml")
	ns := liveNetns(t)
	r := run("call", "--spec", spec, "--do", "newlink", "--create", "--excl", "--json",
		`{"ifname": "br9", "linkinfo": {"kind": "bridge", "data": {"stp-state": 1, "max-age": 1500}}}`)
	if r.code != ExitOK || r.stdout != "null\n" {
		t.Fatalf("newlink: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var links []struct {
		Linkinfo struct {
			Kind string `json:"info_kind"`
			Data struct {
				MaxAge   int64 `json:"max_age"`
				StpState int64 `json:"stp_state"`
			} `json:"info_data"`
		} `json:"linkinfo"`
	}
	livetest.IPJSON(t, ns, &links, "-d", "link", "show", "br9")
	if len(links) != 1 || links[0].Linkinfo.Kind != "bridge" || links[0].Linkinfo.Data.MaxAge != 1500 || links[0].Linkinfo.Data.StpState != 1 {
		t.Fatalf("ip -d link show br9: %+v", links)
	}
	// A kind the spec has no format for cannot carry data.
	r = run("call", "--spec", spec, "--do", "newlink", "--create", "--json", `{"ifname": "x9", "linkinfo": {"kind": "nosuch", "data": {"a": 1}}}`)
	if r.code != ExitError || !strings.Contains(r.stderr, `sub-message linkinfo-data-msg has no format for kind "nosuch"; it has: bond, bridge,`) {
		t.Errorf("unknown kind: exit %d: %s", r.code, r.stderr)
	}
	// The do getlink of one index, as a fixed-header member at the top
	// level; then a kernel error named by operation.
	obj := callJSON(t, "--spec", spec, "--do", "getlink", "--json", `{"ifi-index": 1}`)
	if m, _ := obj.(map[string]any); str(m["ifname"]) != "lo" || num(m["ifi-index"]) != 1 {
		t.Errorf("getlink ifi-index 1: %v", obj)
	}
	r = run("call", "--spec", spec, "--do", "getlink", "--json", `{"ifname": "nosuch"}`)
	if r.code != ExitError || strings.TrimSpace(r.stderr) != "nlgen: netlink error: rt-link getlink: ENODEV" {
		t.Errorf("getlink of a missing link: exit %d: %q", r.code, r.stderr)
	}
}

// TestCallRawSubscribeLive watches rtnlgrp-link (RTNLGRP_LINK, the spec's
// value 1) in a namespace of the test's own while it adds and deletes a
// veth pair: rtnetlink multicasts RTM_NEWLINK (the type getlink replies
// with) for each new link and RTM_DELLINK (dellink's request type) for
// each deleted one.
func TestCallRawSubscribeLive(t *testing.T) {
	spec := rawSpec(t, "rt_link.yaml")
	ns := liveNetns(t)
	var stdout, stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- Run([]string{"call", "--spec", spec, "--subscribe", "rtnlgrp-link", "--duration", "3", "--output-json"}, &stdout, &stderr)
	}()
	var exit int
	for i := 0; ; i++ {
		select {
		case exit = <-code:
		case <-time.After(250 * time.Millisecond):
			if !strings.Contains(stdout.String(), `"dellink"`) {
				veth := fmt.Sprintf("nv%d", i)
				if out, err := exec.Command("ip", "-n", ns, "link", "add", veth, "type", "veth", "peer", "name", veth+"p").CombinedOutput(); err != nil {
					t.Skipf("cannot add a veth pair in the test's namespace: %v: %s", err, out)
				}
				if out, err := exec.Command("ip", "-n", ns, "link", "del", veth).CombinedOutput(); err != nil {
					t.Fatalf("ip link del %s: %v: %s", veth, err, out)
				}
			}
			continue
		}
		break
	}
	if exit != ExitOK {
		t.Fatalf("exit %d: %s", exit, stderr.String())
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var n struct {
			Name string         `json:"name"`
			Msg  map[string]any `json:"msg"`
		}
		if err := json.Unmarshal([]byte(line), &n); err != nil {
			t.Fatalf("not one JSON document per line: %q: %v", line, err)
		}
		name := str(n.Msg["ifname"])
		li, _ := n.Msg["linkinfo"].(map[string]any)
		if !strings.HasPrefix(name, "nv") || num(n.Msg["ifi-index"]) <= 0 || str(li["kind"]) != "veth" {
			t.Errorf("%s notification: %v", n.Name, n.Msg)
		}
		seen[n.Name] = true
	}
	if !seen["getlink"] || !seen["dellink"] {
		t.Fatalf("notifications %v, want new links (getlink) and deleted ones (dellink)\n%s", seen, stdout.String())
	}
	if stderr.String() != "" {
		t.Errorf("stderr: %s", stderr.String())
	}
}
