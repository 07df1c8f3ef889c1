package nlattr

import "testing"

func TestZeroAllocs(t *testing.T) {
	buf := make([]byte, 0, 512)
	enc := testing.AllocsPerRun(200, func() {
		buf = encodeSample(buf[:0])
		buf = AppendUint(buf, 20, 1<<40)
		buf = AppendBE32(buf, 21, 1)
	})
	if enc != 0 {
		t.Errorf("append into reused buffer: %v allocs, want 0", enc)
	}
	msg := encodeSample(nil)
	var sum uint64
	dec := testing.AllocsPerRun(200, func() {
		it := NewIter(msg)
		for it.Next() {
			switch it.Type() {
			case 3:
				v, _ := U32(it.Payload())
				sum += uint64(v)
			case 4:
				v, _ := U64(it.Payload())
				sum += v
			case 5:
				sum += uint64(len(StringView(it.Payload())))
			case 8:
				in := NewIter(it.Payload())
				for in.Next() {
					sum++
				}
			}
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
	})
	if dec != 0 {
		t.Errorf("iteration: %v allocs, want 0", dec)
	}
}

func BenchmarkAppendReused(b *testing.B) {
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = encodeSample(buf[:0])
	}
}

func BenchmarkIter(b *testing.B) {
	msg := encodeSample(nil)
	b.ReportAllocs()
	for b.Loop() {
		it := NewIter(msg)
		for it.Next() {
			_, _ = U32(it.Payload())
		}
	}
}
