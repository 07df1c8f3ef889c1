package docs

import (
	"fmt"
	"strings"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cwindows"
	"github.com/nlgen/nlgen/ir"
)

// writeWinFamily lists the Windows constants of one family: its static id,
// group ids, dispatch table and NL_POLICY tables.
func writeWinFamily(b *strings.Builder, f *ir.Family) {
	w := f.Win
	if w == nil {
		return
	}
	b.WriteString("## Windows\n\n")
	var facts [][]string
	if w.ID != 0 {
		facts = append(facts, []string{"Static family id", fmt.Sprintf("%d = %s", w.ID, code(w.IDCName))})
	}
	if w.WindowsOnly {
		facts = append(facts, []string{"Windows only", "yes: declared in the Windows header, not the uapi header"})
	}
	if w.MaxAttr != "" {
		facts = append(facts, []string{"maxAttr", code(w.MaxAttr)})
	}
	if w.FamilySymbol != "" {
		facts = append(facts, []string{"NETLINK_FAMILY", code(w.FamilySymbol)})
	}
	if w.CommandsSymbol != "" {
		facts = append(facts, []string{"NETLINK_CMD table", code(w.CommandsSymbol)})
	}
	for _, g := range w.Groups {
		facts = append(facts, []string{"Group " + code(g.Name), fmt.Sprint(g.ID)})
	}
	if r := w.Raw; r != nil {
		facts = append(facts,
			[]string{"Carried as", fmt.Sprintf("placeholder family %s (%s, version %d = %s), never named on the wire",
				code(r.Name), code(r.NameCName), r.Version, code(r.VersionCName))},
			[]string{"Driver command", fmt.Sprintf("the message type's low %d bits (`NETLINK_CMD.cmd`)", r.CommandBits)})
		if r.McastName != "" {
			facts = append(facts, []string{"Group name macro", code(r.McastName) + " = " + code(r.McastGroup)})
		}
		if r.Ext != nil {
			seen := map[*ir.Struct]bool{}
			for _, op := range f.Ops {
				if s := op.FixedHeader; s != nil && !seen[s] {
					seen[s] = true
					facts = append(facts, []string{"Fixed header on Windows", fmt.Sprintf("%s, then %s (%s): %d bytes",
						code("struct "+s.CName), code(r.Ext.Name), code("struct "+r.Ext.Struct.CName), r.FixedHeader(s).Size)})
				}
			}
		}
	}
	table(b, []string{"Property", "Value"}, facts)
	if len(w.Commands) > 0 {
		b.WriteString("### Dispatch table\n\n")
		var rows [][]string
		for _, c := range w.Commands {
			v := ""
			if c.ValidateDpIndex {
				v = "yes"
			}
			rows = append(rows, []string{fmt.Sprintf("[%s](#%s)", cell(c.Op.Name), anchor(c.Op.Name)), code(c.Op.CName), code(c.Handler), devOps(c), v})
		}
		table(b, []string{"Operation", "Command", "Handler", "devOps", "Validates dp index"}, rows)
	}
	if len(w.Policies) > 0 {
		b.WriteString("### NL_POLICY tables\n\n")
		var rows [][]string
		for _, p := range w.Policies {
			where := p.Scope
			if p.Function != "" {
				where += " in " + code(p.Function)
			}
			rows = append(rows, []string{code(p.Name), setLink(p.Set), cell(where), fmt.Sprint(len(p.Entries)), cell(p.Doc)})
		}
		table(b, []string{"Table", "Attribute set", "Scope", "Entries", "Description"}, rows)
	}
}

func windowsPage(req *gen.Request, w *ir.Windows) string {
	var fams []*ir.Family
	for _, f := range w.Families {
		fams = append(fams, f.Family)
	}
	var b strings.Builder
	b.WriteString(banner(req, fams))
	b.WriteString("# Windows interface\n\n")
	if w.Doc != "" {
		b.WriteString(text(w.Doc) + "\n\n")
	}
	fmt.Fprintf(&b, "From %s.\n\n", code(w.SourcePath))
	if d := w.Device; d != nil {
		b.WriteString("## Device\n\n")
		table(&b, []string{"Name", "C macro", "Value"}, [][]string{
			{"NT", code(d.NTCName), code(d.NTName)},
			{"DOS", code(d.DOSCName), code(d.DOSName)},
			{"User mode", code(d.UserCName), code(d.UserName)},
		})
	}
	if len(w.Ioctls) > 0 {
		b.WriteString("## Ioctls\n\n")
		fmt.Fprintf(&b, "CTL_CODE(%s = %d, %s = %#x + offset, method, access).\n\n",
			code(w.DeviceTypeName), w.DeviceType, code(w.FunctionStartNam), w.FunctionStart)
		var rows [][]string
		for _, x := range w.Ioctls {
			rows = append(rows, []string{code(x.CName), fmt.Sprintf("%#x", x.Code), fmt.Sprintf("%#x", x.Function),
				code(cwindows.IoctlMethod(x)), code(cwindows.IoctlAccess(x)), cell(x.Doc)})
		}
		table(&b, []string{"Ioctl", "Code", "Function", "Method", "Access", "Description"}, rows)
	}
	if len(w.Families) > 0 {
		b.WriteString("## Static family ids\n\n")
		fmt.Fprintf(&b, "Ids are %s (%d) + offset.\n\n", code(w.FamilyIDBaseName), w.FamilyIDBase)
		var rows [][]string
		for _, f := range w.Families {
			id := ""
			if f.ID != 0 {
				id = fmt.Sprint(f.ID)
			}
			rows = append(rows, []string{fmt.Sprintf("[%s](%s.md)", cell(f.Family.Name), f.Family.Name), id, code(f.IDCName), fmt.Sprint(len(f.Commands))})
		}
		table(&b, []string{"Family", "Id", "C macro", "Commands"}, rows)
	}
	if len(w.Constants) > 0 {
		b.WriteString("## Constants\n\n")
		var rows [][]string
		for _, c := range w.Constants {
			v := fmt.Sprint(c.Int)
			if c.IsStr {
				v = code(fmt.Sprintf("%q", c.Str))
			}
			rows = append(rows, []string{code(c.CName), v, cell(c.Doc)})
		}
		table(&b, []string{"Name", "Value", "Description"}, rows)
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}
