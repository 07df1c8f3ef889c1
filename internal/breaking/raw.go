package breaking

import (
	"fmt"

	"github.com/nlgen/nlgen/ir"
)

// raw compares what only netlink-raw families have: the protocol their
// socket opens, message types, group numbers and sub-messages. A client
// built against the old spec sends these numbers as they were; nothing
// resolves them at run time as nlctrl does for generic netlink.
func (c *comparer) raw(of, nf *ir.Family, fam string) {
	if of.Protonum != nf.Protonum && (of.Protonum >= 0 || nf.Protonum >= 0) {
		c.report(nf.ProtocolPos, "PROTOCOL_CHANGED", "%s: netlink protocol was %d, now %d", fam, of.Protonum, nf.Protonum)
	}
	if nf.Protonum >= 0 {
		for _, oo := range of.Ops {
			no := opByName(nf, oo.Name)
			if no == nil {
				continue
			}
			for _, m := range []struct {
				what string
				o, n *ir.OpMode
			}{{"do", oo.Do, no.Do}, {"dump", oo.Dump, no.Dump}} {
				if m.o == nil || m.n == nil {
					continue
				}
				c.msgType(no, fmt.Sprintf("%s: operation %q %s request", fam, oo.Name, m.what), m.o.Request, m.n.Request)
				c.msgType(no, fmt.Sprintf("%s: operation %q %s reply", fam, oo.Name, m.what), m.o.Reply, m.n.Reply)
			}
		}
		for _, og := range of.McastGroups {
			ng := find(nf.McastGroups, og.Name, func(g *ir.McastGroup) string { return g.Name })
			if ng != nil && og.Value != 0 && og.Value != ng.Value {
				c.report(ng.Pos, "MCGRP_RENUMBERED", "%s: multicast group %q was number %d, now %d", fam, og.Name, og.Value, ng.Value)
			}
		}
	}
	for _, os := range of.SubMessages {
		ns := find(nf.SubMessages, os.Name, func(s *ir.SubMessage) string { return s.Name })
		if ns == nil {
			c.report(os.Pos, "SUB_MESSAGE_REMOVED", "%s: sub-message %q was removed", fam, os.Name)
			continue
		}
		for _, ofm := range os.Formats {
			nfm := ns.Format(ofm.Value)
			if nfm == nil {
				c.report(ofm.Pos, "SUB_MESSAGE_FORMAT_REMOVED", "%s: sub-message %q has no format for %q any more", fam, os.Name, ofm.Value)
				continue
			}
			if was, now := formatShape(ofm), formatShape(nfm); was != now {
				c.report(nfm.Pos, "SUB_MESSAGE_FORMAT_CHANGED", "%s: sub-message %q format %q was %s, now %s", fam, os.Name, ofm.Value, was, now)
			}
		}
	}
}

func (c *comparer) msgType(at *ir.Op, what string, o, n *ir.Msg) {
	if o == nil || n == nil || o.Value < 0 || n.Value < 0 || o.Value == n.Value {
		return
	}
	c.report(at.Pos, "MSG_TYPE_CHANGED", "%s was message type %d, now %d", what, o.Value, n.Value)
}

// formatShape names what a format's payload holds: its fixed header and
// its attribute set (whose own changes are compared as a set).
func formatShape(f *ir.SubMessageFormat) string {
	set := "no attributes"
	if f.AttrSet != nil {
		set = fmt.Sprintf("attribute set %q", f.AttrSet.Name)
	}
	return structName(f.FixedHeader) + " then " + set
}

// subMessageTarget is what decides a sub-message attribute's format: the
// definition it takes and the attribute selecting among it.
func subMessageTarget(k ir.Kind) string {
	if s, ok := k.(ir.SubMsg); ok {
		return fmt.Sprintf("sub-message %q selected by %q", s.Def.Name, s.Selector.Name)
	}
	return ""
}
