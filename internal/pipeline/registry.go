package pipeline

import (
	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cdispatch"
	"github.com/nlgen/nlgen/gen/cheader"
	"github.com/nlgen/nlgen/gen/cpolicy"
	"github.com/nlgen/nlgen/gen/cwindows"
	"github.com/nlgen/nlgen/gen/docs"
	"github.com/nlgen/nlgen/gen/golang"
)

// registry is the list of output targets; adding a generator is one line.
var registry = []*gen.Generator{
	cheader.Generator,
	golang.Generator,
	cwindows.Generator,
	cpolicy.Generator,
	cdispatch.Generator,
	docs.Generator,
}
