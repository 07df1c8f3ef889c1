//go:build linux

package genl

import (
	"flag"
	"github.com/nlgen/nlgen/internal/livetest"
	"os"
	"path/filepath"
	"testing"
)

// The RTM_NEWLINK fixtures under testdata/rtnetlink are real messages of
// an RTM_GETLINK dump on Linux 6.18 (iproute2's "ip link" request: no
// IFLA_EXT_MASK), one per link of a namespace holding lo (up), a veth pair
// and a bridge. They are the input of the decode benchmarks here
// (BenchmarkRTNewlinkDecode) and of generated rt-link code's benchmarks,
// which read them from this folder. Each file is one whole message:
// nlmsghdr (sequence number and port id zeroed), struct ifinfomsg, attributes.
//
//	go test ./runtime/genl -run TestCaptureRTNewlink -capture-rtnl
//
// captures them again.
var captureRTNL = flag.Bool("capture-rtnl", false, "capture testdata/rtnetlink/newlink-*.bin from this machine")

// RTNewlinkFixtures are the fixture files, by link.
var rtNewlinkFixtures = []struct{ link, file string }{
	{"lo", "newlink-lo.bin"},
	{"v0", "newlink-veth.bin"},
	{"br0", "newlink-bridge.bin"},
}

func TestCaptureRTNewlink(t *testing.T) {
	if !*captureRTNL {
		t.Skip("run with -capture-rtnl to capture the fixtures again")
	}
	ns, fd := livetest.Netns(t, "nlgen-test")
	livetest.IP(t, ns, "link", "set", "lo", "up")
	livetest.IP(t, ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	livetest.IP(t, ns, "link", "add", "br0", "type", "bridge")
	livetest.IP(t, ns, "link", "set", "v0", "up")
	c := dialRawLive(t, ProtoRoute, &Options{NetNS: fd})
	got := map[string][]byte{}
	for m, err := range c.Dump(liveCtx(t), rtLink, rtmGetlink, 0, ifinfomsg(nil, 0)) {
		if err != nil {
			t.Fatal(err)
		}
		_, name := parseLink(t, m.Data)
		h := m.Header
		h.Seq, h.PortID = 0, 0
		got[name] = append(AppendHeader(nil, h), m.Data...)
	}
	for _, f := range rtNewlinkFixtures {
		b, ok := got[f.link]
		if !ok {
			t.Fatalf("the dump has no %s: %v", f.link, len(got))
		}
		if err := os.WriteFile(filepath.Join("testdata", "rtnetlink", f.file), b, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes", f.file, len(b))
	}
}

// readRTNewlink reads a fixture and checks its framing: one RTM_NEWLINK
// message whose nlmsg_len is the file's size.
func readRTNewlink(tb testing.TB, file string) (Header, []byte) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rtnetlink", file))
	if err != nil {
		tb.Fatal(err)
	}
	rms, err := SplitMessages(b)
	if err != nil || len(rms) != 1 || int(rms[0].Header.Length) != len(b) || rms[0].Header.Type != rtmNewlink {
		tb.Fatalf("%s: not one RTM_NEWLINK message: %+v %v", file, rms, err)
	}
	return rms[0].Header, rms[0].Data
}

func TestRTNewlinkFixtures(t *testing.T) {
	for _, f := range rtNewlinkFixtures {
		_, data := readRTNewlink(t, f.file)
		if _, name := parseLink(t, data); name != f.link {
			t.Errorf("%s holds link %q, want %q", f.file, name, f.link)
		}
	}
}
