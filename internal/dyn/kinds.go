package dyn

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// kindCodec is how the dynamic client moves one attribute kind between
// YNL's JSON and the wire: one value per kind owns both directions, found
// by codecOf, so a new kind is one codec here (TestEveryKindHasCodec walks
// ir.AllKinds to keep it so).
type kindCodec interface {
	// encode appends attribute a carrying the JSON value v; sc is the
	// scope of a's set.
	encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error)
	// decode turns attribute a's payload p into what cli.py prints; sc
	// is the scope of a's set.
	decode(a *ir.Attr, p []byte, sc *scope) (any, error)
}

// scope is where a codec runs: how deep the attribute is nested, and the
// objects of the attribute sets around it, innermost first, in which a
// sub-message finds its selector. It follows YNL's SpaceAttrs chain
// (lib/ynl.py): a nest extends the chain, while a sub-message's payload
// and an indexed array's elements start a chain of their own.
type scope struct {
	depth int
	set   *ir.AttrSet    // the set, nil for an indexed array's elements
	dec   *Object        // the set's attributes decoded so far
	enc   map[string]any // the set's JSON input
	outer *scope
}

// nest is the scope of set, nested in sc's set.
func (sc *scope) nest(set *ir.AttrSet, dec *Object, enc map[string]any) *scope {
	return &scope{depth: sc.depth + 1, set: set, dec: dec, enc: enc, outer: sc}
}

// fresh is the scope of set one level deeper with no outer sets.
func (sc *scope) fresh(set *ir.AttrSet, dec *Object, enc map[string]any) *scope {
	return &scope{depth: sc.depth + 1, set: set, dec: dec, enc: enc}
}

// defining is the nearest scope, sc or further out, whose set defines an
// attribute named name, or nil: SpaceAttrs.lookup's search. It is not
// SelectorDepth sets out when the nested set is also reached through a
// longer chain (a set nested both in the selector's set and in a set
// nested there): the IR records the shortest, and the YNL CLI searches
// whichever chain the message has.
func (sc *scope) defining(name string) *scope {
	for ; sc != nil; sc = sc.outer {
		if sc.set != nil && sc.set.Attr(name) != nil {
			return sc
		}
	}
	return nil
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
	case ir.SubMsg:
		return subMsgCodec{k}
	case ir.Unused, ir.Pad:
		return noWireCodec{k}
	}
	return unknownKind{k}
}

// unknownKind is a kind codecOf does not know: it is refused when sent
// and shown as hex when read, never a panic; TestEveryKindHasCodec keeps
// it unused.
type unknownKind struct{ k ir.Kind }

func (c unknownKind) encode([]byte, *ir.Attr, any, *scope) ([]byte, error) {
	return nil, fmt.Errorf("sending %s attributes is not supported", c.k.YNL())
}

func (unknownKind) decode(_ *ir.Attr, p []byte, sc *scope) (any, error) {
	return hex.EncodeToString(p), nil
}

type scalarCodec struct{ k ir.Scalar }

func (c scalarCodec) encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
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

func (c scalarCodec) decode(a *ir.Attr, p []byte, sc *scope) (any, error) {
	v, err := scalar(c.k, p)
	if err != nil {
		return nil, err
	}
	return presentInt(v, c.k.Signed, a.Enum, a.EnumAsFlags, a.DisplayHint), nil
}

type stringCodec struct{}

func (stringCodec) encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("string attribute needs a JSON string, got %v", v)
	}
	if err := checkText(s); err != nil {
		return nil, err
	}
	return nlattr.AppendStringChecked(b, a.ID, s)
}

func (stringCodec) decode(_ *ir.Attr, p []byte, sc *scope) (any, error) { return nlattr.String(p) }

type flagCodec struct{}

func (flagCodec) encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
	set, ok := v.(bool)
	if !ok {
		return nil, fmt.Errorf("flag attribute needs true or false, got %v", v)
	}
	if set {
		b = nlattr.AppendFlag(b, a.ID)
	}
	return b, nil
}

func (flagCodec) decode(_ *ir.Attr, p []byte, sc *scope) (any, error) { return true, nlattr.Flag(p) }

// binaryCodec: bytes (hex or a display hint), a struct as an object, or a
// scalar array (sub-type) as a list.
type binaryCodec struct{ k ir.Binary }

func (c binaryCodec) encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
	p, err := binaryValue(c.k, v, a.DisplayHint)
	if err != nil {
		return nil, err
	}
	return nlattr.AppendBytesChecked(b, a.ID, p)
}

