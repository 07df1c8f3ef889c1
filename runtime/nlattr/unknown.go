package nlattr

// Unknown is an attribute a decoder did not recognise, kept so that
// read-modify-write round trips do not drop data. Type is the raw
// nla_type including FlagNested/FlagNetByteOrder, so AppendUnknown
// reproduces the original bytes (modulo padding content).
type Unknown struct {
	Type uint16
	Data []byte
}

// AppendUnknown re-encodes u. Like AppendBytes, the caller guarantees the
// payload fits (Data came from a decoded attribute, so it does).
func AppendUnknown(b []byte, u Unknown) []byte { return AppendBytes(b, u.Type, u.Data) }

// AppendUnknowns re-encodes all of us in order.
func AppendUnknowns(b []byte, us []Unknown) []byte {
	for _, u := range us {
		b = AppendBytes(b, u.Type, u.Data)
	}
	return b
}

// SizeUnknowns is the encoded size of AppendUnknowns(us).
func SizeUnknowns(us []Unknown) int {
	n := 0
	for _, u := range us {
		n += SizeBytes(len(u.Data))
	}
	return n
}

// unknownPrealloc is the capacity KeepUnknown gives a set's first
// unknown attribute: a message from a kernel newer than its spec (an
// RTM_NEWLINK of 6.18 carries five attributes rt_link.yaml 6.12 lacks)
// then allocates once rather than once per doubling, without a second
// walk of the message to count them.
const unknownPrealloc = 8

// KeepUnknown appends u, an attribute the decoder does not know, to us.
func KeepUnknown(us []Unknown, u Unknown) []Unknown {
	if us == nil {
		us = make([]Unknown, 0, unknownPrealloc)
	}
	return append(us, u)
}
