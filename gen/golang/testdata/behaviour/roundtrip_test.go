package golang

import (
	"errors"
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestRoundTrip: every message encodes to exactly MessageLen bytes and
// decodes back to an equal value, and re-encoding is byte-identical.
func TestRoundTrip(t *testing.T) {
	for name, mk := range ovsMessages() {
		t.Run(name, func(t *testing.T) {
			in := mk()
			b, err := in.AppendMessage(nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(b) != in.MessageLen() {
				t.Fatalf("encoded %d bytes, MessageLen says %d", len(b), in.MessageLen())
			}
			out := reflect.New(reflect.TypeOf(in).Elem()).Interface().(message)
			if err := out.DecodeMessage(b, nlattr.DecodeOptions{Strict: true}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in, out) {
				t.Fatalf("decoded\n%+v\nwant\n%+v", out, in)
			}
			again, _ := out.AppendMessage(nil)
			if string(again) != string(b) {
				t.Fatal("re-encoding differs")
			}
		})
	}
}

// TestPortZeroIsPresent: vport port 0 is OVSP_LOCAL, so a zero port number
// must be sent and must read back as present; an unset one must not.
func TestPortZeroIsPresent(t *testing.T) {
	b, _ := vportNew().AppendMessage(nil)
	var v ovsvport.Vport
	if err := v.DecodeMessage(b, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if port, ok := v.PortNo.Get(); !ok || port != 0 {
		t.Fatalf("port-no = %d, present %v; want 0, present", port, ok)
	}
	b, _ = (&ovsvport.Vport{Name: nlattr.Some("br0")}).AppendMessage(nil)
	v = ovsvport.Vport{}
	if err := v.DecodeMessage(b, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if v.PortNo.Present {
		t.Fatal("absent port-no decoded as present")
	}
}

// TestUnknownKeptOrRejected: an attribute the schema does not know is kept
// and re-encoded by default and is an ErrUnknown error in strict mode.
func TestUnknownKeptOrRejected(t *testing.T) {
	b, _ := vportNew().AppendMessage(nil)
	b = nlattr.AppendU32(b, 200, 9)
	var v ovsvport.Vport
	if err := v.DecodeMessage(b, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(v.Unknown) != 1 || v.Unknown[0].Type != 200 {
		t.Fatalf("unknown attributes = %+v", v.Unknown)
	}
	again, _ := v.AppendMessage(nil)
	if string(again) != string(b) {
		t.Fatal("unknown attribute not re-encoded identically")
	}
	err := (&ovsvport.Vport{}).DecodeMessage(b, nlattr.DecodeOptions{Strict: true})
	if !errors.Is(err, nlattr.ErrUnknown) {
		t.Fatalf("strict decode: %v, want ErrUnknown", err)
	}
}

// TestMalformedRejected: every truncation and a corrupted length of every
// message is an error (or a shorter valid message), never a panic; a
// wrong-sized fixed struct is ErrLength.
func TestMalformedRejected(t *testing.T) {
	for name, mk := range ovsMessages() {
		b, _ := mk().AppendMessage(nil)
		for n := 0; n < len(b); n++ {
			_ = mk().DecodeMessage(b[:n], nlattr.DecodeOptions{})
		}
		if err := mk().DecodeMessage(b[:3], nlattr.DecodeOptions{}); err == nil {
			t.Errorf("%s: 3-byte message (short fixed header) accepted", name)
		}
		bad := append([]byte(nil), b...)
		bad[4] = 0xff // first attribute's nla_len runs past the end
		bad[5] = 0xff
		if err := mk().DecodeMessage(bad, nlattr.DecodeOptions{}); !errors.Is(err, nlattr.ErrTruncated) {
			t.Errorf("%s: oversized nla_len: %v, want ErrTruncated", name, err)
		}
	}
	// A 4-byte stats struct where 64 are declared.
	b, _ := vportNew().AppendMessage(nil)
	b = nlattr.AppendU32(b, ovsvport.AttrVportStats, 1)
	if err := (&ovsvport.Vport{}).DecodeMessage(b, nlattr.DecodeOptions{}); !errors.Is(err, nlattr.ErrLength) {
		t.Errorf("short struct: %v, want ErrLength", err)
	}
}
