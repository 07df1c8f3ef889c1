package hostile

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/nlgen/nlgen/internal/cli"
	"github.com/nlgen/nlgen/internal/ctest"
)

// hostileDocs are doc strings that try to become code in some output: a
// Go block comment that closes early (jennifer copies a comment starting
// with "/*" verbatim), Go directives and build constraints, C comment
// closers and preprocessor lines, Markdown structure and fences, and the
// characters compilers reject or readers misread (NUL, CR, U+2028/2029,
// NEL, a BOM, bidi overrides and isolates, zero-width, ESC, DEL).
var hostileDocs = []string{
	`/* x */ func init() { println("INJECTED") } /*`,
	"//go:generate echo INJECTED\n//go:build ignore\n// +build ignore\n//line x.go:1",
	"+build ignore",
	"*/ #error INJECTED /*\n#define INJECTED 1\n*/ int injected; /*",
	"`backquoted` `` ` `` ``` fence\n```go\nfunc init() {}\n```",
	"nul\x00 cr\r crlf\r\n line-sep\u2028para-sep\u2029 nel\u0085 bom\ufeff end",
	"bidi \u202eevil\u202c \u2066isolate\u2069 \u200fmark zero\u200bwidth \u061c",
	"??= trigraph ??/\nbackslash at the end \\",
	"# heading\n| a | b |\n|---|---|\n<script>alert(1)</script>\n    indented code\n- list\n+ list\n1. list\n2) list\n---\n===\n> quote\n[x]: http://e",
	"\t\v\f leading controls \x1b[31m escape \x7f del",
	"/*",
	"*/",
	"//",
	"\\",
}

const plainDoc = "plain doc"

// withDocs rewrites every doc of a YAML file to a hostile string (cycling
// through hostileDocs) or to plainDoc, and nothing else: the two variants
// differ only in their docs.
func withDocs(t *testing.T, src []byte, hostile bool, n *int) []byte {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(src, &doc))
	var walk func(*yaml.Node)
	walk = func(x *yaml.Node) {
		if x.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(x.Content); i += 2 {
				k, v := x.Content[i], x.Content[i+1]
				if k.Value == "doc" && v.Kind == yaml.ScalarNode {
					v.Style = yaml.DoubleQuotedStyle
					v.Tag = "!!str"
					v.Value = plainDoc
					if hostile {
						v.Value = hostileDocs[*n%len(hostileDocs)]
					}
					*n++
				}
			}
		}
		for _, c := range x.Content {
			walk(c)
		}
	}
	walk(&doc)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	require.NoError(t, enc.Encode(&doc))
	require.NoError(t, enc.Close())
	return b.Bytes()
}

