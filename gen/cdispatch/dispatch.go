// Package cdispatch renders the Windows driver's dispatch tables: one
// NETLINK_CMD array and one NETLINK_FAMILY per family of the overlay, and
// the prototypes of every command handler they point to. The hand-written
// dispatcher (OvsDeviceControl) keeps choosing a family by message type;
// what a family supports is now read from the spec.
package cdispatch

import (
	"fmt"
	"path"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cheader"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/templates"
)

// Generator is the c-dispatch target.
var Generator = &gen.Generator{
	Name: "c-dispatch",
	Doc:  "Windows driver NETLINK_CMD tables, NETLINK_FAMILY definitions and handler prototypes",
	Options: map[string]string{
		"header":  "header file name (default NlDispatch.h)",
		"source":  "source file name (default NlDispatch.c)",
		"include": "header the .c file includes first for NETLINK_CMD, NETLINK_FAMILY and the OVS enums (default precomp.h)",
	},
	Generate: Generate,
}

// The views are data only; templates/dispatch.*.tmpl spell every C token.
type view struct {
	Banner        gen.Banner
	Guard         string
	Include       string
	HeaderInclude string
	Handlers      []string
	Families      []familyView
}

type familyView struct {
	Name, Symbol, CommandsSymbol string
	NameMacro, IDMacro           string
	VersionMacro                 string
	MaxAttr                      string // "" for none: maxAttr 0
	Commands                     []commandView
}

type commandView struct {
	Cmd, Handler string
	// DevOps are the driver's OVS_<name>_DEV_OP bits (Datapath.h) the
	// command accepts, in the order ir.WinCommand.DevOps lists them.
	DevOps          []string
	ValidateDpIndex bool
}

// Generate renders the dispatch header and source.
func Generate(req *gen.Request) ([]gen.File, error) {
	if _, err := gen.NeedWindows(req); err != nil {
		return nil, err
	}
	if err := gen.RawRefusal(req.Families, gen.WindowsRawWhy, gen.InOverlay); err != nil {
		return nil, err
	}
	header := path.Clean(req.Options.Get("header", "NlDispatch.h"))
	source := path.Clean(req.Options.Get("source", "NlDispatch.c"))
	v := &view{Guard: gen.CDriverGuard(header), Include: gen.CInclude(req.Options.Get("include", "precomp.h")), HeaderInclude: gen.CString(header)}
	var fams []*ir.Family
	seen := map[string]bool{}
	for _, f := range req.Families {
		w := f.Win
		if w == nil || len(w.Commands) == 0 {
			continue
		}
		if w.FamilySymbol == "" || w.CommandsSymbol == "" {
			return nil, fmt.Errorf("family %s: the overlay needs family-symbol and commands-symbol to render its dispatch table", f.Name)
		}
		fams = append(fams, f)
		fv := familyView{Name: f.Name, Symbol: w.FamilySymbol, CommandsSymbol: w.CommandsSymbol,
			NameMacro: f.CFamilyName, IDMacro: w.IDCName, VersionMacro: f.CVersionName, MaxAttr: w.MaxAttr}
		if r := w.Raw; r != nil && f.Protocol == "netlink-raw" {
			// the driver's placeholder family (OVS_CT_FAMILY): a classic
			// netlink family has no genetlink name or version of its own
			fv.NameMacro, fv.VersionMacro = r.NameCName, r.VersionCName
		}
		for _, c := range w.Commands {
			fv.Commands = append(fv.Commands, commandView{Cmd: c.Op.CName, Handler: c.Handler,
				DevOps: c.DevOps, ValidateDpIndex: c.ValidateDpIndex})
			if !seen[c.Handler] {
				seen[c.Handler] = true
				v.Handlers = append(v.Handlers, c.Handler)
			}
		}
		v.Families = append(v.Families, fv)
	}
	// the rows name the uapi header's commands and family macros
	if err := cheader.Check(fams); err != nil {
		return nil, err
	}
	if len(fams) == 0 {
		return nil, fmt.Errorf("the selected families have no operations in the Windows overlay")
	}
	v.Banner = gen.CBannerData(fams)
	var files []gen.File
	for _, out := range []struct{ tmpl, file string }{{"dispatch.h.tmpl", header}, {"dispatch.c.tmpl", source}} {
		b, err := templates.Execute(out.tmpl, v)
		if err != nil {
			return nil, err
		}
		files = append(files, gen.File{Path: out.file, Content: b})
	}
	return files, nil
}
