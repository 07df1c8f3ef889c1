package pipeline

import (
	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cheader"
)

// registry is the list of output targets; adding a generator is one line.
var registry = []*gen.Generator{
	cheader.Generator,
}
