package golang

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/mdlayher/netlink"

	"github.com/nlgen/nlgen/internal/measure"
	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// The baselines encode and decode the same messages with
// github.com/mdlayher/netlink's AttributeEncoder/Decoder, the way a
// hand-written client does. TestBaselinesAgree proves the bytes match.

func mdlKey(ae *netlink.AttributeEncoder, k *ovsflow.KeyAttrs) {
	ae.Uint32(ovsflow.AttrKeyInPort, k.InPort.Value)
	ae.Do(ovsflow.AttrKeyEthernet, func() ([]byte, error) { return k.Ethernet.Value.AppendBinary(nil) })
	ae.Uint16(ovsflow.AttrKeyEthertype, swap16(k.Ethertype.Value))
	ae.Do(ovsflow.AttrKeyIpv4, func() ([]byte, error) { return k.Ipv4.Value.AppendBinary(nil) })
	ae.Do(ovsflow.AttrKeyTcp, func() ([]byte, error) { return k.Tcp.Value.AppendBinary(nil) })
}

func swap16(v uint16) uint16 { return v<<8 | v>>8 }

func mdlFlowPut(f *ovsflow.FlowAttrs) ([]byte, error) {
	ae := netlink.NewAttributeEncoder()
	ae.Nested(ovsflow.AttrFlowKey, func(nae *netlink.AttributeEncoder) error { mdlKey(nae, f.Key); return nil })
	ae.Nested(ovsflow.AttrFlowActions, func(nae *netlink.AttributeEncoder) error {
		for _, a := range f.Actions {
			switch a.Type {
			case ovsflow.AttrActionOutput:
				nae.Uint32(ovsflow.AttrActionOutput, a.Output)
			case ovsflow.AttrActionSet:
				nae.Nested(ovsflow.AttrActionSet, func(sae *netlink.AttributeEncoder) error {
					sae.Nested(ovsflow.AttrKeyTunnel, func(tae *netlink.AttributeEncoder) error {
						t := a.Set.Tunnel
						tae.Uint64(ovsflow.AttrTunnelKeyId, binary.BigEndian.Uint64(binary.NativeEndian.AppendUint64(nil, t.Id.Value)))
						tae.Uint32(ovsflow.AttrTunnelKeyIpv4Dst, binary.BigEndian.Uint32(binary.NativeEndian.AppendUint32(nil, t.Ipv4Dst.Value)))
						tae.Uint8(ovsflow.AttrTunnelKeyTtl, t.Ttl.Value)
						tae.Flag(ovsflow.AttrTunnelKeyCsum, true)
						return nil
					})
					return nil
				})
			}
		}
		return nil
	})
	ae.Nested(ovsflow.AttrFlowMask, func(nae *netlink.AttributeEncoder) error { mdlKey(nae, f.Mask); return nil })
	ae.Bytes(ovsflow.AttrFlowUfid, f.Ufid)
	ae.Uint32(ovsflow.AttrFlowUfidFlags, uint32(f.UfidFlags.Value))
	attrs, err := ae.Encode()
	if err != nil {
		return nil, err
	}
	return append(binary.NativeEndian.AppendUint32(nil, uint32(f.Header.DpIfindex)), attrs...), nil
}

// mdlDatapathDecode decodes a datapath reply into the generated struct.
func mdlDatapathDecode(b []byte, dp *ovsdatapath.Datapath) error {
	dp.Header.DpIfindex = int32(binary.NativeEndian.Uint32(b))
	ad, err := netlink.NewAttributeDecoder(b[4:])
	if err != nil {
		return err
	}
	for ad.Next() {
		switch ad.Type() {
		case ovsdatapath.AttrDatapathName:
			dp.Name = nlattr.Some(ad.String())
		case ovsdatapath.AttrDatapathStats:
			var s ovsdatapath.OvsDpStats
			if err := s.UnmarshalBinary(ad.Bytes()); err != nil {
				return err
			}
			dp.Stats = nlattr.Some(s)
		case ovsdatapath.AttrDatapathMegaflowStats:
			var s ovsdatapath.OvsDpMegaflowStats
			if err := s.UnmarshalBinary(ad.Bytes()); err != nil {
				return err
			}
			dp.MegaflowStats = nlattr.Some(s)
		case ovsdatapath.AttrDatapathUserFeatures:
			dp.UserFeatures = nlattr.Some(ovsdatapath.OvsDpF(ad.Uint32()))
		case ovsdatapath.AttrDatapathMasksCacheSize:
			dp.MasksCacheSize = nlattr.Some(ad.Uint32())
		}
	}
	return ad.Err()
}

