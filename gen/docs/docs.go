// Package docs renders Markdown reference pages: one per family (operations
// with their Windows dispatch entries, attribute tables with ids, types,
// lengths and policies, enums, structs with offsets, Windows constants), a
// page for the Windows device and an index. Like every generator it reads
// only the IR.
package docs

import (
	"fmt"
	"strings"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
)

// Generator is the docs target.
var Generator = &gen.Generator{
	Name:     "docs",
	Doc:      "Markdown reference per family, a Windows device page and an index (README.md)",
	Options:  map[string]string{},
	Generate: Generate,
}

// Generate renders <family>.md for each family, windows.md when the model
// has an overlay, and README.md linking them.
func Generate(req *gen.Request) ([]gen.File, error) {
	var files []gen.File
	for _, f := range req.Families {
		files = append(files, gen.File{Path: f.Name + ".md", Content: []byte(familyPage(req, f))})
	}
	if w := req.Model.Windows; w != nil {
		files = append(files, gen.File{Path: "windows.md", Content: []byte(windowsPage(req, w))})
	}
	files = append(files, gen.File{Path: "README.md", Content: []byte(indexPage(req))})
	return files, nil
}

// banner marks the file as generated (the writer only replaces or removes
// files carrying gen.GeneratedMarker) and names the specs it comes from.
func banner(req *gen.Request, fams []*ir.Family) string {
	return "<!-- " + gen.GeneratedLine(strings.ReplaceAll(gen.SpecList(fams), "--", "- -")) + " -->\n\n"
}

func indexPage(req *gen.Request) string {
	var b strings.Builder
	b.WriteString(banner(req, req.Families))
	b.WriteString("# Netlink families\n\n")
	var rows [][]string
	for _, f := range req.Families {
		hdr := code(f.UAPIHeader)
		if raw(f) {
			hdr = "hand-written"
		}
		rows = append(rows, []string{fmt.Sprintf("[%s](%s.md)", cell(f.Name), f.Name), cell(firstSentence(f.Doc)),
			hdr, fmt.Sprint(len(f.Ops))})
	}
	table(&b, []string{"Family", "Summary", "Header", "Operations"}, rows)
	if req.Model.Windows != nil {
		b.WriteString("The Windows pseudo-device, its ioctls and static family ids: [windows.md](windows.md).\n")
	}
	return b.String()
}

func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

