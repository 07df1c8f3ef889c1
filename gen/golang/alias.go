package golang

import (
	"fmt"
	"path"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
)

// Sharing types between the packages of one output. YNL specs cannot
// refer to each other, so families that exchange the same data repeat its
// definition: ovs_packet copies ovs_flow's key, tunnel and action sets and
// their structs. Generated twice they would be two unrelated Go types (an
// upcall's ovspacket.KeyAttrs could not be installed as an ovsflow flow key
// without a conversion) and twice the code. So a family whose set, struct
// or enum is structurally identical to one of an earlier family of the same
// output declares a type alias to the earlier package's type instead.
//
// Identity is decided on everything the generated Go depends on (names,
// ids, kinds, byte orders, multi-attr, enums, length checks, nested sets
// and structs, recursively) and never on docs. Nested sets may be
// recursive (OVS actions nest action lists), so identity is the greatest
// fixpoint: every same-named pair starts identical and pairs whose
// definitions differ, or refer to a pair already found different, are
// removed until nothing changes.

// aliasOf is where an aliased definition lives: the earlier package and its
// Go name there.
type aliasOf struct {
	pkgPath string
	name    string
	elem    string // for ordered lists, the element type's name
}

// qual refers to the earlier package's identifier.
func (a *aliasOf) qual(name string) *jen.Statement { return jen.Qual(a.pkgPath, name) }

// aliases holds a family's aliased definitions and the families they come
// from, in output order.
type aliases struct {
	sets    map[*ir.AttrSet]*aliasOf
	structs map[*ir.Struct]*aliasOf
	enums   map[*ir.Enum]*aliasOf
	from    []*ir.Family
}

// outputFamilies is every family the request's output renders, in config
// order: the pipeline passes them when it splits a per-family request.
func outputFamilies(req *gen.Request) []*ir.Family {
	if len(req.Output) > 0 {
		return req.Output
	}
	return req.Families
}

// findAliases compares g's family with each family rendered before it in
// the same output and aliases every definition identical to one there,
// preferring the earliest such family (which defines it, as any later copy
// is itself an alias to it).
func (g *familyGen) findAliases(req *gen.Request, importPath, rt string) error {
	g.alias = aliases{sets: map[*ir.AttrSet]*aliasOf{}, structs: map[*ir.Struct]*aliasOf{}, enums: map[*ir.Enum]*aliasOf{}}
	output := outputFamilies(req)
	// Only families before this one: a package never imports a later one,
	// so the imports cannot form a cycle.
	before := output[:0]
	for i, f := range output {
		if f == g.fam {
			before = output[:i]
			break
		}
	}
	for _, earlier := range before {
		eg, err := newFamilyGen(earlier, req, importPath+"/"+earlier.GoPackage, rt)
		if err != nil {
			return err
		}
		same := identicalDefs(g, eg)
		used := false
		for _, e := range g.fam.Enums {
			if _, done := g.alias.enums[e]; !done && same.enums[e] != nil {
				g.alias.enums[e] = &aliasOf{pkgPath: eg.pkgPath, name: same.enums[e].GoName}
				used = true
			}
		}
		for _, s := range g.fam.Structs {
			if _, done := g.alias.structs[s]; !done && same.structs[s] != nil {
				g.alias.structs[s] = &aliasOf{pkgPath: eg.pkgPath, name: same.structs[s].GoName}
				used = true
			}
		}
		for _, si := range g.sets {
			if _, done := g.alias.sets[si.set]; !done && same.sets[si.set] != nil {
				esi := eg.setByName[same.sets[si.set]]
				g.alias.sets[si.set] = &aliasOf{pkgPath: eg.pkgPath, name: esi.typeName, elem: esi.elemName}
				used = true
			}
		}
		if used {
			g.alias.from = append(g.alias.from, earlier)
		}
	}
	return nil
}

