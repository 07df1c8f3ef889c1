package cpolicy

import (
	"math"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/templates"
)

// CheckProgram renders a C program that walks every generated NL_POLICY
// table and compares each entry with what the spec means, independently of
// the table template: the entry the IR expects (type, lengths, optional),
// the wire size the attribute's kind allows, and the driver's own type
// defaults (Netlink.h). Extern tables are linked from the policy .c file;
// function-local tables are expanded inside a function, as a handler would.
func CheckProgram(req *gen.Request, policyHeader string) (gen.File, error) {
	tables, fams, err := Tables(req.Families)
	if err != nil {
		return gen.File{}, err
	}
	v := checkView{Banner: gen.CBannerData(fams), Header: gen.CString(policyHeader), Tables: tables}
	b, err := templates.Execute("policy_check.c.tmpl", v)
	if err != nil {
		return gen.File{}, err
	}
	return gen.File{Path: "policy_check.c", Content: b}, nil
}

type checkView struct {
	Banner gen.Banner
	Header string
	Tables []*table
}

// kindBounds is the payload size the spec allows for the attribute, in the
// driver's terms (a string's NUL counts; unbounded is UINT32_MAX).
func kindBounds(a *ir.Attr) (uint64, uint64) {
	const unbounded = math.MaxUint32
	switch k := a.Kind.(type) {
	case ir.Flag:
		// A flag carries no payload, but the driver reads maxLen 0 as
		// "type default" and cannot say "exactly 0 bytes" (Netlink.h).
		return 0, unbounded
	case ir.Binary:
		// The driver checks sizeof(struct), which natural alignment may
		// pad past the packed wire size.
		if k.Struct != nil {
			return uint64(k.Struct.NaturalSize), uint64(k.Struct.NaturalSize)
		}
	}
	lo, hi := a.PayloadBounds()
	if hi < 0 {
		return uint64(lo), unbounded
	}
	return uint64(lo), uint64(hi)
}
