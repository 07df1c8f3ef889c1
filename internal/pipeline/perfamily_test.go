package pipeline

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
)

// perFamily is a generator writing one file per family at path(family).
func perFamily(calls *atomic.Int32, path func(*ir.Family) string) *gen.Generator {
	return &gen.Generator{Name: "fake", PerFamily: true, Generate: func(req *gen.Request) ([]gen.File, error) {
		calls.Add(1)
		var out []gen.File
		for _, f := range req.Families {
			out = append(out, gen.File{Path: path(f), Content: []byte(f.Name)})
		}
		return out, nil
	}}
}

func families(names ...string) []*ir.Family {
	var out []*ir.Family
	for _, n := range names {
		out = append(out, &ir.Family{Name: n})
	}
	return out
}

func TestPerFamilyGeneratorRunsOncePerFamilyInOrder(t *testing.T) {
	var calls atomic.Int32
	g := perFamily(&calls, func(f *ir.Family) string { return f.Name + ".go" })
	files, err := run(g, &gen.Request{Families: families("c", "a", "b"), Target: "fake"})
	require.NoError(t, err)
	assert.Equal(t, int32(3), calls.Load())
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	assert.Equal(t, []string{"c.go", "a.go", "b.go"}, got, "family order, not completion order")
}

func TestPerFamilySplitStillCatchesClashes(t *testing.T) {
	var calls atomic.Int32
	g := perFamily(&calls, func(*ir.Family) string { return "same.go" })
	_, err := run(g, &gen.Request{Families: families("x", "y"), Target: "fake"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `families "x" and "y" both produce same.go`)
}

func TestPerFamilyErrorIsTheFirstFamilys(t *testing.T) {
	g := &gen.Generator{Name: "fake", PerFamily: true, Generate: func(req *gen.Request) ([]gen.File, error) {
		return nil, fmt.Errorf("family %s: broken", req.Families[0].Name)
	}}
	_, err := run(g, &gen.Request{Families: families("first", "second"), Target: "fake"})
	require.EqualError(t, err, "family first: broken")
}
