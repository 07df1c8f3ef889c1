package golang

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen/golang/testdata/golden/out/rawkinds"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/genl/genltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// The wire of a netlink-raw message as the kernel lays it out
// (include/uapi/linux/netlink.h, lib/nlattr.c): the fixed header with its
// pad bytes zero, then attributes; a sub-message attribute's payload is
// the selected format's bytes (rt_link's IFLA_INFO_DATA after
// IFLA_INFO_KIND, as iproute2's iplink.c writes them). Written out by
// hand here, not by the generated encoder.
var rawRedWire = []byte{
	2, 0, 0, 0, 7, 0, 0, 0, // struct hdr {family 2, pad[3], index 7}
	8, 0, 1, 0, 'r', 'e', 'd', 0, // kind "red"
	12, 0, 2, 0, // options:
	8, 0, 1, 0, 9, 0, 0, 0, //   red-attrs limit 9
}

// TestRawSubMessageEncodesSelector: the value's format names the
// selector, so a message that leaves kind out still says "red".
func TestRawSubMessageEncodesSelector(t *testing.T) {
	m := &rawkinds.Main{Header: rawkinds.Hdr{Family: 2, Index: 7},
		Options: &rawkinds.OptsRed{Attrs: rawkinds.RedAttrs{Limit: nlattr.SomeU32(9)}}}
	b, err := m.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, rawRedWire) {
		t.Fatalf("encoded\n% x\nwant\n% x", b, rawRedWire)
	}
	if len(b) != m.MessageLen() {
		t.Errorf("MessageLen %d, encoded %d bytes", m.MessageLen(), len(b))
	}
	m.Kind = nlattr.Some("tbf")
	if _, err := m.AppendMessage(nil); err == nil || !strings.Contains(err.Error(), `selector "tbf", but the value is the "red" format`) {
		t.Errorf("a selector naming another format: err = %v", err)
	}
}

// TestRawSubMessageDecodesBySelector: the selector decoded before the
// sub-message picks its format.
func TestRawSubMessageDecodesBySelector(t *testing.T) {
	var m rawkinds.Main
	if err := m.DecodeMessage(rawRedWire, nlattr.DecodeOptions{Strict: true}); err != nil {
		t.Fatal(err)
	}
	red, ok := m.Options.(*rawkinds.OptsRed)
	if !ok || red.Attrs.Limit != nlattr.SomeU32(9) || m.Kind.Value != "red" || m.Header != (rawkinds.Hdr{Family: 2, Index: 7}) {
		t.Fatalf("decoded %+v (options %#v)", m, m.Options)
	}
}

// TestRawSubMessageFormats: a format of a fixed header (tbf, with a pad
// member), of a header and attributes (both), of nothing (noop), and one
// the spec does not list, which is kept as bytes and sent back unchanged.
func TestRawSubMessageFormats(t *testing.T) {
	tbf := []byte{5, 0, 0, 0, 0, 0, 6, 0} // struct tbf_xstats {tokens 5, pad[2], burst 6}
	for _, c := range []struct {
		kind    string
		payload []byte
		want    rawkinds.Opts
	}{
		{"tbf", tbf, &rawkinds.OptsTbf{Header: rawkinds.TbfXstats{Tokens: 5, Burst: 6}}},
		{"both", append(append([]byte{}, tbf...), 8, 0, 1, 0, 3, 0, 0, 0),
			&rawkinds.OptsBoth{Header: rawkinds.TbfXstats{Tokens: 5, Burst: 6}, Attrs: rawkinds.RedAttrs{Limit: nlattr.SomeU32(3)}}},
		{"noop", nil, &rawkinds.OptsNoop{}},
		{"sfq", []byte{1, 2, 3, 4}, &rawkinds.OptsRaw{Value: "sfq", Data: []byte{1, 2, 3, 4}}},
	} {
		wire := []byte{0, 0, 0, 0, 0, 0, 0, 0}
		wire = nlattr.AppendString(wire, rawkinds.AttrMainKind, c.kind)
		wire = nlattr.AppendBytes(wire, rawkinds.AttrMainOptions, c.payload)
		var m rawkinds.Main
		if err := m.DecodeMessage(wire, nlattr.DecodeOptions{Copy: true}); err != nil {
			t.Fatalf("%s: %v", c.kind, err)
		}
		if c.kind == "noop" {
			// A present empty payload.
			if _, ok := m.Options.(*rawkinds.OptsNoop); !ok {
				t.Errorf("noop: %#v", m.Options)
			}
		} else if !reflect.DeepEqual(m.Options, c.want) {
			t.Errorf("%s: decoded %#v, want %#v", c.kind, m.Options, c.want)
		}
		// Re-encoding, with kind left to the value, gives the same bytes.
		m.Kind = nlattr.Optional[string]{}
		b, err := m.AppendMessage(nil)
		if err != nil || !bytes.Equal(b, wire) {
			t.Errorf("%s: re-encoded\n% x (%v)\nwant\n% x", c.kind, b, err, wire)
		}
	}
}

