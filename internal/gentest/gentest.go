// Package gentest holds what generator tests share: loading the built-in
// OVS model and comparing generated files with golden files.
package gentest

import (
	"flag"
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

// Update is the -update flag of every generator test package that imports
// gentest: rewrite golden files instead of comparing.
var Update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Model loads the model of a config file (for generator packages, the
// built-in one is "../../nlgen.yaml").
func Model(t testing.TB, configFile string) *ir.Model {
	t.Helper()
	cfg, err := config.Load(configFile)
	require.NoError(t, err)
	m, err := pipeline.Load(cfg)
	require.NoError(t, err)
	return m
}

// Generate runs one generator over every family of m.
func Generate(t testing.TB, g *gen.Generator, m *ir.Model, opts gen.Options) []gen.File {
	t.Helper()
	files, err := g.Generate(&gen.Request{Model: m, Families: m.Families, Options: opts, Target: g.Name})
	require.NoError(t, err)
	return files
}

// Golden compares each file with dir/<path>.golden, or rewrites the golden
// files under -update. Review golden diffs like code.
func Golden(t testing.TB, dir string, files []gen.File) {
	t.Helper()
	for _, f := range files {
		golden := filepath.Join(dir, filepath.FromSlash(f.Path)+".golden")
		if *Update {
			require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
			require.NoError(t, os.WriteFile(golden, f.Content, 0o644))
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err, "missing golden file; run go test -update and review the diff")
		assert.Equal(t, string(want), string(f.Content), "%s differs from %s; run go test -update and review the diff", f.Path, golden)
	}
}
