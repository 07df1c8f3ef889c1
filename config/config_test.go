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
