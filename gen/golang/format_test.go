package golang

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFormatErrorIsShort: jennifer's gofmt failure carries the whole
// unformatted file; the error nlgen prints names the position and the one
// line at fault.
func TestFormatErrorIsShort(t *testing.T) {
	f := jen.NewFile("p")
	for range 2000 {
		f.Var().Id("_").Op("=").Lit(1)
	}
	f.Comment("/* raw */ }") // jennifer copies a comment starting with "/*" as written
	var buf bytes.Buffer
	err := f.Render(&buf)
	require.Error(t, err)
	require.Greater(t, len(err.Error()), 20000, "the premise: jennifer's error holds the whole source")
	short := formatError(err).Error()
	assert.Less(t, len(short), 400, short)
	assert.Contains(t, short, "generated Go does not parse")
	assert.Contains(t, short, `"/* raw */ }"`)
	assert.False(t, strings.Contains(short, "\n"), short)
}
