package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOutside(t *testing.T) {
	for dir, want := range map[string]string{
		"out":              "",
		".":                "",
		"out/../gen":       "",
		"..x/y":            "",
		"..":               "leaves the config's folder",
		"../sibling":       "leaves the config's folder",
		"out/../../x":      "leaves the config's folder",
		`..\sibling`:       "leaves the config's folder",
		"/tmp/out":         "is absolute",
		`C:\out`:           "is absolute",
		"c:/out":           "is absolute",
		`\\server\share\x`: "is absolute",
	} {
		assert.Equal(t, want, outside(dir), "dir %q", dir)
	}
}

// An output folder outside the config's folder is refused unless the
// output says it may be: stale-file removal must never reach another
// project's files by accident.
func TestOutputDirOutsideNeedsAllowOutside(t *testing.T) {
	src := "version: 1\nspecs: [a.yaml]\noutputs:\n  - {target: docs, dir: ../shared}\n"
	_, err := Parse("p/nlgen.yaml", []byte(src))
	require.Error(t, err)
	assert.Regexp(t, `^p/nlgen.yaml:4:25: path: dir "../shared" leaves the config's folder; .*allow-outside: true`, err.Error())

	c, err := Parse("p/nlgen.yaml", []byte("version: 1\nspecs: [a.yaml]\noutputs:\n  - {target: docs, dir: ../shared, allow-outside: true}\n"))
	require.NoError(t, err)
	assert.True(t, c.Outputs[0].AllowOutside)
	assert.Equal(t, filepath.Join("p", "..", "shared"), c.Abs(c.Outputs[0].Dir))

	_, err = Parse("p/nlgen.yaml", []byte("version: 1\nspecs: [a.yaml]\noutputs:\n  - {target: docs, dir: /abs, allow-outside: false}\n"))
	assert.ErrorContains(t, err, `path: dir "/abs" is absolute`)
}

func TestRepositoryConfigsStayInside(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*", "nlgen.yaml"))
	files = append(files, filepath.Join("..", "nlgen.yaml"))
	for _, f := range files {
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		_, err = Parse(f, src)
		assert.NoError(t, err, f)
	}
}

// The config is read with the spec reader's YAML rules (schema.YAMLReader):
// YAML 1.2 aliases work as anywhere else, within the same expansion
// budget; merge keys and repeated keys are refused at their position.
func TestConfigYAMLRulesAreTheSpecReaders(t *testing.T) {
	c, err := Parse("nlgen.yaml", []byte(`version: 1
specs: &s [a.yaml, b.yaml]
outputs:
  - &o {target: docs, dir: out/docs, families: [a], options: &opts {x: "1"}}
  - {target: go, dir: out/go, options: *opts}
`))
	require.NoError(t, err)
	require.Len(t, c.Specs, 2)
	assert.Equal(t, "b.yaml", c.Specs[1].Path)
	assert.Equal(t, map[string]string{"x": "1"}, c.Outputs[1].Options)

	for src, want := range map[string]string{
		"version: 1\nspecs: [a.yaml]\noutputs:\n  - {target: go, dir: out, options: {a: x, a: y}}\n": `nlgen.yaml:4:44: duplicate-key: duplicate key "a" in options`,
		"version: 1\nspecs: [a.yaml]\nbase: &b {target: go}\n":                                       `nlgen.yaml:3:1: unknown-key: unknown key "base" in config`,
		"version: 1\nspecs: [a.yaml]\noutputs:\n  - {<<: {target: go}, dir: out}\n":                  `nlgen.yaml:4:6: unsupported: not supported yet: << (YAML merge keys)`,
		"version: 1\nversion: 1\nspecs: [a.yaml]\n":                                                  `nlgen.yaml:2:1: duplicate-key: duplicate key "version" in config`,
		"version: 1\nspecs: [a.yaml]\n---\noutputs: []\n":                                            `nlgen.yaml:3:1: syntax: a second YAML document starts here`,
		"version: 1\nspecs: [a.yaml]\noutputs: &x [{target: go, dir: out}]\nwindows: *x\n":           `nlgen.yaml:3:10: type: windows must be a string`,
	} {
		_, err := Parse("nlgen.yaml", []byte(src))
		require.Error(t, err, src)
		assert.Contains(t, err.Error(), want, src)
	}
}
