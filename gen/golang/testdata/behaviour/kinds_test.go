package golang

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/gen/golang/testdata/golden/out/kinds"
	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestEveryKindRoundTrips encodes a value using every attribute kind
// (from the golden package) and decodes it back; zero values and empty
// slices must stay present.
func TestEveryKindRoundTrips(t *testing.T) {
	in := &kinds.Main{
		Header: kinds.Hdr{Index: -5},
		U8:     nlattr.Some[uint8](0), U16: nlattr.Some[uint16](0xbeef), U32: nlattr.Some[uint32](7), U64: nlattr.Some[uint64](1 << 40),
		S8: nlattr.Some[int8](-1), S16: nlattr.Some[int16](-300), S32: nlattr.Some[int32](-70000), S64: nlattr.Some[int64](-1 << 40),
		Be16: nlattr.Some[uint16](0x1234), Be32: nlattr.Some[uint32](0x12345678), Be64: nlattr.Some[uint64](0x0102030405060708),
		VarU: nlattr.Some[uint64](1 << 33), VarS: nlattr.Some[int64](-2),
		Name:   nlattr.Some(""),
		On:     true,
		Blob:   []byte{},
		Mac:    []byte{1, 2, 3, 4, 5, 6},
		Pair:   nlattr.Some(kinds.Pair{A: 0x0102, B: 3, C: 0xfffffffffff}),
		Pids:   []uint32{1, 2, 3},
		Tags:   []uint32{9, 8},
		Item:   &kinds.Item{Id: nlattr.Some[uint32](0), Label: nlattr.Some("x")},
		Items:  []kinds.Item{{Id: nlattr.Some[uint32](1)}, {Label: nlattr.Some("two")}},
		Color:  nlattr.Some(kinds.ColorBlue),
		Perm:   nlattr.Some(kinds.PermRead | kinds.PermExec),
		Bits:   nlattr.Some(nlattr.Bitfield32{Value: 1, Selector: 3}),
		Policy: []kinds.MainPolicyEntry{{PolicyId: 1, AttrId: 2, Value: kinds.Policy{Kind: nlattr.Some[uint32](4)}}, {PolicyId: 1, AttrId: 3}},
	}
	b, err := in.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != in.MessageLen() {
		t.Fatalf("encoded %d bytes, MessageLen %d", len(b), in.MessageLen())
	}
	var out kinds.Main
	if err := out.DecodeMessage(b, nlattr.DecodeOptions{Strict: true, Copy: true}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, &out) {
		t.Fatalf("decoded\n%+v\nwant\n%+v", out, *in)
	}
	if got := (kinds.PermRead | kinds.PermExec | 1<<9).String(); got != "read|exec|0x200" {
		t.Errorf("flags String = %q", got)
	}
	if got := kinds.Color(9).String(); got != "Color(9)" {
		t.Errorf("enum String = %q", got)
	}
	if got := kinds.CmdGet.String(); got != "get" {
		t.Errorf("command String = %q", got)
	}
}

// TestEncodeAllocs: encoding into a reused buffer allocates nothing.
func TestEncodeAllocs(t *testing.T) {
	msg := flowPut()
	buf := make([]byte, 0, msg.MessageLen())
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = msg.AppendMessage(buf[:0]); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("flow put encode: %v allocations, want 0", allocs)
	}
}

