package dyn

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/genl/genltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

func loadFamily(tb testing.TB, spec string) *ir.Family {
	tb.Helper()
	if _, err := os.Stat(spec); err != nil {
		tb.Skipf("spec %s absent (../shared not checked out?): %v", spec, err)
	}
	m, err := pipeline.LoadSpecs([]string{spec}, "", func(s string) string { return s })
	if err != nil {
		tb.Fatal(err)
	}
	return m.Families[0]
}

// TestSubMessageRoundTrip sends and reads back the netlink-raw demo's
// request with every sub-message shape: a format of attributes chosen by
// a sibling (options by kind), one chosen by the set nesting it (stats'
// app by the top-level kind, SelectorDepth 1), a format that is only a
// fixed header, one chosen by an integer selector's enum entry (data by
// type), and the fixed header with its pad member around them.
func TestSubMessageRoundTrip(t *testing.T) {
	f := loadFamily(t, "../../testdata/accepted/raw-demo.yaml")
	get := opByName(t, f, "get")
	for _, tc := range []struct{ in, want string }{
		{`{"family": 2, "index": 7, "kind": "red", "options": {"limit": 5}, "stats": {"bytes": 9, "app": {"limit": 3}}}`,
			`{"kind":"red","options":{"limit":5},"stats":{"bytes":9,"app":{"limit":3}},"family":2,"index":7}`},
		{`{"kind": "tbf", "options": {"tokens": 10}, "type": "counter", "data": {"packets": 4}}`,
			`{"kind":"tbf","options":{"tokens":10},"type":"counter","data":{"packets":4},"family":0,"index":0}`},
		{`{"kind": "noop", "options": {}, "type": 1, "data": {"packets": 1}}`,
			`{"kind":"noop","options":{},"type":"counter","data":{"packets":1},"family":0,"index":0}`},
		{`{"kind": "other", "options": "0a0b0c", "pad": 1}`,
			`{"kind":"other","options":"0a0b0c","family":0,"index":0}`},
	} {
		in, err := ParseJSON(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := EncodeMessage(get.FixedHeader, get.AttrSet, in)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if b[1] != 0 || b[2] != 0 || b[3] != 0 {
			t.Errorf("%s: pad bytes % x", tc.in, b[1:4])
		}
		obj, err := DecodeMessage(get.FixedHeader, get.AttrSet, b)
		if err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if got := marshal(t, obj); got != tc.want {
			t.Errorf("%s\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// rtNewlinkSeeds are real RTM_NEWLINK dump messages (runtime/genl's
// benchmark captures), without their nlmsghdr.
func rtNewlinkSeeds(tb testing.TB) [][]byte {
	paths, _ := filepath.Glob("../../runtime/genl/testdata/rtnetlink/newlink-*.bin")
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b[16:])
	}
	return out
}

// TestDecodeRealNewlink decodes the captured lo, veth and bridge messages
// with the upstream rt_link spec: the bridge's linkinfo data is the
// linkinfo-bridge-attrs sub-message.
func TestDecodeRealNewlink(t *testing.T) {
	f := loadFamily(t, "../../../shared/specs/linux-6.12/rt_link.yaml")
	op := opByName(t, f, "getlink")
	seeds := rtNewlinkSeeds(t)
	if len(seeds) == 0 {
		t.Skip("no captured RTM_NEWLINK messages")
	}
	kinds := map[string]bool{}
	for _, b := range seeds {
		obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, b)
		if err != nil {
			t.Fatal(err)
		}
		li, _ := obj.Get("linkinfo")
		if li, ok := li.(*Object); ok {
			k, _ := li.Get("kind")
			kinds[k.(string)] = true
			if d, ok := li.Get("data"); ok && k == "bridge" {
				if d, ok := d.(*Object); !ok || d.Len() == 0 {
					t.Errorf("bridge data %v is no decoded sub-message", d)
				} else if _, ok := d.Get("forward-delay"); !ok {
					t.Errorf("bridge data without forward-delay: %v", marshal(t, d))
				}
			}
		}
	}
	if !kinds["bridge"] {
		t.Errorf("link kinds %v, want a bridge among the captures", kinds)
	}
}

// FuzzDecodeRawLink: no RTM_NEWLINK payload, whatever its bytes, panics
// the decoder (sub-messages, fixed header, nests of the upstream spec).
func FuzzDecodeRawLink(f *testing.F) {
	fam := loadFamily(f, "../../../shared/specs/linux-6.12/rt_link.yaml")
	var op *ir.Op
	for _, o := range fam.Ops {
		if o.Name == "getlink" {
			op = o
		}
	}
	for _, s := range rtNewlinkSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodeMessage(op.FixedHeader, op.AttrSet, b)
	})
}

