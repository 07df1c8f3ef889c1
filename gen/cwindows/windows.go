// Package cwindows renders the Windows header of an OVS-style interface:
// the pseudo-device names, the ioctl codes as CTL_CODE(...), the static
// family ids, the overlay's constants and the definitions of the
// Windows-only families (the role of upstream OvsDpInterfaceExt.h and
// OvsDpInterfaceCtExt.h), with static asserts that pin every ioctl code and
// family id to its number.
package cwindows

import (
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
	w, err := gen.NeedWindows(req)
	if err != nil {
		return nil, err
	}
	if err := gen.RawRefusal(req.Families, gen.WindowsRawWhy, gen.InOverlay); err != nil {
		return nil, err
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
	b, err := templates.Execute("windows.h.tmpl", v)
	if err != nil {
		return nil, err
	}
	return []gen.File{{Path: file, Content: b}}, nil
}

// The views are data only; templates/windows.h.tmpl and the shared blocks
// of templates/c.tmpl spell every C token.
type view struct {
	License     string
	Banner      gen.Banner
	Doc         []string
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

type define = cheader.Define

type ioctlView struct {
	Doc                             []string
	Name, DeviceType, Start, Offset string
	Method                          string   // ir.Ioctl.MethodType
	Access                          []string // ir.Ioctl.AccessRights
}

// familySection is the Windows-only families of one upstream header,
// printed with the "uapi-family" block of the c-uapi target so their
// enums and structs are laid out exactly like the shared ones.
type familySection struct {
	Header   string
	Families []cheader.FamilyView
}

// assertion pins a macro to the number it must have; the template casts
// both sides to unsigned so the comparison holds whatever type the macro
// has.
type assertion struct{ Macro, Value, Msg string }

func headerView(req *gen.Request, w *ir.Windows, fams []*ir.Family, file string) (*view, error) {
	v := &view{
		Banner:      gen.CBannerData(fams),
		Doc:         gen.CCommentLines(w.Doc),
		Guard:       orDefault(w.HeaderGuard, cheader.Guard(file)),
		UAPIInclude: gen.CInclude(req.Options.Get("uapi-header", "<linux/openvswitch.h>")),
	}
	if lic := fams[0].License; lic != "" {
		v.License = gen.OneLine(lic)
	}
	if d := w.Device; d != nil {
		v.Device = []define{
			{Doc: "Kernel name of the pseudo-device.", Name: d.NTCName, IsStr: true, Wide: true, Str: d.NTName},
			{Doc: "Symbolic link the driver creates for it.", Name: d.DOSCName, IsStr: true, Wide: true, Str: d.DOSName},
			{Doc: "Path userspace opens with CreateFile.", Name: d.UserCName, IsStr: true, Text: true, Str: d.UserName},
		}
	}
	if len(w.Ioctls) > 0 {
		v.IoctlBase = []define{
			// Unsigned, as DEVICE_TYPE is a ULONG: CTL_CODE shifts it left
			// by 16, and a vendor type (0x8000 and up, OVS uses 45000)
			// would overflow int, which -pedantic rejects in a constant
			// expression.
			{Doc: "CTL_CODE DeviceType of every OVS ioctl.", Name: w.DeviceTypeName, Num: fmt.Sprint(w.DeviceType), Suffix: "u"},
			{Doc: "First CTL_CODE Function number.", Name: w.FunctionStartNam, Num: fmt.Sprintf("%#x", w.FunctionStart)},
		}
	}
	for _, io := range w.Ioctls {
		v.Ioctls = append(v.Ioctls, ioctlView{Doc: gen.CCommentLines(io.Doc), Name: io.CName,
			DeviceType: w.DeviceTypeName, Start: w.FunctionStartNam, Offset: fmt.Sprintf("%#x", io.Offset),
			Method: io.MethodType, Access: io.AccessRights})
		v.Asserts = append(v.Asserts, pin(io.CName, fmt.Sprintf("0x%08X", io.Code)))
	}
	v.IDBase = define{Doc: "Static family ids count from here, as on Linux.", Name: w.FamilyIDBaseName, Num: fmt.Sprintf("%#x", w.FamilyIDBase)}
	byID := slices.Clone(fams)
	slices.SortStableFunc(byID, func(a, b *ir.Family) int { return a.Win.ID - b.Win.ID })
	for _, f := range byID {
		if f.Win.ID == 0 {
			continue
		}
		v.FamilyIDs = append(v.FamilyIDs, define{Doc: "Family " + gen.OneLine(f.Name) + ".", Name: f.Win.IDCName,
			Base: w.FamilyIDBaseName, Num: fmt.Sprint(f.Win.IDOffset)})
		v.Asserts = append(v.Asserts, pin(f.Win.IDCName, fmt.Sprint(f.Win.ID)))
	}
	for _, c := range w.Constants {
		v.Constants = append(v.Constants, cheader.ConstDefine(c))
	}
	sections, err := windowsOnlyDefinitions(fams)
	if err != nil {
		return nil, err
	}
	v.Families = sections
	return v, nil
}

func pin(macro, value string) assertion {
	return assertion{Macro: macro, Value: value, Msg: macro + " must be " + value}
}

// windowsOnlyDefinitions builds the views of the Windows-only families
// from the IR, grouped by the upstream header they come from, with the
// c-uapi target's de-duplication and collision checks per group.
func windowsOnlyDefinitions(fams []*ir.Family) ([]familySection, error) {
	groups, err := cheader.HeaderGroups(fams, true)
	if err != nil {
		return nil, err
	}
	var out []familySection
	for _, g := range groups {
		views, _, err := cheader.FamilyViews(g.Header, g.Families)
		if err != nil {
			return nil, err
		}
		out = append(out, familySection{Header: gen.OneLine(g.Header), Families: views})
	}
	return out, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// IoctlMethod is the CTL_CODE method of an ioctl as the header spells it
// (METHOD_BUFFERED).
func IoctlMethod(io *ir.Ioctl) string { return templates.MustSpell("ioctl-method", io.MethodType) }

// IoctlAccess is the CTL_CODE access of an ioctl as the header spells it
// (FILE_READ_ACCESS | FILE_WRITE_ACCESS).
func IoctlAccess(io *ir.Ioctl) string { return templates.MustSpell("ioctl-access", io.AccessRights) }
