package nlattr

import (
	"hash/maphash"
	"sync/atomic"
)

// MaxCachedString is the longest string a StringCache keeps; longer ones
// are copied as usual.
const MaxCachedString = 64

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
// it holds is bounded by its size. It is safe for concurrent use.
type StringCache struct {
	seed  maphash.Seed
	slots []atomic.Pointer[string]
}

// NewStringCache returns a cache of at least slots slots (a power of two,
// 16 or more).
func NewStringCache(slots int) *StringCache {
	n := 16
	for n < slots {
		n *= 2
	}
	return &StringCache{seed: maphash.MakeSeed(), slots: make([]atomic.Pointer[string], n)}
}

// String returns string(b), from the cache when it holds those bytes.
func (c *StringCache) String(b []byte) string {
	if len(b) == 0 || len(b) > MaxCachedString {
		return string(b)
	}
	slot := &c.slots[maphash.Bytes(c.seed, b)&uint64(len(c.slots)-1)]
	if s := slot.Load(); s != nil && *s == string(b) {
		return *s
	}
	s := string(b)
	slot.Store(&s)
	return s
}