func (c binaryCodec) decode(a *ir.Attr, p []byte, sc *scope) (any, error) {
	return decodeBinary(c.k, p, a.DisplayHint)
}

// bitfield32Codec: {"value": N, "selector": N}.
type bitfield32Codec struct{}

func (bitfield32Codec) encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("bitfield32 needs {\"value\": N, \"selector\": N}")
	}
	var p [8]byte
	for i, key := range []string{"value", "selector"} {
		n, err := toInt(o[key], ir.Scalar{Bits: 32}, a.Enum, a.EnumAsFlags)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		binary.NativeEndian.PutUint32(p[4*i:], uint32(n))
	}
	return nlattr.AppendBytes(b, a.ID, p[:]), nil
}

// decode names both halves by the attribute's enum, as YNL does.
func (bitfield32Codec) decode(a *ir.Attr, p []byte, _ *scope) (any, error) {
	if len(p) != 8 {
		return nil, fmt.Errorf("bitfield32 is %d bytes, want 8", len(p))
	}
	o := NewObject()
	o.Set("value", presentInt(uint64(binary.NativeEndian.Uint32(p)), false, a.Enum, a.EnumAsFlags, ""))
	o.Set("selector", presentInt(uint64(binary.NativeEndian.Uint32(p[4:])), false, a.Enum, a.EnumAsFlags, ""))
	return o, nil
}

// nestCodec: a JSON object of the nested set's attributes.
type nestCodec struct{ k ir.Nest }

func (c nestCodec) encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("nest needs a JSON object of %s attributes", c.k.Set.Name)
	}
	b, start := nlattr.BeginNest(b, a.ID)
	var err error
	if c.k.Set.Masked {
		b, err = encodeMasked(b, c.k.Set, o, sc.nest(c.k.Set, nil, o))
	} else {
		b, err = encodeAttrs(b, c.k.Set, o, sc.nest(c.k.Set, nil, o))
	}
	if err != nil {
		return nil, err
	}
	return nlattr.EndNestChecked(b, start)
}

func (c nestCodec) decode(_ *ir.Attr, p []byte, sc *scope) (any, error) {
	o := NewObject()
	return o, decodeAttrsInto(o, c.k.Set, p, sc.nest(c.k.Set, o, nil))
}

// indexedCodec: a JSON list; each element goes through its kind's codec
// with the element's index as attribute type.
type indexedCodec struct{ k ir.IndexedArray }

func (c indexedCodec) encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("indexed-array needs a JSON list")
	}
	b, start := nlattr.BeginNest(b, a.ID)
	for i, item := range l {
		elem := &ir.Attr{Name: a.Name, ID: uint16(i), Kind: c.k.Elem, Enum: a.Enum, EnumAsFlags: a.EnumAsFlags, DisplayHint: a.DisplayHint}
		var err error
		if b, err = encodeAttr(b, elem, item, sc.fresh(nil, nil, nil)); err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
	}
	return nlattr.EndNestChecked(b, start)
}

func (c indexedCodec) decode(a *ir.Attr, p []byte, sc *scope) (any, error) {
	return decodeIndexed(c.k, a, p, sc)
}

// typeValueCodec: read only, as YNL's _decode_nest_type_value.
type typeValueCodec struct{ k ir.NestTypeValue }

func (c typeValueCodec) encode([]byte, *ir.Attr, any, *scope) ([]byte, error) {
	return nil, fmt.Errorf("sending %s attributes is not supported", c.k.YNL())
}

func (c typeValueCodec) decode(_ *ir.Attr, p []byte, sc *scope) (any, error) {
	return decodeTypeValue(c.k, p, sc)
}

// subMsgCodec: a netlink-raw sub-message, as YNL's _decode_sub_msg and
// _add_attr read and write it. The format is the one its selector
// attribute names: a sibling already decoded (or given in the input) at
// SelectorDepth 0, an attribute of the set nesting it at depth 1. The
// payload is the format's fixed header, whose members become keys of the
// object, then the attributes of its set. A selector the spec has no
// format for leaves the payload as hex (the YNL CLI of Linux 6.12 stops
// with "No message format for ..." there instead), and such hex is
// accepted back when sending.
type subMsgCodec struct{ k ir.SubMsg }

