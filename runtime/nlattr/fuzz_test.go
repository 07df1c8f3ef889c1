package nlattr

import (
	"bytes"
	"testing"
)

// walk exercises every getter on every attribute and recurses into
// payloads as if they were nests, bounded by depth. It must never panic.
func walk(b []byte, depth int) {
	it := NewIter(b)
	for it.Next() {
		p := it.Payload()
		_, _ = U8(p)
		_, _ = U16(p)
		_, _ = U32(p)
		_, _ = U64(p)
		_, _ = S8(p)
		_, _ = S16(p)
		_, _ = S32(p)
		_, _ = S64(p)
		_, _ = BE16(p)
		_, _ = BE32(p)
		_, _ = BE64(p)
		_, _ = Uint(p)
		_, _ = Sint(p)
		_, _ = String(p)
		_, _ = StringStrict(p)
		_ = Flag(p)
		_, _ = DecodeOptions{Strict: depth%2 == 0, Copy: true}.OnUnknown(&it, "f")
		_, _, _, _ = it.Type(), it.Nested(), it.NetByteOrder(), it.Offset()
		if depth < 4 {
			walk(p, depth+1)
		}
	}
	if err := it.Err(); err != nil {
		_ = err.Error()
	}
}

type attr struct {
	raw uint16
	p   []byte
}

func collect(b []byte) ([]attr, error) {
	var out []attr
	it := NewIter(b)
	for it.Next() {
		out = append(out, attr{it.RawType(), it.Payload()})
	}
	return out, it.Err()
}

func FuzzIter(f *testing.F) {
	f.Add(encodeSample(nil))
	f.Add([]byte{})
	f.Add([]byte{4, 0, 1, 0})
	f.Add([]byte{3, 0, 1, 0})
	f.Add([]byte{0xff, 0xff, 0, 0})
	f.Add(append(AppendU32(nil, 1, 1), 0))
	f.Fuzz(func(t *testing.T, b []byte) {
		walk(b, 0)
		// Property: a list that iterates cleanly re-encodes (via Unknown)
		// to a list that iterates to the same attributes.
		attrs, err := collect(b)
		if err != nil {
			return
		}
		var out []byte
		for _, a := range attrs {
			out = AppendUnknown(out, Unknown{Type: a.raw, Data: a.p})
		}
		again, err := collect(out)
		if err != nil || len(again) != len(attrs) {
			t.Fatalf("re-encoded list does not iterate: %v", err)
		}
		for i := range attrs {
			if again[i].raw != attrs[i].raw || !bytes.Equal(again[i].p, attrs[i].p) {
				t.Fatalf("attribute %d differs after re-encoding", i)
			}
		}
		if len(out) != Align(len(b)) && len(out) != len(b) {
			t.Fatalf("re-encoded length %d vs input %d", len(out), len(b))
		}
	})
}
