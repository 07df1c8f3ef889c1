package golang

import (
	"fmt"

	"github.com/nlgen/nlgen/ir"
)

// The go target works as protobuf-go's protogen does: a model of the whole
// output (one package per family, every Go name settled, which of its types
// alias an identical type of an earlier package) is built once per
// Generate call, and printers only print from it. Sharing types across
// packages is what needs the whole output: a package looks at the models
// of the packages before it, never rebuilds them.

// model is the Go output of one Generate call.
type model struct {
	pkgs []*familyGen // one per family, in output (config) order
}

// buildModel settles the packages of fams, in order, under importPath.
func buildModel(fams []*ir.Family, importPath, rt string) (*model, error) {
	m := &model{}
	seen := map[string]string{}
	for _, f := range fams {
		if prev, dup := seen[f.GoPackage]; dup {
			return nil, fmt.Errorf("families %q and %q both become Go package %s", prev, f.Name, f.GoPackage)
		}
		seen[f.GoPackage] = f.Name
		g, err := newFamilyGen(f, importPath+"/"+f.GoPackage, rt)
		if err != nil {
			return nil, fmt.Errorf("family %s: %w", f.Name, err)
		}
		// Only packages before this one: a package never imports a later
		// one, so the imports cannot form a cycle.
		g.findAliases(m.pkgs)
		g.setBanner()
		m.pkgs = append(m.pkgs, g)
	}
	return m, nil
}