// TestOrderedListKeepsOrder: a set whose every attribute is multi-attr is a
// list; order, repeats and unknown attributes in between survive a round
// trip byte for byte, and an empty list stays present.
func TestOrderedListKeepsOrder(t *testing.T) {
	in := kinds.StepAttrs{
		kinds.StepAttrGo(2),
		kinds.StepAttrNote("a"),
		kinds.StepAttrGo(1),
		kinds.StepAttrMark(),
		kinds.StepAttrHop(&kinds.Pair{A: 1, C: 2}),
		kinds.StepAttrSub(&kinds.Item{Id: nlattr.Some[uint32](0)}),
		{Type: 0x4000 | 77, Data: []byte{1, 2, 3}}, // unknown, net-byte-order bit kept
		kinds.StepAttrAgain(kinds.StepAttrs{kinds.StepAttrMark(), kinds.StepAttrMark()}),
		kinds.StepAttrAgain(kinds.StepAttrs{}),
		kinds.StepAttrType(9),
		kinds.StepAttrGo(2),
	}
	b, err := in.AppendBinary(nil)
	if err != nil || len(b) != in.EncodedLen() {
		t.Fatalf("encode: %v, %d bytes, EncodedLen %d", err, len(b), in.EncodedLen())
	}
	var out kinds.StepAttrs
	if err := out.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, out) {
		t.Fatalf("decoded\n%+v\nwant\n%+v", out, in)
	}
	again, _ := out.AppendBinary(nil)
	if !bytes.Equal(again, b) {
		t.Fatalf("re-encoded\n%x\nwant\n%x", again, b)
	}
	if err := out.Decode(b, nlattr.DecodeOptions{Strict: true}); !errors.Is(err, nlattr.ErrUnknown) {
		t.Fatalf("strict decode of an unknown element: %v", err)
	}
	// A nil pointer value encodes as its zero value: an empty nest or zeroes.
	zero := kinds.StepAttrs{{Type: kinds.AttrStepSub}, {Type: kinds.AttrStepHop}}
	b, _ = zero.AppendBinary(nil)
	if len(b) != zero.EncodedLen() || len(b) != 4+4+kinds.SizePair {
		t.Fatalf("nil values encode to %x", b)
	}
	m := kinds.Main{Steps: kinds.StepAttrs{}}
	b, _ = m.AppendBinary(nil)
	var back kinds.Main
	if err := back.Decode(b, nlattr.DecodeOptions{}); err != nil || back.Steps == nil || len(back.Steps) != 0 {
		t.Fatalf("empty list: %v, %#v", err, back.Steps)
	}
}

