package gen

import (
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// CConflicts is what a C target returns when asked to render a family
// whose C names collide (ir.Family.CConflicts): the diagnostics, at their
// place in the spec and naming the key that resolves each (the pipeline
// adds the targets' names). Nil when the families render.
func CConflicts(fams []*ir.Family) error {
	var ds schema.Diagnostics
	for _, f := range fams {
		for _, d := range f.CConflicts {
			d.Msg = "family " + f.Name + " cannot be rendered in C: " + d.Msg
			ds = append(ds, d)
		}
	}
	return ds.Err()
}
