//go:build linux

package genl_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nlgen/nlgen/examples/ipaddr/rtlink"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// The generated side of BenchmarkRTNewlinkDecode: the rt-link package
// nlgen generates from the kernel's rt_link.yaml (committed under
// examples/ipaddr) decoding the same captured RTM_NEWLINK messages in
// full: the ifinfomsg, every attribute into its typed field, af-spec's
// nests with their devconf structs, stats and stats64, and linkinfo with
// the kind's sub-message (the bridge's attributes). It lives in the
// external test package because the generated package imports genl; one
// `go test -bench RTNewlinkDecode ./runtime/genl` runs it beside the
// mdlayher and vishvananda baselines.

var rtGenFixtures = []struct{ name, link string }{{"lo", "lo"}, {"veth", "v0"}, {"bridge", "br0"}}

func readNewlink(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rtnetlink", "newlink-"+name+".bin"))
	if err != nil {
		tb.Fatal(err)
	}
	rms, err := genl.SplitMessages(b)
	if err != nil || len(rms) != 1 || rms[0].Header.Type != uint16(rtlink.CmdGetlinkReply) {
		tb.Fatalf("%s: not one RTM_NEWLINK message: %v", name, err)
	}
	return rms[0].Data
}

// TestGeneratedDecodesNewlinkFixtures: the generated decoder reads what
// the kernel sent: the link's name, and for the bridge its kind and the
// bridge format of the linkinfo data sub-message.
func TestGeneratedDecodesNewlinkFixtures(t *testing.T) {
	for _, f := range rtGenFixtures {
		var l rtlink.GetlinkReply
		// Not Strict: the capturing kernel is newer than the 6.12 spec and
		// sends attributes it does not list (IFLA_NETNS_IMMUTABLE, 67),
		// which land in Unknown.
		if err := l.DecodeMessage(readNewlink(t, f.name), nlattr.DecodeOptions{}); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if l.Ifname.Value != f.link || l.Mtu.Value == 0 || l.Header.Index == 0 {
			t.Errorf("%s: %+v", f.name, l)
		}
		if f.name == "bridge" {
			d, ok := l.Linkinfo.Data.(*rtlink.LinkinfoDataMsgBridge)
			if !ok || l.Linkinfo.Kind.Value != "bridge" || !d.Attrs.StpState.Present {
				t.Errorf("bridge linkinfo: %+v", l.Linkinfo)
			}
		}
	}
}

// BenchmarkRTNewlinkDecodeGenerated/{fresh,fresh-strings,reused}/{lo,veth,bridge}:
// fresh decodes into a new value each time, as the baselines do;
// fresh-strings too, with the names from a DecodeOptions.Strings cache (a
// dump's names repeat); reused decodes into one value again
// (WithReusedDumps).
func BenchmarkRTNewlinkDecodeGenerated(b *testing.B) {
	for _, mode := range []string{"fresh", "fresh-strings", "reused"} {
		b.Run(mode, func(b *testing.B) {
			for _, f := range rtGenFixtures {
				data := readNewlink(b, f.name)
				b.Run(f.name, func(b *testing.B) {
					b.SetBytes(int64(len(data)))
					b.ReportAllocs()
					var l rtlink.GetlinkReply
					var o nlattr.DecodeOptions
					if mode == "fresh-strings" {
						o.Strings = nlattr.NewStringCache(64)
					}
					for b.Loop() {
						if mode != "reused" {
							l = rtlink.GetlinkReply{}
						}
						if err := l.DecodeMessage(data, o); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
