package dyn

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// kindCodec is how the dynamic client moves one attribute kind between
// YNL's JSON and the wire: one value per kind owns both directions, found
// by codecOf, so a new kind is one codec here (TestEveryKindHasCodec walks
// ir.AllKinds to keep it so).
type kindCodec interface {
	// encode appends attribute a carrying the JSON value v.
	encode(b []byte, a *ir.Attr, v any, depth int) ([]byte, error)
	// decode turns attribute a's payload p into what cli.py prints.
	decode(a *ir.Attr, p []byte, depth int) (any, error)
}

// codecOf is the codec of kind k: the client's one switch over kinds.
func codecOf(k ir.Kind) kindCodec {
	switch k := k.(type) {
	case ir.Scalar:
		return scalarCodec{k}
	case ir.String:
		return stringCodec{}
	case ir.Flag:
		return flagCodec{}
	case ir.Binary:
		return binaryCodec{k}
	case ir.Bitfield32:
		return bitfield32Codec{}
	case ir.Nest:
		return nestCodec{k}
	case ir.IndexedArray:
		return indexedCodec{k}
	case ir.NestTypeValue:
		return typeValueCodec{k}
	case ir.Unused, ir.Pad:
		return noWireCodec{k}
	}
	return unknownKind{k}
}

// unknownKind is a kind codecOf does not know: it is refused when sent
// and shown as hex when read, never a panic; TestEveryKindHasCodec keeps
// it unused.
type unknownKind struct{ k ir.Kind }

func (c unknownKind) encode([]byte, *ir.Attr, any, int) ([]byte, error) {
	return nil, fmt.Errorf("sending %s attributes is not supported", c.k.YNL())
}

func (unknownKind) decode(_ *ir.Attr, p []byte, _ int) (any, error) {
	return hex.EncodeToString(p), nil
}

type scalarCodec struct{ k ir.Scalar }

func (c scalarCodec) encode(b []byte, a *ir.Attr, v any, _ int) ([]byte, error) {
	if s, ok := v.(string); ok && a.DisplayHint == "ipv4" {
		if ip, err := netip.ParseAddr(s); err == nil && ip.Is4() {
			b4 := ip.As4()
			v = json.Number(strconv.FormatUint(uint64(binary.BigEndian.Uint32(b4[:])), 10))
		}
	}
	n, err := toInt(v, c.k, a.Enum, a.EnumAsFlags)
	if err != nil {
		return nil, err
	}
	return appendScalar(b, a.ID, c.k, n), nil
}

func (c scalarCodec) decode(a *ir.Attr, p []byte, _ int) (any, error) {
	v, err := scalar(c.k, p)
	if err != nil {
		return nil, err
	}
	return presentInt(v, c.k.Signed, a.Enum, a.EnumAsFlags, a.DisplayHint), nil
}

type stringCodec struct{}

func (stringCodec) encode(b []byte, a *ir.Attr, v any, _ int) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("string attribute needs a JSON string, got %v", v)
	}
	if err := checkText(s); err != nil {
		return nil, err
	}
	return nlattr.AppendStringChecked(b, a.ID, s)
}

func (stringCodec) decode(_ *ir.Attr, p []byte, _ int) (any, error) { return nlattr.String(p) }

type flagCodec struct{}

func (flagCodec) encode(b []byte, a *ir.Attr, v any, _ int) ([]byte, error) {
	set, ok := v.(bool)
	if !ok {
		return nil, fmt.Errorf("flag attribute needs true or false, got %v", v)
	}
	if set {
		b = nlattr.AppendFlag(b, a.ID)
	}
	return b, nil
}

func (flagCodec) decode(_ *ir.Attr, p []byte, _ int) (any, error) { return true, nlattr.Flag(p) }

// binaryCodec: bytes (hex or a display hint), a struct as an object, or a
// scalar array (sub-type) as a list.
type binaryCodec struct{ k ir.Binary }

func (c binaryCodec) encode(b []byte, a *ir.Attr, v any, _ int) ([]byte, error) {
	p, err := binaryValue(c.k, v, a.DisplayHint)
	if err != nil {
		return nil, err
	}
	return nlattr.AppendBytesChecked(b, a.ID, p)
}

