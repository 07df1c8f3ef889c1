package cwindows_test

import (
	"testing"

	"github.com/nlgen/nlgen/gen/cwindows"
	"github.com/nlgen/nlgen/internal/gentest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
)

// ovsModel is the built-in OVS config, the input of every golden file here.
func ovsModel(t *testing.T) *ir.Model { return gentest.Model(t, "../../nlgen.yaml") }

func generate(t *testing.T, m *ir.Model, opts gen.Options) []gen.File {
	return gentest.Generate(t, cwindows.Generator, m, opts)
}

func TestOVSGolden(t *testing.T) {
	files := generate(t, ovsModel(t), nil)
	require.Len(t, files, 1)
	assert.Equal(t, cwindows.DefaultFile, files[0].Path)
	gentest.Golden(t, "testdata", files)
}
