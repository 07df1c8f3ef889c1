package dyn

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// EncodeMessage encodes a request: the fixed header from the members named
// at the top level (zero when absent, as YNL does), then the attributes of
// set from the remaining keys, in id order.
func EncodeMessage(fixed *ir.Struct, set *ir.AttrSet, in map[string]any) ([]byte, error) {
	var b []byte
	used := map[string]bool{}
	if fixed != nil {
		hdr, err := encodeStruct(fixed, in, used)
		if err != nil {
			return nil, err
		}
		b = append(b, hdr...)
	}
	rest := map[string]any{}
	for k, v := range in {
		if !used[k] {
			rest[k] = v
		}
	}
	if set == nil {
		if len(rest) > 0 {
			return nil, fmt.Errorf("the operation has no attribute set; cannot send %s", strings.Join(sortedKeys(rest), ", "))
		}
		return b, nil
	}
	return encodeAttrs(b, set, rest, &scope{set: set, enc: rest})
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// encodeAttrs encodes the attributes of set from in; sc is the set's
// scope, whose enc is in.
func encodeAttrs(b []byte, set *ir.AttrSet, in map[string]any, sc *scope) ([]byte, error) {
	if sc.depth > maxNestDepth {
		return nil, fmt.Errorf("input nested deeper than %d levels", maxNestDepth)
	}
	for _, k := range sortedKeys(in) {
		if a := set.Attr(k); a == nil || !ir.OnWire(a.Kind) {
			var names []string
			for _, a := range set.Attrs {
				if ir.OnWire(a.Kind) {
					names = append(names, a.Name)
				}
			}
			return nil, fmt.Errorf("attribute set %q has no attribute %q; it has: %s", set.Name, k, strings.Join(names, ", "))
		}
	}
	for _, a := range set.Attrs {
		v, ok := in[a.Name]
		if !ok {
			continue
		}
		vals := []any{v}
		if a.MultiAttr {
			l, isList := v.([]any)
			if !isList {
				return nil, fmt.Errorf("%s: multi-attr attribute needs a list", a.Name)
			}
			vals = l
		}
		for _, v := range vals {
			var err error
			if b, err = encodeAttr(b, a, v, sc); err != nil {
				return nil, fmt.Errorf("%s: %w", a.Name, err)
			}
		}
	}
	return b, nil
}

func encodeAttr(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
	return codecOf(a.Kind).encode(b, a, v, sc)
}

func appendScalar(b []byte, id uint16, k ir.Scalar, n uint64) []byte {
	switch {
	case k.Variable && k.Signed:
		return nlattr.AppendSint(b, id, int64(n))
	case k.Variable:
		return nlattr.AppendUint(b, id, n)
	}
	p := make([]byte, k.Bytes())
	putScalar(p, k, n)
	return nlattr.AppendBytes(b, id, p)
}

func putScalar(p []byte, k ir.Scalar, n uint64) {
	var order binary.ByteOrder = binary.NativeEndian
	if k.BigEndian {
		order = binary.BigEndian
	}
	switch k.Bits {
	case 8:
		p[0] = byte(n)
	case 16:
		order.PutUint16(p, uint16(n))
	case 32:
		order.PutUint32(p, uint32(n))
	default:
		order.PutUint64(p, n)
	}
}

// toInt accepts a JSON number, a numeric string ("0x10"), an enum entry
// name, or a list of flag names, and checks the value fits the scalar.
func toInt(v any, k ir.Scalar, e *ir.Enum, asFlags bool) (uint64, error) {
	switch x := v.(type) {
	case json.Number:
		return fitNumber(x.String(), k)
	case float64: // from callers that did not use UseNumber
		if x != math.Trunc(x) {
			return 0, fmt.Errorf("%v is not an integer", x)
		}
		return fitNumber(strconv.FormatFloat(x, 'f', -1, 64), k)
	case string:
		if e != nil {
			if ent := e.Entry(x); ent != nil {
				if e.IsFlags || asFlags {
					return flagMask(e, ent), nil
				}
				return ent.Value, nil
			}
		}
		n, err := fitInt(x, k)
		if err != nil && e != nil {
			return 0, fmt.Errorf("%q is neither a number nor an entry of %s", x, e.Name)
		}
		return n, err
	case []any:
		if e == nil || !(e.IsFlags || asFlags) {
			return 0, fmt.Errorf("a list of names needs a flags attribute")
		}
		var n uint64
		for _, item := range x {
			name, _ := item.(string)
			ent := e.Entry(name)
			if ent == nil {
				return 0, fmt.Errorf("%v is not a flag of %s", item, e.Name)
			}
			n |= flagMask(e, ent)
		}
		return n, nil
	}
	return 0, fmt.Errorf("%s needs a number, got %v", k.YNL(), v)
}

// fitNumber range-checks a JSON number, in any notation that denotes an
// integer, against the scalar.
func fitNumber(s string, k ir.Scalar) (uint64, error) {
	n, err := jsonInt(s)
	if err != nil {
		return 0, err
	}
	lo, hi := new(big.Int), new(big.Int).Lsh(big.NewInt(1), uint(k.Bits))
	if k.Signed {
		lo.Neg(new(big.Int).Lsh(big.NewInt(1), uint(k.Bits-1)))
		hi.Rsh(hi, 1)
	}
	if n.Cmp(lo) < 0 || n.Cmp(hi) >= 0 {
		return 0, fmt.Errorf("%s does not fit %s", s, k.YNL())
	}
	if n.Sign() < 0 {
		return uint64(n.Int64()), nil
	}
	return n.Uint64(), nil
}

func fitInt(s string, k ir.Scalar) (uint64, error) {
	if k.Signed {
		n, err := strconv.ParseInt(s, 0, k.Bits)
		if err != nil {
			return 0, fmt.Errorf("%s does not fit %s", s, k.YNL())
		}
		return uint64(n), nil
	}
	n, err := strconv.ParseUint(s, 0, k.Bits)
	if err != nil {
		return 0, fmt.Errorf("%s does not fit %s", s, k.YNL())
	}
	return n, nil
}

// binaryValue reads binary input: an object for a struct, a list for a
// scalar array, and otherwise hex or the display hint's notation.
func binaryValue(k ir.Binary, v any, hint string) ([]byte, error) {
	switch {
	case k.Struct != nil:
		o, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("struct %s needs a JSON object", k.Struct.CName)
		}
		used := map[string]bool{}
		p, err := encodeStruct(k.Struct, o, used)
		if err == nil && len(used) != len(o) {
			err = fmt.Errorf("struct %s has no member %s", k.Struct.CName, strings.Join(unused(o, used), ", "))
		}
		return p, err
	case k.Elem != nil:
		l, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s[] needs a JSON list", k.Elem.YNL())
		}
		var out []byte
		for _, item := range l {
			n, err := toInt(item, *k.Elem, nil, false)
			if err != nil {
				return nil, err
			}
			p := make([]byte, k.Elem.Bytes())
			putScalar(p, *k.Elem, n)
			out = append(out, p...)
		}
		return out, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("binary needs a hex string")
	}
	return parseBytes(s, hint)
}

