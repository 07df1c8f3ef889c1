package breaking

import (
	"fmt"

	"github.com/nlgen/nlgen/ir"
)

func (c *comparer) attrSets(of, nf *ir.Family, fam string, same ir.Identical) {
	for _, was := range of.AttrSets {
		now := find(nf.AttrSets, was.Name, func(x *ir.AttrSet) string { return x.Name })
		if now == nil {
			c.report(was.Pos, "ATTR_SET_REMOVED", "%s: attribute set %q was removed", fam, was.Name)
			continue
		}
		if same.Sets[was] == now || was.SubsetOf != nil || now.SubsetOf != nil {
			continue // a subset's attributes are its parent's, compared there
		}
		for _, oa := range was.Attrs {
			c.attr(oa, now.Attr(oa.Name), fmt.Sprintf("%s: attribute %q of set %q", fam, oa.Name, was.Name))
		}
	}
}

func (c *comparer) attr(oa, na *ir.Attr, what string) {
	if !ir.OnWire(oa.Kind) {
		return // an unused or pad id was never sent; reusing it is an addition
	}
	if na == nil {
		c.report(oa.Pos, "ATTR_REMOVED", "%s (id %d) was removed", what, oa.ID)
		return
	}
	if !ir.OnWire(na.Kind) {
		c.report(na.Pos, "ATTR_REMOVED", "%s (id %d) is now %s and no longer carried", what, oa.ID, na.Kind.YNL())
		return
	}
	if oa.ID != na.ID {
		c.report(na.Pos, "ATTR_RENUMBERED", "%s was id %d, now %d", what, oa.ID, na.ID)
	}
	if ot, nt := wireType(oa.Kind), wireType(na.Kind); ot != nt {
		c.report(na.Pos, "ATTR_TYPE_CHANGED", "%s was %s, now %s", what, ot, nt)
		return
	}
	if was, now := nestedSet(oa.Kind), nestedSet(na.Kind); was != now {
		c.report(na.Pos, "NEST_RETARGETED", "%s nested set %q, now %q", what, was, now)
	}
	if was, now := subMessageTarget(oa.Kind), subMessageTarget(na.Kind); was != now {
		c.report(na.Pos, "SUB_MESSAGE_RETARGETED", "%s was %s, now %s", what, was, now)
	}
	if bigEndian(oa.Kind) != bigEndian(na.Kind) {
		c.report(na.Pos, "ATTR_BYTE_ORDER_CHANGED", "%s was %s, now %s", what, byteOrder(oa.Kind), byteOrder(na.Kind))
	}
	if why := stricterLength(oa.Checks, na.Checks); why != "" {
		c.report(na.Pos, "ATTR_SIZE_CHANGED", "%s: %s", what, why)
	}
}

// wireType is the kind without its byte order and nested set, which have
// rules of their own: what decides how many bytes are read and as what.
func wireType(k ir.Kind) string {
	switch k := k.(type) {
	case ir.Scalar:
		k.BigEndian = false
		return k.YNL()
	case ir.Binary:
		if k.Elem != nil {
			e := *k.Elem
			e.BigEndian = false
			return e.YNL() + "[]"
		}
		return k.String()
	case ir.IndexedArray:
		return "indexed-array of " + wireType(k.Elem)
	}
	return k.YNL()
}

func nestedSet(k ir.Kind) string {
	switch k := k.(type) {
	case ir.Nest:
		return k.Set.Name
	case ir.NestTypeValue:
		return k.Set.Name
	case ir.IndexedArray:
		return nestedSet(k.Elem)
	}
	return ""
}

func bigEndian(k ir.Kind) bool {
	switch k := k.(type) {
	case ir.Scalar:
		return k.BigEndian
	case ir.Binary:
		return k.Elem != nil && k.Elem.BigEndian
	case ir.IndexedArray:
		return bigEndian(k.Elem)
	}
	return false
}

func byteOrder(k ir.Kind) string {
	if bigEndian(k) {
		return "big-endian"
	}
	return "host byte order"
}

// stricterLength explains how the new length checks reject a payload the
// old ones accepted; looser checks are compatible.
func stricterLength(o, n ir.Checks) string {
	val := func(l *ir.Limit) string {
		if l == nil {
			return "none"
		}
		return fmt.Sprint(l.Value)
	}
	switch {
	case n.ExactLen != nil && (o.ExactLen == nil || o.ExactLen.Value != n.ExactLen.Value):
		return fmt.Sprintf("exact length was %s, now %d", val(o.ExactLen), n.ExactLen.Value)
	case n.MinLen != nil && (o.MinLen == nil || n.MinLen.Value > o.MinLen.Value):
		return fmt.Sprintf("minimum length was %s, now %d", val(o.MinLen), n.MinLen.Value)
	case n.MaxLen != nil && (o.MaxLen == nil || n.MaxLen.Value < o.MaxLen.Value):
		return fmt.Sprintf("maximum length was %s, now %d", val(o.MaxLen), n.MaxLen.Value)
	}
	return ""
}
