package docs

import (
	"fmt"
	"strings"

	"github.com/nlgen/nlgen/gen/cpolicy"
	"github.com/nlgen/nlgen/ir"
)

func writeAttrSets(b *strings.Builder, f *ir.Family) {
	if len(f.AttrSets) == 0 {
		return
	}
	b.WriteString("## Attribute sets\n\n")
	for _, s := range f.AttrSets {
		fmt.Fprintf(b, "### Attribute set %s\n\n", cell(s.Name))
		if s.Doc != "" {
			b.WriteString(text(s.Doc) + "\n\n")
		}
		if s.Masked {
			fmt.Fprintf(b, "A masked nest of %s (x-nlgen-masked): it holds exactly one of these attributes, "+
				"whose payload is its value followed by a mask of the same length, twice the length shown.\n\n", setLink(s.SubsetOf))
		} else if s.SubsetOf != nil {
			fmt.Fprintf(b, "A subset of %s: the same ids, only these attributes.\n\n", setLink(s.SubsetOf))
		} else if raw(f) {
			fmt.Fprintf(b, "Highest id %d.\n\n", s.MaxID)
		} else if s.CEnumName != "" {
			fmt.Fprintf(b, "C: %s, highest id %s = %d.\n\n", code("enum "+s.CEnumName), code(s.MaxName), s.MaxID)
		} else {
			fmt.Fprintf(b, "Highest id %s = %d.\n\n", code(s.MaxName), s.MaxID)
		}
		if len(s.NestedFrom) > 0 {
			var from []string
			for _, a := range s.NestedFrom {
				from = append(from, code(a.Set.Name+"."+a.Name))
			}
			fmt.Fprintf(b, "Nested in %s.\n\n", strings.Join(from, ", "))
		}
		if len(s.SubMsgFrom) > 0 {
			var from []string
			for _, fm := range s.SubMsgFrom {
				from = append(from, fmt.Sprintf("[%s](#%s) %s", cell(fm.Msg.Name), anchor("sub-message "+fm.Msg.Name), code(fm.Value)))
			}
			fmt.Fprintf(b, "Carried by sub-message %s.\n\n", strings.Join(from, ", "))
		}
		policies := setPolicies(f, s)
		var rows [][]string
		for _, a := range s.Attrs {
			rows = append(rows, []string{fmt.Sprint(a.ID), code(a.Name), attrType(a), payloadLen(a.Kind),
				policy(a, policies), cell(a.Doc)})
		}
		table(b, []string{"Id", "Name", "Type", "Length", "Policy", "Description"}, rows)
	}
}

func attrType(a *ir.Attr) string {
	var t string
	switch k := a.Kind.(type) {
	case ir.Nest:
		t = "nest of " + setLink(k.Set)
	case ir.NestTypeValue:
		t = "nest-type-value of " + setLink(k.Set)
	case ir.SubMsg:
		sel := code(k.Selector.Name)
		if k.SelectorDepth > 0 {
			sel = code(k.Selector.Set.Name+"."+k.Selector.Name) + fmt.Sprintf(" (%d nest levels up)", k.SelectorDepth)
		}
		t = fmt.Sprintf("sub-message [%s](#%s) selected by %s", cell(k.Def.Name), anchor("sub-message "+k.Def.Name), sel)
	case ir.IndexedArray:
		if n, ok := k.Elem.(ir.Nest); ok {
			t = "indexed-array of " + setLink(n.Set)
		} else {
			t = cell(k.String())
		}
	case ir.Binary:
		if k.Struct != nil {
			t = structLink(k.Struct)
		} else {
			t = cell(k.String())
		}
	default:
		t = cell(a.Kind.String())
	}
	if a.MultiAttr {
		t += ", multi-attr"
	}
	if a.Enum != nil {
		t += ", " + enumLink(a.Enum)
	}
	return t
}

func enumLink(e *ir.Enum) string {
	word := "enum"
	if e.IsFlags {
		word = "flags"
	}
	return fmt.Sprintf("%s [%s](#%s)", word, cell(e.Name), anchor(word+" "+e.Name))
}

func payloadLen(k ir.Kind) string {
	if !ir.OnWire(k) {
		return "not sent"
	}
	mn, mx := k.PayloadLen()
	switch {
	case mx < 0 && mn == 0:
		return "variable"
	case mx < 0:
		return fmt.Sprintf("≥ %d", mn)
	case mn == mx:
		return fmt.Sprint(mn)
	case mn == 4 && mx == 8:
		return "4 or 8"
	}
	return fmt.Sprintf("%d–%d", mn, mx)
}

// policy lists the kernel-side checks from the spec and, per Windows
// NL_POLICY table covering the set, the entry the driver uses.
func policy(a *ir.Attr, policies []*ir.Policy) string {
	var parts []string
	c := a.Checks
	limit := func(name string, l *ir.Limit) {
		if l == nil {
			return
		}
		v := fmt.Sprint(l.Value)
		if l.Const != "" {
			v = fmt.Sprintf("%s (%s)", v, code(cpolicy.LimitExpr(l)))
		}
		parts = append(parts, name+" "+v)
	}
	limit("min", c.Min)
	limit("max", c.Max)
	limit("min-len", c.MinLen)
	limit("max-len", c.MaxLen)
	limit("exact-len", c.ExactLen)
	if c.FlagsMask != nil {
		parts = append(parts, "mask "+enumLink(c.FlagsMask))
	}
	if c.UnterminatedOK {
		parts = append(parts, "unterminated ok")
	}
	for _, p := range policies {
		for _, e := range p.Entries {
			if e.Attr == a {
				parts = append(parts, code(p.Name)+": "+policyEntry(e))
			}
		}
	}
	return strings.Join(parts, "; ")
}

