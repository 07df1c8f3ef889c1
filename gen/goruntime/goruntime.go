// Package goruntime renders the one generated file of nlgen's own Go
// runtime: the numbers runtime/genl's Windows device transport needs (the
// device path, the OVS ioctl codes, and the ovs_win_control family's static id, version,
// fixed header, commands and attributes), taken from the Windows overlay
// and the ovs_win_control spec. The spec and overlay are then the one
// source of these numbers; the runtime names them, it does not write them.
//
// It is not a target of nlgen.yaml: the file belongs to this repository's
// runtime. `make generate` rewrites it (go test ./gen/goruntime -update)
// and `make test` fails when it is stale.
package goruntime

import (
	"bytes"
	"fmt"
	"go/format"
	"strconv"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cwindows"
	"github.com/nlgen/nlgen/ir"
)

// ControlFamily is the Windows driver's control family the runtime speaks.
const ControlFamily = "ovs_win_control"

// OVSWindows renders runtime/genl's ovswin_gen.go from a model holding the
// Windows overlay and the ovs_win_control family.
func OVSWindows(m *ir.Model) ([]byte, error) {
	w := m.Windows
	if w == nil || len(w.Ioctls) == 0 {
		return nil, fmt.Errorf("the model has no Windows overlay with ioctls")
	}
	var fam *ir.Family
	var win *ir.WinFamily
	for _, wf := range w.Families {
		if wf.Family != nil && wf.Family.Name == ControlFamily {
			fam, win = wf.Family, wf
		}
	}
	if fam == nil {
		return nil, fmt.Errorf("the model has no %s family with a static id", ControlFamily)
	}
	if fam.FixedHeader == nil {
		return nil, fmt.Errorf("%s has no fixed header", ControlFamily)
	}
	var b bytes.Buffer
	b.WriteString("// " + gen.GeneratedLine(w.SourcePath+", "+fam.SpecPath) + "\n\n")
	b.WriteString("package genl\n\n")
	if w.Device != nil && w.Device.UserName != "" {
		fmt.Fprintf(&b, "// deviceUserName is %s, the Win32 path of the device.\nconst deviceUserName = %s\n\n", w.Device.UserCName, strconv.Quote(w.Device.UserName))
	}
	fmt.Fprintf(&b, "// OVS ioctl codes: CTL_CODE(%d, 0x%x + function, method, access).\nconst (\n", w.DeviceType, w.FunctionStart)
	for _, io := range w.Ioctls {
		fmt.Fprintf(&b, "\tioctl%s = 0x%08X // %s: %s, %s\n", ir.GoExported(io.Name), io.Code, io.CName, cwindows.IoctlMethod(io), cwindows.IoctlAccess(io))
	}
	b.WriteString(")\n\n")
	fmt.Fprintf(&b, "// The %s family: static id, version and fixed header length.\nconst (\n", ControlFamily)
	fmt.Fprintf(&b, "\twinControlID = %d // %s\n", win.ID, win.IDCName)
	fmt.Fprintf(&b, "\twinControlVersion = %d\n", fam.Version)
	fmt.Fprintf(&b, "\twinControlHeaderLen = %d // struct %s\n", fam.FixedHeader.Size, fam.FixedHeader.CName)
	b.WriteString(")\n\n")
	fmt.Fprintf(&b, "// %s commands.\nconst (\n", ControlFamily)
	for _, op := range fam.Ops {
		if op.ReqValue >= 0 {
			fmt.Fprintf(&b, "\twinControlCmd%s = %d // %s\n", op.GoName, op.ReqValue, op.CName)
		}
	}
	b.WriteString(")\n\n")
	fmt.Fprintf(&b, "// %s attributes, by set.\nconst (\n", ControlFamily)
	for _, s := range fam.AttrSets {
		for _, a := range s.Attrs {
			fmt.Fprintf(&b, "\twinControl%s%s = %d // %s\n", s.GoName, a.GoName, a.ID, a.CName)
		}
	}
	b.WriteString(")\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("format: %v", err)
	}
	return src, nil
}

// File is OVSWindows as the file runtime/genl holds.
func File(m *ir.Model) (gen.File, error) {
	src, err := OVSWindows(m)
	return gen.File{Path: "runtime/genl/ovswin_gen.go", Content: src}, err
}
