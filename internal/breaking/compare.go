package breaking

import (
	"fmt"
	"path"
	"slices"

	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// Rules lists every rule id with what it protects, for docs and tests.
var Rules = []struct{ ID, Doc string }{
	{"FAMILY_REMOVED", "a family is gone; clients resolve it by name"},
	{"FAMILY_NAME_CHANGED", "the genl family name clients resolve changed"},
	{"FIXED_HEADER_CHANGED", "the struct before the attributes is a different one"},
	{"CONST_REMOVED", "a constant of the uapi header is gone"},
	{"CONST_VALUE_CHANGED", "a constant of the uapi header has a new value"},
	{"ENUM_REMOVED", "an enum or flags definition is gone"},
	{"ENUM_ENTRY_REMOVED", "an enum value is gone"},
	{"ENUM_ENTRY_RENUMBERED", "an enum value has a new number"},
	{"FLAG_REMOVED", "a flag is gone"},
	{"FLAG_RENUMBERED", "a flag has a new bit"},
	{"STRUCT_REMOVED", "a struct definition is gone"},
	{"STRUCT_MEMBER_REMOVED", "a struct member is gone"},
	{"STRUCT_MEMBER_INSERTED", "a member was added before the end, moving the ones after it"},
	{"STRUCT_MEMBER_REORDERED", "struct members changed order"},
	{"STRUCT_MEMBER_RESIZED", "a string or binary member has a new length"},
	{"STRUCT_MEMBER_RETYPED", "a member has a new type or byte order"},
	{"STRUCT_SIZE_CHANGED", "a struct grew at the end; exact-size checks reject the old size"},
	{"ATTR_SET_REMOVED", "an attribute set is gone"},
	{"ATTR_REMOVED", "an attribute is gone or now only reserves its id"},
	{"ATTR_RENUMBERED", "an attribute has a new id"},
	{"ATTR_TYPE_CHANGED", "an attribute has a new wire type"},
	{"ATTR_BYTE_ORDER_CHANGED", "an attribute switched between host and network byte order"},
	{"ATTR_SIZE_CHANGED", "an attribute's length checks now reject payloads they accepted"},
	{"NEST_RETARGETED", "a nest now holds the attributes of another set"},
	{"OP_REMOVED", "an operation is gone"},
	{"OP_RENUMBERED", "an operation's command id changed"},
	{"OP_MODE_REMOVED", "an operation lost its do or dump"},
	{"MCGRP_REMOVED", "a multicast group is gone; clients join it by name"},
	{"PROTOCOL_CHANGED", "a netlink-raw family's socket opens another netlink protocol (protonum)"},
	{"MSG_TYPE_CHANGED", "a netlink-raw request or reply has a new nlmsg_type"},
	{"MCGRP_RENUMBERED", "a netlink-raw multicast group has a new number; clients join it by number"},
	{"SUB_MESSAGE_REMOVED", "a sub-message definition is gone"},
	{"SUB_MESSAGE_FORMAT_REMOVED", "a sub-message no longer has the format for a selector value"},
	{"SUB_MESSAGE_FORMAT_CHANGED", "the format for a selector value has another fixed header or attribute set"},
	{"SUB_MESSAGE_RETARGETED", "a sub-message attribute now takes another sub-message or selector"},
	{"WIN_FAMILY_ID_CHANGED", "a static Windows family id changed"},
	{"WIN_MCGRP_ID_CHANGED", "a static Windows multicast group id changed"},
	{"WIN_COMMAND_REMOVED", "the Windows driver no longer dispatches an operation"},
	{"DEVICE_NAME_CHANGED", "the Windows pseudo-device has a new name"},
	{"IOCTL_REMOVED", "a Windows ioctl is gone"},
	{"IOCTL_CODE_CHANGED", "a Windows ioctl has a new CTL_CODE"},
}

// Compare returns every breaking change from old to new, sorted by
// position. Changes point at the new files; removals at the old ones.
func Compare(old, new *Snapshot) schema.Diagnostics {
	c := &comparer{old: old, new: new}
	for _, of := range old.Model.Families {
		nf := new.Model.Family(of.Name)
		if nf == nil {
			nf = c.renamed(of)
			if nf == nil {
				c.report(old.specs[of.Name].At("name"), "FAMILY_REMOVED", "family %q was removed", of.Name)
				continue
			}
			c.report(new.specs[nf.Name].At("name"), "FAMILY_NAME_CHANGED", "family %q is now named %q; clients resolve it by name", of.Name, nf.Name)
		}
		c.family(of, nf)
	}
	c.windows()
	c.out.Sort()
	return c.out
}

type comparer struct {
	old, new *Snapshot
	out      schema.Diagnostics
}

func (c *comparer) report(pos schema.Pos, rule, format string, args ...any) {
	c.out.Add(pos, rule, format, args...)
}

// renamed finds the new family that comes from a spec file of the same name
// as of's and whose name is new, the only way a rename can be told apart
// from a removal plus an addition.
func (c *comparer) renamed(of *ir.Family) *ir.Family {
	for _, nf := range c.new.Model.Families {
		if c.old.Model.Family(nf.Name) == nil && path.Base(nf.SpecPath) == path.Base(of.SpecPath) {
			return nf
		}
	}
	return nil
}

func (c *comparer) family(of, nf *ir.Family) {
	fam := fmt.Sprintf("family %q", nf.Name)
	ospec, nspec := c.old.specs[of.Name], c.new.specs[nf.Name]
	familyHeaderChanged := structName(of.FixedHeader) != structName(nf.FixedHeader)
	if familyHeaderChanged {
		pos := nspec.Pos
		if nspec.Operations != nil {
			pos = nspec.Operations.At("fixed-header")
		}
		c.report(pos, "FIXED_HEADER_CHANGED", "%s: fixed header was %s, now %s", fam, structName(of.FixedHeader), structName(nf.FixedHeader))
	}
	// Definitions identical in both revisions (ir.Identify, the equality
	// the Go target shares types by) cannot break anything; only the rest
	// is examined for what changed.
	same := ir.Identify(of, nf, nil)
	c.consts(of, nf, fam)
	c.enums(of, nf, ospec, nspec, fam, same)
	c.structs(of, nf, ospec, nspec, fam, same)
	c.attrSets(of, nf, fam, same)
	for _, oo := range of.Ops {
		no := opByName(nf, oo.Name)
		if no == nil {
			c.report(oo.Pos, "OP_REMOVED", "%s: operation %q was removed", fam, oo.Name)
			continue
		}
		// A netlink-raw op's ids are its messages' types, compared per
		// direction by MSG_TYPE_CHANGED (raw.go).
		if nf.Protonum < 0 && renumbered(oo, no) {
			c.report(no.Pos, "OP_RENUMBERED", "%s: operation %q was command %s, now %s", fam, oo.Name, opIDs(oo), opIDs(no))
		}
		if oo.Do != nil && no.Do == nil {
			c.report(no.Pos, "OP_MODE_REMOVED", "%s: operation %q no longer has a do", fam, oo.Name)
		}
		if oo.Dump != nil && no.Dump == nil {
			c.report(no.Pos, "OP_MODE_REMOVED", "%s: operation %q no longer has a dump", fam, oo.Name)
		}
		if !familyHeaderChanged && structName(oo.FixedHeader) != structName(no.FixedHeader) {
			c.report(no.Pos, "FIXED_HEADER_CHANGED", "%s: operation %q: fixed header was %s, now %s", fam, oo.Name, structName(oo.FixedHeader), structName(no.FixedHeader))
		}
	}
	for _, og := range ospec.McastGroups {
		if !slices.ContainsFunc(nf.McastGroups, func(g *ir.McastGroup) bool { return g.Name == og.Name }) {
			c.report(og.Pos, "MCGRP_REMOVED", "%s: multicast group %q was removed", fam, og.Name)
		}
	}
	c.raw(of, nf, fam)
}

func structName(s *ir.Struct) string {
	if s == nil {
		return "none"
	}
	return "struct " + s.CName
}

func opByName(f *ir.Family, name string) *ir.Op {
	return find(f.Ops, name, func(o *ir.Op) string { return o.Name })
}

// renumbered compares the command ids both versions send or receive; an op
// that gains a reply keeps its id and is not renumbered.
func renumbered(o, n *ir.Op) bool {
	differs := func(a, b int) bool { return a >= 0 && b >= 0 && a != b }
	return differs(o.ReqValue, n.ReqValue) || differs(o.RspValue, n.RspValue) || o.Value != n.Value
}

func opIDs(o *ir.Op) string {
	if o.ReqValue == o.RspValue || o.RspValue < 0 {
		return fmt.Sprint(o.Value)
	}
	if o.ReqValue < 0 {
		return fmt.Sprintf("%d (reply)", o.RspValue)
	}
	return fmt.Sprintf("%d (reply %d)", o.ReqValue, o.RspValue)
}

func (c *comparer) consts(of, nf *ir.Family, fam string) {
	for _, oc := range of.Consts {
		nc := find(nf.Consts, oc.Name, func(x *ir.Const) string { return x.Name })
		switch {
		case nc == nil:
			c.report(oc.Pos, "CONST_REMOVED", "%s: constant %q was removed", fam, oc.Name)
		case oc.IsStr != nc.IsStr || oc.Str != nc.Str || oc.Int != nc.Int:
			c.report(nc.Pos, "CONST_VALUE_CHANGED", "%s: constant %q was %s, now %s", fam, oc.Name, constValue(oc), constValue(nc))
		}
	}
}

func constValue(k *ir.Const) string {
	if k.IsStr {
		return fmt.Sprintf("%q", k.Str)
	}
	return fmt.Sprint(k.Int)
}

func definition(s *schema.Spec, name string) *schema.Definition {
	return find(s.Definitions, name, func(d *schema.Definition) string { return d.Name })
}

func (c *comparer) enums(of, nf *ir.Family, ospec, nspec *schema.Spec, fam string, same ir.Identical) {
	for _, oe := range of.Enums {
		ne := find(nf.Enums, oe.Name, func(x *ir.Enum) string { return x.Name })
		if ne == nil {
			c.report(oe.Pos, "ENUM_REMOVED", "%s: %s %q was removed", fam, enumWord(oe), oe.Name)
			continue
		}
		if same.Enums[oe] == ne {
			continue
		}
		removed, renumbered := "ENUM_ENTRY_REMOVED", "ENUM_ENTRY_RENUMBERED"
		if oe.IsFlags {
			removed, renumbered = "FLAG_REMOVED", "FLAG_RENUMBERED"
		}
		od, nd := definition(ospec, oe.Name), definition(nspec, ne.Name)
		for _, oent := range oe.Entries {
			nent := ne.Entry(oent.Name)
			if nent == nil {
				c.report(entryPos(od, oent.Name), removed, "%s: %s %q: entry %q (%d) was removed", fam, enumWord(oe), oe.Name, oent.Name, oent.Value)
				continue
			}
			if nent.Value != oent.Value {
				c.report(entryPos(nd, oent.Name), renumbered, "%s: %s %q: entry %q was %#x, now %#x", fam, enumWord(oe), oe.Name, oent.Name, oent.Value, nent.Value)
			}
		}
	}
}

func enumWord(e *ir.Enum) string {
	if e.IsFlags {
		return "flags"
	}
	return "enum"
}

func entryPos(d *schema.Definition, name string) schema.Pos {
	return findPos(d.Entries, name, func(e *schema.EnumEntry) string { return e.Name },
		func(e *schema.EnumEntry) schema.Pos { return e.Pos }, d.Pos)
}

func memberPos(d *schema.Definition, name string) schema.Pos {
	return findPos(d.Members, name, func(m *schema.Member) string { return m.Name },
		func(m *schema.Member) schema.Pos { return m.Pos }, d.Pos)
}

func (c *comparer) structs(of, nf *ir.Family, ospec, nspec *schema.Spec, fam string, same ir.Identical) {
	for _, oldStruct := range of.Structs {
		newStruct := find(nf.Structs, oldStruct.Name, func(x *ir.Struct) string { return x.Name })
		if newStruct == nil {
			c.report(oldStruct.Pos, "STRUCT_REMOVED", "%s: struct %q was removed", fam, oldStruct.Name)
			continue
		}
		if same.Structs[oldStruct] == newStruct {
			continue
		}
		c.members(oldStruct, newStruct, definition(ospec, oldStruct.Name), definition(nspec, newStruct.Name), fam)
	}
}

func (c *comparer) members(oldStruct, newStruct *ir.Struct, od, nd *schema.Definition, fam string) {
	what := fmt.Sprintf("%s: struct %q", fam, oldStruct.Name)
	before := len(c.out)
	var kept []string // old members still present, in new order
	for i, nm := range newStruct.Members {
		if om := member(oldStruct, nm.Name); om != nil {
			kept = append(kept, nm.Name)
		} else if i < len(oldStruct.Members) {
			c.report(memberPos(nd, nm.Name), "STRUCT_MEMBER_INSERTED", "%s: member %q was inserted at offset %d, moving the members after it", what, nm.Name, nm.Offset)
		}
	}
	var oldOrder []string
	for _, om := range oldStruct.Members {
		nm := member(newStruct, om.Name)
		if nm == nil {
			c.report(memberPos(od, om.Name), "STRUCT_MEMBER_REMOVED", "%s: member %q (offset %d) was removed", what, om.Name, om.Offset)
			continue
		}
		oldOrder = append(oldOrder, om.Name)
		pos := memberPos(nd, om.Name)
		switch {
		case memberType(om) != memberType(nm):
			c.report(pos, "STRUCT_MEMBER_RETYPED", "%s: member %q was %s, now %s", what, om.Name, memberType(om), memberType(nm))
		case om.Size != nm.Size:
			c.report(pos, "STRUCT_MEMBER_RESIZED", "%s: member %q was %d bytes, now %d", what, om.Name, om.Size, nm.Size)
		}
	}
	if !slices.Equal(oldOrder, kept) {
		c.report(nd.Pos, "STRUCT_MEMBER_REORDERED", "%s: members were in order %v, now %v", what, oldOrder, kept)
	}
	switch {
	case len(c.out) != before:
		// the member findings explain the new size
	case oldStruct.Size != newStruct.Size:
		c.report(nd.Pos, "STRUCT_SIZE_CHANGED", "%s: wire size was %d bytes, now %d; exact-size checks reject the old size", what, oldStruct.Size, newStruct.Size)
	case oldStruct.NaturalSize != newStruct.NaturalSize:
		c.report(nd.Pos, "STRUCT_SIZE_CHANGED", "%s: C sizeof was %d bytes, now %d (alignment padding); exact-size checks reject the old size", what, oldStruct.NaturalSize, newStruct.NaturalSize)
	}
}

func member(s *ir.Struct, name string) *ir.Member {
	return find(s.Members, name, func(m *ir.Member) string { return m.Name })
}

func memberType(m *ir.Member) string {
	t := m.Type
	if m.Struct != nil {
		t = "struct " + m.Struct.CName
	}
	if m.BigEndian {
		t += " (big-endian)"
	}
	return t
}
