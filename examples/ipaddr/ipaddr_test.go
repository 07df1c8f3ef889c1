package main

import (
	"encoding/json"
	"github.com/nlgen/nlgen/internal/livetest"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const spec = "../../../shared/specs/linux-6.12/rt_link.yaml"

// TestGeneratedIsCurrent: the committed rtlink, rtaddr and rtroute
// packages are what nlgen generates from the upstream specs today.
func TestGeneratedIsCurrent(t *testing.T) {
	if _, err := os.Stat(spec); err != nil {
		t.Skipf("upstream rt_link spec not found at %s (the shared specs folder is not next to the repository)", spec)
	}
	out, err := exec.Command("go", "run", "github.com/nlgen/nlgen/cmd/nlgen", "diff", "-f", "nlgen.yaml").CombinedOutput()
	if err != nil {
		t.Fatalf("examples/ipaddr's generated packages are stale; run go generate ./examples/ipaddr: %v\n%s", err, out)
	}
}

// example runs the example as a user would, with -json.
func example(t *testing.T) (links []Link, addrs []Addr) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the example against the kernel; skipped with -short")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("iproute2's ip is not installed")
	}
	out, err := exec.Command("go", "run", ".", "-json").Output()
	if err != nil {
		if strings.Contains(string(out)+err.Error(), "not available") {
			t.Skipf("no rtnetlink here: %v", err)
		}
		t.Fatalf("go run ./examples/ipaddr -json: %v\n%s", err, out)
	}
	var got struct {
		Links []Link
		Addrs []Addr
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("example output %q: %v", out, err)
	}
	return got.Links, got.Addrs
}

// TestAddressesMatchIP: the generated rt-addr client's dump lists what
// `ip -j addr` lists: every address with its prefix length, scope, label
// and interface index.
func TestAddressesMatchIP(t *testing.T) {
	_, got := example(t)
	var ip []struct {
		Ifindex  uint32 `json:"ifindex"`
		AddrInfo []struct {
			Family    string `json:"family"`
			Local     string `json:"local"`
			Prefixlen uint8  `json:"prefixlen"`
			Scope     string `json:"scope"`
			Label     string `json:"label"`
		} `json:"addr_info"`
	}
	livetest.IPJSON(t, "", &ip, "addr")
	var want []Addr
	for _, l := range ip {
		for _, a := range l.AddrInfo {
			fam := uint8(2)
			if a.Family == "inet6" {
				fam = 10
			}
			want = append(want, Addr{Index: l.Ifindex, Family: fam, Local: a.Local, Prefixlen: a.Prefixlen, Scope: a.Scope, Label: a.Label})
		}
	}
	key := func(a Addr) string { return a.Local + "/" + string(rune(a.Index)) }
	sortAddrs := func(s []Addr) { slices.SortFunc(s, func(x, y Addr) int { return strings.Compare(key(x), key(y)) }) }
	sortAddrs(got)
	sortAddrs(want)
	if len(want) == 0 {
		t.Fatal("ip -j addr lists no address: no proof")
	}
	if !slices.Equal(got, want) {
		t.Errorf("generated rt-addr dump:\n%+v\nip -j addr:\n%+v", got, want)
	}
}

// flagBits are the IFF_* bits (include/uapi/linux/if.h) under the names
// ip prints them; ip leaves RUNNING out and prints NO-CARRIER for it, so
// only these are compared.
var flagBits = map[string]uint32{
	"UP": 0x1, "BROADCAST": 0x2, "LOOPBACK": 0x8, "POINTOPOINT": 0x10, "NOARP": 0x80,
	"PROMISC": 0x100, "MULTICAST": 0x1000, "LOWER_UP": 0x10000,
}

// TestLinksMatchIP: the generated rt-link client's dump lists what
// `ip -j -d link` lists: names, indexes, MTU, flags, operstate and the
// link kind from the linkinfo nest.
func TestLinksMatchIP(t *testing.T) {
	got, _ := example(t)
	var ip []struct {
		Ifindex   int32    `json:"ifindex"`
		Ifname    string   `json:"ifname"`
		MTU       uint32   `json:"mtu"`
		Flags     []string `json:"flags"`
		Operstate string   `json:"operstate"`
		LinkInfo  *struct {
			InfoKind string `json:"info_kind"`
		} `json:"linkinfo"`
	}
	livetest.IPJSON(t, "", &ip, "-d", "link")
	var want []Link
	for _, l := range ip {
		w := Link{Index: l.Ifindex, Name: l.Ifname, MTU: l.MTU, Operstate: l.Operstate}
		for _, f := range l.Flags {
			w.Flags |= flagBits[f]
		}
		if l.LinkInfo != nil {
			w.Kind = l.LinkInfo.InfoKind
		}
		want = append(want, w)
	}
	var mask uint32
	for _, b := range flagBits {
		mask |= b
	}
	for i := range got {
		got[i].Flags &= mask
	}
	byIndex := func(x, y Link) int { return int(x.Index - y.Index) }
	slices.SortFunc(got, byIndex)
	slices.SortFunc(want, byIndex)
	if !slices.Equal(got, want) {
		t.Errorf("generated rt-link dump:\n%+v\nip -j -d link:\n%+v", got, want)
	}
}
