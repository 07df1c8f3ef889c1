package ir

import (
	"fmt"
	"math"
	"strings"

	"github.com/nlgen/nlgen/schema"
)

// This file resolves what netlink-raw adds to genetlink-legacy: the
// protocol number, message types as nlmsg_type, multicast group numbers
// and sub-messages.

// netlinkMaxLinks is MAX_LINKS of include/linux/netlink.h: netlink
// protocol numbers are 0..31.
const netlinkMaxLinks = 32

// nlmsgMinType is NLMSG_MIN_TYPE of include/uapi/linux/netlink.h: message
// types below it are netlink's own (NLMSG_NOOP, _ERROR, _DONE, _OVERRUN).
const nlmsgMinType = 0x10

func (r *resolver) isRaw() bool { return r.spec.Protocol == "netlink-raw" }

// protonum resolves the netlink protocol a netlink-raw family opens. The
// kernel's schema leaves protonum optional, but its YNL CLI cannot open a
// socket without it (lib/ynl.py reads yaml['protonum']), and neither can
// a generated client.
func (r *resolver) protonum() {
	f, s := r.fam, r.spec
	f.Protonum = -1
	if !r.isRaw() {
		return
	}
	if s.Protonum == nil {
		r.errorf(s.Pos, "missing-key", "protocol netlink-raw needs protonum, the netlink protocol the family's socket opens (0 for NETLINK_ROUTE, 12 for NETLINK_NETFILTER)")
		return
	}
	if p := *s.Protonum; p < 0 || p >= netlinkMaxLinks {
		r.errorf(s.At("protonum"), "range", "protonum %d is not a netlink protocol number (0..%d)", p, netlinkMaxLinks-1)
		return
	}
	f.Protonum = int(*s.Protonum)
}

// rawMsgType checks one nlmsg_type of a netlink-raw family; what is the
// direction ("request", "reply/notification"), "" for a unified op.
func (r *resolver) rawMsgType(op *Op, what string, v int) {
	if what != "" {
		what += " "
	}
	switch {
	case v > math.MaxUint16:
		r.errorf(op.Pos, "range", "operation %q: %smessage type %d does not fit the 16-bit nlmsg_type", op.Name, what, v)
	case v < nlmsgMinType:
		r.errorf(op.Pos, "range", "operation %q: %smessage type %d is below NLMSG_MIN_TYPE (16), where netlink's own messages (NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN) live; give the operation's request/reply value", op.Name, what, v)
	}
}

// mcastValue resolves a group number: netlink-raw groups are fixed
// numbers a socket joins with NETLINK_ADD_MEMBERSHIP, genetlink groups
// get theirs from nlctrl at run time (the schema rejects value there).
// Without a value a group cannot be joined, but the rest of the family
// works: upstream nftables.yaml (6.12) leaves out mgmt's
// (NFNLGRP_NFTABLES, 7), so it is a warning.
func (r *resolver) mcastValue(g *schema.McastGroup, mg *McastGroup) {
	if !r.isRaw() {
		return
	}
	if g.Value == nil {
		r.warns.Add(g.Pos, "missing-key", "multicast group %q has no value, the group number a netlink-raw socket joins: clients cannot subscribe to it", g.Name)
		return
	}
	if v := *g.Value; v < 1 || v > math.MaxUint32 {
		r.errorf(g.At("value"), "range", "multicast group %q: value %d is outside 1..%d (group 0 is no group)", g.Name, v, uint32(math.MaxUint32))
		return
	}
	mg.Value = int(*g.Value)
}