// TestEnumValueNamedByLastEntry: an enum listing several entries of one
// value is shown by the last of them, as the YNL CLI's entries_by_val
// (a dict filled in spec order) shows it: ovs_ct's ip-conntrack-status
// mirrors the uapi's enum, where IPS_CONFIRMED and IPS_DST_NAT_DONE_BIT
// are both 8.
func TestEnumValueNamedByLastEntry(t *testing.T) {
	f := loadFamily(t, "../../schema/ovs/ovs_ct.yaml")
	op := opByName(t, f, "get")
	status := op.AttrSet.Attr("status")
	b := nlattr.AppendBytes(make([]byte, op.FixedHeader.Size), status.ID, []byte{0, 0, 0, 8}) // big-endian
	obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, b)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := obj.Get("status"); v != "dst-nat-done-bit" {
		t.Errorf("status 8 shown as %v", v)
	}
}

// TestSpacedNamesAreJSONKeys: nlgen call reads and prints a spaced name
// ("set id", as nftables.yaml up to 6.12 names one) as the JSON key the
// spec writes, as the kernel's CLI does, never its C or Go spelling; an
// enum entry with a space selects a sub-message format by its name.
func TestSpacedNamesAreJSONKeys(t *testing.T) {
	f := loadFamily(t, "../../testdata/accepted/raw-spaced-names.yaml")
	get := opByName(t, f, "get lookup")
	in, err := ParseJSON(`{"owner id": 7, "set id": 42, "obj type": "big counter", "obj data": {"hit count": 9}, "inner": {"hit count": 1}}`)
	if err != nil {
		t.Fatal(err)
	}
	b, err := EncodeMessage(get.FixedHeader, get.AttrSet, in)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := DecodeMessage(get.FixedHeader, get.AttrSet, b)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"set id":42,"obj type":"big counter","inner":{"hit count":1},"obj data":{"hit count":9},"family":0,"owner id":7}`
	if got := marshal(t, obj); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, key := range []string{"set-id", "set_id", "SetId"} {
		in, err := ParseJSON(`{"` + key + `": 1}`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := EncodeMessage(get.FixedHeader, get.AttrSet, in); err == nil {
			t.Errorf("%q was taken for \"set id\": only the spec's own name is a key", key)
		}
	}
}

// TestSubMessageSelectorSearched: a sub-message's selector is looked up
// in the enclosing sets the message has, nearest first, as the YNL CLI's
// SpaceAttrs.lookup does, not a fixed number of sets out: holder's app is
// one set below main's kind through direct and two through via.
func TestSubMessageSelectorSearched(t *testing.T) {
	f := loadFamily(t, "testdata/raw-chains.yaml")
	op := f.Ops[0]
	for _, a := range f.AttrSets {
		if a.Name == "holder" {
			if k := a.Attrs[0].Kind.(ir.SubMsg); k.SelectorDepth != 1 {
				t.Fatalf("holder's app: SelectorDepth %d, want 1", k.SelectorDepth)
			}
		}
	}
	for _, in := range []string{
		`{"kind":"red","direct":{"app":{"limit":3}}}`,
		`{"kind":"red","via":{"bytes":1,"holder":{"app":{"limit":4}}}}`,
	} {
		v, err := ParseJSON(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := EncodeMessage(op.FixedHeader, op.AttrSet, v)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, b)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := marshal(t, obj); got != in {
			t.Errorf("got  %s\nwant %s", got, in)
		}
	}
}

// TestRawDumpOfDoOnlyOperation: --dump of a netlink-raw operation whose
// spec lists only do sends the do request's message type with
// NLM_F_DUMP, as the YNL CLI does (tc 6.12's getqdisc), and decodes the
// replies with the do reply's attributes.
func TestRawDumpOfDoOnlyOperation(t *testing.T) {
	f := loadFamily(t, "testdata/raw-do-only.yaml")
	reply := func(ifindex uint32, kind string) genl.RawMessage {
		b := binary.NativeEndian.AppendUint32(nil, ifindex)
		return genl.RawMessage{Header: genl.Header{Type: 36}, Data: nlattr.AppendString(b, 1, kind)}
	}
	conn := genltest.NewRaw(genl.ProtoRoute, func(r genltest.RawRequest) ([]genl.RawMessage, error) {
		if r.Type != 38 || !r.IsDump() {
			return nil, genltest.Errorf(genl.EOPNOTSUPP, "")
		}
		return []genl.RawMessage{reply(1, "noqueue"), reply(2, "pfifo_fast")}, nil
	})
	c := NewRawClient(conn, f)
	defer c.Close()
	got, err := c.Dump(context.Background(), "get", map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	if s := marshal(t, got); s != `[{"kind":"noqueue","ifindex":1},{"kind":"pfifo_fast","ifindex":2}]` {
		t.Errorf("dump decoded %s", s)
	}
}
