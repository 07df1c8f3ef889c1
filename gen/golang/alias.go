package golang

import (
	"fmt"
	"path"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// Sharing types between the packages of one output. YNL specs cannot
// refer to each other, so families that exchange the same data repeat its
// definition: ovs_packet copies ovs_flow's key, tunnel and action sets and
// their structs. Generated twice they would be two unrelated Go types (an
// upcall's ovspacket.KeyAttrs could not be installed as an ovsflow flow key
// without a conversion) and twice the code. So a family whose set, struct
// or enum is structurally identical (ir.Identify) to one of an earlier
// family of the same output declares a type alias to the earlier package's
// type instead. A message set carries its family's fixed header and
// message methods: it is the family's own and never shared.

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

// findAliases compares g's family with the earlier packages of the output
// and aliases every definition identical to one there, preferring the
// earliest such package (which defines it, as any later copy is itself an
// alias to it).
func (g *familyGen) findAliases(earlier []*familyGen) {
	g.alias = aliases{sets: map[*ir.AttrSet]*aliasOf{}, structs: map[*ir.Struct]*aliasOf{}, enums: map[*ir.Enum]*aliasOf{}}
	for _, eg := range earlier {
		same := ir.Identify(g.fam, eg.fam, shareable)
		used := false
		for _, e := range g.fam.Enums {
			if _, done := g.alias.enums[e]; !done && same.Enums[e] != nil {
				g.alias.enums[e] = &aliasOf{pkgPath: eg.pkgPath, name: same.Enums[e].GoName}
				used = true
			}
		}
		for _, s := range g.fam.Structs {
			if _, done := g.alias.structs[s]; !done && same.Structs[s] != nil {
				g.alias.structs[s] = &aliasOf{pkgPath: eg.pkgPath, name: same.Structs[s].GoName}
				used = true
			}
		}
		for _, si := range g.sets {
			if _, done := g.alias.sets[si.set]; !done && same.Sets[si.set] != nil {
				esi := eg.setByName[same.Sets[si.set]]
				g.alias.sets[si.set] = &aliasOf{pkgPath: eg.pkgPath, name: esi.typeName, elem: esi.elemName}
				used = true
			}
		}
		if used {
			g.alias.from = append(g.alias.from, eg.fam)
		}
	}
}

// shareable reports whether a set may be an alias: not a whole message,
// nor a set whose sub-messages are selected from an enclosing set, whose
// decoder takes the selectors through an unexported method (submsg.go);
// a set nesting one of these is not shared either (ir.Identify).
func shareable(s *ir.AttrSet) bool { return !s.Message && !selectsOutward(s) }

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
			f.Comment(g.entryDoc(fd))
			f.Type().Id(g.entryType(fd)).Op("=").Add(a.qual(g.entryType(fd)))
		}
	}
}