// subMessages resolves the sub-message definitions, whose formats name
// structs and attribute sets; sets are those of the attribute pass.
func (r *resolver) subMessages(sets map[string]*AttrSet) {
	f := r.fam
	seen := map[string]schema.Pos{}
	goNames := map[string]*SubMessage{}
	r.subMsgs = map[string]*SubMessage{}
	for _, sd := range r.spec.SubMessages {
		if sd.Name == "" {
			continue
		}
		if prev, dup := seen[sd.Name]; dup {
			r.errorf(sd.At("name"), "duplicate", "sub-message %q is already defined at %s", sd.Name, prev)
			continue
		}
		seen[sd.Name] = sd.At("name")
		sm := &SubMessage{Name: sd.Name, GoName: GoExported(sd.Name), Pos: sd.Pos}
		if prev, dup := goNames[sm.GoName]; dup {
			r.errorf(sd.At("name"), "name-collision", "sub-messages %q and %q both become Go name %s", prev.Name, sd.Name, sm.GoName)
		}
		goNames[sm.GoName] = sm
		values := map[string]schema.Pos{}
		what := fmt.Sprintf("sub-message %q", sd.Name)
		for _, fd := range sd.Formats {
			if prev, dup := values[fd.Value]; dup {
				r.errorf(fd.At("value"), "duplicate", "%s: format %q is already defined at %s", what, fd.Value, prev)
				continue
			}
			values[fd.Value] = fd.At("value")
			if fd.Value == "" && fd.Has("value") {
				r.errorf(fd.At("value"), "value", "%s: a format's value must not be empty: it is matched against the selector's value", what)
			}
			fm := &SubMessageFormat{Value: fd.Value, Msg: sm, Pos: fd.Pos}
			if fd.FixedHeader != "" {
				fm.FixedHeader = r.structByName(fd.FixedHeader)
				if fm.FixedHeader == nil {
					r.errorf(fd.At("fixed-header"), "reference", "%s format %q: fixed-header names no struct definition %q%s",
						what, fd.Value, fd.FixedHeader, r.suggest(fd.FixedHeader, r.structNames()))
				}
			}
			if fd.AttributeSet != "" {
				fm.AttrSet = sets[fd.AttributeSet]
				if fm.AttrSet == nil {
					r.errorf(fd.At("attribute-set"), "reference", "%s format %q: no attribute set named %q%s",
						what, fd.Value, fd.AttributeSet, r.suggest(fd.AttributeSet, keys(sets)))
				} else {
					fm.AttrSet.SubMsgFrom = append(fm.AttrSet.SubMsgFrom, fm)
				}
			}
			sm.Formats = append(sm.Formats, fm)
		}
		r.subMsgs[sd.Name] = sm
		f.SubMessages = append(f.SubMessages, sm)
	}
}

func (r *resolver) structNames() []string {
	var out []string
	for _, s := range r.fam.Structs {
		out = append(out, s.Name)
	}
	return out
}

// pendingSelector is a sub-message attribute whose selector is resolved
// once every nest is known (the selector may live in an enclosing set).
type pendingSelector struct {
	attr *Attr
	ad   *schema.Attr
	def  *SubMessage
}

// subMsgKind starts the kind of a sub-message attribute; selectors are
// resolved by resolveSelectors.
func (r *resolver) subMsgKind(a *Attr, ad *schema.Attr, what string) Kind {
	if ad.SubMessage == "" {
		r.errorf(ad.Pos, "missing-key", "%s of type sub-message needs sub-message (the definition of its formats)", what)
		return Unused{}
	}
	def := r.subMsgs[ad.SubMessage]
	if def == nil {
		r.errorf(ad.At("sub-message"), "reference", "%s: no sub-message named %q%s", what, ad.SubMessage, r.suggest(ad.SubMessage, keys(r.subMsgs)))
		return Unused{}
	}
	if ad.Selector == "" {
		r.errorf(ad.Pos, "missing-key", "%s of type sub-message needs selector (the attribute whose value picks the format)", what)
		return Unused{}
	}
	r.pending = append(r.pending, pendingSelector{attr: a, ad: ad, def: def})
	return Unused{}
}

