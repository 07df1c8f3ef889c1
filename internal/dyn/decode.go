package dyn

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// maxNestDepth bounds recursion into nests the spec does not describe
// (unknown attributes with NLA_F_NESTED), so a hostile reply cannot
// exhaust the stack.
const maxNestDepth = 32

// DecodeMessage decodes a reply payload (fixed header, then attributes of
// set) into an Object. fixed may be nil.
//
// The object is built as the YNL CLI builds it: the attributes first, then
// the fixed header's members merged in (a member named like an attribute,
// as rt-addr's ifa-flags, replaces its value and keeps its place).
func DecodeMessage(fixed *ir.Struct, set *ir.AttrSet, data []byte) (*Object, error) {
	obj := NewObject()
	var hdr []byte
	if fixed != nil {
		if len(data) < fixed.Size {
			return nil, fmt.Errorf("reply is %d bytes, shorter than its fixed header struct %s (%d)", len(data), fixed.CName, fixed.Size)
		}
		hdr, data = data[:fixed.Size], data[fixed.Size:]
	}
	var err error
	if set == nil {
		err = decodeUnknownInto(obj, data, 0)
	} else {
		err = decodeAttrsInto(obj, set, data, &scope{set: set, dec: obj})
	}
	if err != nil {
		return nil, err
	}
	if fixed != nil {
		if err := decodeStructInto(obj, fixed, hdr); err != nil {
			return nil, err
		}
	}
	return obj, nil
}

// decodeAttrsInto decodes attributes of set into obj; sc is the set's
// scope, whose dec is obj.
func decodeAttrsInto(obj *Object, set *ir.AttrSet, b []byte, sc *scope) error {
	depth := sc.depth
	if depth > maxNestDepth {
		return fmt.Errorf("attributes nested deeper than %d levels", maxNestDepth)
	}
	root := set.Root()
	it := nlattr.NewIter(b)
	for it.Next() {
		a := attrByID(root, it.Type())
		if a == nil {
			v, err := decodeUnknown(&it, depth)
			if err != nil {
				return err
			}
			obj.add(fmt.Sprintf("UnknownAttr(%d)", it.Type()), false, true, v)
			continue
		}
		if !ir.OnWire(a.Kind) {
			// A pad or unused id that arrives anyway (nlctrl's policy
			// dumps send 8 bytes under policy-attrs' pad id): shown under
			// its name as YNL's --process-unknown does, hex or a nest.
			v, err := decodeUnknown(&it, depth)
			if err != nil {
				return err
			}
			obj.add(a.Name, false, false, v)
			continue
		}
		var v any
		var err error
		if set.Masked && slices.Contains(set.Attrs, a) {
			v, err = decodeMasked(a, it.Payload(), sc)
		} else {
			v, err = decodeValue(a, it.Payload(), sc)
		}
		if err != nil {
			return fmt.Errorf("%s.%s: %w", set.Name, a.Name, err)
		}
		obj.add(a.Name, a.MultiAttr, false, v)
	}
	return it.Err()
}

