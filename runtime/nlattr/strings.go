package nlattr

import (
	"hash/maphash"
	"sync/atomic"
	"unsafe"
)

// MaxCachedString is the longest string a StringCache keeps; longer ones
// are copied as usual.
const MaxCachedString = 64

// maxCacheSlots caps NewStringCache.
const maxCacheSlots = 1 << 20

// StringCache interns the strings decoders copy out of messages. Netlink
// names repeat: a poll of the datapaths, a dump of the vports, the
// families nlctrl lists, the devices of netdev. With a cache in
// DecodeOptions.Strings, a decoder that meets bytes it has met before
// returns the string it made then, so a name costs one allocation the
// first time and none after; unlike AliasStrings the strings never share
// the message buffer, so the caller may keep them.
//
// The cache is a fixed table of slots, each holding the last string that
// hashed to it; a new string replaces the one in its slot, so the memory
// it holds is bounded by its size. Make it larger than the set of names
// in play: two hot names sharing a slot evict each other and cost a hash
// on top of the copy. It is safe for concurrent use. The zero value
// caches nothing; use NewStringCache.
type StringCache struct {
	seed  maphash.Seed
	slots []atomic.Pointer[string]
}

// NewStringCache returns a cache of at least slots slots (a power of two,
// from 16 to 2^20).
func NewStringCache(slots int) *StringCache {
	n := 16
	for n < slots && n < maxCacheSlots {
		n *= 2
	}
	return &StringCache{seed: maphash.MakeSeed(), slots: make([]atomic.Pointer[string], n)}
}

// String returns string(b), from the cache when it holds those bytes.
func (c *StringCache) String(b []byte) string {
	if len(b) == 0 || len(b) > MaxCachedString || len(c.slots) == 0 {
		return string(b)
	}
	slot := &c.slots[maphash.Bytes(c.seed, b)&uint64(len(c.slots)-1)]
	if s := slot.Load(); s != nil && *s == string(b) {
		return *s
	}
	s := newCachedString(b)
	slot.Store(s)
	return *s
}

// newCachedString copies b into one allocation that holds both the bytes
// and the string header the slot points to, so a miss costs one
// allocation, as a plain copy does; three sizes keep short names small.
func newCachedString(b []byte) *string {
	switch {
	case len(b) <= 16:
		return cachedString[[16]byte](b)
	case len(b) <= 32:
		return cachedString[[32]byte](b)
	}
	return cachedString[[MaxCachedString]byte](b)
}

func cachedString[B [16]byte | [32]byte | [MaxCachedString]byte](b []byte) *string {
	e := new(struct {
		s   string
		buf B
	})
	p := (*byte)(unsafe.Pointer(&e.buf))
	e.s = unsafe.String(p, copy(unsafe.Slice(p, len(e.buf)), b))
	return &e.s
}
