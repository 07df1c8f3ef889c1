package nlattr

import "strconv"

// Masked is a value and its mask, as a masked nest carries one attribute
// (OVS's OVS_ACTION_ATTR_SET_MASKED: the key attribute's payload is the
// value immediately followed by a mask of the same length). Bits set in
// Mask select the bits of Value that are written; Value must be zero where
// Mask is (the kernel rejects the action otherwise, and so do encoders).
type Masked[T any] struct {
	Value T
	Mask  T
}

// CheckMasked reports ErrRange (as *AttrError) when the value half of a
// masked payload (value then mask, each half the length) has a bit set
// that the mask half clears, which the kernel's validate_masked refuses.
func CheckMasked(typ uint16, p []byte) error {
	n := len(p) / 2
	for i := range n {
		if p[i]&^p[n+i] != 0 {
			return &AttrError{Type: typ & TypeMask, Len: len(p),
				Want: "value bits only where the mask is set (byte " + strconv.Itoa(i) + ")", Err: ErrRange}
		}
	}
	return nil
}

// MaskedCountError is the error of a masked nest that does not hold
// exactly one attribute: the kernel accepts one key per masked set.
func MaskedCountError(path string, n int) error {
	return &AttrError{Path: path, Len: n, Want: "exactly one attribute", Err: ErrLength}
}