// resolveSelectors finds each sub-message attribute's selector the way
// the kernel's YNL CLI does at run time (SpaceAttrs.lookup): the nearest
// set defining an attribute of that name, going out through nest
// attributes only. Statically every way out must agree on one attribute.
func (r *resolver) resolveSelectors() {
	for _, p := range r.pending {
		a, ad := p.attr, p.ad
		what := fmt.Sprintf("attribute %q", ad.Name)
		found := r.findSelector(a.Set, ad.Selector)
		if len(found) == 0 {
			r.errorf(ad.At("selector"), "reference", "%s: selector %q is no attribute of set %q nor of a set nesting it%s",
				what, ad.Selector, a.Set.Name, r.suggest(ad.Selector, attrNames(a.Set)))
			continue
		}
		if len(found) > 1 {
			var where []string
			for _, c := range found {
				where = append(where, fmt.Sprintf("%q of set %q", c.attr.Name, c.attr.Set.Name))
			}
			r.errorf(ad.At("selector"), "reference", "%s: selector %q is ambiguous: the sets nesting %q reach %s",
				what, ad.Selector, a.Set.Name, strings.Join(where, " and "))
			continue
		}
		sel := found[0]
		if sel.attr == a {
			r.errorf(ad.At("selector"), "reference", "%s: an attribute cannot select its own format", what)
			continue
		}
		if !r.selectorFits(sel.attr, p.def, ad, what) {
			continue
		}
		a.Kind = SubMsg{Def: p.def, Selector: sel.attr, SelectorDepth: sel.depth}
	}
}

type selectorHit struct {
	attr  *Attr
	depth int
}

// findSelector walks out from set through the nest attributes that
// carry it, breadth first, and returns the distinct attributes named
// name that the nearest levels define.
func (r *resolver) findSelector(set *AttrSet, name string) []selectorHit {
	var hits []selectorHit
	seen := map[*AttrSet]bool{set: true}
	level := []*AttrSet{set}
	for depth := 0; len(level) > 0; depth++ {
		var next []*AttrSet
		for _, s := range level {
			if a := s.Attr(name); a != nil {
				dup := false
				for _, h := range hits {
					dup = dup || h.attr == a
				}
				if !dup {
					hits = append(hits, selectorHit{a, depth})
				}
				continue // the CLI stops at the first set defining the name
			}
			for _, from := range s.NestedFrom {
				if _, nest := from.Kind.(Nest); !nest || seen[from.Set] {
					continue
				}
				seen[from.Set] = true
				next = append(next, from.Set)
			}
		}
		level = next
	}
	return hits
}

// selectorFits checks that the selector's values can name the formats: a
// string holds the format value itself; an integer with an enum holds an
// entry whose name is the format value.
func (r *resolver) selectorFits(sel *Attr, def *SubMessage, ad *schema.Attr, what string) bool {
	switch k := sel.Kind.(type) {
	case String:
		return true
	case Scalar:
		if sel.Enum == nil || sel.Enum.IsFlags || sel.EnumAsFlags {
			r.errorf(ad.At("selector"), "value", "%s: selector %q is %s without an enum; a selector must be a string or an integer naming an enum entry, as the format values are names",
				what, sel.Name, k.YNL())
			return false
		}
		ok := true
		for _, f := range def.Formats {
			if sel.Enum.Entry(f.Value) == nil {
				r.errorf(f.Pos, "reference", "sub-message %q format %q: selector %q (%s) holds enum %q, which has no entry %q%s",
					def.Name, f.Value, sel.Name, what, sel.Enum.Name, f.Value, r.suggest(f.Value, entryNames(sel.Enum)))
				ok = false
			}
		}
		return ok
	}
	r.errorf(ad.At("selector"), "value", "%s: selector %q is of type %s; a selector must be a string or an integer with an enum", what, sel.Name, sel.Kind.YNL())
	return false
}

func entryNames(e *Enum) []string {
	out := make([]string, len(e.Entries))
	for i, x := range e.Entries {
		out[i] = x.Name
	}
	return out
}

func fixedHeaderName(op *Op) string {
	if op.FixedHeader == nil {
		return "(none) has"
	}
	return fmt.Sprintf("%q has", op.FixedHeader.Name)
}
