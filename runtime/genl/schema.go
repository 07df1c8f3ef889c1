package genl

import (
	"strconv"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

// Schema names a family's operations and request attributes, so that
// errors can say "netdev dev-get: EINVAL (missing attribute: ifindex)"
// instead of numbers. Generated packages and nlgen call fill it from the
// spec; a nil Schema leaves errors numeric.
type Schema struct {
	// Ops maps a request command (genlmsghdr.cmd as sent) to its operation.
	Ops map[uint8]OpSchema
	// Sets maps an attribute-set name to its attributes by type.
	Sets map[string]map[uint16]AttrSchema
}

// OpSchema names an operation and the attribute set its requests use.
type OpSchema struct {
	Name string
	Set  string
}

// AttrSchema names an attribute; Nest is the attribute set a nest holds
// (empty for every other type), which is how offsets inside nests and
// attributes missing from a nest are named.
type AttrSchema struct {
	Name string
	Nest string
}

// opName is the operation name for cmd, or "".
func (f *Family) opName(cmd uint8) string {
	if f == nil || f.Schema == nil {
		return ""
	}
	return f.Schema.Ops[cmd].Name
}

// annotate fills the request fields of a kernel error and names the
// attributes its extended ack points at. payload is the request as the
// Conn got it (fixed header, then attributes).
func (f *Family) annotate(e *Error, cmd uint8, payload []byte) {
	if f == nil {
		return
	}
	e.Family, e.Cmd, e.Op = f.Name, cmd, f.opName(cmd)
	set, attrs, base, ok := f.requestAttrs(cmd, payload)
	if !ok {
		return
	}
	if e.Offset >= 0 {
		e.Attr, _ = f.Schema.find(set, attrs, base, e.Offset)
	}
	if e.HasMissing {
		prefix, nest := "", set
		if e.MissingNest != 0 {
			p, a := f.Schema.find(set, attrs, base, int(e.MissingNest))
			if p == "" || a.Nest == "" {
				return
			}
			prefix, nest = p+".", a.Nest
		}
		e.Missing = prefix + f.Schema.attrName(nest, uint16(e.MissingType))
	}
}

// annotateWarning is annotate for a Warning.
func (f *Family) annotateWarning(w *Warning, cmd uint8, payload []byte) {
	e := &Error{Offset: w.Offset}
	f.annotate(e, cmd, payload)
	w.Family, w.Op, w.Cmd, w.Attr = e.Family, e.Op, e.Cmd, e.Attr
}

// requestAttrs locates the attributes of a request: its set, the bytes and
// their offset from the start of the nlmsghdr.
func (f *Family) requestAttrs(cmd uint8, payload []byte) (set string, attrs []byte, base int, ok bool) {
	if f.Schema == nil || f.HeaderLen > len(payload) {
		return "", nil, 0, false
	}
	op, found := f.Schema.Ops[cmd]
	if !found || op.Set == "" {
		return "", nil, 0, false
	}
	return op.Set, payload[f.HeaderLen:], HeaderLen + GenlHeaderLen + f.HeaderLen, true
}

func (s *Schema) attrName(set string, typ uint16) string {
	if a, ok := s.Sets[set][typ]; ok {
		return a.Name
	}
	return "attribute " + strconv.Itoa(int(typ))
}

// find walks attrs (which start base bytes into the request) for the
// attribute whose header starts at offset target, descending into nests,
// and returns its dotted path. An offset inside an attribute that is not
// a nest names that attribute. "" when nothing matches.
func (s *Schema) find(set string, attrs []byte, base, target int) (string, AttrSchema) {
	it := nlattr.NewIter(attrs)
	for it.Next() {
		payload := it.Payload()
		start := base + it.Offset()
		end := start + nlattr.HeaderLen + len(payload)
		if target < start || target >= end {
			continue
		}
		a, known := s.Sets[set][it.Type()]
		name := a.Name
		if !known {
			name = strconv.Itoa(int(it.Type()))
		}
		if target == start || a.Nest == "" {
			return name, a
		}
		if sub, sa := s.find(a.Nest, payload, start+nlattr.HeaderLen, target); sub != "" {
			return name + "." + sub, sa
		}
		return name, a
	}
	return "", AttrSchema{}
}