// selector is the selector's value as the format values spell it, or ""
// when it is absent or no string: an integer selector's enum entry name.
func (c subMsgCodec) selector(sc *scope, encoding bool) (string, bool) {
	s := sc.defining(c.k.Selector.Name)
	if s == nil {
		return "", false
	}
	var v any
	var ok bool
	if encoding {
		v, ok = s.enc[c.k.Selector.Name]
	} else if s.dec != nil {
		v, ok = s.dec.Get(c.k.Selector.Name)
	}
	if !ok {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		if e := c.k.Selector.Enum; e != nil {
			for _, ent := range e.Entries {
				if strconv.FormatUint(ent.Value, 10) == x.String() {
					return ent.Name, true
				}
			}
		}
		return x.String(), true
	}
	return fmt.Sprint(v), true
}

func (c subMsgCodec) format(sc *scope, encoding bool) (*ir.SubMessageFormat, string, error) {
	sel, ok := c.selector(sc, encoding)
	if !ok {
		return nil, "", fmt.Errorf("sub-message %s needs its selector %s", c.k.Def.Name, c.k.Selector.Name)
	}
	if f := c.k.Def.Format(sel); f != nil {
		return f, sel, nil
	}
	var vals []string
	for _, f := range c.k.Def.Formats {
		vals = append(vals, f.Value)
	}
	return nil, sel, fmt.Errorf("sub-message %s has no format for %s %q; it has: %s", c.k.Def.Name, c.k.Selector.Name, sel, strings.Join(vals, ", "))
}

func (c subMsgCodec) encode(b []byte, a *ir.Attr, v any, sc *scope) ([]byte, error) {
	f, _, err := c.format(sc, true)
	if err != nil {
		if s, isStr := v.(string); isStr && f == nil {
			// hex of a format the spec lacks, as decode shows it
			if p, herr := hex.DecodeString(s); herr == nil {
				return nlattr.AppendBytesChecked(b, a.ID, p)
			}
		}
		return nil, err
	}
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("sub-message %s (%s) needs a JSON object", c.k.Def.Name, f.Value)
	}
	id := a.ID
	if f.AttrSet != nil {
		id |= nlattr.FlagNested // as YNL sends a format with attributes
	}
	b, start := nlattr.BeginNest(b, 0)
	used := map[string]bool{}
	if f.FixedHeader != nil {
		hdr, err := encodeStruct(f.FixedHeader, o, used)
		if err != nil {
			return nil, err
		}
		b = append(b, hdr...)
	}
	rest := map[string]any{}
	for k, x := range o {
		if !used[k] {
			rest[k] = x
		}
	}
	switch {
	case f.AttrSet != nil:
		if b, err = encodeAttrs(b, f.AttrSet, rest, sc.fresh(f.AttrSet, nil, rest)); err != nil {
			return nil, err
		}
	case len(rest) > 0:
		return nil, fmt.Errorf("sub-message %s (%s) has no attributes; cannot send %s", c.k.Def.Name, f.Value, strings.Join(sortedKeys(rest), ", "))
	}
	b, err = nlattr.EndNestChecked(b, start)
	if err == nil {
		binary.NativeEndian.PutUint16(b[start+2:], id)
	}
	return b, err
}

func (c subMsgCodec) decode(_ *ir.Attr, p []byte, sc *scope) (any, error) {
	f, _, err := c.format(sc, false)
	if err != nil {
		return hex.EncodeToString(p), nil
	}
	o := NewObject()
	if f.FixedHeader != nil {
		if len(p) < f.FixedHeader.Size {
			return nil, fmt.Errorf("sub-message %s (%s) is %d bytes, shorter than its fixed header %s (%d)", c.k.Def.Name, f.Value, len(p), f.FixedHeader.Name, f.FixedHeader.Size)
		}
		if err := decodeStructInto(o, f.FixedHeader, p[:f.FixedHeader.Size]); err != nil {
			return nil, err
		}
		p = p[f.FixedHeader.Size:]
	}
	if f.AttrSet != nil {
		return o, decodeAttrsInto(o, f.AttrSet, p, sc.fresh(f.AttrSet, o, nil))
	}
	return o, nil
}

// noWireCodec: unused and pad ids carry nothing; one that arrives anyway
// shows as hex.
type noWireCodec struct{ k ir.Kind }

func (c noWireCodec) encode([]byte, *ir.Attr, any, *scope) ([]byte, error) {
	return nil, fmt.Errorf("sending %s attributes is not supported", c.k.YNL())
}

func (noWireCodec) decode(_ *ir.Attr, p []byte, sc *scope) (any, error) {
	return hex.EncodeToString(p), nil
}
