package ir

import (
	"fmt"

	"github.com/nlgen/nlgen/schema"
)

func (r *resolver) operations() {
	f := r.fam
	ops := r.spec.Operations
	if ops == nil {
		return
	}
	f.EnumModel = orDefault(ops.EnumModel, "unified")
	prefix := f.Ident + "-cmd-"
	if ops.Has("name-prefix") {
		prefix = ops.NamePrefix
	}
	asyncPrefix := prefix
	if ops.AsyncPrefix != "" {
		asyncPrefix = ops.AsyncPrefix
		f.HasAsyncEnum = true
		f.AsyncEnumName = r.explicitTag(ops.AsyncEnum.Value, ops.At("async-enum"))
	}
	if ops.EnumName.Set {
		f.CmdEnumName = r.explicitTag(ops.EnumName.Value, ops.At("enum-name"))
	}
	maxName, cntName := prefix+"max", "__"+prefix+"max"
	if f.EnumModel == "directional" {
		// The kernel's directional header (ethtool) names its enums'
		// bounds after the direction: ETHTOOL_MSG_USER_NONE, _USER_MAX,
		// __ETHTOOL_MSG_USER_CNT and the same with KERNEL.
		maxName, cntName = prefix+"user-max", "__"+prefix+"user-cnt"
		f.CmdNoneName = CUpper(prefix + "user-none")
		f.KernelCmdNoneName = CUpper(prefix + "kernel-none")
		f.KernelCmdMaxName = CUpper(prefix + "kernel-max")
		f.KernelCmdCntName = CUpper("__" + prefix + "kernel-cnt")
		for _, n := range []string{f.CmdNoneName, f.KernelCmdNoneName, f.KernelCmdMaxName, f.KernelCmdCntName} {
			r.claim(n, ops.Pos, "a bound of the directional command enums", "name-prefix")
		}
	}
	f.CmdMaxName = CUpper(orDefault(r.spec.CmdMaxName, maxName))
	f.CmdCntName = CUpper(orDefault(r.spec.CmdCntName, cntName))
	r.claim(f.CmdMaxName, ops.Pos, "the max of the commands", "cmd-max-name")
	r.claim(f.CmdCntName, ops.Pos, "the count of the commands", "cmd-cnt-name")
	if ops.EnumName.Set {
		r.claimTag("enum", f.CmdEnumName, ops.At("enum-name"), "the commands", "enum-name")
	}
	if f.HasAsyncEnum {
		r.claimTag("enum", f.AsyncEnumName, ops.At("async-enum"), "the notifications", "async-enum")
	}
	if ops.FixedHeader != "" {
		f.FixedHeader = r.fixedHeader(ops.FixedHeader, ops.At("fixed-header"))
	}

	byName := map[string]*Op{}
	for _, od := range ops.List {
		if od.Name == "" {
			continue
		}
		if _, dup := byName[od.Name]; dup {
			r.errorf(od.At("name"), "duplicate", "operation %q is defined twice", od.Name)
			continue
		}
		async := ops.AsyncPrefix != "" && (od.Notify != "" || od.Event != nil)
		pfx := prefix
		if async {
			pfx = asyncPrefix
		}
		op := &Op{Name: od.Name, Doc: od.Doc, CName: CUpper(pfx + od.Name), GoName: GoExported(od.Name),
			Flags: od.Flags, DontValidate: od.DontValidate, ConfigCond: od.ConfigCond, Async: async, Pos: od.Pos,
			ReqValue: -1, RspValue: -1, FixedHeader: f.FixedHeader}
		r.claim(op.CName, od.At("name"), fmt.Sprintf("operation %q", od.Name), "name-prefix")
		if od.FixedHeader != "" {
			op.FixedHeader = r.fixedHeader(od.FixedHeader, od.At("fixed-header"))
		}
		byName[od.Name] = op
		f.Ops = append(f.Ops, op)
	}
	if f.EnumModel == "directional" {
		r.directionalValues(ops.List, byName)
	} else {
		r.unifiedValues(ops.List, byName)
	}
	for _, op := range f.Ops {
		op.RspCName = op.CName
		// A directional reply is a message of its own in the kernel
		// enum, named after the request with _REPLY
		// (ETHTOOL_MSG_STRSET_GET_REPLY); notifications and events keep
		// their name (ETHTOOL_MSG_LINKINFO_NTF).
		if f.EnumModel == "directional" && op.RspValue >= 0 && op.ReqValue >= 0 {
			op.RspCName = op.CName + "_REPLY"
			r.claim(op.RspCName, op.Pos, fmt.Sprintf("the reply of operation %q", op.Name), "name-prefix")
		}
	}
	for _, od := range ops.List {
		op := byName[od.Name]
		if op == nil || op.Pos != od.Pos {
			continue
		}
		r.opBody(op, od, byName)
	}
	r.checkOpValues()
}

