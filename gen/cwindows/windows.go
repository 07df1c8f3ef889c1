// Package cwindows renders the Windows header of an OVS-style interface:
// the pseudo-device names, the ioctl codes as CTL_CODE(...), the static
// family ids, the overlay's constants and the definitions of the
// Windows-only families (the role of upstream OvsDpInterfaceExt.h and
// OvsDpInterfaceCtExt.h), with static asserts that pin every ioctl code and
// family id to its number.
package cwindows

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cheader"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/templates"
)

// DefaultFile is where the header goes inside the output folder; the name
// is the one the original plan gave it.
const DefaultFile = "include/windows/openvswitch-windows.h"

// Generator is the c-windows-header target.
var Generator = &gen.Generator{
	Name: "c-windows-header",
	Doc:  "Windows header: device names, CTL_CODE ioctls, static family ids, Windows-only families (needs the overlay)",
	Options: map[string]string{
		"file":        "path of the header inside the output folder (default " + DefaultFile + ")",
		"uapi-header": "header with the shared OVS definitions, included first (default <linux/openvswitch.h>)",
	},
	Generate: Generate,
}

// Generate renders the one Windows header.
func Generate(req *gen.Request) ([]gen.File, error) {
	w := req.Model.Windows
	if w == nil {
		return nil, fmt.Errorf("no Windows overlay: add `windows:` to the config")
	}
	file := path.Clean(req.Options.Get("file", DefaultFile))
	if !strings.HasSuffix(file, ".h") {
		return nil, fmt.Errorf("option file: %q is not a .h file", file)
	}
	var fams []*ir.Family
	for _, f := range req.Families {
		if f.Win != nil {
			fams = append(fams, f)
		}
	}
	if len(fams) == 0 {
		return nil, fmt.Errorf("none of the selected families is in the Windows overlay %s", w.SourcePath)
	}
	v, err := headerView(req, w, fams, file)
	if err != nil {
		return nil, err
	}
	tmpl, err := templates.Parse("windows.h.tmpl", nil)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return []gen.File{{Path: file, Content: buf.Bytes()}}, nil
}

type view struct {
	License     string
	Banner      string
	Doc         string
	Guard       string
	UAPIInclude string
	Device      []define
	IoctlBase   []define
	Ioctls      []ioctlView
	IDBase      define
	FamilyIDs   []define
	Constants   []define
	Families    []familySection
	Asserts     []assertion
}

type define struct{ Doc, Name, Value string }

type ioctlView struct {
	Doc, Name, DeviceType, Start, Offset, Method, Access string
}

type familySection struct {
	Header string // the upstream header these definitions come from
	Body   string
}

// assertion pins a macro to the number it must have; the cast keeps the
// comparison unsigned whatever type the macro has.
type assertion struct{ Expr, Msg string }