// TestRawIntegerSelector: an integer selector with an enum (nftables'
// obj type) selects the format named by its entry.
func TestRawIntegerSelector(t *testing.T) {
	in := &rawkinds.Main{Type: nlattr.Some(rawkinds.ObjTypeCounter),
		Data: &rawkinds.ObjsCounter{Attrs: rawkinds.CounterAttrs{Packets: nlattr.SomeU64(3)}}}
	b, err := in.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	// type is big-endian: the kernel's NLA_BE32.
	if !bytes.Contains(b, []byte{8, 0, 4, 0, 0, 0, 0, 1}) {
		t.Errorf("type attribute not big-endian 1: % x", b)
	}
	var out rawkinds.Main
	if err := out.DecodeMessage(b, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.Data, in.Data) {
		t.Errorf("decoded %#v, want %#v", out.Data, in.Data)
	}
}

// TestRawEncodeAllocs: encoding a message with sub-messages into a
// reused buffer does not allocate.
func TestRawEncodeAllocs(t *testing.T) {
	m := &rawkinds.Main{Header: rawkinds.Hdr{Family: 2, Index: 7},
		Options: &rawkinds.OptsBoth{Header: rawkinds.TbfXstats{Tokens: 1}, Attrs: rawkinds.RedAttrs{Limit: nlattr.SomeU32(9)}},
		Stats:   &rawkinds.Stats{Bytes: nlattr.SomeU64(1), App: &rawkinds.OptsRaw{Data: []byte{1, 2, 3, 4}}},
		Type:    nlattr.Some(rawkinds.ObjTypeCounter),
		Data:    &rawkinds.ObjsCounter{Attrs: rawkinds.CounterAttrs{Packets: nlattr.SomeU64(3)}}}
	buf := make([]byte, 0, m.MessageLen())
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = m.AppendMessage(buf[:0]); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("netlink-raw encode: %v allocations, want 0", allocs)
	}
}