func (r *resolver) fixedHeader(name string, pos schema.Pos) *Struct {
	st := r.structByName(name)
	if st == nil {
		r.errorf(pos, "reference", "fixed-header: no struct definition named %q", name)
	}
	return st
}

// unifiedValues follows YNL: ids start at 1 and count up; requests,
// replies and notifications share one id.
func (r *resolver) unifiedValues(list []*schema.Operation, byName map[string]*Op) {
	next := 1
	for _, od := range list {
		op := byName[od.Name]
		if op == nil || op.Pos != od.Pos {
			continue
		}
		v := next
		if od.Value != nil {
			v = int(*od.Value)
		}
		next = v + 1
		op.Value = v
		if od.Do != nil || od.Dump != nil {
			op.ReqValue = v
		}
		if hasReply(od) || od.Notify != "" || od.Event != nil {
			op.RspValue = v
		}
	}
}

func hasReply(od *schema.Operation) bool {
	for _, m := range []*schema.SubOp{od.Do, od.Dump} {
		if m != nil && m.Reply != nil {
			return true
		}
	}
	return false
}

// directionalValues follows YNL's directional model (nlctrl): requests and
// replies are counted separately and a message may give its own value.
func (r *resolver) directionalValues(list []*schema.Operation, byName map[string]*Op) {
	req, rsp := 1, 1
	for _, od := range list {
		op := byName[od.Name]
		if op == nil || op.Pos != od.Pos {
			continue
		}
		switch {
		case od.Notify != "" || od.Event != nil:
			if od.Value != nil {
				rsp = int(*od.Value)
			}
			op.RspValue = rsp
			rsp++
		case od.Do != nil || od.Dump != nil:
			var reqV, rspV *int64
			hasReq, hasRsp := false, false
			for _, m := range []*schema.SubOp{od.Do, od.Dump} {
				if m == nil {
					continue
				}
				if m.Request != nil {
					hasReq = true
					if m.Request.Value != nil {
						reqV = m.Request.Value
					}
				}
				if m.Reply != nil {
					hasRsp = true
					if m.Reply.Value != nil {
						rspV = m.Reply.Value
					}
				}
			}
			if reqV != nil {
				req = int(*reqV)
			} else if od.Value != nil {
				req = int(*od.Value)
			}
			if rspV != nil {
				rsp = int(*rspV)
			}
			if hasReq || !hasRsp {
				op.ReqValue = req
				req++
			}
			if hasRsp {
				op.RspValue = rsp
				rsp++
			}
		default:
			if od.Value != nil {
				req = int(*od.Value)
			}
			op.ReqValue = req
			req++
		}
		op.Value = op.ReqValue
		if op.Value < 0 {
			op.Value = op.RspValue
		}
	}
}