// identical maps each definition of one family to its structurally
// identical counterpart in another.
type identical struct {
	sets    map[*ir.AttrSet]*ir.AttrSet
	structs map[*ir.Struct]*ir.Struct
	enums   map[*ir.Enum]*ir.Enum
}

// identicalDefs pairs g's definitions with eg's by spec name and keeps the
// greatest set of pairs that are identical given each other.
func identicalDefs(g, eg *familyGen) identical {
	id := identical{sets: map[*ir.AttrSet]*ir.AttrSet{}, structs: map[*ir.Struct]*ir.Struct{}, enums: map[*ir.Enum]*ir.Enum{}}
	for _, e := range g.fam.Enums {
		for _, o := range eg.fam.Enums {
			if e.Name == o.Name && sameEnum(e, o) {
				id.enums[e] = o
			}
		}
	}
	for _, s := range g.fam.Structs {
		for _, o := range eg.fam.Structs {
			if s.Name == o.Name {
				id.structs[s] = o
			}
		}
	}
	for _, si := range g.sets {
		for _, o := range eg.sets {
			// A message set carries the family's fixed header and message
			// methods: it is the family's own and never shared.
			if si.set.Name == o.set.Name && !si.topLevel && !o.topLevel {
				id.sets[si.set] = o.set
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range g.fam.Structs {
			if o := id.structs[s]; o != nil && !id.sameStruct(s, o) {
				delete(id.structs, s)
				changed = true
			}
		}
		for _, si := range g.sets {
			if o := id.sets[si.set]; o != nil && !id.sameSet(si.set, o) {
				delete(id.sets, si.set)
				changed = true
			}
		}
	}
	return id
}

func sameEnum(a, b *ir.Enum) bool {
	if a.GoName != b.GoName || a.IsFlags != b.IsFlags || len(a.Entries) != len(b.Entries) {
		return false
	}
	for i, x := range a.Entries {
		y := b.Entries[i]
		if x.Name != y.Name || x.GoName != y.GoName || x.Value != y.Value {
			return false
		}
	}
	return true
}

func (id identical) enum(a, b *ir.Enum) bool {
	return a == nil && b == nil || a != nil && b != nil && id.enums[a] == b
}

func (id identical) strct(a, b *ir.Struct) bool {
	return a == nil && b == nil || a != nil && b != nil && id.structs[a] == b
}

func (id identical) set(a, b *ir.AttrSet) bool {
	return a == nil && b == nil || a != nil && b != nil && id.sets[a] == b
}

func (id identical) sameStruct(a, b *ir.Struct) bool {
	if a.GoName != b.GoName || a.CName != b.CName || a.Size != b.Size || len(a.Members) != len(b.Members) {
		return false
	}
	for i, x := range a.Members {
		y := b.Members[i]
		if x.Name != y.Name || x.GoName != y.GoName || x.Type != y.Type || x.Offset != y.Offset ||
			x.Size != y.Size || x.BigEndian != y.BigEndian || !id.enum(x.Enum, y.Enum) || !id.strct(x.Struct, y.Struct) {
			return false
		}
	}
	return true
}

func (id identical) sameSet(a, b *ir.AttrSet) bool {
	if a.GoName != b.GoName || a.Masked != b.Masked || !id.set(a.SubsetOf, b.SubsetOf) || a.Root().GoName != b.Root().GoName || len(a.Attrs) != len(b.Attrs) {
		return false
	}
	if len(a.Mandatory) != len(b.Mandatory) {
		return false
	}
	for i, x := range a.Mandatory {
		if x.Name != b.Mandatory[i].Name {
			return false
		}
	}
	for i, x := range a.Attrs {
		y := b.Attrs[i]
		if !sameLimit(x.WinMaxLen, y.WinMaxLen) {
			return false
		}
		if x.Name != y.Name || x.GoName != y.GoName || x.ID != y.ID || x.MultiAttr != y.MultiAttr ||
			x.EnumAsFlags != y.EnumAsFlags || !id.enum(x.Enum, y.Enum) || !id.sameChecks(x.Checks, y.Checks) ||
			!id.sameKind(x.Kind, y.Kind) {
			return false
		}
	}
	return true
}

func (id identical) sameChecks(a, b ir.Checks) bool {
	return sameLimit(a.Min, b.Min) && sameLimit(a.Max, b.Max) && sameLimit(a.MinLen, b.MinLen) &&
		sameLimit(a.MaxLen, b.MaxLen) && sameLimit(a.ExactLen, b.ExactLen) &&
		id.enum(a.FlagsMask, b.FlagsMask) && a.UnterminatedOK == b.UnterminatedOK
}

func sameLimit(a, b *ir.Limit) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Value == b.Value
}

func (id identical) sameKind(a, b ir.Kind) bool {
	switch x := a.(type) {
	case ir.Scalar:
		y, ok := b.(ir.Scalar)
		return ok && x == y
	case ir.Binary:
		y, ok := b.(ir.Binary)
		return ok && id.strct(x.Struct, y.Struct) &&
			(x.Elem == nil && y.Elem == nil || x.Elem != nil && y.Elem != nil && *x.Elem == *y.Elem)
	case ir.Nest:
		y, ok := b.(ir.Nest)
		return ok && id.set(x.Set, y.Set)
	case ir.IndexedArray:
		y, ok := b.(ir.IndexedArray)
		return ok && id.sameKind(x.Elem, y.Elem)
	case ir.NestTypeValue:
		y, ok := b.(ir.NestTypeValue)
		if !ok || !id.set(x.Set, y.Set) || len(x.TypeValue) != len(y.TypeValue) {
			return false
		}
		for i := range x.TypeValue {
			if x.TypeValue[i] != y.TypeValue[i] {
				return false
			}
		}
		return true
	}
	// String, Flag, Bitfield32, Unused, Pad: the kind alone says it all.
	return a.String() == b.String()
}

// renderStructAlias declares an aliased struct and its size constant,
// which this package's codecs use.
func (g *familyGen) renderStructAlias(f *jen.File, s *ir.Struct, a *aliasOf) {
	f.Comment(fmt.Sprintf("%s is struct %s, shared with package %s: the definitions are identical.", s.GoName, s.CName, path.Base(a.pkgPath)))
	f.Type().Id(s.GoName).Op("=").Add(a.qual(a.name))
	f.Comment(fmt.Sprintf("Size%s is the encoded size of %s.", s.GoName, s.GoName))
	f.Const().Id("Size" + s.GoName).Op("=").Add(a.qual("Size" + a.name))
}

// renderSetAlias declares an aliased attribute set, with the element type
// of an ordered list and the entry types of nest-type-value attributes.
// Methods and list constructors are the earlier package's.
func (g *familyGen) renderSetAlias(f *jen.File, si *setInfo, a *aliasOf) {
	f.Comment(fmt.Sprintf("%s holds the attributes of the %s attribute set, shared with package %s:", si.typeName, si.set.Name, path.Base(a.pkgPath)))
	f.Comment("the definitions are identical, so values pass between the packages unconverted.")
	f.Type().Id(si.typeName).Op("=").Add(a.qual(a.name))
	if si.ordered {
		f.Comment(fmt.Sprintf("%s is one element of %s; build elements with %s.%s<Attr>.", si.elemName, si.typeName, path.Base(a.pkgPath), a.elem))
		f.Type().Id(si.elemName).Op("=").Add(a.qual(a.elem))
		return
	}
	for _, fd := range g.fields(si) {
		if fd.shape == shapeTypeValue {
			f.Comment(fmt.Sprintf("%s is one value of the %s attribute with its keys.", g.entryType(fd), fd.attr.Name))
			f.Type().Id(g.entryType(fd)).Op("=").Add(a.qual(g.entryType(fd)))
		}
	}
}