// mdlKeyDecode decodes the key attributes the fixtures use.
func mdlKeyDecode(ad *netlink.AttributeDecoder, k *ovsflow.KeyAttrs, spare *ovsflow.TunnelKeyAttrs) error {
	for ad.Next() {
		switch ad.Type() {
		case ovsflow.AttrKeyInPort:
			k.InPort = nlattr.Some(ad.Uint32())
		case ovsflow.AttrKeyEthernet:
			var v ovsflow.OvsKeyEthernet
			ad.Do(func(b []byte) error { return v.UnmarshalBinary(b) })
			k.Ethernet = nlattr.Some(v)
		case ovsflow.AttrKeyEthertype:
			k.Ethertype = nlattr.Some(swap16(ad.Uint16()))
		case ovsflow.AttrKeyIpv4:
			var v ovsflow.OvsKeyIpv4
			ad.Do(func(b []byte) error { return v.UnmarshalBinary(b) })
			k.Ipv4 = nlattr.Some(v)
		case ovsflow.AttrKeyTcp:
			var v ovsflow.OvsKeyTcp
			ad.Do(func(b []byte) error { return v.UnmarshalBinary(b) })
			k.Tcp = nlattr.Some(v)
		case ovsflow.AttrKeyTunnel:
			if k.Tunnel = spare; k.Tunnel == nil {
				k.Tunnel = new(ovsflow.TunnelKeyAttrs)
			}
			*k.Tunnel = ovsflow.TunnelKeyAttrs{}
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				for nad.Next() {
					switch nad.Type() {
					case ovsflow.AttrTunnelKeyId:
						k.Tunnel.Id = nlattr.Some(binary.BigEndian.Uint64(nad.Bytes()))
					case ovsflow.AttrTunnelKeyIpv4Dst:
						k.Tunnel.Ipv4Dst = nlattr.Some(binary.BigEndian.Uint32(nad.Bytes()))
					case ovsflow.AttrTunnelKeyTtl:
						k.Tunnel.Ttl = nlattr.Some(nad.Uint8())
					case ovsflow.AttrTunnelKeyCsum:
						k.Tunnel.Csum = true
					}
				}
				return nil
			})
		}
	}
	return ad.Err()
}

// reuseKey clears and returns k (or a new key when k is nil) and the
// tunnel nest it held: the baseline recycles the nests of a value it
// decodes into again, as the generated decoders do, so that the reused
// benchmarks compare decoding alone.
func reuseKey(k *ovsflow.KeyAttrs) (*ovsflow.KeyAttrs, *ovsflow.TunnelKeyAttrs) {
	if k == nil {
		return new(ovsflow.KeyAttrs), nil
	}
	spare := k.Tunnel
	*k = ovsflow.KeyAttrs{}
	return k, spare
}

// mdlFlowDecode decodes a flow message into the generated struct.
func mdlFlowDecode(b []byte, f *ovsflow.FlowAttrs) error {
	f.Header.DpIfindex = int32(binary.NativeEndian.Uint32(b))
	ad, err := netlink.NewAttributeDecoder(b[4:])
	if err != nil {
		return err
	}
	for ad.Next() {
		switch ad.Type() {
		case ovsflow.AttrFlowKey:
			key, spare := reuseKey(f.Key)
			f.Key = key
			ad.Nested(func(nad *netlink.AttributeDecoder) error { return mdlKeyDecode(nad, key, spare) })
		case ovsflow.AttrFlowMask:
			mask, spare := reuseKey(f.Mask)
			f.Mask = mask
			ad.Nested(func(nad *netlink.AttributeDecoder) error { return mdlKeyDecode(nad, mask, spare) })
		case ovsflow.AttrFlowActions:
			old := f.Actions
			f.Actions = f.Actions[:0]
			if f.Actions == nil {
				f.Actions = ovsflow.ActionAttrs{}
			}
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				for nad.Next() {
					switch nad.Type() {
					case ovsflow.AttrActionOutput:
						f.Actions = append(f.Actions, ovsflow.ActionAttrOutput(nad.Uint32()))
					case ovsflow.AttrActionSet:
						var prev *ovsflow.KeyAttrs
						if i := len(f.Actions); i < len(old) {
							prev = old[i].Set
						}
						set, spare := reuseKey(prev)
						nad.Nested(func(sad *netlink.AttributeDecoder) error { return mdlKeyDecode(sad, set, spare) })
						f.Actions = append(f.Actions, ovsflow.ActionAttrSet(set))
					}
				}
				return nil
			})
		case ovsflow.AttrFlowUfid:
			// Aliasing the input, as the generated decoder does (Bytes copies).
			ad.Do(func(b []byte) error { f.Ufid = b; return nil })
		case ovsflow.AttrFlowUfidFlags:
			f.UfidFlags = nlattr.Some(ovsflow.OvsUfidF(ad.Uint32()))
		}
	}
	return ad.Err()
}

