package golang

import (
	"fmt"

	"github.com/nlgen/nlgen/ir"
)

// Where an operation's request lists fewer attributes than its set has,
// the request gets its own type holding just those (DevGetRequest with
// only Ifindex), so the client's signature says what the operation reads.
// Replies keep the full set type: the kernel may send attributes the
// spec's reply list omits, and decoding them into the set loses nothing.

// narrowRequests adds a request type for every do/dump request that
// narrows its set. A do and a dump asking for the same attributes share
// one type.
func (g *familyGen) narrowRequests(claim func(name, what string) error) error {
	g.requestOf = map[*ir.OpMode]*setInfo{}
	for _, op := range g.fam.Ops {
		if op.AttrSet == nil || op.ReqValue < 0 {
			continue
		}
		full := g.setByName[op.AttrSet]
		if full == nil || !full.topLevel {
			continue
		}
		var doAttrs []*ir.Attr
		for _, m := range []struct {
			mode   *ir.OpMode
			prefix string
		}{{op.Do, ""}, {op.Dump, "Dump"}} {
			if m.mode == nil || m.mode.Request == nil {
				continue
			}
			attrs := inSetOrder(full.set, m.mode.Request.Attrs)
			if len(attrs) == len(onWire(full.set.Attrs)) {
				continue
			}
			if m.mode == op.Dump && op.Do != nil && g.requestOf[op.Do] != nil && sameAttrs(attrs, doAttrs) {
				g.requestOf[op.Dump] = g.requestOf[op.Do]
				continue
			}
			name := m.prefix + op.GoName + "Request"
			if err := claim(name, "request of operation "+op.Name); err != nil {
				return err
			}
			narrowed := &ir.AttrSet{Name: full.set.Name, Doc: full.set.Doc, Family: full.set.Family, SubsetOf: full.set,
				Attrs: attrs, GoName: name}
			si := &setInfo{set: narrowed, typeName: name, topLevel: true, fieldOf: full.fieldOf,
				pathLabel: full.pathLabel, unknown: full.unknown, header: full.header, narrows: full,
				what: fmt.Sprintf("the %s request of operation %s", map[bool]string{true: "dump", false: "do"}[m.mode == op.Dump], op.Name)}
			g.requests = append(g.requests, si)
			g.requestOf[m.mode] = si
			if m.mode == op.Do {
				doAttrs = attrs
			}
		}
	}
	return nil
}

// inSetOrder is the on-wire attributes of set listed in attrs, in the
// set's (attribute-id) order, which is the order the encoder writes.
func inSetOrder(set *ir.AttrSet, attrs []*ir.Attr) []*ir.Attr {
	listed := map[*ir.Attr]bool{}
	for _, a := range attrs {
		listed[a] = true
	}
	var out []*ir.Attr
	for _, a := range onWire(set.Attrs) {
		if listed[a] {
			out = append(out, a)
		}
	}
	return out
}

func onWire(attrs []*ir.Attr) []*ir.Attr {
	var out []*ir.Attr
	for _, a := range attrs {
		if ir.OnWire(a.Kind) {
			out = append(out, a)
		}
	}
	return out
}

func sameAttrs(a, b []*ir.Attr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// requestType is the type a client method takes for mode's request.
func (g *familyGen) requestType(mode *ir.OpMode, full *setInfo) *setInfo {
	if si := g.requestOf[mode]; si != nil {
		return si
	}
	return full
}
