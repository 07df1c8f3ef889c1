package gen

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGoCommentText checks the escaped text against what the Go toolchain
// does with a line comment: the file must parse with exactly one comment
// and no declaration (nothing escaped into code), go/build must not see a
// constraint, and no rune a reader could misread may remain.
func TestGoCommentText(t *testing.T) {
	for _, doc := range []string{
		`/* x */ func init() { println("INJECTED") } /*`,
		"//go:build ignore", "// +build ignore", "+build ignore", " \t+build linux", "//line x.go:1",
		"a\nfunc init() {}\n", "a\rb\r\nc", "nul\x00", "\u2028func x() {}\u2029", "bidi \u202e\u2066\u2069\u200f\u061c",
		"bom\ufeff", "esc\x1b[31m del\x7f", "bad \xff\xfe utf-8", "*/", "/*", "//", "`raw` \\", "h\u00e9llo \u65e5\u672c",
	} {
		got := GoCommentText(doc)
		src := "package p\n\n// " + got + "\nvar _ = 0\n"
		f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, parser.ParseComments)
		require.NoError(t, err, "%q -> %q", doc, got)
		assert.Len(t, f.Comments, 1, "%q -> %q", doc, got)
		assert.Len(t, f.Decls, 1, "%q -> %q", doc, got)
		assert.False(t, strings.HasPrefix(got, "//") || strings.HasPrefix(got, "/*") || strings.HasPrefix(got, "+"), "%q -> %q", doc, got)
		assert.NotContains(t, got, "*/")
		for _, r := range got {
			assert.True(t, r == ' ' || unicode.IsGraphic(r) && !unicode.IsSpace(r), "%q -> %q keeps %U", doc, got, r)
		}
	}
	assert.Equal(t, `h\u00e9llo`, CCommentText("h\u00e9llo"), "C comments stay ASCII")
	assert.Equal(t, "h\u00e9llo \u65e5\u672c", GoCommentText("h\u00e9llo \u65e5\u672c"), "Go comments keep readable text")
	assert.Equal(t, `a \u202e b \u0000 \u2028 \xff`+"\n\t", VisibleText("a \u202e b \x00 \u2028 \xff\n\t"))
}