func (c binaryCodec) decode(a *ir.Attr, p []byte, _ int) (any, error) {
	return decodeBinary(c.k, p, a.DisplayHint)
}

// bitfield32Codec: {"value": N, "selector": N}.
type bitfield32Codec struct{}

func (bitfield32Codec) encode(b []byte, a *ir.Attr, v any, _ int) ([]byte, error) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("bitfield32 needs {\"value\": N, \"selector\": N}")
	}
	var p [8]byte
	for i, key := range []string{"value", "selector"} {
		n, err := toInt(o[key], ir.Scalar{Bits: 32}, nil, false)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		binary.NativeEndian.PutUint32(p[4*i:], uint32(n))
	}
	return nlattr.AppendBytes(b, a.ID, p[:]), nil
}

func (bitfield32Codec) decode(_ *ir.Attr, p []byte, _ int) (any, error) {
	if len(p) != 8 {
		return nil, fmt.Errorf("bitfield32 is %d bytes, want 8", len(p))
	}
	o := NewObject()
	o.Set("value", binary.NativeEndian.Uint32(p))
	o.Set("selector", binary.NativeEndian.Uint32(p[4:]))
	return o, nil
}

// nestCodec: a JSON object of the nested set's attributes.
type nestCodec struct{ k ir.Nest }

func (c nestCodec) encode(b []byte, a *ir.Attr, v any, depth int) ([]byte, error) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("nest needs a JSON object of %s attributes", c.k.Set.Name)
	}
	b, start := nlattr.BeginNest(b, a.ID)
	var err error
	if c.k.Set.Masked {
		b, err = encodeMasked(b, c.k.Set, o, depth+1)
	} else {
		b, err = encodeAttrs(b, c.k.Set, o, depth+1)
	}
	if err != nil {
		return nil, err
	}
	return nlattr.EndNestChecked(b, start)
}

func (c nestCodec) decode(_ *ir.Attr, p []byte, depth int) (any, error) {
	o := NewObject()
	return o, decodeAttrsInto(o, c.k.Set, p, depth+1)
}

// indexedCodec: a JSON list; each element goes through its kind's codec
// with the element's index as attribute type.
type indexedCodec struct{ k ir.IndexedArray }

func (c indexedCodec) encode(b []byte, a *ir.Attr, v any, depth int) ([]byte, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("indexed-array needs a JSON list")
	}
	b, start := nlattr.BeginNest(b, a.ID)
	for i, item := range l {
		elem := &ir.Attr{Name: a.Name, ID: uint16(i), Kind: c.k.Elem, Enum: a.Enum, EnumAsFlags: a.EnumAsFlags, DisplayHint: a.DisplayHint}
		var err error
		if b, err = encodeAttr(b, elem, item, depth+1); err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
	}
	return nlattr.EndNestChecked(b, start)
}

func (c indexedCodec) decode(a *ir.Attr, p []byte, depth int) (any, error) {
	return decodeIndexed(c.k, a, p, depth)
}

// typeValueCodec: read only, as YNL's _decode_nest_type_value.
type typeValueCodec struct{ k ir.NestTypeValue }

func (c typeValueCodec) encode([]byte, *ir.Attr, any, int) ([]byte, error) {
	return nil, fmt.Errorf("sending %s attributes is not supported", c.k.YNL())
}

func (c typeValueCodec) decode(_ *ir.Attr, p []byte, depth int) (any, error) {
	return decodeTypeValue(c.k, p, depth)
}

// noWireCodec: unused and pad ids carry nothing; one that arrives anyway
// shows as hex.
type noWireCodec struct{ k ir.Kind }

func (c noWireCodec) encode([]byte, *ir.Attr, any, int) ([]byte, error) {
	return nil, fmt.Errorf("sending %s attributes is not supported", c.k.YNL())
}

func (noWireCodec) decode(_ *ir.Attr, p []byte, _ int) (any, error) {
	return hex.EncodeToString(p), nil
}