// mdlDatapathEncode encodes a datapath reply.
func mdlDatapathEncode(dp *ovsdatapath.Datapath) ([]byte, error) {
	ae := netlink.NewAttributeEncoder()
	ae.String(ovsdatapath.AttrDatapathName, dp.Name.Value)
	ae.Do(ovsdatapath.AttrDatapathStats, func() ([]byte, error) { return dp.Stats.Value.AppendBinary(nil) })
	ae.Do(ovsdatapath.AttrDatapathMegaflowStats, func() ([]byte, error) { return dp.MegaflowStats.Value.AppendBinary(nil) })
	ae.Uint32(ovsdatapath.AttrDatapathUserFeatures, uint32(dp.UserFeatures.Value))
	ae.Uint32(ovsdatapath.AttrDatapathMasksCacheSize, dp.MasksCacheSize.Value)
	attrs, err := ae.Encode()
	if err != nil {
		return nil, err
	}
	return append(binary.NativeEndian.AppendUint32(nil, uint32(dp.Header.DpIfindex)), attrs...), nil
}

func TestBaselinesAgree(t *testing.T) {
	ours, err := flowPut().AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := mdlFlowPut(flowPut())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ours, theirs) {
		t.Fatalf("flow put differs from mdlayher's encoding:\nours   %x\ntheirs %x", ours, theirs)
	}
	b, _ := datapathGetReply().AppendMessage(nil)
	var dp ovsdatapath.Datapath
	if err := mdlDatapathDecode(b, &dp); err != nil {
		t.Fatal(err)
	}
	var want ovsdatapath.Datapath
	if err := want.DecodeMessage(b, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dp, want) {
		t.Fatalf("baseline decoded %+v, generated %+v", dp, want)
	}
	theirs, err = mdlDatapathEncode(datapathGetReply())
	if err != nil || !bytes.Equal(b, theirs) {
		t.Fatalf("datapath reply differs from mdlayher's encoding (%v):\nours   %x\ntheirs %x", err, b, theirs)
	}
	var f ovsflow.FlowAttrs
	if err := mdlFlowDecode(ours, &f); err != nil || !reflect.DeepEqual(&f, flowPut()) {
		t.Fatalf("baseline flow decode (%v):\n%+v", err, f)
	}
}

// The benchmarks come in pairs, BenchmarkX/nlgen and BenchmarkX/mdlayher,
// over the same message in the same run; each pair also prints the speed-up
// (mdlayher ns/op divided by nlgen ns/op), measured by running both sides
// alternately (see medianRounds) because this machine is shared and noisy.
//
// Decode comes in two forms: "fresh" decodes into a new zero value each
// time, as a caller that keeps every message does; "reused" decodes into
// the same value again, as a receive loop does, which the generated
// decoders serve without allocating. The baseline gets the same treatment.

func BenchmarkEncodeFlowPut(b *testing.B)       { pairEncode(b, flowPut(), mdlFlowPut) }
func BenchmarkEncodeDatapathReply(b *testing.B) { pairEncode(b, datapathGetReply(), mdlDatapathEncode) }

// pairEncode pairs encoding msg into a reused buffer with mdlayher's
// encoding of the same message.
func pairEncode[M interface {
	MessageLen() int
	AppendMessage([]byte) ([]byte, error)
}](b *testing.B, msg M, theirs func(M) ([]byte, error)) {
	buf := make([]byte, 0, msg.MessageLen())
	pair(b, func() error {
		var err error
		buf, err = msg.AppendMessage(buf[:0])
		return err
	}, func() error {
		_, err := theirs(msg)
		return err
	})
}

