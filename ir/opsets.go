package ir

// What each operation's messages carry, for every target. A do or dump
// request or reply lists the attributes of the operation's set it may
// hold; where that is fewer than the set has, the message is narrower than
// its set (netdev's dev-get request carries only ifindex), which ynl-gen-c
// turns into a request/reply type of its own and nlgen's Go target does
// too. These are facts of the spec, so they are settled here once rather
// than in each generator.

// opSets records, for every message of every operation, the attributes it
// lists in its set's order and whether that narrows the set, and marks the
// sets operations carry as whole messages.
func (r *resolver) opSets() {
	for _, op := range r.fam.Ops {
		if op.AttrSet == nil {
			continue
		}
		if op.Do != nil || op.Dump != nil || op.Event != nil || op.Mcgrp != nil {
			op.AttrSet.Message = true
		}
		for _, m := range []*OpMode{op.Do, op.Dump} {
			if m != nil {
				m.Request.settle(op.AttrSet)
				m.Reply.settle(op.AttrSet)
			}
		}
		op.Event.settle(op.AttrSet)
	}
}

// settle fills m.Wire and m.Narrowed from the attributes m lists of set.
func (m *Msg) settle(set *AttrSet) {
	if m == nil {
		return
	}
	listed := make(map[*Attr]bool, len(m.Attrs))
	for _, a := range m.Attrs {
		listed[a] = true
	}
	onWire := 0
	for _, a := range set.Attrs {
		if !OnWire(a.Kind) {
			continue
		}
		onWire++
		if listed[a] {
			m.Wire = append(m.Wire, a)
		}
	}
	m.Narrowed = len(m.Wire) != onWire
}
