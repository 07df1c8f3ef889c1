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
	// Ops maps a request command (genlmsghdr.cmd as sent) to its operation
	// (generic netlink).
	Ops map[uint8]OpSchema
	// Types maps a request's nlmsg_type to its operation (classic netlink,
	// RawFamily: RTM_GETLINK = 18, NFNL_SUBSYS_CTNETLINK<<8|IPCTNL_MSG_CT_GET
	// = 0x101, ...).
	Types map[uint16]OpSchema
	// Sets maps an attribute-set name to its attributes by type.
	Sets map[string]map[uint16]AttrSchema
}

// OpSchema names an operation and the attribute set its requests use.
type OpSchema struct {
	Name string
	Set  string
	// HeaderLen is the size of this operation's fixed header when it
	// differs from the family's (netlink-raw operations may override the
	// family's fixed-header); 0 means the family's HeaderLen.
	HeaderLen int
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
	return f.request(cmd, nil).opName()
}

// request describes a generic-netlink request of f for errors.
func (f *Family) request(cmd uint8, payload []byte) *reqDesc {
	if f == nil {
		return &reqDesc{cmd: cmd, payload: payload}
	}
	return &reqDesc{family: f.Name, schema: f.Schema, headerLen: f.HeaderLen, cmd: cmd, payload: payload}
}

// annotate fills the request fields of a kernel error and names the
// attributes its extended ack points at. payload is the request as the
// Conn got it (fixed header, then attributes).
func (f *Family) annotate(e *Error, cmd uint8, payload []byte) {
	if f == nil {
		return
	}
	f.request(cmd, payload).annotate(e)
}

// reqDesc is what errors and warnings need to know of a request, for both
// kinds of netlink: generic (cmd, after a genlmsghdr) and classic (typ, the
// payload right after the nlmsghdr).
type reqDesc struct {
	family    string
	schema    *Schema
	headerLen int
	cmd       uint8
	typ       uint16 // nlmsg_type of a classic-netlink request; 0 for genl
	payload   []byte // fixed header, then attributes
}

// raw reports a classic-netlink request: their types are never below
// NLMSG_MIN_TYPE, so 0 is free to mean generic netlink.
func (r *reqDesc) raw() bool { return r.typ != 0 }

func (r *reqDesc) op() (OpSchema, bool) {
	if r.schema == nil {
		return OpSchema{}, false
	}
	if r.raw() {
		op, ok := r.schema.Types[r.typ]
		return op, ok
	}
	op, ok := r.schema.Ops[r.cmd]
	return op, ok
}

func (r *reqDesc) opName() string {
	op, _ := r.op()
	return op.Name
}

func (r *reqDesc) name() string { return requestName(r.family, r.opName(), r.cmd, r.typ) }

// annotate fills the request fields of e and names the attributes its
// extended ack points at.
func (r *reqDesc) annotate(e *Error) {
	e.Family, e.Cmd, e.Type, e.Op = r.family, r.cmd, r.typ, r.opName()
	set, attrs, base, ok := r.requestAttrs()
	if !ok {
		return
	}
	if e.Offset >= 0 {
		e.Attr, _ = r.schema.find(set, attrs, base, e.Offset)
	}
	if e.HasMissing {
		prefix, nest := "", set
		if e.MissingNest != 0 {
			p, a := r.schema.find(set, attrs, base, int(e.MissingNest))
			if p == "" || a.Nest == "" {
				return
			}
			prefix, nest = p+".", a.Nest
		}
		e.Missing = prefix + r.schema.attrName(nest, uint16(e.MissingType))
	}
}

// annotateWarning is annotate for a Warning.
func (r *reqDesc) annotateWarning(w *Warning) {
	e := &Error{Offset: w.Offset}
	r.annotate(e)
	w.Family, w.Op, w.Cmd, w.Type, w.Attr = e.Family, e.Op, e.Cmd, e.Type, e.Attr
}

// requestAttrs locates the attributes of a request: its set, the bytes and
// their offset from the start of the nlmsghdr.
func (r *reqDesc) requestAttrs() (set string, attrs []byte, base int, ok bool) {
	op, found := r.op()
	if !found || op.Set == "" {
		return "", nil, 0, false
	}
	hl := r.headerLen
	if op.HeaderLen != 0 {
		hl = op.HeaderLen
	}
	if hl > len(r.payload) {
		return "", nil, 0, false
	}
	base = HeaderLen + hl
	if !r.raw() {
		base += GenlHeaderLen
	}
	return op.Set, r.payload[hl:], base, true
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