func BenchmarkDecodeFlowPutFresh(b *testing.B) {
	wire, _ := flowPut().AppendMessage(nil)
	pairWithFloor(b, decodeFlowFresh(wire), func() error {
		var f ovsflow.FlowAttrs
		return mdlFlowDecode(wire, &f)
	}, flowPutFloor)
}

// decodeFlowFresh decodes wire into a fresh flow value.
func decodeFlowFresh(wire []byte) func() error {
	return func() error {
		var f ovsflow.FlowAttrs
		return f.DecodeMessage(wire, nlattr.DecodeOptions{})
	}
}

func BenchmarkDecodeFlowPutReused(b *testing.B) {
	wire, _ := flowPut().AppendMessage(nil)
	var ours, theirs ovsflow.FlowAttrs
	pair(b, func() error {
		return ours.DecodeMessage(wire, nlattr.DecodeOptions{})
	}, func() error {
		return mdlFlowDecode(wire, &theirs)
	})
}

func BenchmarkDecodeDatapathReply(b *testing.B) {
	wire, _ := datapathGetReply().AppendMessage(nil)
	pairWithFloor(b, decodeDatapath(wire, nlattr.DecodeOptions{}), mdlDecodeDatapath(wire), datapathReplyFloor)
}

// decodeDatapath decodes wire into a fresh datapath value with o.
func decodeDatapath(wire []byte, o nlattr.DecodeOptions) func() error {
	return func() error {
		var dp ovsdatapath.Datapath
		return dp.DecodeMessage(wire, o)
	}
}

// mdlDecodeDatapath is decodeDatapath done by the baseline.
func mdlDecodeDatapath(wire []byte) func() error {
	return func() error {
		var dp ovsdatapath.Datapath
		return mdlDatapathDecode(wire, &dp)
	}
}

// The floors allocate exactly what a fresh decode of the fixture keeps
// (TestFloorsAllocateWhatDecodeKeeps checks count and bytes) and decode
// nothing. Both sides decode into the same types, so both pay the floor:
// it bounds the speed-up any decoder can show on a fresh value, and the
// time above it is the decoding proper. Like the decoders, the floors fill
// a value on the caller's stack through a pointer, so the same objects
// escape to the heap and the same write barriers run.
func flowPutFloor() error {
	var f ovsflow.FlowAttrs
	fillFlowPutFloor(&f)
	return nil
}

//go:noinline
func fillFlowPutFloor(f *ovsflow.FlowAttrs) {
	f.Key, f.Mask = new(ovsflow.KeyAttrs), new(ovsflow.KeyAttrs)
	set := new(ovsflow.KeyAttrs)
	set.Tunnel = new(ovsflow.TunnelKeyAttrs)
	f.Actions = append(make(ovsflow.ActionAttrs, 0, 3), ovsflow.ActionAttrSet(set))
}

var floorName = []byte("ovs-system")

func datapathReplyFloor() error {
	var dp ovsdatapath.Datapath
	fillDatapathReplyFloor(&dp)
	return nil
}

//go:noinline
func fillDatapathReplyFloor(dp *ovsdatapath.Datapath) {
	dp.Name = nlattr.Some(string(floorName))
}

// BenchmarkDecodeDatapathReplyAliased opts into strings that alias the
// input (DecodeOptions.AliasStrings): the name costs no allocation.
func BenchmarkDecodeDatapathReplyAliased(b *testing.B) {
	wire, _ := datapathGetReply().AppendMessage(nil)
	pair(b, decodeDatapath(wire, nlattr.DecodeOptions{AliasStrings: true}), mdlDecodeDatapath(wire))
}

// BenchmarkDecodeDatapathReplyStringCache decodes into a fresh value with
// a DecodeOptions.Strings cache: the name is a string the caller may keep
// (it does not share the buffer), made once and then found in the cache.
func BenchmarkDecodeDatapathReplyStringCache(b *testing.B) {
	wire, _ := datapathGetReply().AppendMessage(nil)
	o := nlattr.DecodeOptions{Strings: nlattr.NewStringCache(256)}
	pair(b, decodeDatapath(wire, o), mdlDecodeDatapath(wire))
}

