package nlattr

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

func TestStringCacheInterns(t *testing.T) {
	c := NewStringCache(0)
	if len(c.slots) != 16 {
		t.Fatalf("%d slots, want at least 16", len(c.slots))
	}
	in := []byte("ovs-system")
	first := c.String(in)
	again := c.String([]byte("ovs-system"))
	if first != "ovs-system" || unsafe.StringData(first) != unsafe.StringData(again) {
		t.Fatalf("second sight of the same bytes made a new string")
	}
	if unsafe.StringData(first) == &in[0] {
		t.Fatal("the cached string shares the input")
	}
	in[0] = 'X' // the caller reuses its buffer: the string must not change
	if first != "ovs-system" {
		t.Fatalf("cached string changed with the input: %q", first)
	}
	if n := testing.AllocsPerRun(100, func() { _ = c.String([]byte("ovs-system")) }); n != 0 {
		t.Errorf("a cached string allocates %v times", n)
	}
	long := []byte(strings.Repeat("x", MaxCachedString+1))
	if a, b := c.String(long), c.String(long); unsafe.StringData(a) == unsafe.StringData(b) || a != string(long) {
		t.Error("a string over MaxCachedString was cached")
	}
	if c.String(nil) != "" {
		t.Error("empty bytes are not the empty string")
	}
}

// TestStringCacheStaysBoundedAndCorrect: many distinct names through a
// small cache, from several goroutines: every result equals its input.
func TestStringCacheStaysBoundedAndCorrect(t *testing.T) {
	c := NewStringCache(16)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				name := fmt.Sprintf("vport%d-%d", g, i%300)
				if got := c.String([]byte(name)); got != name {
					t.Errorf("got %q for %q", got, name)
					return
				}
			}
		}()
	}
	wg.Wait()
	if len(c.slots) != 16 {
		t.Fatalf("cache grew to %d slots", len(c.slots))
	}
}

func TestDecodeOptionsStringSources(t *testing.T) {
	p := []byte("br0\x00")
	cache := NewStringCache(16)
	for _, c := range []struct {
		name    string
		o       DecodeOptions
		aliases bool
	}{
		{"copy", DecodeOptions{}, false},
		{"alias", DecodeOptions{AliasStrings: true}, true},
		{"Copy beats alias", DecodeOptions{AliasStrings: true, Copy: true}, false},
		{"cache", DecodeOptions{Strings: cache}, false},
		{"alias beats cache", DecodeOptions{AliasStrings: true, Strings: cache}, true},
	} {
		s := c.o.String(p)
		if s != "br0" || (unsafe.StringData(s) == &p[0]) != c.aliases {
			t.Errorf("%s: %q, aliasing %v", c.name, s, unsafe.StringData(s) == &p[0])
		}
	}
	if a, b := (DecodeOptions{Strings: cache}).String(p), (DecodeOptions{Strings: cache}).String(p); unsafe.StringData(a) != unsafe.StringData(b) {
		t.Error("DecodeOptions.Strings did not intern")
	}
}

func TestStringCacheMissIsOneAllocation(t *testing.T) {
	c := NewStringCache(16)
	names := make([][]byte, 64)
	for i := range names {
		names[i] = []byte(fmt.Sprintf("name-%02d", i))
	}
	i := 0
	// 64 names through 16 slots: most lookups miss.
	if n := testing.AllocsPerRun(200, func() { _ = c.String(names[i%64]); i++ }); n > 1 {
		t.Errorf("a miss costs %v allocations, want 1", n)
	}
	for _, n := range []int{1, 17, 40, MaxCachedString} {
		b := []byte(strings.Repeat("y", n))
		if s := c.String(b); s != string(b) {
			t.Errorf("%d bytes: got %q", n, s)
		}
	}
}

func TestStringCacheZeroValueAndHugeSizes(t *testing.T) {
	var zero StringCache
	if s := (DecodeOptions{Strings: &zero}).String([]byte("br0\x00")); s != "br0" {
		t.Fatalf("zero cache: %q", s)
	}
	if c := NewStringCache(math.MaxInt); len(c.slots) != maxCacheSlots {
		t.Fatalf("NewStringCache(MaxInt) has %d slots", len(c.slots))
	}
}
