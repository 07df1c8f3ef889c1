// Package dyn is a dynamic netlink client driven by the IR (generic
// netlink, and classic netlink for netlink-raw specs): it
// encodes a JSON request into attributes and decodes replies into JSON,
// with no generated code, so any spec can be tried against a kernel (or
// the OVS Windows driver) while debugging.
//
// The JSON follows the kernel's YNL CLI (tools/net/ynl, --output-json):
// keys are the spec's dashed names in wire order, then the fixed header's
// members (merged in as the CLI's dict.update does: a member named like an
// attribute takes its value and place); nests, structs and sub-messages are
// objects; flags (and enum-as-flags values)
// are lists of names; enums are names; binary is hex unless a display hint
// says mac, ipv4, ipv6 or uuid; multi-attr attributes are lists; an
// attribute the spec does not know is kept as "UnknownAttr(N)" with its
// payload in hex (or decoded as a nest when it has NLA_F_NESTED).
package dyn

import (
	"bytes"
	"encoding/json"
)

// Object is a JSON object that keeps its keys in insertion (wire) order, as
// YNL's Python dicts do, so output is deterministic and reads like the
// message.
type Object struct {
	keys []string
	vals map[string]any
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{vals: map[string]any{}} }

// Set adds or replaces a key; a replaced key keeps its first position.
func (o *Object) Set(key string, v any) {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = v
}

// Get returns the value of key.
func (o *Object) Get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// Keys returns the keys in order.
func (o *Object) Keys() []string { return append([]string(nil), o.keys...) }

// Len is the number of keys.
func (o *Object) Len() int { return len(o.keys) }

// MarshalJSON writes the keys in order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// add follows YNL's _rsp_add: a multi-attr attribute is always a list; a
// repeated attribute the spec does not mark multi-attr keeps the last
// value, except unknown attributes, which become a list on repetition.
func (o *Object) add(key string, multi, unknown bool, v any) {
	prev, seen := o.vals[key]
	switch {
	case multi && seen:
		o.vals[key] = append(prev.([]any), v)
	case multi:
		o.Set(key, []any{v})
	case unknown && seen:
		if l, ok := prev.([]any); ok {
			o.vals[key] = append(l, v)
		} else {
			o.vals[key] = []any{prev, v}
		}
	default:
		o.Set(key, v)
	}
}