func (r *resolver) checkOpValues() {
	if r.fam.EnumModel == "directional" {
		r.checkDirectionalValues()
		return
	}
	seen := map[[2]int]*Op{}
	for _, op := range r.fam.Ops {
		if r.isRaw() {
			r.rawMsgType(op, "", op.Value)
		} else if op.Value > 255 {
			r.errorf(op.Pos, "range", "operation %q: id %d does not fit the 8-bit genl command", op.Name, op.Value)
		}
		key := [2]int{op.Value, 0}
		if op.Async {
			key[1] = 1
		}
		if prev, dup := seen[key]; dup {
			r.errorf(op.Pos, "duplicate", "operation %q has the same id (%d) as %q", op.Name, op.Value, prev.Name)
		}
		seen[key] = op
	}
}

// checkDirectionalValues checks each direction on its own: a request id
// may equal a reply id (ethtool's LINKINFO_SET and LINKINFO_NTF are both
// 3), but two requests, or two kernel messages, may not share one. In
// classic netlink a message type names a layout, not an operation: the
// replies of nftables' getrule and getrule-reset are both NFT_MSG_NEWRULE,
// so there replies may share a type; requests still may not.
func (r *resolver) checkDirectionalValues() {
	var seen [2]map[int]*Op
	for dir, what := range []string{"request", "reply/notification"} {
		seen[dir] = map[int]*Op{}
		for _, op := range r.fam.Ops {
			v := op.ReqValue
			if dir == 1 {
				v = op.RspValue
			}
			switch {
			case v < 0:
				continue
			case r.isRaw():
				r.rawMsgType(op, what, v)
			case v > 255:
				r.errorf(op.Pos, "range", "operation %q: %s id %d does not fit the 8-bit genl command", op.Name, what, v)
			}
			if prev, dup := seen[dir][v]; dup && !(dir == 1 && r.isRaw()) {
				r.errorf(op.Pos, "duplicate", "operation %q has the same %s id (%d) as %q", op.Name, what, v, prev.Name)
			}
			seen[dir][v] = op
		}
	}
}

func (r *resolver) opBody(op *Op, od *schema.Operation, byName map[string]*Op) {
	f := r.fam
	what := fmt.Sprintf("operation %q", od.Name)
	if od.AttributeSet != "" {
		for _, s := range f.AttrSets {
			if s.Name == od.AttributeSet {
				op.AttrSet = s
			}
		}
		if op.AttrSet == nil {
			r.errorf(od.At("attribute-set"), "reference", "%s: no attribute set named %q%s", what, od.AttributeSet, r.suggest(od.AttributeSet, r.setNames()))
		}
	}
	if od.Do != nil {
		op.Do = r.opMode(op, od.Do, what+" do")
	}
	if od.Dump != nil {
		op.Dump = r.opMode(op, od.Dump, what+" dump")
	}
	if od.Notify != "" {
		op.Notify = byName[od.Notify]
		if op.Notify == nil {
			r.errorf(od.At("notify"), "reference", "%s: notify names no operation %q", what, od.Notify)
		}
	}
	if od.Event != nil {
		op.Event = r.msg(op, od.Event, what+" event")
		op.Event.Value = op.RspValue
	}
	if od.Mcgrp != "" {
		op.mcgrpName, op.mcgrpPos = od.Mcgrp, od.At("mcgrp")
	}
	if (od.Do != nil || od.Dump != nil || od.Event != nil) && op.AttrSet == nil && od.AttributeSet == "" {
		if (od.Do != nil && (od.Do.Request != nil && len(od.Do.Request.Attributes) > 0 || od.Do.Reply != nil && len(od.Do.Reply.Attributes) > 0)) ||
			(od.Dump != nil && (od.Dump.Request != nil && len(od.Dump.Request.Attributes) > 0 || od.Dump.Reply != nil && len(od.Dump.Reply.Attributes) > 0)) {
			r.errorf(od.Pos, "missing-key", "%s lists attributes but has no attribute-set", what)
		}
	}
}