func familyPage(req *gen.Request, f *ir.Family) string {
	var b strings.Builder
	b.WriteString(banner(req, []*ir.Family{f}))
	fmt.Fprintf(&b, "# %s\n\n", cell(f.Name))
	if f.Doc != "" {
		b.WriteString(text(f.Doc) + "\n\n")
	}
	facts := [][]string{
		{"Family name", code(f.Name) + " (" + code(f.CFamilyName) + ")"},
		{"Version", fmt.Sprintf("%d (%s)", f.Version, code(f.CVersionName))},
		{"Protocol", cell(f.Protocol)},
		{"C header", code(f.UAPIHeader)},
		{"Spec", code(f.SpecPath)},
	}
	if raw(f) {
		// Classic netlink has no family name on the wire, no version and
		// no generated header: the socket's protocol is the family.
		facts = [][]string{
			{"Family name", code(f.Name)},
			{"Protocol", cell(f.Protocol)},
			{"Netlink protocol", fmt.Sprintf("%d (%s)", f.Protonum, code(fmt.Sprintf("socket(AF_NETLINK, SOCK_RAW, %d)", f.Protonum)))},
			{"C header", "hand-written (the kernel's uapi headers; nlgen's c-uapi does not apply)"},
			{"Spec", code(f.SpecPath)},
		}
	}
	if f.FixedHeader != nil {
		facts = append(facts, []string{"Fixed header", structLink(f.FixedHeader)})
	}
	if raw(f) {
		facts = append(facts, []string{"Message types", "`nlmsg_type` per message, from the spec (below)"})
	} else if f.EnumModel == "directional" {
		facts = append(facts, []string{"Command ids", fmt.Sprintf("per direction (`enum-model: directional`): requests up to %s, replies and notifications up to %s",
			code(f.CmdMaxName), code(f.KernelCmdMaxName))})
	}
	if w := f.Win; w != nil && w.ID != 0 {
		facts = append(facts, []string{"Windows family id", fmt.Sprintf("%d (%s)", w.ID, code(w.IDCName))})
	}
	table(&b, []string{"Property", "Value"}, facts)

	writeOps(&b, f)
	writeGroups(&b, f)
	writeAttrSets(&b, f)
	writeSubMessages(&b, f)
	writeDefinitions(&b, f)
	writeWinFamily(&b, f)
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func structLink(s *ir.Struct) string {
	return fmt.Sprintf("[%s](#%s)", code("struct "+s.CName), anchor("struct "+s.Name))
}

func setLink(s *ir.AttrSet) string {
	return fmt.Sprintf("[%s](#%s)", cell(s.Name), anchor("attribute set "+s.Name))
}

func writeOps(b *strings.Builder, f *ir.Family) {
	if len(f.Ops) == 0 {
		return
	}
	b.WriteString("## Operations\n\n")
	for _, op := range f.Ops {
		fmt.Fprintf(b, "### %s\n\n", cell(op.Name))
		if op.Doc != "" {
			b.WriteString(text(op.Doc) + "\n\n")
		}
		rows := [][]string{{"Command", opCommand(f, op)}}
		if raw(f) {
			rows = [][]string{{"Message types", rawTypes(op)}}
		}
		if op.AttrSet != nil {
			rows = append(rows, []string{"Attribute set", setLink(op.AttrSet)})
		}
		if op.FixedHeader != nil && op.FixedHeader != f.FixedHeader {
			rows = append(rows, []string{"Fixed header", structLink(op.FixedHeader)})
		}
		for _, m := range []struct {
			name string
			mode *ir.OpMode
		}{{"do", op.Do}, {"dump", op.Dump}} {
			if m.mode == nil {
				continue
			}
			rows = append(rows, []string{m.name + " request", msgAttrs(m.mode.Request)},
				[]string{m.name + " reply", msgAttrs(m.mode.Reply)})
		}
		if op.Event != nil {
			rows = append(rows, []string{"Event", msgAttrs(op.Event)})
		}
		if op.Notify != nil {
			rows = append(rows, []string{"Notifies with", fmt.Sprintf("[%s](#%s)", cell(op.Notify.Name), anchor(op.Notify.Name))})
		}
		if op.Mcgrp != nil {
			rows = append(rows, []string{"Multicast group", code(op.Mcgrp.Name)})
		}
		if len(op.Flags) > 0 {
			rows = append(rows, []string{"Flags", codes(op.Flags)})
		}
		if c := winCommand(f, op); c != nil {
			rows = append(rows, []string{"Windows handler", code(c.Handler)},
				[]string{"Windows devOps", devOps(c)})
		}
		table(b, []string{"Property", "Value"}, rows)
	}
}

func opCommand(f *ir.Family, op *ir.Op) string {
	if f.EnumModel == "directional" {
		// Each message with its own id and name, from the enum of its
		// direction: a request and its reply, a notification, an event.
		var parts []string
		if op.ReqValue >= 0 {
			parts = append(parts, fmt.Sprintf("request %d (%s)", op.ReqValue, code(op.CName)))
		}
		if op.RspValue >= 0 {
			what := "reply"
			switch {
			case op.Event != nil:
				what = "event"
			case op.Notify != nil:
				what = "notification"
			}
			parts = append(parts, fmt.Sprintf("%s %d (%s)", what, op.RspValue, code(op.RspCName)))
		}
		if len(parts) > 0 {
			return strings.Join(parts, ", ")
		}
	}
	s := fmt.Sprintf("%d (%s)", op.Value, code(op.CName))
	if op.ReqValue >= 0 && op.RspValue >= 0 && op.ReqValue != op.RspValue {
		s = fmt.Sprintf("request %d, reply %d (%s)", op.ReqValue, op.RspValue, code(op.CName))
	}
	return s
}

func msgAttrs(m *ir.Msg) string {
	if m == nil {
		return "none"
	}
	var s string
	if len(m.Attrs) == 0 {
		s = "no attributes"
	} else {
		names := make([]string, len(m.Attrs))
		for i, a := range m.Attrs {
			names[i] = code(a.Name)
		}
		s = strings.Join(names, ", ")
	}
	if len(m.Members) > 0 {
		names := make([]string, len(m.Members))
		for i, mb := range m.Members {
			names[i] = code(mb.Name)
		}
		s = "fixed header " + strings.Join(names, ", ") + "; " + s
	}
	return s
}

// raw tells a classic netlink family: no C names of nlgen's, message
// types instead of commands.
func raw(f *ir.Family) bool { return f.Protocol == "netlink-raw" }

// rawTypes lists the nlmsg_type of each message of an op, do and dump
// apart when they differ.
func rawTypes(op *ir.Op) string {
	var parts []string
	seen := map[string]bool{}
	add := func(what string, m *ir.Msg) {
		if m == nil || m.Value < 0 {
			return
		}
		p := fmt.Sprintf("%s %d", what, m.Value)
		if !seen[p] {
			seen[p] = true
			parts = append(parts, p)
		}
	}
	for _, m := range []*ir.OpMode{op.Do, op.Dump} {
		if m != nil {
			add("request", m.Request)
			add("reply", m.Reply)
		}
	}
	add("event", op.Event)
	if op.Notify != nil && op.RspValue >= 0 {
		add("notification", &ir.Msg{Value: op.RspValue})
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func codes(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = code(s)
	}
	return strings.Join(out, ", ")
}

func winCommand(f *ir.Family, op *ir.Op) *ir.WinCommand {
	if f.Win == nil {
		return nil
	}
	for _, c := range f.Win.Commands {
		if c.Op == op {
			return c
		}
	}
	return nil
}

func devOps(c *ir.WinCommand) string {
	if len(c.DevOps) == 0 {
		return "none"
	}
	return fmt.Sprintf("%s (%#x)", strings.Join(c.DevOps, ", "), c.DevOpMask)
}

func writeGroups(b *strings.Builder, f *ir.Family) {
	if len(f.McastGroups) == 0 {
		return
	}
	b.WriteString("## Multicast groups\n\n")
	var rows [][]string
	if raw(f) {
		for _, g := range f.McastGroups {
			v := fmt.Sprint(g.Value)
			if g.Value == 0 {
				v = "not given (the group cannot be joined)"
			}
			rows = append(rows, []string{code(g.Name), v})
		}
		table(b, []string{"Name", "Group number"}, rows)
		return
	}
	for _, g := range f.McastGroups {
		win := ""
		if g.WinID != 0 {
			win = fmt.Sprint(g.WinID)
		}
		rows = append(rows, []string{code(g.Name), code(g.CName), win})
	}
	table(b, []string{"Name", "C name", "Windows static id"}, rows)
}
