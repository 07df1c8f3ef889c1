//go:build linux

package genl_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/nlgen/nlgen/examples/ipaddr/rtlink"
	"github.com/nlgen/nlgen/internal/measure"
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
	b.Run("floor", func(b *testing.B) {
		for _, f := range rtGenFixtures {
			data := readNewlink(b, f.name)
			floor := newlinkFloor(b, data)
			b.Run(f.name, func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					floor(&floorSink)
				}
			})
		}
	})
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

// A fresh decode allocates what the value keeps: the nests (af-spec with
// its inet and inet6 nests, xdp, linkinfo and its data's format), the
// names, the unknown attributes of a kernel newer than the spec. The
// floor (BenchmarkRTNewlinkDecodeGenerated/floor) makes exactly those
// allocations, as TestNewlinkFloorAllocatesWhatDecodeKeeps checks, and
// decodes nothing: what a fresh decode into these types costs before any
// decoding, the part of the fresh figures that no decoder filling them
// could remove.

var floorSink rtlink.GetlinkReply

// newlinkFloor returns the floor of a fresh decode of data into l, a
// value set to zero first as the fresh benchmarks do.
func newlinkFloor(tb testing.TB, data []byte) func(l *rtlink.GetlinkReply) {
	tb.Helper()
	var ref rtlink.GetlinkReply
	if err := ref.DecodeMessage(data, nlattr.DecodeOptions{}); err != nil {
		tb.Fatal(err)
	}
	// The names as bytes: converting them to strings is the allocation a
	// decode makes.
	var names [][]byte
	for _, s := range []nlattr.Optional[string]{ref.Ifname, ref.Qdisc, ref.Cost, ref.Priority, ref.Wireless,
		ref.Protinfo, ref.Ifalias, ref.PhysPortName, ref.ProtoDownReason, ref.ParentDevName, ref.ParentDevBusName} {
		if s.Present {
			names = append(names, []byte(s.Value))
		}
	}
	var kind []byte
	if ref.Linkinfo != nil {
		if ref.Linkinfo.SlaveKind.Present || ref.Linkinfo.SlaveData != nil || ref.Linkinfo.Unknown != nil {
			tb.Fatal("the floor does not model linkinfo slave data")
		}
		kind = []byte(ref.Linkinfo.Kind.Value)
	}
	bridge := false
	if ref.Linkinfo != nil && ref.Linkinfo.Data != nil {
		if _, bridge = ref.Linkinfo.Data.(*rtlink.LinkinfoDataMsgBridge); !bridge {
			tb.Fatalf("the floor does not model linkinfo data %T", ref.Linkinfo.Data)
		}
	}
	if ref.VfPorts != nil || ref.PortSelf != nil || ref.PropList != nil || ref.VfinfoList != nil ||
		(ref.AfSpec != nil && (ref.AfSpec.Mctp != nil || ref.AfSpec.Unknown != nil)) {
		tb.Fatal("the floor does not model this message's nests")
	}
	return func(l *rtlink.GetlinkReply) {
		*l = rtlink.GetlinkReply{}
		for _, n := range names {
			l.Ifname = nlattr.Some(string(n))
		}
		if ref.AfSpec != nil {
			l.AfSpec = new(rtlink.AfSpecAttrs)
			if ref.AfSpec.Inet != nil {
				l.AfSpec.Inet = new(rtlink.IflaAttrs)
			}
			if ref.AfSpec.Inet6 != nil {
				l.AfSpec.Inet6 = new(rtlink.Ifla6Attrs)
			}
		}
		if ref.Xdp != nil {
			l.Xdp = new(rtlink.XdpAttrs)
		}
		if ref.Linkinfo != nil {
			l.Linkinfo = new(rtlink.LinkinfoAttrs)
			l.Linkinfo.Kind = nlattr.Some(string(kind))
			if bridge {
				l.Linkinfo.Data = new(rtlink.LinkinfoDataMsgBridge)
			}
		}
		if ref.Unknown != nil {
			l.Unknown = nlattr.KeepUnknown(nil, nlattr.Unknown{})
		}
	}
}

