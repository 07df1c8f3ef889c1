package golang

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nlgen/nlgen/ir"
)

// Where an operation's request or reply lists fewer attributes than its
// set has, that message gets its own type holding just those
// (DevGetRequest with only Ifindex; a GetReply without the attributes only
// requests carry), so the client's signature says what the operation
// reads and returns. Like the kernel's ynl-gen, the spec's lists are the
// contract: an attribute of the set that a narrowed message does not list
// is decoded into Unknown (kept raw, re-encoded unchanged), and
// DecodeOptions.Strict rejects it, which is how drift between a spec and a
// kernel shows up.

// direction names one side of an operation's messages.
type direction struct {
	suffix string // Request or Reply
	msg    func(*ir.OpMode) *ir.Msg
	verb   string // what the narrowed type holds, for its comment
	// shareAcrossOps lets operations listing the same attributes share
	// one type. Replies do (they describe the same object); requests
	// keep one type per operation, named for what the caller is doing.
	shareAcrossOps bool
}

var (
	requestDir = direction{"Request", func(m *ir.OpMode) *ir.Msg { return m.Request }, "that the operation reads", false}
	replyDir   = direction{"Reply", func(m *ir.OpMode) *ir.Msg { return m.Reply }, "that the operation's reply carries", true}
)

// narrowMessages adds a type for every do/dump request and reply that
// narrows its set. A do and a dump listing the same attributes share one
// type, and so do replies of several operations (specs share reply lists
// with YAML anchors).
func (g *familyGen) narrowMessages(claim func(name, what string) error) error {
	g.requestOf = map[*ir.OpMode]*setInfo{}
	g.replyOf = map[*ir.OpMode]*setInfo{}
	for _, d := range []struct {
		direction
		of map[*ir.OpMode]*setInfo
	}{{requestDir, g.requestOf}, {replyDir, g.replyOf}} {
		groups := g.messageGroups(d.direction)
		sharedOnSet := map[*setInfo]int{} // groups several operations share
		for _, gr := range groups {
			if len(gr.ops()) > 1 {
				sharedOnSet[gr.full]++
			}
		}
		for _, gr := range groups {
			names, what := gr.names(d.direction, sharedOnSet[gr.full] == 1)
			name, err := claimFirst(claim, names, what)
			if err != nil {
				return err
			}
			full := gr.full
			si := &setInfo{set: full.set, attrs: gr.attrs, typeName: name, topLevel: true, fieldOf: full.fieldOf,
				pathLabel: full.pathLabel, unknown: full.unknown, header: full.header, hdr: full.hdr, narrows: full,
				what: what, holds: d.verb}
			g.narrowed = append(g.narrowed, si)
			for _, u := range gr.uses {
				d.of[u.mode] = si
			}
			if d.suffix == requestDir.suffix {
				si.mandatory = mandatoryOf(gr.uses)
			}
		}
	}
	return nil
}

// messageUse is one do or dump message of an operation.
type messageUse struct {
	op     *ir.Op
	mode   *ir.OpMode
	prefix string // "" for do, "Dump" for dump
}

// messageGroup is the messages of one direction that list the same
// narrowed attributes of a set, and so share a type.
type messageGroup struct {
	full  *setInfo
	attrs []*ir.Attr
	uses  []messageUse
}

// messageGroups groups the narrowing messages of direction d, in
// operation order.
func (g *familyGen) messageGroups(d direction) []*messageGroup {
	var groups []*messageGroup
	for _, op := range g.fam.Ops {
		full := g.setByName[op.AttrSet]
		if op.AttrSet == nil || op.ReqValue < 0 || full == nil || !full.topLevel {
			continue
		}
		for _, u := range []messageUse{{op, op.Do, ""}, {op, op.Dump, "Dump"}} {
			if u.mode == nil || d.msg(u.mode) == nil || !d.msg(u.mode).Narrowed {
				continue
			}
			attrs := d.msg(u.mode).Wire
			i := slices.IndexFunc(groups, func(gr *messageGroup) bool {
				return gr.full == full && slices.Equal(gr.attrs, attrs) && (d.shareAcrossOps || gr.uses[0].op == op)
			})
			if i < 0 {
				groups = append(groups, &messageGroup{full: full, attrs: attrs})
				i = len(groups) - 1
			}
			groups[i].uses = append(groups[i].uses, u)
		}
	}
	return groups
}

// ops are the names of the operations using gr, in order.
func (gr *messageGroup) ops() []string {
	var ops []string
	for _, u := range gr.uses {
		if !slices.Contains(ops, u.op.Name) {
			ops = append(ops, u.op.Name)
		}
	}
	return ops
}

// names are the type names gr may take, best first, and what it is. A
// type is named after its operation (GetRequest, DumpGetRequest,
// FeaturesReply) when one operation uses it, and after the set
// (DatapathReply) when several do and it is the set's only shared list,
// else after the first of them. The last resort, operation and set
// together, is free even when a set is named like an operation.
func (gr *messageGroup) names(d direction, onlySharedOnSet bool) ([]string, string) {
	first, noun := gr.uses[0], strings.ToLower(d.suffix)
	if op := first.op; op.Do == nil || (d.suffix == "Reply" && op.Do.Reply == nil) {
		first.prefix = "" // a dump with no do beside it is the operation's only message (docs/go.md, Naming)
	}
	kind := map[bool]string{true: "dump", false: "do"}[first.mode == first.op.Dump]
	names := []string{first.prefix + first.op.GoName + d.suffix}
	what := fmt.Sprintf("the %s %s of operation %s", kind, noun, first.op.Name)
	ops := gr.ops()
	switch {
	case len(gr.uses) > 1 && len(ops) == 1:
		names = []string{first.op.GoName + d.suffix}
		what = fmt.Sprintf("the %s of operation %s (do and dump)", noun, ops[0])
	case len(ops) > 1:
		names = []string{first.op.GoName + d.suffix}
		if onlySharedOnSet {
			names = []string{gr.full.typeName + d.suffix, first.op.GoName + d.suffix}
		}
		what = fmt.Sprintf("the %s of operations %s", noun, strings.Join(ops, ", "))
	}
	return append(names, first.prefix+first.op.GoName+gr.full.typeName+d.suffix), what
}

// claimFirst claims the first of names that is free and returns it, or
// the error of the last when none is.
func claimFirst(claim func(name, what string) error, names []string, what string) (string, error) {
	var err error
	for _, n := range names {
		if err = claim(n, what); err == nil {
			return n, nil
		}
	}
	return "", err
}

// requestType is the type a client method takes for mode's request.
func (g *familyGen) requestType(mode *ir.OpMode, full *setInfo) *setInfo {
	if si := g.requestOf[mode]; si != nil {
		return si
	}
	return full
}

// replyType is the type a client method returns for mode's reply.
func (g *familyGen) replyType(mode *ir.OpMode, full *setInfo) *setInfo {
	if si := g.replyOf[mode]; si != nil {
		return si
	}
	return full
}

// mandatory is what the Windows driver requires in every message of a
// request type: the do requests' mandatory attributes (ir.OpMode), none
// for a dump, which the driver's dump path does not parse with a table.
func mandatoryOf(uses []messageUse) []*ir.Attr {
	var out []*ir.Attr
	for i, u := range uses {
		m := u.mode.Mandatory
		if u.prefix != "" {
			m = nil
		}
		if i == 0 {
			out = slices.Clone(m)
			continue
		}
		out = slices.DeleteFunc(out, func(a *ir.Attr) bool { return !slices.Contains(m, a) })
	}
	return out
}
