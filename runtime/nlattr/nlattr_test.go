package nlattr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/mdlayher/netlink"
)

// encodeSample builds the same message with this package and returns it.
func encodeSample(b []byte) []byte {
	b = AppendU8(b, 1, 0xab)
	b = AppendU16(b, 2, 0xbeef)
	b = AppendU32(b, 3, 0xdeadbeef)
	b = AppendU64(b, 4, 0x0102030405060708)
	b = AppendString(b, 5, "ovs-system")
	b = AppendBytes(b, 6, []byte{1, 2, 3, 4, 5})
	b = AppendFlag(b, 7)
	b, nest := BeginNest(b, 8)
	b = AppendU32(b, 1, 42)
	b = AppendString(b, 2, "br0")
	b, inner := BeginNest(b, 3)
	b = AppendU16(b, 1, 7)
	b = EndNest(b, inner)
	b = EndNest(b, nest)
	return b
}

func TestMatchesMdlayherEncoder(t *testing.T) {
	ae := netlink.NewAttributeEncoder()
	ae.Uint8(1, 0xab)
	ae.Uint16(2, 0xbeef)
	ae.Uint32(3, 0xdeadbeef)
	ae.Uint64(4, 0x0102030405060708)
	ae.String(5, "ovs-system")
	ae.Bytes(6, []byte{1, 2, 3, 4, 5})
	ae.Flag(7, true)
	ae.Nested(8, func(nae *netlink.AttributeEncoder) error {
		nae.Uint32(1, 42)
		nae.String(2, "br0")
		nae.Nested(3, func(n2 *netlink.AttributeEncoder) error {
			n2.Uint16(1, 7)
			return nil
		})
		return nil
	})
	want, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got := encodeSample(nil)
	if !bytes.Equal(got, want) {
		t.Fatalf("bytes differ\n got %x\nwant %x", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	b := encodeSample(nil)
	b = AppendS8(b, 9, -1)
	b = AppendS16(b, 10, -2)
	b = AppendS32(b, 11, -3)
	b = AppendS64(b, 12, -4)
	b = AppendBE16(b, 13, 0x1234)
	b = AppendBE32(b, 14, 0x12345678)
	b = AppendBE64(b, 15, 0x1122334455667788)
	b = AppendUint(b, 16, 5)
	b = AppendUint(b, 17, math.MaxUint32+1)
	b = AppendSint(b, 18, -5)
	b = AppendSint(b, 19, math.MinInt32-1)

	it := NewIter(b)
	seen := map[uint16]bool{}
	for it.Next() {
		p := it.Payload()
		seen[it.Type()] = true
		var err error
		check := func(ok bool) {
			t.Helper()
			if err != nil || !ok {
				t.Errorf("type %d: err=%v ok=%v payload=%x", it.Type(), err, ok, p)
			}
		}
		switch it.Type() {
		case 1:
			var v uint8
			v, err = U8(p)
			check(v == 0xab)
		case 2:
			var v uint16
			v, err = U16(p)
			check(v == 0xbeef)
		case 3:
			var v uint32
			v, err = U32(p)
			check(v == 0xdeadbeef)
		case 4:
			var v uint64
			v, err = U64(p)
			check(v == 0x0102030405060708)
		case 5:
			var v string
			v, err = StringStrict(p)
			check(v == "ovs-system")
		case 6:
			check(bytes.Equal(p, []byte{1, 2, 3, 4, 5}))
		case 7:
			err = Flag(p)
			check(true)
		case 8:
			check(it.Nested())
			in := NewIter(p)
			n := 0
			for in.Next() {
				n++
			}
			check(in.Err() == nil && n == 3)
		case 9:
			var v int8
			v, err = S8(p)
			check(v == -1)
		case 10:
			var v int16
			v, err = S16(p)
			check(v == -2)
		case 11:
			var v int32
			v, err = S32(p)
			check(v == -3)
		case 12:
			var v int64
			v, err = S64(p)
			check(v == -4)
		case 13:
			var v uint16
			v, err = BE16(p)
			check(v == 0x1234 && p[0] == 0x12)
		case 14:
			var v uint32
			v, err = BE32(p)
			check(v == 0x12345678 && p[0] == 0x12)
		case 15:
			var v uint64
			v, err = BE64(p)
			check(v == 0x1122334455667788)
		case 16:
			var v uint64
			v, err = Uint(p)
			check(v == 5 && len(p) == 4)
		case 17:
			var v uint64
			v, err = Uint(p)
			check(v == math.MaxUint32+1 && len(p) == 8)
		case 18:
			var v int64
			v, err = Sint(p)
			check(v == -5 && len(p) == 4)
		case 19:
			var v int64
			v, err = Sint(p)
			check(v == math.MinInt32-1 && len(p) == 8)
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 19 {
		t.Fatalf("saw %d types, want 19", len(seen))
	}
}

func TestSizesAreExact(t *testing.T) {
	for _, s := range []string{"", "a", "ab", "abc", "abcd", "abcdefgh"} {
		if got, want := len(AppendString(nil, 1, s)), SizeString(s); got != want {
			t.Errorf("SizeString(%q)=%d, encoded %d", s, want, got)
		}
	}
	for n := range 9 {
		if got, want := len(AppendBytes(nil, 1, make([]byte, n))), SizeBytes(n); got != want {
			t.Errorf("SizeBytes(%d)=%d, encoded %d", n, want, got)
		}
	}
	for _, v := range []uint64{0, math.MaxUint32, math.MaxUint32 + 1} {
		if got, want := len(AppendUint(nil, 1, v)), SizeUint(v); got != want {
			t.Errorf("SizeUint(%d)=%d, encoded %d", v, want, got)
		}
	}
	for _, v := range []int64{0, math.MinInt32, math.MinInt32 - 1, math.MaxInt32 + 1} {
		if got, want := len(AppendSint(nil, 1, v)), SizeSint(v); got != want {
			t.Errorf("SizeSint(%d)=%d, encoded %d", v, want, got)
		}
	}
	if got := len(AppendU8(nil, 1, 0)); got != SizeScalar(1) {
		t.Errorf("u8 size %d", got)
	}
	if got := len(AppendU16(nil, 1, 0)); got != SizeScalar(2) {
		t.Errorf("u16 size %d", got)
	}
	if got := len(AppendFlag(nil, 1)); got != SizeFlag {
		t.Errorf("flag size %d", got)
	}
	b, start := BeginNest(nil, 1)
	b = AppendU32(b, 2, 0)
	b = EndNest(b, start)
	if len(b) != SizeNest(SizeScalar(4)) {
		t.Errorf("nest size %d", len(b))
	}
}

func TestTooLong(t *testing.T) {
	long := string(make([]byte, MaxPayloadLen)) // +NUL = one too many
	if _, err := AppendStringChecked(nil, 3, long); !errors.Is(err, ErrTooLong) {
		t.Fatalf("string: err=%v", err)
	}
	if b, err := AppendStringChecked(nil, 3, long[1:]); err != nil || len(b) != SizeString(long[1:]) {
		t.Fatalf("max string: err=%v", err)
	}
	if _, err := AppendBytesChecked(nil, 3, make([]byte, MaxPayloadLen+1)); !errors.Is(err, ErrTooLong) {
		t.Fatalf("bytes: err=%v", err)
	}
	b, start := BeginNest(nil, 4)
	b = AppendBytes(b, 1, make([]byte, 65528-HeaderLen)) // largest aligned nest content
	if _, err := EndNestChecked(b, start); err != nil {
		t.Fatalf("exactly max nest: %v", err)
	}
	b = AppendU8(b, 2, 0) // 65536 bytes of content
	if _, err := EndNestChecked(b, start); !errors.Is(err, ErrTooLong) {
		t.Fatalf("nest: err=%v", err)
	}
	if _, err := EndNestChecked(b, len(b)); !errors.Is(err, ErrLength) {
		t.Fatalf("bad start: err=%v", err)
	}
	if got := EndNest(b, -1); len(got) != len(b) {
		t.Fatal("EndNest with bad start changed the buffer")
	}
}

func TestIterErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"short header", []byte{8, 0}, ErrTruncated},
		{"len below header", []byte{3, 0, 1, 0}, ErrLength},
		{"len past end", []byte{12, 0, 1, 0, 0, 0, 0, 0}, ErrTruncated},
		{"trailing garbage", append(AppendU32(nil, 1, 1), 0, 0), ErrTruncated},
	}
	for _, c := range cases {
		it := NewIter(c.in)
		for it.Next() {
		}
		if !errors.Is(it.Err(), c.want) {
			t.Errorf("%s: err=%v, want %v", c.name, it.Err(), c.want)
		}
		var ae *AttrError
		if !errors.As(it.Err(), &ae) {
			t.Errorf("%s: not *AttrError", c.name)
		}
	}
	// The last attribute may be unpadded (nla_next tolerates it).
	unpadded := AppendU8(nil, 1, 9)[:5]
	binary.NativeEndian.PutUint16(unpadded, 5)
	it := NewIter(unpadded)
	if !it.Next() || it.Err() != nil || len(it.Payload()) != 1 || it.Next() {
		t.Fatalf("unpadded last attribute: err=%v", it.Err())
	}
}

func TestGetterErrors(t *testing.T) {
	if _, err := U32([]byte{1, 2}); !errors.Is(err, ErrLength) {
		t.Fatal(err)
	}
	err := Annotate(func() error { _, err := U64(nil); return err }(), 0x8005, "ovs_dp.stats")
	var ae *AttrError
	if !errors.As(err, &ae) || ae.Type != 5 || ae.Path != "ovs_dp.stats" || ae.Want != "8 bytes" {
		t.Fatalf("annotate: %#v", err)
	}
	if Annotate(nil, 1, "x") != nil {
		t.Fatal("Annotate(nil) != nil")
	}
	if s, err := String([]byte("abc")); err != nil || s != "abc" {
		t.Fatalf("unterminated string: %q %v", s, err)
	}
	if s, _ := String([]byte("ab\x00cd\x00")); s != "ab" {
		t.Fatalf("embedded NUL: %q", s)
	}
	if _, err := StringStrict([]byte("abc")); !errors.Is(err, ErrLength) {
		t.Fatal("StringStrict accepted unterminated")
	}
	if _, err := StringStrict([]byte("a\x00b\x00")); !errors.Is(err, ErrLength) {
		t.Fatal("StringStrict accepted embedded NUL")
	}
	if err := Flag([]byte{1}); !errors.Is(err, ErrLength) {
		t.Fatal("flag with payload accepted")
	}
	if _, err := Uint(make([]byte, 5)); !errors.Is(err, ErrLength) {
		t.Fatal("uint of 5 bytes accepted")
	}
}

func TestUnknownRoundTrip(t *testing.T) {
	in := encodeSample(nil)
	var us []Unknown
	it := NewIter(in)
	for it.Next() {
		u, err := DecodeOptions{Copy: true}.OnUnknown(&it, "x")
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	out := AppendUnknowns(nil, us)
	if !bytes.Equal(in, out) || SizeUnknowns(us) != len(out) {
		t.Fatalf("unknown round trip differs\n in %x\nout %x", in, out)
	}
	it = NewIter(in)
	it.Next()
	if _, err := (DecodeOptions{Strict: true}).OnUnknown(&it, "x.y"); !errors.Is(err, ErrUnknown) {
		t.Fatalf("strict: %v", err)
	}
	// Copy really copies; default aliases.
	p := it.Payload()
	if c := (DecodeOptions{Copy: true}).Bytes(p); &c[0] == &p[0] {
		t.Fatal("Copy did not copy")
	}
	if c := (DecodeOptions{}).Bytes(p); &c[0] != &p[0] {
		t.Fatal("default copied")
	}
}

func TestPayloadCannotClobberNext(t *testing.T) {
	b := AppendU32(nil, 1, 1)
	b = AppendU32(b, 2, 2)
	it := NewIter(b)
	it.Next()
	_ = append(it.Payload(), 0xff)
	it.Next()
	if v, _ := U32(it.Payload()); v != 2 || it.Type() != 2 {
		t.Fatal("append to payload clobbered the next attribute")
	}
}

func TestOffsets(t *testing.T) {
	b := AppendString(nil, 1, "abcde") // 4+6 -> 12 bytes
	b = AppendU32(b, 2, 1)
	it := NewIter(b)
	it.Next()
	it.Next()
	if it.Offset() != 12 {
		t.Fatalf("offset %d, want 12", it.Offset())
	}
}

// TestAppendStringExact: a string with exact-len n has n-1 characters, as
// the kernel's NLA_POLICY_EXACT_LEN(n) takes the payload with its NUL.
func TestAppendStringExact(t *testing.T) {
	b, err := AppendStringExact(nil, 3, "abc", 4)
	if err != nil || !bytes.Equal(b, []byte{8, 0, 3, 0, 'a', 'b', 'c', 0}) {
		t.Fatalf("abc with exact-len 4: % x, %v", b, err)
	}
	for _, s := range []string{"abcd", "ab", "a\x00c"} {
		if b, err := AppendStringExact([]byte{1}, 3, s, 4); !errors.Is(err, ErrLength) || !bytes.Equal(b, []byte{1}) {
			t.Errorf("%q with exact-len 4: % x, %v", s, b, err)
		}
	}
}

// TestKeepUnknownOldCallers: code generated before KeepUnknown lost its
// rest argument still builds and behaves.
func TestKeepUnknownOldCallers(t *testing.T) {
	rest := []byte{4, 0, 9, 0}
	us := KeepUnknown(nil, Unknown{Type: 7}, rest)
	us = KeepUnknown(us, Unknown{Type: 8})
	if len(us) != 2 || us[0].Type != 7 || us[1].Type != 8 {
		t.Fatalf("kept %+v", us)
	}
}

// TestAppendStringRange: min-len and max-len count characters, not the NUL.
func TestAppendStringRange(t *testing.T) {
	if b, err := AppendStringRange(nil, 3, "ab", 2, 3); err != nil || len(b) != SizeString("ab") {
		t.Fatalf("ab in 2..3: % x, %v", b, err)
	}
	for _, s := range []string{"a", "abcd"} {
		if b, err := AppendStringRange([]byte{1}, 3, s, 2, 3); !errors.Is(err, ErrLength) || !bytes.Equal(b, []byte{1}) {
			t.Errorf("%q in 2..3: % x, %v", s, b, err)
		}
	}
}
