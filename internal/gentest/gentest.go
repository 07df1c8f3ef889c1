// Package gentest holds what generator tests share: the -update flag,
// loading models the way the pipeline does (through internal/loader, which
// imports no generator, so a generator's own in-package tests can use it)
// and comparing generated files with golden files.
package gentest

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/config"
	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/loader"
	"github.com/nlgen/nlgen/ir"
)

// Update is the one -update flag of every test package that imports
// gentest: rewrite golden files (and other recorded expectations) from
// what nlgen produces now, instead of comparing. Review the diff.
var Update = flag.Bool("update", false, "rewrite golden files and recorded expectations under testdata/ from the current output")

// Model loads the model of a config file (for generator packages, the
// built-in one is "../../nlgen.yaml").
func Model(t testing.TB, configFile string) *ir.Model {
	t.Helper()
	cfg, err := config.Load(configFile)
	require.NoError(t, err)
	m, err := loader.Config(cfg)
	require.NoError(t, err)
	return m
}

// Specs loads spec files and an optional Windows overlay ("" for none)
// without a config. Generated files name each file by its path with
// leading "../" removed, so a test in a package folder shows the paths
// a run from the repository root would.
func Specs(t testing.TB, specs []string, windows string) *ir.Model {
	t.Helper()
	m, err := loader.Specs(specs, windows, DisplayPath)
	require.NoError(t, err)
	return m
}

// DisplayPath is the path Specs shows for a file: slashes, without the
// leading "../" that reach the repository root from a package folder.
func DisplayPath(p string) string {
	p = filepath.ToSlash(p)
	for strings.HasPrefix(p, "../") {
		p = p[3:]
	}
	return p
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