func policyEntry(e *ir.PolicyEntry) string {
	var parts []string
	if e.OmitType {
		parts = append(parts, "no type")
	} else {
		parts = append(parts, code(cpolicy.TypeName(e.Type)))
	}
	if e.MinLen != nil {
		parts = append(parts, "minLen "+code(cpolicy.LenExpr(e.MinLen)))
	}
	if e.MaxLen != nil {
		parts = append(parts, "maxLen "+code(cpolicy.LenExpr(e.MaxLen)))
	}
	if !e.Optional {
		parts = append(parts, "required")
	}
	s := strings.Join(parts, " ")
	if e.Derived != nil && e.Reason != "" {
		s += " (override: " + cell(e.Reason) + ")"
	}
	return s
}

func setPolicies(f *ir.Family, s *ir.AttrSet) []*ir.Policy {
	if f.Win == nil {
		return nil
	}
	var out []*ir.Policy
	for _, p := range f.Win.Policies {
		if p.Set == s {
			out = append(out, p)
		}
	}
	return out
}

func writeDefinitions(b *strings.Builder, f *ir.Family) {
	if len(f.Defs) == 0 {
		return
	}
	b.WriteString("## Definitions\n\n")
	var consts [][]string
	for _, d := range f.Defs {
		if c, ok := d.(*ir.Const); ok {
			v := fmt.Sprint(c.Int)
			if c.IsStr {
				v = code(fmt.Sprintf("%q", c.Str))
			}
			consts = append(consts, withC(!raw(f), []string{code(c.Name), code(c.CName), v, cell(c.Doc)}))
		}
	}
	if len(consts) > 0 {
		b.WriteString("### Constants\n\n")
		table(b, withC(!raw(f), []string{"Name", "C name", "Value", "Description"}), consts)
	}
	for _, d := range f.Defs {
		switch d := d.(type) {
		case *ir.Enum:
			writeEnum(b, d, !raw(f))
		case *ir.Struct:
			writeStruct(b, d)
		}
	}
}

// withC drops the C name column (the second) for families whose C names
// are not nlgen's (netlink-raw: the kernel's hand-written headers name
// them their own way).
func withC(c bool, row []string) []string {
	if c {
		return row
	}
	return append(row[:1:1], row[2:]...)
}

func writeEnum(b *strings.Builder, e *ir.Enum, cNames bool) {
	word := "enum"
	if e.IsFlags {
		word = "flags"
	}
	fmt.Fprintf(b, "### %s %s\n\n", word, cell(e.Name))
	if e.Doc != "" {
		b.WriteString(text(e.Doc) + "\n\n")
	}
	if e.CEnumName != "" && cNames {
		fmt.Fprintf(b, "C: %s.\n\n", code("enum "+e.CEnumName))
	}
	var rows [][]string
	for _, x := range e.Entries {
		v := fmt.Sprint(x.Value)
		if e.IsFlags {
			v = fmt.Sprintf("%#x (bit %d)", x.Value, x.Bit)
		}
		rows = append(rows, withC(cNames, []string{code(x.Name), code(x.CName), v, cell(x.Doc)}))
	}
	table(b, withC(cNames, []string{"Name", "C name", "Value", "Description"}), rows)
}

func writeStruct(b *strings.Builder, s *ir.Struct) {
	fmt.Fprintf(b, "### struct %s\n\n", cell(s.Name))
	if s.Doc != "" {
		b.WriteString(text(s.Doc) + "\n\n")
	}
	fmt.Fprintf(b, "C: %s, %d bytes on the wire", code("struct "+s.CName), s.Size)
	if s.NaturalSize != s.Size {
		fmt.Fprintf(b, " (sizeof %d with natural alignment)", s.NaturalSize)
	}
	b.WriteString(".\n\n")
	var rows [][]string
	for _, m := range s.Members {
		t := m.Type
		switch {
		case m.Struct != nil:
			t = structLink(m.Struct)
		case m.IsPad():
			t = "pad (carries nothing)"
		default:
			t = cell(t)
		}
		if m.BigEndian {
			t += " (big-endian)"
		}
		if m.Enum != nil {
			t += ", " + enumLink(m.Enum)
			if m.EnumAsFlags {
				t += " as flags"
			}
		}
		rows = append(rows, []string{fmt.Sprint(m.Offset), fmt.Sprint(m.Size), code(m.Name), t, cell(m.Doc)})
	}
	table(b, []string{"Offset", "Size", "Member", "Type", "Description"}, rows)
}

// writeSubMessages renders netlink-raw's sub-messages: per selector value,
// the fixed header and the attribute set of the payload.
func writeSubMessages(b *strings.Builder, f *ir.Family) {
	if len(f.SubMessages) == 0 {
		return
	}
	b.WriteString("## Sub-messages\n\n")
	b.WriteString("The payload of a sub-message attribute takes the format its selector attribute names: " +
		"the fixed header's bytes first, then attributes of the set.\n\n")
	for _, sm := range f.SubMessages {
		fmt.Fprintf(b, "### Sub-message %s\n\n", cell(sm.Name))
		var rows [][]string
		for _, fm := range sm.Formats {
			hdr, set := "none", "none"
			if fm.FixedHeader != nil {
				hdr = structLink(fm.FixedHeader)
			}
			if fm.AttrSet != nil {
				set = setLink(fm.AttrSet)
			}
			rows = append(rows, []string{code(fm.Value), hdr, set})
		}
		table(b, []string{"Selector value", "Fixed header", "Attribute set"}, rows)
	}
}
