package nlattr

import (
	"errors"
	"testing"
)

// The inlinable Next relies on NewIter having checked the framing, so the
// well-formed prefix of a malformed list must still be walked, in order,
// before the error shows.
func TestIterWalksPrefixBeforeFramingError(t *testing.T) {
	b := AppendU32(nil, 1, 7)
	b = AppendU16(b, 2, 9)
	b = append(b, 0xff, 0x00) // two trailing bytes
	it := NewIter(b)
	var seen []uint16
	var offsets []int
	for it.Next() {
		seen = append(seen, it.Type())
		offsets = append(offsets, it.Offset())
	}
	if len(seen) != 2 || seen[0] != 1 || seen[1] != 2 || offsets[0] != 0 || offsets[1] != 8 {
		t.Fatalf("walked types %v at offsets %v, want [1 2] at [0 8]", seen, offsets)
	}
	if !errors.Is(it.Err(), ErrTruncated) {
		t.Fatalf("Err = %v, want ErrTruncated", it.Err())
	}
	if it.Next() || it.Payload() != nil || it.Type() != 0 {
		t.Fatal("Next after the error must stay false with no current attribute")
	}
}

func TestIterLastAttributeWithoutPadding(t *testing.T) {
	b := AppendU32(nil, 1, 7)
	b = append(b, 5, 0, 3, 0, 'x') // nla_len 5, no padding
	it := NewIter(b)
	n := 0
	for it.Next() {
		n++
		if n == 2 && (string(it.Payload()) != "x" || it.Offset() != 8) {
			t.Fatalf("last attribute payload %q at %d", it.Payload(), it.Offset())
		}
	}
	if n != 2 || it.Err() != nil {
		t.Fatalf("walked %d attributes, err %v", n, it.Err())
	}
}

func TestAliasStrings(t *testing.T) {
	p := []byte("ovs-system\x00")
	copied := DecodeOptions{}.String(p)
	aliased := DecodeOptions{AliasStrings: true}.String(p)
	forced := DecodeOptions{AliasStrings: true, Copy: true}.String(p)
	p[0] = 'O'
	if copied != "ovs-system" || forced != "ovs-system" {
		t.Fatalf("copies changed with the buffer: %q %q", copied, forced)
	}
	if aliased != "Ovs-system" {
		t.Fatalf("aliased string %q does not share the buffer", aliased)
	}
	if n := testing.AllocsPerRun(100, func() { aliased = DecodeOptions{AliasStrings: true}.String(p) }); n != 0 {
		t.Fatalf("aliased string: %v allocs, want 0", n)
	}
	if s := (DecodeOptions{AliasStrings: true}).String([]byte{0}); s != "" {
		t.Fatal("empty string")
	}
}

func TestCheckWidth(t *testing.T) {
	if CheckWidth(1, 255, 8) != nil || CheckWidth(1, 1<<63, 64) != nil || CheckWidth(1, 65535, 16) != nil {
		t.Fatal("values that fit are rejected")
	}
	err := CheckWidth(3, 256, 8)
	var ae *AttrError
	if !errors.As(err, &ae) || !errors.Is(err, ErrRange) || ae.Type != 3 {
		t.Fatalf("256 in a u8: %v", err)
	}
}

func TestCount(t *testing.T) {
	b := AppendU32(nil, 1, 7)
	b = AppendFlag(b, 2)
	b = append(b, 5, 0, 3, 0, 'x') // unpadded last attribute
	if n := Count(b); n != 3 {
		t.Fatalf("Count = %d, want 3", n)
	}
	if n := Count(append(AppendFlag(nil, 1), 0xff, 0xff, 1, 0)); n != 1 {
		t.Fatalf("Count stops at the first malformed header: got %d", n)
	}
	if Count(nil) != 0 {
		t.Fatal("Count(nil)")
	}
}

// Split, the generated decoders' loop, walks what Iter walks and stops
// where Frame finds the framing error.
func TestSplit(t *testing.T) {
	b := AppendU32(nil, 1, 7)
	b = AppendBytes(b, 2|FlagNested, []byte{9})
	b = append(b, 0xff, 0xff) // 2 bytes of garbage
	attrs, err := Frame(b)
	if !errors.Is(err, ErrTruncated) || len(attrs) != len(b)-2 {
		t.Fatalf("Frame: %d bytes, %v", len(attrs), err)
	}
	var types []uint16
	var payloads []string
	rest := b
	for len(rest) > 0 {
		typ, p, next, ok := Split(rest)
		if !ok {
			err = FramingError(rest)
			break
		}
		rest = next
		types = append(types, typ)
		payloads = append(payloads, string(p))
		if cap(p) != len(p) {
			t.Fatal("payload capacity runs into the next attribute")
		}
	}
	if !errors.Is(err, ErrTruncated) || len(types) != 2 || types[0] != 1 || types[1] != 2|FlagNested || payloads[1] != "\x09" {
		t.Fatalf("walked %v %q, then %v", types, payloads, err)
	}
	if _, _, _, ok := Split([]byte{2, 0, 1, 0}); ok || !errors.Is(FramingError([]byte{2, 0, 1, 0}), ErrLength) {
		t.Fatal("nla_len 2 accepted")
	}
	unpadded := append(AppendU32(nil, 1, 7), 5, 0, 3, 0, 'x')
	_, _, rest, _ = Split(unpadded)
	if _, p, rest, ok := Split(rest); !ok || string(p) != "x" || len(rest) != 0 {
		t.Fatalf("unpadded last attribute split into %q, %d bytes left", p, len(rest))
	}
	if FramingError(unpadded) != nil || FramingError(nil) != nil {
		t.Fatal("FramingError on well-formed input")
	}
	u, err := DecodeOptions{}.Unknown(2|FlagNested, []byte{1}, "x")
	if err != nil || u.Type != 2|FlagNested {
		t.Fatalf("Unknown %+v %v", u, err)
	}
	if _, err := (DecodeOptions{Strict: true}).Unknown(2|FlagNested, nil, "x"); !errors.Is(err, ErrUnknown) {
		t.Fatalf("strict Unknown: %v", err)
	}
}