// TestNewlinkFloorAllocatesWhatDecodeKeeps keeps the floor honest: as
// many allocations, of the same total size, as a fresh decode into a new
// value.
func TestNewlinkFloorAllocatesWhatDecodeKeeps(t *testing.T) {
	for _, f := range rtGenFixtures {
		data := readNewlink(t, f.name)
		floor := newlinkFloor(t, data)
		dn, db := measure.Allocs(func() {
			floorSink = rtlink.GetlinkReply{}
			if err := floorSink.DecodeMessage(data, nlattr.DecodeOptions{}); err != nil {
				t.Fatal(err)
			}
		})
		fn, fb := measure.Allocs(func() { floor(&floorSink) })
		if dn != fn || db != fb {
			t.Errorf("%s: decode makes %v allocations of %v bytes, its floor %v of %v", f.name, dn, db, fn, fb)
		}
	}
}

// BenchmarkRTNewlinkRatio/{lo,veth,bridge} gives the figure, the
// generated decoder against both baselines on the same message in the
// same run: each side is timed in alternating rounds, so load from other
// processes on a shared machine hits every side alike, and the medians
// are printed and reported as metrics (x-mdlayher-reused ...). "reused"
// is a dump's decode (WithReusedDumps: one value, its nests and
// sub-message recycled); "fresh" a new value per message, whose floor
// (the allocations the value keeps) bounds what any decoder filling
// these types could show.
func BenchmarkRTNewlinkRatio(b *testing.B) {
	for _, f := range rtGenFixtures {
		b.Run(f.name, func(b *testing.B) {
			data := readNewlink(b, f.name)
			mdlayher, vishvananda := genl.RTNewlinkBaselines(b, f.name)
			var fresh, reused rtlink.GetlinkReply
			floor := newlinkFloor(b, data)
			sides := []func() error{
				func() error { fresh = rtlink.GetlinkReply{}; return fresh.DecodeMessage(data, nlattr.DecodeOptions{}) },
				func() error { return reused.DecodeMessage(data, nlattr.DecodeOptions{}) },
				func() error { floor(&floorSink); return nil },
				mdlayher,
				vishvananda,
			}
			for _, side := range sides {
				if err := side(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = sides[1]()
			}
			ns := medianNs(sides)
			ratio := func(base, ours int) float64 { return ns[base] / ns[ours] }
			b.ReportMetric(ratio(3, 1), "x-mdlayher-reused")
			b.ReportMetric(ratio(4, 1), "x-vishvananda-reused")
			b.ReportMetric(ratio(3, 0), "x-mdlayher-fresh")
			b.ReportMetric(ratio(4, 0), "x-vishvananda-fresh")
			fmt.Printf("%s: medians of %d alternating rounds: mdlayher %.0f ns, vishvananda %.0f ns; "+
				"generated reused %.0f ns (%.1fx / %.1fx), fresh %.0f ns (%.1fx / %.1fx); "+
				"the fresh value's allocations alone take %.0f ns, so no fresh decode into these types could be more than %.1fx / %.1fx faster\n",
				b.Name(), ratioRounds, ns[3], ns[4], ns[1], ratio(3, 1), ratio(4, 1), ns[0], ratio(3, 0), ratio(4, 0),
				ns[2], ratio(3, 2), ratio(4, 2))
		})
	}
}

const ratioRounds = 5

// medianNs is each side's median time per call over ratioRounds rounds,
// every round timing every side once for at least 50ms.
func medianNs(sides []func() error) []float64 {
	times := make([][]float64, len(sides))
	for range ratioRounds {
		for i, side := range sides {
			times[i] = append(times[i], measure.NsPerCall(side, 50*time.Millisecond))
		}
	}
	out := make([]float64, len(sides))
	for i, ts := range times {
		out[i] = measure.Median(ts)
	}
	return out
}