func headerView(req *gen.Request, w *ir.Windows, fams []*ir.Family, file string) (*view, error) {
	v := &view{
		Banner:      gen.CBanner(fams),
		Doc:         gen.CBlockComment(w.Doc, ""),
		Guard:       orDefault(w.HeaderGuard, cheader.Guard(file)),
		UAPIInclude: includeSpelling(req.Options.Get("uapi-header", "<linux/openvswitch.h>")),
	}
	if lic := fams[0].License; lic != "" {
		v.License = "/* SPDX-License-Identifier: " + gen.OneLine(lic) + " */\n"
	}
	if d := w.Device; d != nil {
		v.Device = []define{
			{"Kernel name of the pseudo-device.", d.NTCName, "L" + gen.CString(d.NTName)},
			{"Symbolic link the driver creates for it.", d.DOSCName, "L" + gen.CString(d.DOSName)},
			{"Path userspace opens with CreateFile.", d.UserCName, "TEXT(" + gen.CString(d.UserName) + ")"},
		}
	}
	if len(w.Ioctls) > 0 {
		v.IoctlBase = []define{
			// Unsigned, as DEVICE_TYPE is a ULONG: CTL_CODE shifts it left
			// by 16, and a vendor type (0x8000 and up, OVS uses 45000)
			// would overflow int, which -pedantic rejects in a constant
			// expression.
			{"CTL_CODE DeviceType of every OVS ioctl.", w.DeviceTypeName, fmt.Sprintf("%du", w.DeviceType)},
			{"First CTL_CODE Function number.", w.FunctionStartNam, fmt.Sprintf("%#x", w.FunctionStart)},
		}
	}
	for _, io := range w.Ioctls {
		access := io.AccessName
		if strings.Contains(access, "|") {
			access = "(" + access + ")"
		}
		v.Ioctls = append(v.Ioctls, ioctlView{Doc: gen.CBlockComment(io.Doc, ""), Name: io.CName,
			DeviceType: w.DeviceTypeName, Start: w.FunctionStartNam, Offset: fmt.Sprintf("%#x", io.Offset), Method: io.MethodName, Access: access})
		v.Asserts = append(v.Asserts, pin(io.CName, fmt.Sprintf("0x%08X", io.Code)))
	}
	v.IDBase = define{"Static family ids count from here, as on Linux.", w.FamilyIDBaseName, fmt.Sprintf("%#x", w.FamilyIDBase)}
	byID := slices.Clone(fams)
	slices.SortStableFunc(byID, func(a, b *ir.Family) int { return a.Win.ID - b.Win.ID })
	for _, f := range byID {
		if f.Win.ID == 0 {
			continue
		}
		v.FamilyIDs = append(v.FamilyIDs, define{"Family " + gen.OneLine(f.Name) + ".", f.Win.IDCName,
			fmt.Sprintf("(%s + %d)", w.FamilyIDBaseName, f.Win.IDOffset)})
		v.Asserts = append(v.Asserts, pin(f.Win.IDCName, fmt.Sprint(f.Win.ID)))
	}
	for _, c := range w.Constants {
		val := fmt.Sprint(c.Int)
		if c.IsStr {
			val = gen.CString(c.Str)
		}
		v.Constants = append(v.Constants, define{gen.OneLine(c.Doc), c.CName, val})
	}
	sections, err := windowsOnlyDefinitions(req, fams)
	if err != nil {
		return nil, err
	}
	v.Families = sections
	return v, nil
}

func pin(macro, value string) assertion {
	return assertion{Expr: fmt.Sprintf("(unsigned int)(%s) == %su", macro, value), Msg: gen.CString(macro + " must be " + value)}
}

// windowsOnlyDefinitions renders the Windows-only families with the c-uapi
// generator, so their enums and structs are laid out exactly like the
// shared ones, and keeps only what lies between the include guard lines.
// Families are grouped by the upstream header they come from.
func windowsOnlyDefinitions(req *gen.Request, fams []*ir.Family) ([]familySection, error) {
	var order []string
	groups := map[string][]*ir.Family{}
	for _, f := range fams {
		if !f.Win.WindowsOnly {
			continue
		}
		shared := *f
		shared.Win = nil // c-uapi leaves Windows-only families to us
		if _, ok := groups[f.UAPIHeader]; !ok {
			order = append(order, f.UAPIHeader)
		}
		groups[f.UAPIHeader] = append(groups[f.UAPIHeader], &shared)
	}
	var out []familySection
	for _, hdr := range order {
		files, err := cheader.Generate(&gen.Request{Model: req.Model, Families: groups[hdr], Options: req.Options, Target: req.Target})
		if err != nil {
			return nil, err
		}
		if len(files) != 1 {
			return nil, fmt.Errorf("c-uapi rendered %d files for %s, want 1", len(files), hdr)
		}
		body, err := guardedBody(string(files[0].Content), cheader.Guard(hdr))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", hdr, err)
		}
		out = append(out, familySection{Header: gen.OneLine(hdr), Body: body})
	}
	return out, nil
}

// guardedBody returns the header text inside its include guard, without
// #include lines: the Windows header includes the shared header itself.
func guardedBody(h, guard string) (string, error) {
	start := strings.Index(h, "#define "+guard+"\n")
	end := strings.LastIndex(h, "#endif /* "+guard+" */")
	if start < 0 || end < start {
		return "", fmt.Errorf("include guard %s not found in the rendered header", guard)
	}
	var kept []string
	for _, l := range strings.Split(h[start+len("#define "+guard+"\n"):end], "\n") {
		if !strings.HasPrefix(l, "#include ") {
			kept = append(kept, l)
		}
	}
	return strings.Trim(strings.Join(kept, "\n"), "\n") + "\n", nil
}

// includeSpelling accepts <x.h>, "x.h" or a bare x.h (quoted for it).
func includeSpelling(h string) string {
	if strings.HasPrefix(h, "<") || strings.HasPrefix(h, "\"") {
		return h
	}
	return gen.CString(h)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