// TestRawClient: requests go out with the spec's message types (the
// dump's own 0x102, the do's 0x101), the client's fixed header, and
// notifications on the group by number decode by message type.
func TestRawClient(t *testing.T) {
	ctx := context.Background()
	conn := genltest.NewRaw(rawkinds.Protocol, func(r genltest.RawRequest) ([]genl.RawMessage, error) {
		return genltest.RawReply(uint16(rawkinds.CmdGetReply), &rawkinds.Main{Kind: nlattr.Some("x")})
	})
	c := rawkinds.NewClient(conn).WithHeader(rawkinds.Hdr{Index: 4})
	if _, err := c.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, err := range c.DumpGet(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	reqs := conn.Requests()
	if len(reqs) != 2 || reqs[0].Type != 0x101 || reqs[1].Type != 0x102 {
		t.Fatalf("requests %+v, want types 0x101 and 0x102", reqs)
	}
	var got rawkinds.GetRequest
	if err := reqs[1].Decode(&got); err != nil || got.Header.Index != 4 {
		t.Errorf("dump request header %+v (%v), want index 4", got.Header, err)
	}
	if err := conn.Join(ctx, rawkinds.GroupEvents); err != nil || !conn.Joined(3) {
		t.Fatalf("join group 3: %v", err)
	}
	m, err := genltest.RawMessage(0x100, &rawkinds.Main{Options: &rawkinds.OptsNoop{}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := rawkinds.DecodeNotification(m, nlattr.DecodeOptions{})
	if n, ok := v.(*rawkinds.Main); err != nil || !ok || n.Kind.Value != "noop" {
		t.Errorf("notification %#v, %v", v, err)
	}
}

// TestRawSubMessageDecodeReuses: decoding into the same value again
// recycles the sub-message's format value (a dump of one link kind decodes
// every message's data into one struct) and allocates nothing; a message
// of another kind gets a value of its own format, and a decode that finds
// no unknown attribute leaves Unknown nil.
func TestRawSubMessageDecodeReuses(t *testing.T) {
	var m rawkinds.Main
	o := nlattr.DecodeOptions{AliasStrings: true}
	if err := m.DecodeMessage(rawRedWire, o); err != nil {
		t.Fatal(err)
	}
	red := m.Options
	allocs := testing.AllocsPerRun(100, func() {
		if err := m.DecodeMessage(rawRedWire, o); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || m.Options != red || m.Unknown != nil {
		t.Errorf("reused decode: %v allocations, options %p (first %p), unknown %v", allocs, m.Options, red, m.Unknown)
	}
	wire := append([]byte{}, rawRedWire[:8]...)
	wire = nlattr.AppendString(wire, rawkinds.AttrMainKind, "sfq")
	wire = nlattr.AppendBytes(wire, rawkinds.AttrMainOptions, []byte{1, 2, 3, 4})
	if err := m.DecodeMessage(wire, o); err != nil {
		t.Fatal(err)
	}
	if raw, ok := m.Options.(*rawkinds.OptsRaw); !ok || raw.Value != "sfq" || !bytes.Equal(raw.Data, []byte{1, 2, 3, 4}) {
		t.Errorf("after a red message, an sfq one decoded %#v", m.Options)
	}
	if r, _ := red.(*rawkinds.OptsRed); r.Attrs.Limit != nlattr.SomeU32(9) {
		t.Errorf("the red value changed under a message of another format: %+v", r)
	}
}

// rawStatsWire is a message whose nests carry sub-messages selected by
// main's kind and type, one and two nests down (tc's TCA_STATS2 app
// selected by TCA_KIND), as the kernel lays it out: each selector before
// the nest, nests flagged NLA_F_NESTED. Written out by hand.
var rawStatsWire = []byte{
	0, 0, 0, 0, 0, 0, 0, 0, // struct hdr
	8, 0, 1, 0, 't', 'b', 'f', 0, // kind "tbf"
	32, 0, 3, 0x80, // stats:
	12, 0, 2, 0, 5, 0, 0, 0, 0, 0, 6, 0, //   app: struct tbf_xstats {tokens 5, burst 6}
	16, 0, 3, 0x80, //   inner:
	12, 0, 1, 0, 7, 0, 0, 0, 0, 0, 8, 0, //     app: struct tbf_xstats {tokens 7, burst 8}
	8, 0, 4, 0, 0, 0, 0, 1, // type counter (big-endian)
	20, 0, 6, 0x80, // extra:
	16, 0, 1, 0, //   obj:
	12, 0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, //     counter-attrs packets 3
}

// rawStats is rawStatsWire decoded, with the selectors left to the values.
func rawStats() *rawkinds.Main {
	return &rawkinds.Main{
		Stats: &rawkinds.Stats{
			App:   &rawkinds.OptsTbf{Header: rawkinds.TbfXstats{Tokens: 5, Burst: 6}},
			Inner: &rawkinds.InnerStats{App: &rawkinds.OptsTbf{Header: rawkinds.TbfXstats{Tokens: 7, Burst: 8}}},
		},
		Extra: &rawkinds.ExtraStats{Obj: &rawkinds.ObjsCounter{Attrs: rawkinds.CounterAttrs{Packets: nlattr.SomeU64(3)}}},
	}
}

// TestRawOuterSelectorDecodes: sub-messages selected by an enclosing
// set's selector (a string and an enum, one and two nests down) decode
// into their formats, also when the nests are reused by a second Decode.
func TestRawOuterSelectorDecodes(t *testing.T) {
	var m rawkinds.Main
	for i := range 2 {
		if err := m.DecodeMessage(rawStatsWire, nlattr.DecodeOptions{Strict: true}); err != nil {
			t.Fatal(err)
		}
		want := rawStats()
		if !reflect.DeepEqual(m.Stats, want.Stats) || !reflect.DeepEqual(m.Extra, want.Extra) {
			t.Fatalf("decode %d: app %#v, inner app %#v, obj %#v", i, m.Stats.App, m.Stats.Inner, m.Extra)
		}
	}
	// The get reply (a narrowed type) passes its selectors down too.
	var r rawkinds.GetReply
	if err := r.DecodeMessage(rawStatsWire, nlattr.DecodeOptions{}); err != nil ||
		!reflect.DeepEqual(r.Stats, rawStats().Stats) || !reflect.DeepEqual(r.Extra, rawStats().Extra) {
		t.Errorf("reply stats %#v, extra %#v (%v)", r.Stats, r.Extra, err)
	}
	// inner-stats straight under main (SelectorDepth 1) as well as under
	// stats: the same selector either way.
	direct := &rawkinds.Main{Inner: &rawkinds.InnerStats{App: &rawkinds.OptsRed{Attrs: rawkinds.RedAttrs{Limit: nlattr.SomeU32(2)}}}}
	b, err := direct.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.DecodeMessage(b, nlattr.DecodeOptions{}); err != nil || m.Kind.Value != "red" || !reflect.DeepEqual(m.Inner, direct.Inner) {
		t.Errorf("inner under main: kind %q, %#v (%v)", m.Kind.Value, m.Inner, err)
	}
	// stats comes first in field order: its value is the one the other
	// disagrees with.
	direct.Stats = &rawkinds.Stats{Inner: &rawkinds.InnerStats{App: &rawkinds.OptsNoop{}}}
	if _, err := direct.AppendMessage(nil); err == nil || err.Error() != `rawkinds.inner-stats.app: selector "noop", but the value is the "red" format` {
		t.Errorf("inner values disagreeing: %v", err)
	}
	// Without its type, extra's obj selects no format (not the entry
	// valued 0, unspec).
	noType := append(append([]byte{}, rawStatsWire[:48]...), rawStatsWire[56:]...)
	if err := m.DecodeMessage(noType, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if raw, ok := m.Extra.Obj.(*rawkinds.ObjsRaw); !ok || raw.Value != "" || m.Type.Present {
		t.Errorf("without type: obj %#v", m.Extra.Obj)
	}
	// Decoded on its own, the nest knows no selector: the payloads stay
	// raw and are sent back unchanged.
	nest := rawStatsWire[16:48]
	var s rawkinds.Stats
	if err := s.Decode(nest[4:], nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if raw, ok := s.App.(*rawkinds.OptsRaw); !ok || raw.Value != "" || !bytes.Equal(raw.Data, nest[8:16]) {
		t.Errorf("stats alone: app %#v, want raw", s.App)
	}
	if raw, ok := s.Inner.App.(*rawkinds.OptsRaw); !ok || raw.Value != "" {
		t.Errorf("stats alone: inner app %#v, want raw", s.Inner.App)
	}
	if b, err := s.MarshalBinary(); err != nil || !bytes.Equal(b, nest[4:]) {
		t.Errorf("stats alone re-encoded\n% x (%v)\nwant\n% x", b, err, nest[4:])
	}
}

// TestRawOuterSelectorEncodes: the set holding a selector writes it from
// the values it selects, however deep, when it is absent (the enum's
// entry for an integer selector), and refuses a value naming another
// format than the selector it writes.
func TestRawOuterSelectorEncodes(t *testing.T) {
	m := rawStats()
	b, err := m.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, rawStatsWire) || len(b) != m.MessageLen() {
		t.Fatalf("encoded (MessageLen %d)\n% x\nwant\n% x", m.MessageLen(), b, rawStatsWire)
	}
	// Present and agreeing selectors are written as they are.
	m.Kind, m.Type = nlattr.Some("tbf"), nlattr.Some(rawkinds.ObjTypeCounter)
	if b, err := m.AppendMessage(nil); err != nil || !bytes.Equal(b, rawStatsWire) {
		t.Errorf("with selectors: % x (%v)", b, err)
	}
	for _, c := range []struct {
		name string
		edit func(m *rawkinds.Main)
		want string
	}{
		{"kind disagrees one down", func(m *rawkinds.Main) { m.Kind = nlattr.Some("red") },
			`rawkinds.stats.app: selector "red", but the value is the "tbf" format`},
		{"kind disagrees two down", func(m *rawkinds.Main) { m.Stats.Inner.App = &rawkinds.OptsNoop{} },
			`rawkinds.inner-stats.app: selector "tbf", but the value is the "noop" format`},
		{"values disagree, kind absent", func(m *rawkinds.Main) { m.Options = &rawkinds.OptsRed{} },
			`rawkinds.stats.app: selector "red", but the value is the "tbf" format`},
		{"enum disagrees", func(m *rawkinds.Main) { m.Type = nlattr.Some(rawkinds.ObjTypeQuota) },
			`rawkinds.extra-stats.obj: selector "quota", but the value is the "counter" format`},
	} {
		m := rawStats()
		c.edit(m)
		if _, err := m.AppendMessage(nil); err == nil || err.Error() != c.want {
			t.Errorf("%s: err = %v, want %s", c.name, err, c.want)
		}
	}
	// A raw payload whose selector was never seen names none: it neither
	// fills the selector nor disagrees with it.
	m = &rawkinds.Main{Kind: nlattr.Some("red"), Stats: &rawkinds.Stats{App: &rawkinds.OptsRaw{Data: []byte{1, 2, 3, 4}}}}
	if _, err := m.AppendMessage(nil); err != nil {
		t.Errorf("raw app under kind red: %v", err)
	}
}

// TestRawIntegerSelectorFilled: an absent integer selector is written as
// the enum entry the value's format names, sized by EncodedLen too.
func TestRawIntegerSelectorFilled(t *testing.T) {
	in := &rawkinds.Main{Data: &rawkinds.ObjsCounter{Attrs: rawkinds.CounterAttrs{Packets: nlattr.SomeU64(3)}}}
	b, err := in.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != in.MessageLen() {
		t.Errorf("MessageLen %d, encoded %d bytes", in.MessageLen(), len(b))
	}
	var out rawkinds.Main
	if err := out.DecodeMessage(b, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if out.Type != nlattr.Some(rawkinds.ObjTypeCounter) || !reflect.DeepEqual(out.Data, in.Data) {
		t.Errorf("decoded type %v, data %#v", out.Type, out.Data)
	}
	// A raw value whose selector is no entry name leaves type absent.
	in = &rawkinds.Main{Data: &rawkinds.ObjsRaw{Value: "ObjType(9)", Data: []byte{}}}
	if b, err := in.AppendMessage(nil); err != nil || len(b) != in.MessageLen() || bytes.Contains(b, []byte{8, 0, 4, 0}) {
		t.Errorf("raw value: % x (%v)", b, err)
	}
}

// TestRawSelectorSharedEnumValue: old-counter and counter share value 1;
// the format is named counter, the last of them, as the YNL CLI names the
// value. Either constant selects it, an absent selector is filled with
// it, and the value decodes into its format.
func TestRawSelectorSharedEnumValue(t *testing.T) {
	data := &rawkinds.AliasObjsCounter{Attrs: rawkinds.CounterAttrs{Packets: nlattr.SomeU64(5)}}
	for _, typ := range []nlattr.Optional[rawkinds.ObjAlias]{
		nlattr.Some(rawkinds.ObjAliasOldCounter), nlattr.Some(rawkinds.ObjAliasCounter), {},
	} {
		b, err := (&rawkinds.Main{AliasType: typ, AliasData: data}).MarshalBinary()
		if err != nil {
			t.Fatalf("selector %v: %v", typ, err)
		}
		var m rawkinds.Main
		if err := m.Decode(b, nlattr.DecodeOptions{Strict: true}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(m.AliasData, data) || m.AliasType != nlattr.Some(rawkinds.ObjAliasCounter) {
			t.Errorf("selector %v: decoded %v %#v", typ, m.AliasType, m.AliasData)
		}
	}
}

// TestRawWideEnumSelector: a u64 selector whose enum's Go type is 32-bit
// still names the format by the enum's entry.
func TestRawWideEnumSelector(t *testing.T) {
	in := &rawkinds.Main{WideType: nlattr.SomeU64(uint64(rawkinds.ObjTypeCounter)),
		WideData: &rawkinds.ObjsCounter{Attrs: rawkinds.CounterAttrs{Packets: nlattr.SomeU64(9)}}}
	b, err := in.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var out rawkinds.Main
	if err := out.Decode(b, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.WideData, in.WideData) {
		t.Errorf("decoded %#v, want %#v", out.WideData, in.WideData)
	}
	// A value past the enum's type is no entry: the payload stays raw.
	in.WideType, in.WideData = nlattr.SomeU64(1<<40|1), &rawkinds.ObjsRaw{Data: []byte{}}
	if b, err = in.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
	if err := out.Decode(b, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if raw, ok := out.WideData.(*rawkinds.ObjsRaw); !ok || raw.Value != "1099511627777" {
		t.Errorf("selector 2^40+1 decoded %#v", out.WideData)
	}
}

// TestRawDecodeOverTypedNil: a sub-message field left holding a nil
// pointer of a format is not reused: Decode makes a value of its own.
func TestRawDecodeOverTypedNil(t *testing.T) {
	m := rawkinds.Main{Options: (*rawkinds.OptsRed)(nil)}
	if err := m.DecodeMessage(rawRedWire, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if red, ok := m.Options.(*rawkinds.OptsRed); !ok || red == nil || red.Attrs.Limit != nlattr.SomeU32(9) {
		t.Errorf("decoded %#v", m.Options)
	}
}

// TestRawSelectorAfterSubMessage: netlink attributes are unordered (the
// kernel parses IFLA_LINKINFO into a table before reading IFLA_INFO_KIND),
// so a sub-message sent before its selector decodes in the selector's
// format once the set is read, and a payload that format rejects is an
// error rather than bytes the encoder would later send as that format.
func TestRawSelectorAfterSubMessage(t *testing.T) {
	wire := append([]byte{}, rawRedWire[:8]...)
	wire = nlattr.AppendBytes(wire, rawkinds.AttrMainOptions, nlattr.AppendU32(nil, 1, 9))
	wire = nlattr.AppendString(wire, rawkinds.AttrMainKind, "red")
	var m rawkinds.Main
	if err := m.DecodeMessage(wire, nlattr.DecodeOptions{Strict: true}); err != nil {
		t.Fatal(err)
	}
	if red, ok := m.Options.(*rawkinds.OptsRed); !ok || red.Attrs.Limit != nlattr.SomeU32(9) {
		t.Fatalf("options before kind decoded %#v", m.Options)
	}
	bad := append([]byte{}, rawRedWire[:8]...)
	bad = nlattr.AppendBytes(bad, rawkinds.AttrMainOptions, []byte("0000"))
	bad = nlattr.AppendString(bad, rawkinds.AttrMainKind, "red")
	if err := m.DecodeMessage(bad, nlattr.DecodeOptions{}); !errors.Is(err, nlattr.ErrTruncated) {
		t.Errorf("a red payload that is no red-attrs, before its kind: %v", err)
	}
	// With no selector at all it stays raw.
	none := append([]byte{}, rawRedWire[:8]...)
	none = nlattr.AppendBytes(none, rawkinds.AttrMainOptions, []byte("0000"))
	if err := m.DecodeMessage(none, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if raw, ok := m.Options.(*rawkinds.OptsRaw); !ok || raw.Value != "" || string(raw.Data) != "0000" {
		t.Errorf("no selector: %#v", m.Options)
	}
}