func attrByID(s *ir.AttrSet, id uint16) *ir.Attr {
	for _, a := range s.Attrs {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func decodeUnknown(it *nlattr.Iter, depth int) (any, error) {
	if !it.Nested() {
		return hex.EncodeToString(it.Payload()), nil
	}
	inner := NewObject()
	if err := decodeUnknownInto(inner, it.Payload(), depth+1); err != nil {
		return nil, err
	}
	return inner, nil
}

func decodeUnknownInto(obj *Object, b []byte, depth int) error {
	if depth > maxNestDepth {
		return fmt.Errorf("attributes nested deeper than %d levels", maxNestDepth)
	}
	it := nlattr.NewIter(b)
	for it.Next() {
		v, err := decodeUnknown(&it, depth)
		if err != nil {
			return err
		}
		obj.add(fmt.Sprintf("UnknownAttr(%d)", it.Type()), false, true, v)
	}
	return it.Err()
}

func decodeValue(a *ir.Attr, p []byte, sc *scope) (any, error) {
	return codecOf(a.Kind).decode(a, p, sc)
}

// decodeMasked reads a masked nest's attribute (x-nlgen-masked): its
// value followed by a mask of the same length, as {"value", "mask"}.
func decodeMasked(a *ir.Attr, p []byte, sc *scope) (any, error) {
	if len(p)%2 != 0 {
		return nil, fmt.Errorf("masked payload of %d bytes is not a value and a mask of one length", len(p))
	}
	v, err := decodeValue(a, p[:len(p)/2], sc)
	if err != nil {
		return nil, err
	}
	m, err := decodeValue(a, p[len(p)/2:], sc)
	if err != nil {
		return nil, err
	}
	o := NewObject()
	o.Set("value", v)
	o.Set("mask", m)
	return o, nil
}

// decodeIndexed follows YNL's _decode_array_attr: elements in wire order;
// nests keep their index as the key of a one-entry object
// ([{"1": {...}}, {"2": {...}}], as cli.py prints nlctrl's ops), other
// element types are bare values.
func decodeIndexed(k ir.IndexedArray, a *ir.Attr, p []byte, sc *scope) (any, error) {
	out := []any{}
	it := nlattr.NewIter(p)
	for it.Next() {
		elem := &ir.Attr{Name: a.Name, Kind: k.Elem, Enum: a.Enum, EnumAsFlags: a.EnumAsFlags, DisplayHint: a.DisplayHint}
		v, err := decodeValue(elem, it.Payload(), sc.fresh(nil, nil, nil))
		if err != nil {
			return nil, fmt.Errorf("element %d: %w", it.Type(), err)
		}
		if _, nest := k.Elem.(ir.Nest); nest {
			o := NewObject()
			o.Set(strconv.Itoa(int(it.Type())), v)
			v = o
		}
		out = append(out, v)
	}
	return out, it.Err()
}

// decodeTypeValue follows YNL's _decode_nest_type_value: the attribute
// nests one level per type-value key (nlctrl's policy: policy-idx, then
// attr-idx, then the policy attributes, as netlink_policy_dump_write
// builds it), and decodes to one object holding each key's attribute type
// followed by the innermost attributes. The kernel sends one entry per
// message; should several arrive, the result is a list of such objects
// (YNL would keep only the first).
func decodeTypeValue(k ir.NestTypeValue, p []byte, sc *scope) (any, error) {
	depth := sc.depth
	var out []any
	types := make([]uint16, len(k.TypeValue))
	var walk func(p []byte, level int) error
	walk = func(p []byte, level int) error {
		if level == len(k.TypeValue) {
			o := NewObject()
			for i, key := range k.TypeValue {
				o.Set(key, types[i])
			}
			if err := decodeAttrsInto(o, k.Set, p, sc.fresh(k.Set, o, nil)); err != nil {
				return err
			}
			out = append(out, o)
			return nil
		}
		if depth+level > maxNestDepth {
			return fmt.Errorf("attributes nested deeper than %d levels", maxNestDepth)
		}
		it := nlattr.NewIter(p)
		for it.Next() {
			types[level] = it.Type()
			if err := walk(it.Payload(), level+1); err != nil {
				return err
			}
		}
		return it.Err()
	}
	if err := walk(p, 0); err != nil {
		return nil, err
	}
	if len(out) == 1 {
		return out[0], nil
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

func decodeBinary(k ir.Binary, p []byte, hint string) (any, error) {
	switch {
	case k.Struct != nil:
		if len(p) < k.Struct.Size {
			return nil, fmt.Errorf("struct %s is %d bytes, got %d", k.Struct.CName, k.Struct.Size, len(p))
		}
		o := NewObject()
		return o, decodeStructInto(o, k.Struct, p)
	case k.Elem != nil:
		n := k.Elem.Bytes()
		if len(p)%n != 0 {
			return nil, fmt.Errorf("%d bytes is not a whole number of %s", len(p), k.Elem.YNL())
		}
		out := []any{}
		for i := 0; i < len(p); i += n {
			v, err := scalar(*k.Elem, p[i:i+n])
			if err != nil {
				return nil, err
			}
			out = append(out, presentInt(v, k.Elem.Signed, nil, false, hint))
		}
		return out, nil
	}
	return formatBytes(p, hint), nil
}

func decodeStructInto(o *Object, s *ir.Struct, p []byte) error {
	for _, m := range s.Members {
		if m.IsPad() {
			continue // YNL shows nothing of a pad member
		}
		if m.Offset+m.Size > len(p) {
			return fmt.Errorf("struct %s member %s at %d..%d is past the %d-byte payload", s.CName, m.Name, m.Offset, m.Offset+m.Size, len(p))
		}
		mp := p[m.Offset : m.Offset+m.Size]
		switch {
		case m.Struct != nil:
			inner := NewObject()
			if err := decodeStructInto(inner, m.Struct, mp); err != nil {
				return err
			}
			o.Set(m.Name, inner)
		case m.Type == "string":
			s, _ := nlattr.String(mp)
			o.Set(m.Name, s)
		case m.Type == "binary":
			o.Set(m.Name, formatBytes(mp, m.DisplayHint))
		default:
			k := memberScalar(m)
			v, err := scalar(k, mp)
			if err != nil {
				return err
			}
			o.Set(m.Name, presentInt(v, k.Signed, m.Enum, m.EnumAsFlags, m.DisplayHint))
		}
	}
	return nil
}

func memberScalar(m *ir.Member) ir.Scalar {
	return ir.Scalar{Bits: m.Size * 8, Signed: m.Type[0] == 's', BigEndian: m.BigEndian}
}

// scalar reads a scalar as uint64 bits; signed values are sign-extended.
func scalar(k ir.Scalar, p []byte) (uint64, error) {
	if k.Variable {
		if k.Signed {
			v, err := nlattr.Sint(p)
			return uint64(v), err
		}
		return nlattr.Uint(p)
	}
	if len(p) != k.Bytes() {
		return 0, fmt.Errorf("%s is %d bytes, want %d", k.YNL(), len(p), k.Bytes())
	}
	var order binary.ByteOrder = binary.NativeEndian
	if k.BigEndian {
		order = binary.BigEndian
	}
	var v uint64
	switch k.Bits {
	case 8:
		v = uint64(p[0])
	case 16:
		v = uint64(order.Uint16(p))
	case 32:
		v = uint64(order.Uint32(p))
	default:
		v = order.Uint64(p)
	}
	if k.Signed && k.Bits < 64 {
		shift := 64 - k.Bits
		v = uint64(int64(v<<shift) >> shift)
	}
	return v, nil
}

// presentInt turns a number into what YNL shows: enum names, lists of flag
// names, formatted addresses or plain numbers.
func presentInt(v uint64, signed bool, e *ir.Enum, asFlags bool, hint string) any {
	if e != nil {
		if e.IsFlags || asFlags {
			return flagNames(e, v)
		}
		// The last entry of a value names it, as in the YNL CLI's
		// entries_by_val dict: ovs_ct's ip-conntrack-status lists
		// confirmed (8) before dst-nat-done-bit (8), as the uapi enum does.
		for i := len(e.Entries) - 1; i >= 0; i-- {
			if x := e.Entries[i]; x.Value == v {
				return x.Name
			}
		}
	}
	switch hint {
	case "hex":
		return fmt.Sprintf("0x%x", v)
	case "ipv4":
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}).String()
	}
	if signed {
		return int64(v)
	}
	return v
}

// flagNames lists the names of the set bits; bits the spec does not name
// are kept as numbers so nothing the kernel said is lost.
func flagNames(e *ir.Enum, v uint64) []any {
	out := []any{}
	for _, x := range e.Entries {
		if m := flagMask(e, x); m != 0 && v&m == m {
			out = append(out, x.Name)
			v &^= m
		}
	}
	for bit := 0; v != 0; bit++ {
		if v&(1<<bit) != 0 {
			out = append(out, uint64(1)<<bit)
			v &^= 1 << bit
		}
	}
	return out
}

func formatBytes(p []byte, hint string) string {
	addr := hint == "ipv4" || hint == "ipv6"
	switch {
	// YNL formats either hint with ipaddress.ip_address(bytes), which goes
	// by the length: rt-route's rta-dst (hint ipv4) of an IPv6 route
	// prints as IPv6.
	case addr && len(p) == 4:
		return netip.AddrFrom4([4]byte(p)).String()
	case addr && len(p) == 16:
		return netip.AddrFrom16([16]byte(p)).String()
	case hint == "hex":
		// bytes.hex(raw, ' '): "0a 1b 2c"
		s := make([]byte, 0, 3*len(p))
		for i, c := range p {
			if i > 0 {
				s = append(s, ' ')
			}
			s = hex.AppendEncode(s, []byte{c})
		}
		return string(s)
	case hint == "mac":
		s := make([]byte, 0, 3*len(p))
		for i, c := range p {
			if i > 0 {
				s = append(s, ':')
			}
			s = append(s, fmt.Sprintf("%02x", c)...)
		}
		return string(s)
	case hint == "uuid" && len(p) == 16:
		h := hex.EncodeToString(p)
		return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	}
	return hex.EncodeToString(p)
}

// flagMask is the bit of an entry: flags store 1<<bit, while an enum used
// with enum-as-flags numbers its entries by bit position (as YNL does).
func flagMask(e *ir.Enum, x *ir.EnumEntry) uint64 {
	if e.IsFlags {
		return x.Value
	}
	if x.Value >= 64 {
		return 0
	}
	return 1 << x.Value
}
