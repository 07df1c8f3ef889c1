package dyn

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

func demoFamily(t *testing.T) *ir.Family {
	t.Helper()
	m, err := pipeline.LoadSpecs([]string{"testdata/demo.yaml"}, "", func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	return m.Families[0]
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRoundTrip encodes a request covering every kind and decodes it back:
// the output must be the YNL CLI's JSON for the same message.
func TestRoundTrip(t *testing.T) {
	f := demoFamily(t)
	op := f.Ops[0]
	in, err := ParseJSON(`{"ifindex": -3, "name": "br0", "count": -2, "mode": "auto", "caps": ["fast", "quiet"],
		"modes": ["on", "auto"], "addr": "192.0.2.1", "blob": "00ff10", "tags": ["a", "b"],
		"pair": {"a": 1, "b": 2, "mac": "02:00:00:00:00:01"}, "opts": {"level": 7}, "ports": [80, 443],
		"big": 4294967296, "on": true, "bits": {"value": 1, "selector": 3}, "words": [1, 2]}`)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := EncodeMessage(op.FixedHeader, op.AttrSet, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := int32(binary.NativeEndian.Uint32(payload)); got != -3 {
		t.Fatalf("fixed header ifindex = %d", got)
	}
	obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, payload)
	if err != nil {
		t.Fatal(err)
	}
	// YNL merges the fixed header's members in after the attributes.
	want := `{"name":"br0","count":-2,"mode":"auto","caps":["fast","quiet"],"modes":["on","auto"],` +
		`"addr":"192.0.2.1","blob":"00ff10","pair":{"a":1,"b":2,"mac":"02:00:00:00:00:01","pad":"0000"},"tags":["a","b"],` +
		`"opts":{"level":7},"ports":[80,443],"big":4294967296,"on":true,"bits":{"value":1,"selector":3},"words":[1,2],"ifindex":-3}`
	if got := marshal(t, obj); got != want {
		t.Errorf("decoded\n got %s\nwant %s", got, want)
	}
	// Big-endian member b is on the wire as 00 02.
	pair := op.AttrSet.Attr("pair")
	it := nlattr.NewIter(payload[4:])
	for it.Next() {
		if it.Type() == pair.ID && (it.Payload()[2] != 0 || it.Payload()[3] != 2) {
			t.Errorf("big-endian member encoded as % x", it.Payload()[:4])
		}
	}
}

func TestUnknownAttributesShownByNumber(t *testing.T) {
	f := demoFamily(t)
	op := f.Ops[0]
	b := make([]byte, 4)
	b = nlattr.AppendString(b, 1, "x")
	b = nlattr.AppendU32(b, 99, 0x01020304)
	b, nest := nlattr.BeginNest(b, 98)
	b = nlattr.AppendU8(b, 5, 1)
	b = nlattr.EndNest(b, nest)
	b = nlattr.AppendU32(b, 99, 7)
	b = nlattr.AppendU32(b, 4, 1<<5|1) // caps: fast plus an unnamed bit
	obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, b)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"name":"x","UnknownAttr(99)":["04030201","07000000"],"UnknownAttr(98)":{"UnknownAttr(5)":"01"},"caps":["fast",32],"ifindex":0}`
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		want = strings.NewReplacer("04030201", "01020304", "07000000", "00000007").Replace(want)
	}
	if got := marshal(t, obj); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestBadInputIsAClearError(t *testing.T) {
	f := demoFamily(t)
	op := f.Ops[0]
	for in, want := range map[string]string{
		`{"nmae": "x"}`:              `no attribute "nmae"; it has: name, count`,
		`{"count": 40000}`:           "40000 does not fit s16",
		`{"mode": "sideways"}`:       `"sideways" is neither a number nor an entry of mode`,
		`{"caps": ["fast", "slow"]}`: "slow is not a flag of caps",
		`{"blob": "zz"}`:             `"zz" is not hex`,
		`{"tags": "a"}`:              "multi-attr attribute needs a list",
		`{"pair": {"c": 1}}`:         "struct pair has no member c",
		`{"name": 5}`:                "string attribute needs a JSON string",
	} {
		v, err := ParseJSON(in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = EncodeMessage(op.FixedHeader, op.AttrSet, v)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
	if _, err := ParseJSON(`{"a": 1} {}`); err == nil {
		t.Error("trailing data accepted")
	}
}

func TestTruncatedRepliesAreErrorsNotPanics(t *testing.T) {
	f := demoFamily(t)
	op := f.Ops[0]
	full := make([]byte, 4)
	full = nlattr.AppendBytes(full, op.AttrSet.Attr("pair").ID, make([]byte, 12))
	full = nlattr.AppendU16(full, op.AttrSet.Attr("count").ID, 1)
	for n := 0; n < len(full); n++ {
		_, _ = DecodeMessage(op.FixedHeader, op.AttrSet, full[:n])
	}
	short := nlattr.AppendBytes(make([]byte, 4), op.AttrSet.Attr("pair").ID, make([]byte, 3))
	if _, err := DecodeMessage(op.FixedHeader, op.AttrSet, short); err == nil || !strings.Contains(err.Error(), "struct pair is 12 bytes, got 3") {
		t.Errorf("short struct: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	fam := demoFamilyF(f)
	op := fam.Ops[0]
	seed := nlattr.AppendString(make([]byte, 4), 1, "x")
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DecodeMessage(op.FixedHeader, op.AttrSet, b)
	})
}

func demoFamilyF(f *testing.F) *ir.Family {
	m, err := pipeline.LoadSpecs([]string{"testdata/demo.yaml"}, "", func(s string) string { return s })
	if err != nil {
		f.Fatal(err)
	}
	return m.Families[0]
}

// TestMaskedSets: call reads and writes a set-masked action as value and
// mask (x-nlgen-masked), the layout the kernel dumps, not as a plain key.
func TestMaskedSets(t *testing.T) {
	m, err := pipeline.LoadSpecs([]string{"../../schema/ovs/ovs_flow.yaml"}, "", func(s string) string { return s })
	if err != nil {
		t.Fatal(err)
	}
	op := m.Families[0].Ops[1] // new
	in, err := ParseJSON(`{"actions": {"set-masked": [{"skb-mark": {"value": 1, "mask": 15}}], "output": [2]}}`)
	if err != nil {
		t.Fatal(err)
	}
	payload, err := EncodeMessage(op.FixedHeader, op.AttrSet, in)
	if err != nil {
		t.Fatal(err)
	}
	// ovs_header, actions nest, set-masked nest, skb-mark: 4 + 4 + 4 + 4 + value 01000000 + mask 0f000000.
	if !strings.Contains(hex.EncodeToString(payload), "0c000f00010000000f000000") {
		t.Errorf("set-masked(skb-mark) encoded as %x", payload)
	}
	obj, err := DecodeMessage(op.FixedHeader, op.AttrSet, payload)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"actions":{"output":[2],"set-masked":[{"skb-mark":{"value":1,"mask":15}}]},"dp-ifindex":0}`
	if got := marshal(t, obj); got != want {
		t.Errorf("decoded\n got %s\nwant %s", got, want)
	}
	bad, _ := ParseJSON(`{"actions": {"set-masked": [{"skb-mark": {"value": 16, "mask": 15}}]}}`)
	if _, err := EncodeMessage(op.FixedHeader, op.AttrSet, bad); err == nil || !strings.Contains(err.Error(), "mask") {
		t.Errorf("a value bit outside the mask encodes: %v", err)
	}
}

