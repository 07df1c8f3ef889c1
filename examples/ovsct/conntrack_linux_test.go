//go:build linux

package main

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nlgen/nlgen/internal/livetest"
	"github.com/nlgen/nlgen/out/go/ovsct"
	"github.com/nlgen/nlgen/runtime/genl"
)

// markedPort is the UDP port whose flow the namespace's ruleset puts in
// zone 7 with mark 42, so those attributes are compared with non-default
// values (the namespace is the test's own, so a fixed port is free).
const markedPort = 5301

// rulesets the test loads in its namespace, the first the kernel takes.
// Something must use conntrack there before the kernel tracks the
// namespace's connections (nf_ct_netns_get); zones need
// CONFIG_NF_CONNTRACK_ZONES and marks CONFIG_NF_CONNTRACK_MARK, so the
// plain rule is the fallback. Zones are set before conntrack looks the
// packet up (priority raw), in both directions, or the reply would start
// a second connection in zone 0.
var rulesets = []string{`table inet nlgen {
	chain out {
		type filter hook output priority raw;
		udp dport 5301 ct zone set 7
		udp sport 5301 ct zone set 7
	}
	chain pre {
		type filter hook prerouting priority raw;
		udp dport 5301 ct zone set 7
		udp sport 5301 ct zone set 7
	}
	chain in {
		type filter hook input priority 0;
		udp dport 5301 ct mark set 42
		ct state new,established accept
	}
}
`, `table inet nlgen {
	chain in {
		type filter hook input priority 0;
		ct state new,established accept
	}
}
`}

// ownFlow is a connection the test made: protocol and original tuple.
type ownFlow struct {
	proto    string
	src, dst netip.AddrPort
}