// pair runs ours and theirs as the /nlgen and /mdlayher sub-benchmarks and
// reports their speed ratio on the parent.
func pair(b *testing.B, ours, theirs func() error) {
	runSides(b, ours, theirs, nil)
	r := medianRounds(ours, theirs, nil)
	// Printed rather than logged: parent benchmarks' logs need -v.
	fmt.Printf("%s: nlgen is %.1fx faster than mdlayher (median of alternating rounds)\n", b.Name(), r.ratio)
}

// pairWithFloor is pair for a fresh decode, adding the /floor
// sub-benchmark and the two figures it gives: the most that decoding into
// these types could gain over mdlayher here (its time over the floor's;
// the floor is what these types cost to allocate, so it binds both sides)
// and the speed-up of the decoding itself (each side's time above it).
func pairWithFloor(b *testing.B, ours, theirs, floor func() error) {
	runSides(b, ours, theirs, floor)
	r := medianRounds(ours, theirs, floor)
	above := fmt.Sprintf("above the floor nlgen takes %.0f ns and mdlayher %.0f ns: %.1fx",
		r.oursNs-r.floorNs, r.theirsNs-r.floorNs, r.aboveFloor)
	if r.oursNs < 1.05*r.floorNs {
		above = "nlgen's time is within 5% of the floor, too close to divide"
	}
	fmt.Printf("%s: nlgen is %.1fx faster than mdlayher (median of per-round ratios); of medians: nlgen %.0f ns, mdlayher %.0f ns, "+
		"floor (allocating what the value keeps) %.0f ns, so decoding into these types cannot be more than %.1fx faster than mdlayher here; %s\n",
		b.Name(), r.ratio, r.oursNs, r.theirsNs, r.floorNs, r.bound, above)
}

func runSides(b *testing.B, ours, theirs, floor func() error) {
	type side struct {
		name string
		fn   func() error
	}
	sides := []side{{"nlgen", ours}, {"mdlayher", theirs}}
	if floor != nil {
		sides = append(sides, side{"floor", floor})
	}
	for _, side := range sides {
		b.Run(side.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := side.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// rounds is the medians over alternating rounds of each side's time and
// of the per-round ratios.
type rounds struct {
	oursNs, theirsNs, floorNs float64
	ratio, bound, aboveFloor  float64
}

// medianRounds times the sides in alternating rounds and takes medians,
// so that load from other processes on a shared machine hits every side
// alike.
func medianRounds(ours, theirs, floor func() error) rounds {
	timeOf := func(fn func() error) float64 { return measure.NsPerCall(fn, 100*time.Millisecond) }
	const n = 5
	var o, t, f, ratio []float64
	for range n {
		on, tn := timeOf(ours), timeOf(theirs)
		o, t, ratio = append(o, on), append(t, tn), append(ratio, tn/on)
		if floor != nil {
			f = append(f, timeOf(floor))
		}
	}
	r := rounds{oursNs: measure.Median(o), theirsNs: measure.Median(t), floorNs: measure.Median(f), ratio: measure.Median(ratio)}
	if floor != nil {
		// From the medians, so that the printed figures divide as printed.
		r.bound = r.theirsNs / r.floorNs
		r.aboveFloor = (r.theirsNs - r.floorNs) / (r.oursNs - r.floorNs)
	}
	return r
}

// TestFloorsAllocateWhatDecodeKeeps keeps the floors honest: each makes
// the same number of allocations, of the same total size, as the fresh
// decode it stands for.
func TestFloorsAllocateWhatDecodeKeeps(t *testing.T) {
	flow, _ := flowPut().AppendMessage(nil)
	dp, _ := datapathGetReply().AppendMessage(nil)
	for _, c := range []struct {
		name          string
		decode, floor func() error
	}{
		{"flow put", decodeFlowFresh(flow), flowPutFloor},
		{"datapath reply", decodeDatapath(dp, nlattr.DecodeOptions{}), datapathReplyFloor},
	} {
		dn, db := allocations(t, c.decode)
		fn, fb := allocations(t, c.floor)
		if dn != fn || db != fb {
			t.Errorf("%s: decode makes %v allocations of %v bytes, its floor %v of %v", c.name, dn, db, fn, fb)
		}
	}
}

// allocations is the allocations and bytes one call of fn makes.
func allocations(t *testing.T, fn func() error) (count float64, bytes uint64) {
	t.Helper()
	if err := fn(); err != nil {
		t.Fatal(err)
	}
	return measure.Allocs(func() { _ = fn() })
}