func unused(o map[string]any, used map[string]bool) []string {
	var out []string
	for _, k := range sortedKeys(o) {
		if !used[k] {
			out = append(out, k)
		}
	}
	return out
}

func parseBytes(s, hint string) ([]byte, error) {
	switch hint {
	case "ipv4", "ipv6":
		if a, err := netip.ParseAddr(s); err == nil {
			return a.AsSlice(), nil
		}
	case "mac", "uuid":
		s = strings.NewReplacer(":", "", "-", "").Replace(s)
	}
	p, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not hex", s)
	}
	return p, nil
}

// encodeStruct lays out a struct from the object's members; absent members
// are zero. It marks the keys it consumed in used.
func encodeStruct(s *ir.Struct, in map[string]any, used map[string]bool) ([]byte, error) {
	p := make([]byte, s.Size)
	for _, m := range s.Members {
		v, ok := in[m.Name]
		if !ok {
			continue
		}
		used[m.Name] = true
		if m.IsPad() {
			continue // zeros, as YNL writes them whatever is given
		}
		dst := p[m.Offset : m.Offset+m.Size]
		switch {
		case m.Struct != nil:
			o, isObj := v.(map[string]any)
			if !isObj {
				return nil, fmt.Errorf("member %s needs a JSON object", m.Name)
			}
			inner, err := encodeStruct(m.Struct, o, map[string]bool{})
			if err != nil {
				return nil, err
			}
			copy(dst, inner)
		case m.Type == "string":
			str, isStr := v.(string)
			if !isStr || len(str) >= m.Size {
				return nil, fmt.Errorf("member %s needs a string shorter than %d bytes", m.Name, m.Size)
			}
			if err := checkText(str); err != nil {
				return nil, fmt.Errorf("member %s: %w", m.Name, err)
			}
			copy(dst, str)
		case m.Type == "binary":
			str, _ := v.(string)
			raw, err := parseBytes(str, m.DisplayHint)
			if err != nil || len(raw) != m.Size {
				return nil, fmt.Errorf("member %s needs %d bytes of hex", m.Name, m.Size)
			}
			copy(dst, raw)
		default:
			k := memberScalar(m)
			n, err := toInt(v, k, m.Enum, m.EnumAsFlags)
			if err != nil {
				return nil, fmt.Errorf("member %s: %w", m.Name, err)
			}
			putScalar(dst, k, n)
		}
	}
	return p, nil
}

// encodeMasked writes a masked nest (x-nlgen-masked): each attribute,
// given as {"value": ..., "mask": ...}, goes out as its value followed by
// its mask.
func encodeMasked(b []byte, set *ir.AttrSet, in map[string]any, sc *scope) ([]byte, error) {
	for _, name := range sortedKeys(in) {
		a := set.Attr(name)
		if a == nil {
			var names []string
			for _, x := range set.Attrs {
				names = append(names, x.Name)
			}
			return nil, fmt.Errorf("masked set %q has no attribute %q; it has: %s", set.Name, name, strings.Join(names, ", "))
		}
		o, ok := in[name].(map[string]any)
		if !ok || o["value"] == nil || o["mask"] == nil || len(o) != 2 {
			return nil, fmt.Errorf("%s: a masked attribute needs a JSON object with value and mask", name)
		}
		var payload []byte
		for _, half := range []string{"value", "mask"} {
			one, err := encodeAttr(nil, a, o[half], sc)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", name, half, err)
			}
			payload = append(payload, one[nlattr.HeaderLen:nlattr.HeaderLen+int(binary.NativeEndian.Uint16(one))-nlattr.HeaderLen]...)
		}
		if err := nlattr.CheckMasked(a.ID, payload); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		b = nlattr.AppendBytes(b, a.ID, payload)
	}
	return b, nil
}
