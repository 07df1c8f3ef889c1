package cpolicy_test

import (
	"flag"
	"github.com/nlgen/nlgen/gen/cpolicy"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/config"
	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// ovsModel loads the project's built-in OVS config (nlgen.yaml at the
// repository root), the input of every golden file here.
func ovsModel(t *testing.T) *ir.Model {
	t.Helper()
	cfg, err := config.Load("../../nlgen.yaml")
	require.NoError(t, err)
	m, err := pipeline.Load(cfg)
	require.NoError(t, err)
	return m
}

func generate(t *testing.T, m *ir.Model, opts gen.Options) []gen.File {
	t.Helper()
	files, err := cpolicy.Generate(&gen.Request{Model: m, Families: m.Families, Options: opts, Target: cpolicy.Generator.Name})
	require.NoError(t, err)
	return files
}

func TestOVSGolden(t *testing.T) {
	files := generate(t, ovsModel(t), nil)
	require.Len(t, files, 2)
	for _, f := range files {
		golden := filepath.Join("testdata", f.Path+".golden")
		if *update {
			require.NoError(t, os.WriteFile(golden, f.Content, 0o644))
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(f.Content), f.Path)
	}
}
