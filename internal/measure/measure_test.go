package measure

import (
	"testing"
	"time"
)

var sink []byte

func TestAllocs(t *testing.T) {
	if n, b := Allocs(func() {}); n != 0 || b != 0 {
		t.Errorf("an empty call: %v allocations of %v bytes", n, b)
	}
	if n, b := Allocs(func() { sink = make([]byte, 1000) }); n != 1 || b != 1024 {
		t.Errorf("one 1000-byte slice: %v allocations of %v bytes, want 1 of 1024 (its size class)", n, b)
	}
}

func TestNsPerCallAndMedian(t *testing.T) {
	if ns := NsPerCall(func() error { time.Sleep(time.Microsecond); return nil }, time.Millisecond); ns < 1000 {
		t.Errorf("a call sleeping 1µs took %v ns", ns)
	}
	if m := Median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3 1 2: %v", m)
	}
	if m := Median(nil); m != 0 {
		t.Errorf("median of none: %v", m)
	}
}