func (r *resolver) setNames() []string {
	var out []string
	for _, s := range r.fam.AttrSets {
		out = append(out, s.Name)
	}
	return out
}

func (r *resolver) opMode(op *Op, sd *schema.SubOp, what string) *OpMode {
	m := &OpMode{Pre: sd.Pre, Post: sd.Post}
	if sd.Request != nil {
		m.Request = r.msg(op, sd.Request, what+" request")
		m.Request.Value = msgValue(sd.Request, op.ReqValue)
	}
	if sd.Reply != nil {
		m.Reply = r.msg(op, sd.Reply, what+" reply")
		m.Reply.Value = msgValue(sd.Reply, op.RspValue)
	}
	return m
}

// msgValue is a message's own id when the spec gives one (a do and a dump
// may differ), else the op's for that direction.
func msgValue(l *schema.AttrList, opValue int) int {
	if l.Value != nil {
		return int(*l.Value)
	}
	return opValue
}

func (r *resolver) msg(op *Op, l *schema.AttrList, what string) *Msg {
	msg := &Msg{}
	if op.AttrSet == nil {
		return msg
	}
	seen := map[string]bool{}
	for i, name := range l.Attributes {
		a := op.AttrSet.Attr(name)
		if a == nil && op.FixedHeader != nil {
			// netlink-raw specs list the fixed header's members with the
			// attributes (rt_link newlink: ifi-index)
			if m := op.FixedHeader.Member(name); m != nil {
				if !seen[name] {
					seen[name] = true
					msg.Members = append(msg.Members, m)
				}
				continue
			}
		}
		if a == nil && r.isRaw() {
			// No generator of the kernel reads these lists for
			// netlink-raw (ynl-gen-c refuses the protocol, the CLI does
			// not check them) and upstream rt_link 6.12 lists
			// "if-netnsid", which is no attribute: a warning, not an
			// error.
			r.warns.Add(l.AttrPos[i], "reference", "%s: set %q has no attribute %q and fixed header %s no member of that name; ignored%s",
				what, op.AttrSet.Name, name, fixedHeaderName(op), r.suggest(name, attrNames(op.AttrSet)))
			continue
		}
		if a == nil {
			r.errorf(l.AttrPos[i], "reference", "%s: set %q has no attribute %q%s", what, op.AttrSet.Name, name, r.suggest(name, attrNames(op.AttrSet)))
			continue
		}
		if seen[name] {
			continue // upstream specs repeat names; harmless
		}
		seen[name] = true
		msg.Attrs = append(msg.Attrs, a)
	}
	return msg
}

func (r *resolver) mcastGroups() {
	f := r.fam
	seen := map[string]bool{}
	for _, g := range r.spec.McastGroups {
		if g.Name == "" {
			continue
		}
		if seen[g.Name] {
			r.errorf(g.At("name"), "duplicate", "multicast group %q is defined twice", g.Name)
			continue
		}
		seen[g.Name] = true
		mg := &McastGroup{Name: g.Name, Flags: g.Flags, GoName: GoExported(g.Name), Pos: g.Pos,
			CName: CUpper(orDefault(g.CDefineName, f.Ident+"-mcgrp-"+g.Name))}
		r.claim(mg.CName, g.Pos, fmt.Sprintf("multicast group %q", g.Name), "c-define-name")
		r.mcastValue(g, mg)
		f.McastGroups = append(f.McastGroups, mg)
	}
}

func (r *resolver) bindOpGroups() {
	for _, op := range r.fam.Ops {
		if op.mcgrpName == "" {
			continue
		}
		for _, g := range r.fam.McastGroups {
			if g.Name == op.mcgrpName {
				op.Mcgrp = g
			}
		}
		if op.Mcgrp == nil {
			r.errorf(op.mcgrpPos, "reference", "operation %q: no multicast group named %q", op.Name, op.mcgrpName)
		}
	}
}
