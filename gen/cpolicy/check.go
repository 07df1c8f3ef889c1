package cpolicy

import (
	"bytes"
	"fmt"
	"math"
	"text/template"

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
	v := checkView{Banner: gen.CBanner(fams), Header: gen.CString(policyHeader)}
	for _, t := range tables {
		ct := checkTable{table: t, Label: gen.CString(t.Ident)}
		for _, e := range t.Policy.Entries {
			ct.Expect = append(ct.Expect, expectation(e))
		}
		v.Tables = append(v.Tables, ct)
	}
	tmpl, err := templates.Parse("policy_check.c.tmpl", template.FuncMap{})
	if err != nil {
		return gen.File{}, err
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, v); err != nil {
		return gen.File{}, fmt.Errorf("policy check: %w", err)
	}
	return gen.File{Path: "policy_check.c", Content: buf.Bytes()}, nil
}

type checkView struct {
	Banner string
	Header string
	Tables []checkTable
}

type checkTable struct {
	*table
	Label  string
	Expect []string
}

// expectation is one initializer of struct expect in policy_check.c.tmpl.
func expectation(e *ir.PolicyEntry) string {
	typ := TypeName(e.Type)
	if e.OmitType {
		typ = TypeName(ir.PolicyNoAttr)
	}
	kmin, kmax := kindBounds(e.Attr)
	return fmt.Sprintf("{%s, %s, %s, %s, %s, %s, %du, %du, %s}",
		e.Attr.CName, typ, orZero(e.MinLen), orZero(e.MaxLen), boolC(e.Optional), boolC(e.Derived != nil),
		kmin, kmax, gen.CString(e.Attr.Name))
}

// kindBounds is the payload size the spec allows for the attribute, in the
// driver's terms (a string's NUL counts; unbounded is UINT32_MAX).
func kindBounds(a *ir.Attr) (uint64, uint64) {
	const unbounded = math.MaxUint32
	c := a.Checks
	switch k := a.Kind.(type) {
	case ir.Scalar:
		if k.Variable {
			return 4, 8
		}
		return uint64(k.Bytes()), uint64(k.Bytes())
	case ir.Flag:
		// A flag carries no payload, but the driver reads maxLen 0 as
		// "type default" and cannot say "exactly 0 bytes" (Netlink.h).
		return 0, unbounded
	case ir.Bitfield32:
		return 8, 8
	case ir.String:
		lo, hi := uint64(1), uint64(unbounded)
		if c.ExactLen != nil {
			return uint64(c.ExactLen.Value) + 1, uint64(c.ExactLen.Value) + 1
		}
		if c.MinLen != nil {
			lo = uint64(c.MinLen.Value) + 1
		}
		if c.MaxLen != nil {
			hi = uint64(c.MaxLen.Value) + 1
		}
		return lo, hi
	case ir.Binary:
		if k.Struct != nil {
			return uint64(k.Struct.NaturalSize), uint64(k.Struct.NaturalSize)
		}
		if c.ExactLen != nil {
			return uint64(c.ExactLen.Value), uint64(c.ExactLen.Value)
		}
		lo, hi := uint64(0), uint64(unbounded)
		if c.MinLen != nil {
			lo = uint64(c.MinLen.Value)
		}
		if c.MaxLen != nil {
			hi = uint64(c.MaxLen.Value)
		}
		return lo, hi
	}
	return 0, unbounded
}

func orZero(l *ir.PolicyLen) string {
	if l == nil {
		return "0"
	}
	return LenExpr(l)
}

func boolC(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}
