package schema

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	goccy "github.com/goccy/go-yaml"
	goccyparser "github.com/goccy/go-yaml/parser"
	"gopkg.in/yaml.v3"
)

// Placing YAML syntax errors: yaml.v3 parses, these find where it failed.

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

var unknownAnchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// yamlErrorPos places a yaml.v3 error. yaml.v3 reports a line only, and
// not always the right one: for parser errors (as opposed to scanner
// errors) it prints libyaml's 0-based line, and where the error has a
// context ("while parsing a flow sequence") it prints the line where that
// construct starts rather than where the problem is. So the line is
// corrected, and then the position is the token goccy/go-yaml's parser
// blames when that is plausibly the same error (see nearbyGoccyPos), else
// the opening bracket of the flow collection the error is about, else the
// first non-blank character of the line.
func yamlErrorPos(err error, src []byte) (line, col int, msg string) {
	line, msg = yamlErrorLine(err)
	if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil {
		if i := bytes.Index(src, []byte("*"+m[1])); i >= 0 {
			before := src[:i]
			line = bytes.Count(before, []byte("\n")) + 1
			col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
			return line, col, msg
		}
	}
	ctx, isParserError := yamlParserErrors[msg]
	switch {
	case line == 0:
		line = 1 // libyaml's line 0; yaml.v3 omits it
	case isParserError:
		line++
	}
	opener := 0
	if ctx.opener != 0 {
		opener = unclosedOpener(lineText(src, line), ctx.opener)
	}
	if gl, gc, ok := nearbyGoccyPos(src, line, msg, ctx.construct != ""); ok {
		switch {
		case opener > 0:
			msg = fmt.Sprintf("%s (in the %s that starts at %d:%d)", msg, ctx.construct, line, opener)
		case ctx.construct != "" && gl != line:
			msg = fmt.Sprintf("%s (in the %s that starts on line %d)", msg, ctx.construct, line)
		}
		return gl, gc, msg
	}
	if opener > 0 {
		return line, opener, fmt.Sprintf("%s (in the %s that starts here)", msg, ctx.construct)
	}
	return line, firstNonBlank(lineText(src, line)), msg
}

// nearbyGoccyPos is goccyPos when it plausibly places the error yaml.v3
// reported on line: on that line or the next (scanner errors with a
// context name the line before the fault), or anywhere after it when the
// error names an enclosing construct (which may start well above the
// fault). Duplicate keys, which goccy rejects and yaml.v3 leaves to the
// loader, never count. goccy is skipped where its cost could explode:
// files over 1 MiB, depth errors, and lines indented or nested past 256
// columns (its parser is quadratic in nesting depth).
func nearbyGoccyPos(src []byte, line int, msg string, hasContext bool) (gl, gc int, ok bool) {
	if len(src) > 1<<20 || strings.Contains(msg, "max depth") || deepestLineStart(src) > 256 {
		return 0, 0, false
	}
	gl, gc, gmsg, ok := goccyPos(src)
	if !ok || strings.Contains(gmsg, "already defined") {
		return 0, 0, false
	}
	if gl == line || gl == line+1 || (hasContext && gl > line) {
		return gl, gc, true
	}
	return 0, 0, false
}

// deepestLineStart is the longest run of indentation and block indicators
// ("- ", "? ") that starts a line of src: a bound on its block nesting.
func deepestLineStart(src []byte) int {
	deepest, run, atStart := 0, 0, true
	for _, c := range src {
		switch {
		case c == '\n':
			run, atStart = 0, true
		case atStart && (c == ' ' || c == '\t' || c == '-' || c == '?'):
			run++
			deepest = max(deepest, run)
		default:
			atStart = false
		}
	}
	return deepest
}

// yamlContext is what a yaml.v3 parser error was parsing when it failed.
type yamlContext struct {
	construct string // as the error's context names it, or ""
	opener    rune   // the bracket that opens a flow construct
}

// yamlParserErrors are the problems libyaml's parser (not its scanner)
// reports, whose lines yaml.v3 prints 0-based.
var yamlParserErrors = map[string]yamlContext{
	"did not find expected ',' or ']'":       {"flow sequence", '['},
	"did not find expected ',' or '}'":       {"flow mapping", '{'},
	"did not find expected key":              {"block mapping", 0},
	"did not find expected '-' indicator":    {"block sequence", 0},
	"did not find expected node content":     {},
	"did not find expected <document start>": {},
	"did not find expected <stream-start>":   {},
	"found duplicate %TAG directive":         {},
	"found duplicate %YAML directive":        {},
	"found incompatible YAML document":       {},
	"found undefined tag handle":             {},
}

// unclosedOpener is the column (from 1, in runes) of the last opener on
// text left unclosed at the end of the line, outside quotes and comments;
// 0 if none.
func unclosedOpener(text []byte, opener rune) int {
	type open struct {
		r   rune
		col int
	}
	closes := map[rune]rune{']': '[', '}': '{'}
	var stack []open
	quote, prev, escaped := rune(0), ' ', false
scan:
	for i, r := range []rune(string(text)) {
		switch {
		case quote == '"' && escaped:
			escaped = false
		case quote == '"' && r == '\\':
			escaped = true
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && (prev == ' ' || prev == '\t'):
			break scan
		case r == '[' || r == '{':
			stack = append(stack, open{r, i + 1})
		case closes[r] != 0 && len(stack) > 0 && stack[len(stack)-1].r == closes[r]:
			stack = stack[:len(stack)-1]
		}
		prev = r
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].r == opener {
			return stack[i].col
		}
	}
	return 0
}

// goccyPos is where goccy/go-yaml's parser places the first syntax error
// of src, and its message, when it finds one: it reports the token at
// fault, which libyaml does not expose. It only locates; yaml.v3 stays
// the parser, and a panic inside it only costs the precise position.
func goccyPos(src []byte) (line, col int, msg string, ok bool) {
	defer func() {
		if recover() != nil {
			line, col, msg, ok = 0, 0, "", false
		}
	}()
	_, err := goccyparser.ParseBytes(src, 0)
	var se *goccy.SyntaxError
	if !errors.As(err, &se) || se.Token == nil || se.Token.Position == nil {
		return 0, 0, "", false
	}
	line, col = se.Token.Position.Line, se.Token.Position.Column
	if n := utf8.RuneCount(lineText(src, line)) + 1; line < 1 || col < 1 || col > n {
		return 0, 0, "", false
	}
	return line, col, se.Message, true
}

// firstNonBlank is the column (from 1) of the first character of text
// that is not a space or tab, or 1.
func firstNonBlank(text []byte) int {
	for i, r := range []rune(string(text)) {
		if r != ' ' && r != '\t' {
			return i + 1
		}
	}
	return 1
}

// lineText is line (from 1) of src without its newline.
func lineText(src []byte, line int) []byte {
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return nil
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		src = src[:j]
	}
	return bytes.TrimSuffix(src, []byte("\r"))
}

// yamlErrorLine splits a yaml.v3 error into the line it names (0 when it
// names none) and the message.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = "yaml: " + te.Errors[0]
	}
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, msg
	}
	line := 0
	if m[1] != "" {
		line, _ = strconv.Atoi(m[1])
	}
	return line, m[2]
}
