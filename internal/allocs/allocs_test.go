package allocs

import "testing"

var sink []byte

func TestPerCall(t *testing.T) {
	if n, b := PerCall(func() {}); n != 0 || b != 0 {
		t.Errorf("an empty call: %v allocations of %v bytes", n, b)
	}
	if n, b := PerCall(func() { sink = make([]byte, 1000) }); n != 1 || b != 1024 {
		t.Errorf("one 1000-byte slice: %v allocations of %v bytes, want 1 of 1024 (its size class)", n, b)
	}
}