// TestEveryKindHasCodec: every kind ir has (ir.AllKinds) has its own
// codec, and neither reading a payload of it, whatever the bytes, nor
// sending a JSON value of the wrong shape panics, whatever the scope holds
// (a sub-message's selector naming each format, an unknown one, none).
func TestEveryKindHasCodec(t *testing.T) {
	var scopes []*scope
	// The set a sub-message's selector is looked up in.
	around := &ir.AttrSet{Name: "around", Attrs: []*ir.Attr{{Name: "kind", Kind: ir.String{}}}}
	for _, sel := range []any{nil, "attrs", "header", "both", "nosuch", json.Number("7")} {
		dec, enc := NewObject(), map[string]any{}
		if sel != nil {
			dec.Set("kind", sel)
			enc["kind"] = sel
		}
		scopes = append(scopes, &scope{set: around, dec: dec, enc: enc})
	}
	for _, k := range ir.AllKinds() {
		c := codecOf(k)
		if _, unknown := c.(unknownKind); unknown {
			t.Errorf("%s (%T) has no codec in kinds.go", k, k)
			continue
		}
		a := &ir.Attr{Name: "a", ID: 1, Kind: k}
		for _, p := range [][]byte{nil, {1}, {4, 0, 1, 0}, {8, 0, 1, 0, 4, 0, 0, 0}} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: decoding % x panics: %v", k, p, r)
					}
				}()
				for _, sc := range scopes {
					_, _ = c.decode(a, p, sc)
				}
			}()
		}
		for _, v := range []any{nil, "x", json.Number("1"), []any{}, map[string]any{}} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s: sending %#v panics: %v", k, v, r)
					}
				}()
				for _, sc := range scopes {
					_, _ = c.encode(nil, a, v, sc)
				}
			}()
		}
	}
}