// TestDecodeReuses: decoding into the same value again recycles its nests
// and action list, so a receive loop does not allocate; a fresh decode
// allocates only the nests the caller keeps.
func TestDecodeReuses(t *testing.T) {
	wire, _ := flowPut().AppendMessage(nil)
	var f ovsflow.FlowAttrs
	if err := f.DecodeMessage(wire, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	key := f.Key
	allocs := testing.AllocsPerRun(100, func() {
		if err := f.DecodeMessage(wire, nlattr.DecodeOptions{}); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || f.Key != key {
		t.Fatalf("re-decode: %v allocations (want 0), key reused: %v", allocs, f.Key == key)
	}
	if !reflect.DeepEqual(&f, flowPut()) {
		t.Fatalf("re-decoded %+v", f)
	}
	// Stale contents never leak: a message without a mask clears it.
	short := flowPut()
	short.Mask = nil
	b, _ := short.AppendMessage(nil)
	if err := f.DecodeMessage(b, nlattr.DecodeOptions{}); err != nil || f.Mask != nil || !reflect.DeepEqual(&f, short) {
		t.Fatalf("decode over a previous message: %v, %+v", err, f)
	}
}

// TestEnumWiderThanAttribute: an enum value that does not fit a narrow
// attribute is an error, never silently truncated.
func TestEnumWiderThanAttribute(t *testing.T) {
	ok := kinds.Main{Shade: nlattr.Some(kinds.ColorBlue)}
	if _, err := ok.AppendBinary(nil); err != nil {
		t.Fatalf("a fitting value: %v", err)
	}
	bad := kinds.Main{Shade: nlattr.Some(kinds.Color(256))}
	_, err := bad.AppendBinary(nil)
	var ae *nlattr.AttrError
	if !errors.Is(err, nlattr.ErrRange) || !errors.As(err, &ae) || ae.Type != kinds.AttrMainShade || ae.Path != "kinds.main.shade" {
		t.Fatalf("Color(256) in a u8: %v", err)
	}
	if _, err := bad.MarshalBinary(); !errors.Is(err, nlattr.ErrRange) {
		t.Fatalf("MarshalBinary: %v", err)
	}
}

// TestDecodeWithStringCache: a datapath reply decoded into a fresh value
// with a string cache allocates nothing once the name has been seen, and
// the name does not share the message buffer.
func TestDecodeWithStringCache(t *testing.T) {
	wire, _ := datapathGetReply().AppendMessage(nil)
	o := nlattr.DecodeOptions{Strings: nlattr.NewStringCache(64)}
	var dp ovsdatapath.Datapath
	if err := dp.DecodeMessage(wire, o); err != nil || dp.Name.Value != "ovs-system" {
		t.Fatalf("decoded %+v (%v)", dp, err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		var fresh ovsdatapath.Datapath
		if err := fresh.DecodeMessage(wire, o); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("fresh decode with a warm string cache: %v allocations", allocs)
	}
	clear(wire)
	if dp.Name.Value != "ovs-system" {
		t.Fatalf("the cached name changed with the buffer: %q", dp.Name.Value)
	}
}

// TestKeylessTypeValue: a nest-type-value attribute without type-value
// keys nests each value directly, one attribute per entry, and a list of
// entries round-trips as the repeated attribute.
func TestKeylessTypeValue(t *testing.T) {
	in := &kinds.Main{FlatPolicy: []kinds.MainFlatPolicyEntry{
		{Value: kinds.Policy{Kind: nlattr.Some[uint32](4)}},
		{},
	}}
	b, err := in.MarshalBinary()
	if err != nil || len(b) != in.EncodedLen() {
		t.Fatalf("encode: %v, %d bytes, EncodedLen %d", err, len(b), in.EncodedLen())
	}
	// Two attributes, the first nesting the set's attribute right away.
	it := nlattr.NewIter(b)
	var n int
	for it.Next() {
		if it.Type() != kinds.AttrMainFlatPolicy {
			t.Fatalf("attribute type %d, want %d", it.Type(), kinds.AttrMainFlatPolicy)
		}
		if n == 0 && len(it.Payload()) != 8 {
			t.Fatalf("first entry's payload %x, want the policy set's one u32", it.Payload())
		}
		n++
	}
	if it.Err() != nil || n != 2 {
		t.Fatalf("%d attributes (%v), want 2", n, it.Err())
	}
	var out kinds.Main
	if err := out.Decode(b, nlattr.DecodeOptions{Strict: true}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, &out) {
		t.Fatalf("decoded\n%+v\nwant\n%+v", out, *in)
	}
}

// TestStringLengthChecksAgree: a string's exact-len counts its NUL; the
// encoder refuses what the decoder would, for a single string and for
// each element of an indexed array of strings, and max-len counts
// characters in an array's elements as in a single string.
func TestStringLengthChecksAgree(t *testing.T) {
	for _, c := range []struct {
		name string
		in   kinds.Main
		ok   bool
	}{
		{"code of 3 characters", kinds.Main{Code: nlattr.Some("abc")}, true},
		{"code of 4 characters", kinds.Main{Code: nlattr.Some("abcd")}, false},
		{"codes of 3 characters", kinds.Main{Codes: []string{"abc", "xyz"}}, true},
		{"a code of 4 characters", kinds.Main{Codes: []string{"abc", "wxyz"}}, false},
		{"an empty code", kinds.Main{Codes: []string{""}}, false},
		{"labels of up to 3 characters", kinds.Main{Labels: []string{"", "abc"}}, true},
		{"a label of 4 characters", kinds.Main{Labels: []string{"abcd"}}, false},
		{"a tag of 2 characters", kinds.Main{Tag: nlattr.Some("ab")}, true},
		{"a tag of 1 character", kinds.Main{Tag: nlattr.Some("a")}, false},
		{"a tag of 4 characters", kinds.Main{Tag: nlattr.Some("abcd")}, false},
	} {
		b, err := c.in.MarshalBinary()
		if !c.ok {
			if !errors.Is(err, nlattr.ErrLength) {
				t.Errorf("%s: encode: %v, want ErrLength", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: encode: %v", c.name, err)
			continue
		}
		var out kinds.Main
		if err := out.Decode(b, nlattr.DecodeOptions{Strict: true}); err != nil {
			t.Errorf("%s: the encoder accepted what the decoder rejects: %v", c.name, err)
		} else if !reflect.DeepEqual(c.in, out) {
			t.Errorf("%s: decoded %+v", c.name, out)
		}
	}
	// What the encoders refuse, the decoders reject too.
	for _, p := range []struct {
		name string
		b    []byte
	}{
		{"code", nlattr.AppendString(nil, kinds.AttrMainCode, "abcd")},
		{"codes", nlattr.AppendBytes(nil, kinds.AttrMainCodes, nlattr.AppendString(nil, 1, "wxyz"))},
		{"labels", nlattr.AppendBytes(nil, kinds.AttrMainLabels, nlattr.AppendString(nil, 1, "abcd"))},
		{"tag", nlattr.AppendString(nil, kinds.AttrMainTag, "a")},
	} {
		var out kinds.Main
		if err := out.Decode(p.b, nlattr.DecodeOptions{}); !errors.Is(err, nlattr.ErrLength) {
			t.Errorf("%s: decode of what the encoder refuses: %v, want ErrLength", p.name, err)
		}
	}
}
