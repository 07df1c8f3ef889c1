package ir

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/nlgen/nlgen/schema"
)

// TestWireFacts follows the kernel's include/net/netlink.h: an attribute
// takes nla_total_size(payload) = NLA_HDRLEN (4) + NLA_ALIGN(payload)
// bytes, and an NLA_NUL_STRING's length bound leaves out the NUL the
// payload carries (nla_validate: "minus the terminating NUL").
func TestWireFacts(t *testing.T) {
	for _, c := range []struct {
		k     Kind
		total int
		fixed bool
	}{
		{Scalar{Bits: 8}, 8, true},
		{Scalar{Bits: 16, BigEndian: true}, 8, true},
		{Scalar{Bits: 64}, 12, true},
		{Scalar{Bits: 64, Variable: true}, 0, false},
		{Flag{}, 4, true},
		{Bitfield32{}, 12, true},
		{Binary{Struct: &Struct{Size: 6}}, 12, true},
		{Binary{}, 0, false},
		{String{}, 0, false},
	} {
		n, ok := FixedWireLen(c.k)
		assert.Equal(t, c.fixed, ok, c.k.String())
		assert.Equal(t, c.total, n, c.k.String())
	}

	str := &Attr{Kind: String{}, Checks: Checks{MaxLen: &Limit{Value: 15}}}
	lo, hi := str.PayloadBounds()
	assert.Equal(t, [2]int64{1, 16}, [2]int64{lo, hi}, "an empty string still carries its NUL")
	// exact-len counts the NUL: ynl-gen-c makes it NLA_POLICY_EXACT_LEN,
	// the payload's length, for a string too; the driver's policy says the
	// same length.
	exact := &Attr{Kind: String{}, Checks: Checks{ExactLen: &Limit{Value: 4}}}
	lo, hi = exact.PayloadBounds()
	assert.Equal(t, [2]int64{4, 4}, [2]int64{lo, hi}, "exact-len 4 is a 4-byte payload: 3 characters and the NUL")
	e := DerivePolicyEntry(exact)
	assert.Equal(t, [2]int64{4, 4}, [2]int64{e.MinLen.Value, e.MaxLen.Value}, "NL_POLICY of a string with exact-len 4")
	bin := &Attr{Kind: Binary{}, Checks: Checks{MinLen: &Limit{Value: 2}}}
	lo, hi = bin.PayloadBounds()
	assert.Equal(t, [2]int64{2, -1}, [2]int64{lo, hi})
	assert.True(t, String{}.CountsNUL())
	assert.False(t, Binary{}.CountsNUL())
}

// TestAllKindsCoverTheSchema keeps AllKinds complete: every attribute
// type the schema reader accepts must be the YNL name of a sample, so the
// per-generator tests that walk AllKinds see a new kind as soon as the
// schema admits it.
func TestAllKindsCoverTheSchema(t *testing.T) {
	have := map[string]bool{}
	for _, k := range AllKinds() {
		have[k.YNL()] = true
		if s, ok := k.(Scalar); ok {
			// One sample per scalar shape; the widths share its code.
			for _, bits := range []int{8, 16, 32, 64} {
				have[Scalar{Bits: bits, Signed: s.Signed}.YNL()] = true
			}
		}
	}
	for _, typ := range schema.AttrTypes() {
		if typ == "array-nest" {
			typ = "indexed-array" // the reader's older spelling
		}
		assert.True(t, have[typ], "ir.AllKinds has no sample of attribute type %q", typ)
	}
}
