package golang

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/internal/gentest"
	"github.com/nlgen/nlgen/ir"
)

// everyKindSpecs are the specs that together use every codec; each is
// rendered, vetted and run by TestGolden and TestBehaviour. A kind only
// one protocol allows (netlink-raw's) needs a spec of that protocol here.
var everyKindSpecs = []string{"testdata/golden/kinds.yaml", "testdata/golden/raw.yaml"}

// TestEveryKindHasCodec: codecOf finds a codec for every kind ir has
// (ir.AllKinds, which ir keeps complete against the schema), and the
// every-kind specs hold an attribute of each codec. A new kind therefore
// fails here until it has a codec and is generated and exercised.
func TestEveryKindHasCodec(t *testing.T) {
	m := gentest.Specs(t, everyKindSpecs, "")
	inSpec := map[reflect.Type]bool{}
	for _, f := range m.Families {
		for _, s := range f.AttrSets {
			for _, a := range s.Attrs {
				inSpec[reflect.TypeOf(codecOf(a.Kind))] = true
			}
		}
	}
	for _, k := range ir.AllKinds() {
		var c kindCodec
		require.NotPanics(t, func() { c = codecOf(k) }, k.String())
		assert.True(t, inSpec[reflect.TypeOf(c)], "no spec of everyKindSpecs has a %s attribute (%T)", k, c)
	}
}