// TestDumpMatchesConntrack: in a namespace of its own, with flows it
// makes over loopback (TCP and UDP over 127.0.0.1, UDP over ::1), the
// generated ovs_ct client's IPCTNL_MSG_CT_GET dump lists exactly the
// connections `conntrack -L` lists, with equal family, protocol, original
// and reply tuples, TCP state, status (assured, unreplied), timeout, mark,
// zone, use, id and per-direction counters; and the example's lines are
// conntrack -L's.
func TestDumpMatchesConntrack(t *testing.T) {
	for _, tool := range []string{"ip", "nft", "conntrack"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian packages iproute2, nftables, conntrack)", tool)
		}
	}
	ns, fd := livetest.Netns(t, "nlgen-ovsct")
	livetest.IP(t, ns, "link", "set", "lo", "up")
	marked := loadRuleset(t, ns)
	// Per-direction packet and byte counters (CTA_COUNTERS_*) exist only
	// for connections made while accounting is on.
	accounting := true
	if out, err := exec.Command("ip", "netns", "exec", ns, "sysctl", "-qw", "net.netfilter.nf_conntrack_acct=1").CombinedOutput(); err != nil {
		accounting = false
		t.Logf("no conntrack accounting in the namespace, counters not compared: %v: %s", err, out)
	}

	own := makeFlows(t, fd)
	conn, err := genl.DialRaw(ovsct.Protocol, &genl.Options{NetNS: fd})
	if err != nil {
		if errors.Is(err, syscall.EPROTONOSUPPORT) || errors.Is(err, syscall.EPERM) {
			t.Skipf("no NETLINK_NETFILTER socket here: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })

	// Timeouts count down and a late ACK moves the counters: the
	// comparison uses a conntrack -L run between two dumps that agree on
	// everything but the timeouts, which must lie between theirs.
	var before, after map[string]fields
	var tool []fields
	var replies []*ovsct.GetReply
	for try := 0; ; try++ {
		before = byKey(t, clientDump(t, conn, nil))
		tool = conntrackXML(t, ns)
		replies = nil
		after = byKey(t, clientDump(t, conn, &replies))
		if stable(before, after) {
			break
		}
		if try == 10 {
			t.Fatalf("the table keeps changing between dumps:\n%v\n%v", before, after)
		}
		time.Sleep(100 * time.Millisecond)
	}

	toolByKey := byKey(t, tool)
	if len(toolByKey) != len(after) {
		t.Errorf("generated client dumps %d connections, conntrack -L lists %d:\n%v\n%v", len(after), len(toolByKey), keys(after), keys(toolByKey))
	}
	compared := map[string]bool{}
	for k, want := range toolByKey {
		got, ok := after[k]
		if !ok {
			t.Errorf("conntrack -L lists %s; the generated client's dump does not", k)
			continue
		}
		for name := range maps.Keys(want) {
			compared[name] = true
		}
		for name := range maps.Keys(got) {
			compared[name] = true
		}
		for _, name := range slices.Sorted(maps.Keys(union(want, got))) {
			w, g := want[name], got[name]
			if name == "timeout" {
				lo, _ := strconv.Atoi(after[k][name])
				hi, _ := strconv.Atoi(before[k][name])
				if n, err := strconv.Atoi(w); err != nil || n < lo || n > hi {
					t.Errorf("%s: conntrack -L timeout %s, generated client %d then %d", k, w, hi, lo)
				}
				continue
			}
			if w != g {
				t.Errorf("%s: %s: conntrack -L %q, generated client %q", k, name, w, g)
			}
		}
	}
	for k := range after {
		if _, ok := toolByKey[k]; !ok {
			t.Errorf("the generated client dumps %s; conntrack -L does not list it", k)
		}
	}

	// Empty tables prove nothing: the test's own flows must be there, and
	// their attributes are the ones the test set up.
	for _, f := range own {
		k := fmt.Sprintf("%s %s->%s", f.proto, f.src, f.dst)
		if f.dst.Port() == markedPort && marked {
			k += " zone 7"
		}
		e, ok := after[k]
		if !ok {
			t.Errorf("the test's flow %s is not in the dump %v", k, keys(after))
			continue
		}
		if f.proto == "tcp" && (e["state"] != "ESTABLISHED" || e["assured"] != "1") {
			t.Errorf("%s: state %q assured %q, want an assured ESTABLISHED connection", k, e["state"], e["assured"])
		}
		if f.dst.Port() == markedPort && marked && (e["mark"] != "42" || e["unreplied"] != "") {
			t.Errorf("%s: mark %q unreplied %q, want mark 42 and a reply seen", k, e["mark"], e["unreplied"])
		}
		if accounting && e["original.packets"] == "" {
			t.Errorf("%s: no counters with accounting on", k)
		}
	}

	// nfgenmsg's family filters the dump (ctnetlink_filter_match), as
	// conntrack -f does.
	for _, fam := range []uint8{2, 10} {
		rs, err := dump(context.Background(), conn, fam)
		if err != nil {
			t.Fatalf("dump of family %d: %v", fam, err)
		}
		var got, want []string
		for _, r := range rs {
			if r.Header.Family != fam {
				t.Errorf("dump of family %d answers family %d", fam, r.Header.Family)
			}
			src, dst := Addrs(r.TupleOrig)
			got = append(got, fmt.Sprintf("%s %s->%s", protoNames[r.TupleOrig.Proto.Num.Value],
				netip.AddrPortFrom(src, r.TupleOrig.Proto.SrcPort.Value), netip.AddrPortFrom(dst, r.TupleOrig.Proto.DstPort.Value)))
		}
		for k, f := range after {
			if f["family"] == strconv.Itoa(int(fam)) {
				k, _, _ = strings.Cut(k, " zone ")
				want = append(want, k)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("dump of family %d: %v, want %v", fam, got, want)
		}
	}

	// The example prints what conntrack -L prints, timeouts aside.
	text, err := exec.Command("ip", "netns", "exec", ns, "conntrack", "-L").Output()
	if err != nil {
		t.Fatalf("conntrack -L: %v", err)
	}
	var lines []string
	for _, r := range replies {
		lines = append(lines, format(r))
	}
	if g, w := maskTimeouts(lines), maskTimeouts(strings.Split(strings.TrimSpace(string(text)), "\n")); !slices.Equal(g, w) {
		t.Errorf("example's lines:\n%s\nconntrack -L:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}

	t.Logf("%d connections compared (%d of the test's own), fields %v", len(after), len(own), slices.Sorted(maps.Keys(compared)))
	for _, l := range lines {
		t.Logf("  %s", l)
	}
}

// loadRuleset loads the first ruleset the kernel takes and reports
// whether it is the one that sets a zone and a mark.
func loadRuleset(t *testing.T, ns string) bool {
	t.Helper()
	var errs []string
	for i, rs := range rulesets {
		nft := exec.Command("ip", "netns", "exec", ns, "nft", "-f", "-")
		nft.Stdin = strings.NewReader(rs)
		out, err := nft.CombinedOutput()
		if err == nil {
			if i > 0 {
				t.Logf("zone and mark rules refused, those attributes stay at their defaults: %s", strings.Join(errs, "; "))
			}
			return i == 0
		}
		errs = append(errs, fmt.Sprintf("%v: %s", err, strings.TrimSpace(string(out))))
	}
	t.Skipf("cannot load an nftables conntrack rule in the namespace: %s", strings.Join(errs, "; "))
	return false
}

// makeFlows opens, inside the namespace, an established TCP connection
// over 127.0.0.1, a UDP exchange to markedPort that sees a reply, and,
// where ::1 is up, a UDP datagram over IPv6 that gets none.
func makeFlows(t *testing.T, fd int) []ownFlow {
	t.Helper()
	var own []ownFlow
	var closers []func() error
	t.Cleanup(func() {
		for _, c := range closers {
			c()
		}
	})
	keep := func(c interface{ Close() error }) { closers = append(closers, c.Close) }
	addr := func(a net.Addr) netip.AddrPort { return netip.MustParseAddrPort(a.String()) }
	err := livetest.InNetns(fd, func() error {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		keep(ln)
		cl, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			return err
		}
		keep(cl)
		srv, err := ln.Accept()
		if err != nil {
			return err
		}
		keep(srv)
		if err := exchange(cl, srv); err != nil {
			return err
		}
		own = append(own, ownFlow{"tcp", addr(cl.LocalAddr()), addr(ln.Addr())})

		us, err := net.ListenPacket("udp4", fmt.Sprintf("127.0.0.1:%d", markedPort))
		if err != nil {
			return err
		}
		keep(us)
		uc, err := net.Dial("udp4", us.LocalAddr().String())
		if err != nil {
			return err
		}
		keep(uc)
		if _, err := uc.Write([]byte("ping")); err != nil {
			return err
		}
		buf := make([]byte, 16)
		us.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, from, err := us.ReadFrom(buf)
		if err != nil {
			return err
		}
		if _, err := us.WriteTo([]byte("pong"), from); err != nil {
			return err
		}
		uc.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := uc.Read(buf); err != nil {
			return err
		}
		own = append(own, ownFlow{"udp", addr(uc.LocalAddr()), addr(us.LocalAddr())})

		u6, err := net.ListenPacket("udp6", "[::1]:0")
		if err != nil {
			t.Logf("no ::1 in the namespace, no IPv6 flow: %v", err)
			return nil
		}
		keep(u6)
		c6, err := net.Dial("udp6", u6.LocalAddr().String())
		if err != nil {
			return err
		}
		keep(c6)
		if _, err := c6.Write([]byte("x")); err != nil {
			return err
		}
		own = append(own, ownFlow{"udp", addr(c6.LocalAddr()), addr(u6.LocalAddr())})
		return nil
	})
	if err != nil {
		t.Fatalf("making flows in the namespace: %v", err)
	}
	return own
}

// exchange sends a byte each way so the connection is established and
// assured.
func exchange(a, b net.Conn) error {
	buf := make([]byte, 1)
	for _, p := range [][2]net.Conn{{a, b}, {b, a}} {
		if _, err := p[0].Write([]byte("x")); err != nil {
			return err
		}
		p[1].SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := p[1].Read(buf); err != nil {
			return err
		}
	}
	return nil
}

// fields are a connection's attributes by name, as decimal or address
// text; an attribute one side lacks is absent from its map.
type fields map[string]string

// key names a connection by protocol, original tuple and zone.
func (f fields) key() string {
	k := fmt.Sprintf("%s %s->%s", f["proto"], netip.AddrPortFrom(netip.MustParseAddr(f["original.src"]), port(f["original.sport"])),
		netip.AddrPortFrom(netip.MustParseAddr(f["original.dst"]), port(f["original.dport"])))
	if z := f["zone"]; z != "" && z != "0" {
		k += " zone " + z
	}
	return k
}

func port(s string) uint16 {
	n, _ := strconv.Atoi(s)
	return uint16(n)
}

func byKey(t *testing.T, all []fields) map[string]fields {
	t.Helper()
	m := map[string]fields{}
	for _, f := range all {
		k := f.key()
		if _, dup := m[k]; dup {
			t.Fatalf("two connections %s", k)
		}
		m[k] = f
	}
	return m
}

func keys(m map[string]fields) []string { return slices.Sorted(maps.Keys(m)) }

func union(a, b fields) fields {
	u := maps.Clone(a)
	maps.Copy(u, b)
	return u
}

// stable reports whether two dumps hold the same connections with equal
// attributes, timeouts aside.
func stable(a, b map[string]fields) bool {
	return maps.EqualFunc(a, b, func(x, y fields) bool {
		x, y = maps.Clone(x), maps.Clone(y)
		delete(x, "timeout")
		delete(y, "timeout")
		return maps.Equal(x, y)
	})
}

// clientDump dumps every family with the generated client and spells each
// reply's attributes as conntrack's XML does; replies, when not nil,
// receives the decoded replies.
func clientDump(t *testing.T, conn genl.RawConn, replies *[]*ovsct.GetReply) []fields {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rs, err := dump(ctx, conn, 0)
	if err != nil {
		t.Fatalf("generated client's dump: %v", err)
	}
	if replies != nil {
		*replies = rs
	}
	var out []fields
	for _, r := range rs {
		if len(r.Unknown) > 0 {
			var types []uint16
			for _, u := range r.Unknown {
				types = append(types, u.Type)
			}
			t.Logf("attributes outside the reply's list: %v", types)
		}
		f := fields{"family": strconv.Itoa(int(r.Header.Family))}
		if r.TupleOrig == nil || r.TupleReply == nil || r.TupleOrig.Proto == nil {
			t.Fatalf("reply without tuples: %+v", r)
		}
		f["proto"] = protoNames[r.TupleOrig.Proto.Num.Value]
		clientTuple(f, "original", r.TupleOrig, r.CountersOrig)
		clientTuple(f, "reply", r.TupleReply, r.CountersReply)
		if r.Protoinfo != nil && r.Protoinfo.Tcp != nil && r.Protoinfo.Tcp.State.Present {
			f["state"] = TCPState(r.Protoinfo.Tcp.State.Value)
		}
		if !r.Status.Present || r.Status.Value&ovsct.IpConntrackStatusConfirmed == 0 {
			t.Errorf("%s: status %v, want a confirmed connection", f.key(), r.Status)
		}
		if r.Status.Value&ovsct.IpConntrackStatusAssured != 0 {
			f["assured"] = "1"
		}
		if r.Status.Value&ovsct.IpConntrackStatusSeenReply == 0 {
			f["unreplied"] = "1"
		}
		opt(f, "timeout", r.Timeout.Value, r.Timeout.Present)
		opt(f, "mark", r.Mark.Value, r.Mark.Present)
		opt(f, "zone", r.Zone.Value, r.Zone.Present)
		opt(f, "use", r.Use.Value, r.Use.Present)
		opt(f, "id", r.Id.Value, r.Id.Present)
		out = append(out, f)
	}
	return out
}

func opt[T uint16 | uint32](f fields, name string, v T, present bool) {
	if present {
		f[name] = strconv.FormatUint(uint64(v), 10)
	}
}

func clientTuple(f fields, dir string, t *ovsct.Tuple, c *ovsct.Counters) {
	src, dst := Addrs(t)
	f[dir+".src"], f[dir+".dst"] = src.String(), dst.String()
	if t.Ip != nil && (t.Ip.V4Src.Present || t.Ip.V4Dst.Present) {
		f[dir+".l3"] = "2"
	} else {
		f[dir+".l3"] = "10"
	}
	if p := t.Proto; p != nil {
		opt(f, dir+".l4", uint16(p.Num.Value), p.Num.Present)
		opt(f, dir+".sport", p.SrcPort.Value, p.SrcPort.Present)
		opt(f, dir+".dport", p.DstPort.Value, p.DstPort.Present)
	}
	if c != nil {
		f[dir+".packets"] = strconv.FormatUint(c.Packets.Value, 10)
		f[dir+".bytes"] = strconv.FormatUint(c.Bytes.Value, 10)
	}
}

// xmlFlow is one <flow> of conntrack -L -o xml (libnetfilter_conntrack's
// snprintf_xml.c): a <meta> per direction with layer 3 and 4 and the
// counters, and an "independent" one with the rest.
type xmlFlow struct {
	Meta []struct {
		Direction string `xml:"direction,attr"`
		Layer3    struct {
			Protonum string `xml:"protonum,attr"`
			Src      string `xml:"src"`
			Dst      string `xml:"dst"`
		} `xml:"layer3"`
		Layer4 struct {
			Protonum  string  `xml:"protonum,attr"`
			Protoname string  `xml:"protoname,attr"`
			Sport     *string `xml:"sport"`
			Dport     *string `xml:"dport"`
		} `xml:"layer4"`
		Counters *struct {
			Packets string `xml:"packets"`
			Bytes   string `xml:"bytes"`
		} `xml:"counters"`
		State     *string   `xml:"state"`
		Timeout   *string   `xml:"timeout"`
		Mark      *string   `xml:"mark"`
		Zone      *string   `xml:"zone"`
		Use       *string   `xml:"use"`
		ID        *string   `xml:"id"`
		Assured   *struct{} `xml:"assured"`
		Unreplied *struct{} `xml:"unreplied"`
	} `xml:"meta"`
}

// conntrackXML runs conntrack -L -o xml,id in the namespace and spells
// each flow as clientDump does.
func conntrackXML(t *testing.T, ns string) []fields {
	t.Helper()
	out, err := exec.Command("ip", "netns", "exec", ns, "conntrack", "-L", "-o", "xml,id").Output()
	if err != nil {
		t.Fatalf("conntrack -L -o xml,id: %v", err)
	}
	var doc struct {
		Flows []xmlFlow `xml:"flow"`
	}
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("conntrack -L -o xml,id: %v\n%s", err, out)
	}
	var all []fields
	for _, fl := range doc.Flows {
		f := fields{}
		set := func(name string, v *string) {
			if v != nil {
				f[name] = strings.TrimSpace(*v)
			}
		}
		for _, m := range fl.Meta {
			switch m.Direction {
			case "original", "reply":
				d := m.Direction
				if d == "original" {
					f["family"] = m.Layer3.Protonum
					f["proto"] = m.Layer4.Protoname
				}
				f[d+".l3"] = m.Layer3.Protonum
				f[d+".src"] = netip.MustParseAddr(m.Layer3.Src).String()
				f[d+".dst"] = netip.MustParseAddr(m.Layer3.Dst).String()
				f[d+".l4"] = m.Layer4.Protonum
				set(d+".sport", m.Layer4.Sport)
				set(d+".dport", m.Layer4.Dport)
				if m.Counters != nil {
					f[d+".packets"], f[d+".bytes"] = m.Counters.Packets, m.Counters.Bytes
				}
			case "independent":
				set("state", m.State)
				set("timeout", m.Timeout)
				set("mark", m.Mark)
				set("zone", m.Zone)
				set("use", m.Use)
				set("id", m.ID)
				if m.Assured != nil {
					f["assured"] = "1"
				}
				if m.Unreplied != nil {
					f["unreplied"] = "1"
				}
			}
		}
		all = append(all, f)
	}
	return all
}

// maskTimeouts replaces the third column, the seconds left, and sorts.
func maskTimeouts(lines []string) []string {
	var out []string
	for _, l := range lines {
		w := strings.SplitN(l, " ", -1)
		// "tcp      6 431999 ESTABLISHED ...": the name is padded, so the
		// timeout is the third non-empty word.
		n := 0
		for i, s := range w {
			if s == "" {
				continue
			}
			if n++; n == 3 {
				w[i] = "T"
				break
			}
		}
		out = append(out, strings.Join(w, " "))
	}
	slices.Sort(out)
	return out
}
