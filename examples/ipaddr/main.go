// Command ipaddr lists this machine's addresses, as `ip addr` does,
// through the rt-link and rt-addr clients nlgen generates from the
// kernel's own netlink-raw specs (rt_link.yaml, rt_addr.yaml):
//
//	go run ./examples/ipaddr          # like ip addr
//	go run ./examples/ipaddr -json    # links and addresses as JSON
//
// The generated packages (rtlink/, rtaddr/, rtroute/) are committed; the
// directive below regenerates them from nlgen.yaml when the upstream specs
// are present, and the example's test fails when the committed code is
// stale.
package main

//go:generate go run github.com/nlgen/nlgen/cmd/nlgen generate -f nlgen.yaml

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"os"

	"github.com/nlgen/nlgen/examples/ipaddr/rtaddr"
	"github.com/nlgen/nlgen/examples/ipaddr/rtlink"
	"github.com/nlgen/nlgen/runtime/genl"
)

// Link is what the example reports of a link.
type Link struct {
	Index     int32  `json:"ifindex"`
	Name      string `json:"ifname"`
	MTU       uint32 `json:"mtu"`
	Flags     uint32 `json:"flags"`
	Operstate string `json:"operstate"`
	Kind      string `json:"kind,omitempty"`
}

// Addr is what the example reports of an address.
type Addr struct {
	Index     uint32 `json:"ifindex"`
	Family    uint8  `json:"family"`
	Local     string `json:"local"`
	Prefixlen uint8  `json:"prefixlen"`
	Scope     string `json:"scope"`
	Label     string `json:"label,omitempty"`
}

// operstates are IF_OPER_* (include/uapi/linux/if.h), as ip names them.
var operstates = []string{"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"}

// scope names as iproute2's rt_scopes has them.
func scopeName(s uint8) string {
	switch s {
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
	return fmt.Sprint(s)
}

func main() {
	asJSON := flag.Bool("json", false, "print links and addresses as JSON")
	flag.Parse()
	if err := run(*asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "ipaddr:", err)
		os.Exit(1)
	}
}

func run(asJSON bool) error {
	conn, err := genl.DialRaw(rtlink.Protocol, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx := context.Background()
	var links []Link
	for l, err := range rtlink.NewClient(conn).DumpGetlink(ctx, nil) {
		if err != nil {
			return err
		}
		link := Link{Index: l.Header.Index, Name: l.Ifname.Value, MTU: l.Mtu.Value, Flags: uint32(l.Header.Flags)}
		if int(l.Operstate.Value) < len(operstates) {
			link.Operstate = operstates[l.Operstate.Value]
		}
		if l.Linkinfo != nil {
			link.Kind = l.Linkinfo.Kind.Value
		}
		links = append(links, link)
	}
	var addrs []Addr
	for a, err := range rtaddr.NewClient(conn).DumpGetaddr(ctx, nil) {
		if err != nil {
			return err
		}
		// ip shows IFA_LOCAL (the interface's own address) when present:
		// on a point-to-point link IFA_ADDRESS is the peer's.
		raw := a.IfaLocal
		if raw == nil {
			raw = a.IfaAddress
		}
		ip, _ := netip.AddrFromSlice(raw)
		addrs = append(addrs, Addr{Index: a.Header.Index, Family: a.Header.Family, Local: ip.String(),
			Prefixlen: a.Header.Prefixlen, Scope: scopeName(a.Header.Scope), Label: a.IfaLabel.Value})
	}
	if asJSON {
		return json.NewEncoder(os.Stdout).Encode(struct {
			Links []Link `json:"links"`
			Addrs []Addr `json:"addrs"`
		}{links, addrs})
	}
	for _, l := range links {
		fmt.Printf("%d: %s: mtu %d state %s", l.Index, l.Name, l.MTU, l.Operstate)
		if l.Kind != "" {
			fmt.Printf(" kind %s", l.Kind)
		}
		fmt.Println()
		for _, a := range addrs {
			if int32(a.Index) != l.Index {
				continue
			}
			inet := "inet"
			if a.Family == 10 {
				inet = "inet6"
			}
			fmt.Printf("    %s %s/%d scope %s", inet, a.Local, a.Prefixlen, a.Scope)
			if a.Label != "" {
				fmt.Printf(" %s", a.Label)
			}
			fmt.Println()
		}
	}
	return nil
}