// docsWorkspace generates every target for the OVS specs, their overlay
// and escaping.yaml, with every doc replaced.
func docsWorkspace(t *testing.T, hostile bool) string {
	t.Helper()
	dir := t.TempDir()
	specs, err := filepath.Glob(filepath.Join(repoRoot, "schema", "ovs", "ovs_*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, specs)
	specs = append(specs, filepath.Join("testdata", "escaping.yaml"))
	cfg := "version: 1\nwindows: windows.yaml\nspecs:\n"
	n := 0
	for _, s := range specs {
		src, err := os.ReadFile(s)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(s)), withDocs(t, src, hostile, &n), 0o644))
		cfg += "  - " + filepath.Base(s) + "\n"
	}
	src, err := os.ReadFile(filepath.Join(repoRoot, "schema", "ovs", "windows.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "windows.yaml"), withDocs(t, src, hostile, &n), 0o644))
	require.Greater(t, n, 3*len(hostileDocs), "every hostile doc must reach several places")
	cfg += `outputs:
  - {target: c-uapi, dir: out/include}
  - {target: go, dir: out/go, options: {import-path: example.com/docs/out/go}}
  - {target: c-windows-header, dir: out}
  - {target: c-policy, dir: out/datapath-windows/ovsext}
  - {target: c-dispatch, dir: out/datapath-windows/ovsext}
  - {target: docs, dir: out/docs}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "nlgen.yaml"), []byte(cfg), 0o644))
	code, _, stderr := runCLI(t, "generate", "-f", filepath.Join(dir, "nlgen.yaml"))
	require.Equal(t, cli.ExitOK, code, stderr)
	return dir
}

// TestHostileDocsChangeNoCode generates every output twice, once with
// plain docs and once with hostile ones, and checks that the code is the
// same: the Go syntax trees (go/parser, comments dropped), the C token
// streams (comments removed as translation phases 1-3 do) and the
// Markdown block structure. A doc that escaped its comment, string or
// paragraph would add tokens, nodes or blocks.
func TestHostileDocsChangeNoCode(t *testing.T) {
	plain, hostile := docsWorkspace(t, false), docsWorkspace(t, true)
	files := outputFiles(t, filepath.Join(plain, "out"))
	require.Equal(t, files, outputFiles(t, filepath.Join(hostile, "out")))
	kinds := map[string]int{}
	for _, rel := range files {
		a, err := os.ReadFile(filepath.Join(plain, "out", rel))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(hostile, "out", rel))
		require.NoError(t, err)
		if !bytes.Equal(a, b) {
			kinds["changed"]++
		}
		switch filepath.Ext(rel) {
		case ".go":
			kinds["go"]++
			require.Equal(t, goSyntax(t, rel, a), goSyntax(t, rel, b), "%s: hostile docs changed the Go syntax tree", rel)
		case ".h", ".c":
			kinds["c"]++
			require.Equal(t, cTokens(string(a)), cTokens(string(b)), "%s: hostile docs changed the C tokens", rel)
		case ".md":
			kinds["md"]++
			require.Equal(t, mdBlocks(string(a)), mdBlocks(string(b)), "%s: hostile docs changed the Markdown structure", rel)
		default:
			t.Fatalf("%s: no comparison for this kind of output", rel)
		}
		for _, bad := range []string{"\x00", "\r", "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff", "\x1b"} {
			assert.NotContains(t, string(b), bad, "%s: a doc's %q reached the output unescaped", rel, bad)
		}
	}
	t.Logf("compared %v files (%d differ only in their docs)", kinds, kinds["changed"])
	assert.Greater(t, kinds["changed"], len(files)/2, "the hostile docs must reach most outputs")

	// The hostile variant builds: C with the strict flags, Go with vet
	// (vet's buildtag check reports a "+build" line in the wrong place).
	hdrs, err := filepath.Glob(filepath.Join(hostile, "out", "include", "linux", "*.h"))
	require.NoError(t, err)
	var tu strings.Builder
	for _, h := range hdrs {
		fmt.Fprintf(&tu, "#include \"linux/%s\"\n", filepath.Base(h))
	}
	tuPath := filepath.Join(hostile, "tu.c")
	require.NoError(t, os.WriteFile(tuPath, []byte(tu.String()), 0o644))
	ctest.Compile(t, ctest.GCC, "-fsyntax-only", "-I", filepath.Join(hostile, "out", "include"), tuPath)
	ctest.Compile(t, ctest.MinGW, "-fsyntax-only", "-I", filepath.Join(hostile, "out", "include"), "-I", ctest.LinuxTypes(t), tuPath)

	require.Empty(t, vetModule(t, hostile, "example.com/docs"), "go vet of the generated packages")
}

func outputFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		files = append(files, filepath.ToSlash(rel))
		return err
	}))
	slices.Sort(files)
	require.NotEmpty(t, files)
	return files
}

// goSyntax parses a Go file without its comments and prints the tree with
// every position left out, so only the code itself is compared.
func goSyntax(t *testing.T, name string, src []byte) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	require.NoError(t, err, "%s does not parse", name)
	posType := reflect.TypeFor[token.Pos]()
	var b strings.Builder
	require.NoError(t, ast.Fprint(&b, nil, f, func(field string, v reflect.Value) bool {
		return v.Type() != posType && ast.NotNilFilter(field, v)
	}))
	return b.String()
}

var trigraphs = strings.NewReplacer("??=", "#", "??(", "[", "??/", `\`, "??)", "]", "??'", "^",
	"??<", "{", "??!", "|", "??>", "}", "??-", "~")

// cTokens is the token stream a C compiler sees, coarsely: trigraphs
// replaced and lines spliced (phases 1-2, -std=c11 enables trigraphs),
// comments gone, string and character literals whole, identifiers and
// numbers whole, every other character its own token, and line ends kept
// (one for a run) because they end preprocessor directives.
func cTokens(src string) []string {
	src = strings.ReplaceAll(trigraphs.Replace(src), "\\\n", "")
	var toks []string
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return append(toks, "<unterminated comment>")
			}
			i += end + 4
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '\n':
			if len(toks) > 0 && toks[len(toks)-1] != "\n" {
				toks = append(toks, "\n")
			}
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			i++
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(src))
			toks = append(toks, src[i:j])
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			toks = append(toks, src[i:j])
			i = j
		default:
			toks = append(toks, string(c))
			i++
		}
	}
	return toks
}

var orderedItem = regexp.MustCompile(`^[0-9]+[.)]`)

// mdBlocks is the block structure of a Markdown file: headings with their
// level, table rows with their cell count (unescaped pipes), fences, list
// items, indented code, and paragraphs, with runs of paragraph lines as
// one. Escaped text cannot add or remove any of these.
func mdBlocks(src string) []string {
	var blocks []string
	for _, l := range strings.Split(src, "\n") {
		var kind string
		switch {
		case strings.TrimSpace(l) == "":
			kind = "blank"
		case strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t"):
			kind = "indented-code"
		case strings.HasPrefix(strings.TrimLeft(l, " "), "```"), strings.HasPrefix(strings.TrimLeft(l, " "), "~~~"):
			kind = "fence"
		case strings.HasPrefix(l, "#"):
			kind = "heading " + l[:strings.IndexFunc(l, func(r rune) bool { return r != '#' })]
		case strings.HasPrefix(l, "|"):
			kind = fmt.Sprintf("row of %d", strings.Count(l, "|")-strings.Count(l, `\|`))
		case strings.HasPrefix(l, "-"), strings.HasPrefix(l, "* "), strings.HasPrefix(l, "+"), strings.HasPrefix(l, "="),
			orderedItem.MatchString(l):
			kind = "item, rule or underline"
		case strings.HasPrefix(l, "<"):
			kind = "html"
		default:
			kind = "paragraph"
		}
		if kind == "paragraph" && len(blocks) > 0 && blocks[len(blocks)-1] == "paragraph" {
			continue
		}
		blocks = append(blocks, kind)
	}
	return blocks
}
