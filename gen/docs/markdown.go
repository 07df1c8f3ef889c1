package docs

import (
	"fmt"
	"strings"

	"github.com/nlgen/nlgen/gen"
)

// Spec text is data, not Markdown: a doc string containing "|", "<script>"
// or a line starting with "#" must render as those characters, never as
// table structure, HTML or a heading; NUL, CR, U+2028 or a bidi override
// must show as \uXXXX text, never break a line or reorder what a reader
// sees (gen.VisibleText). Every spec string goes through text, cell or code.

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "|", `\|`, "#", `\#`,
)

// text renders a doc as paragraphs: Markdown specials escaped, each line
// trimmed so indentation cannot turn into a code block; blank lines still
// separate paragraphs.
func text(s string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		lines = append(lines, blockSafe(mdEscaper.Replace(gen.VisibleText(strings.TrimSpace(l)))))
	}
	return strings.Join(lines, "\n")
}

// blockSafe escapes what would make an escaped line start a block: a
// list item ("- x", "+ x", "1. x", "1) x"), a setext underline or a
// thematic break ("---", "==="). The other block starters ("#", ">",
// "*", "_", "`", "<", "|") are escaped everywhere by mdEscaper.
func blockSafe(l string) string {
	if l == "" {
		return l
	}
	switch l[0] {
	case '-', '+', '=':
		return `\` + l
	}
	digits := 0
	for digits < len(l) && l[digits] >= '0' && l[digits] <= '9' {
		digits++
	}
	if digits > 0 && digits < len(l) && (l[digits] == '.' || l[digits] == ')') {
		return l[:digits] + `\` + l[digits:]
	}
	return l
}

// cell renders text for a table cell: one line, pipes escaped.
func cell(s string) string {
	s = strings.Join(strings.Fields(gen.VisibleText(s)), " ")
	return mdEscaper.Replace(s)
}

// code renders s as an inline code span whose fence is longer than any run
// of backticks inside it, so no name can close the span early. Pipes are
// escaped because GitHub splits table cells on them even inside code
// ("FILE_READ_ACCESS | FILE_WRITE_ACCESS").
func code(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(strings.ReplaceAll(gen.VisibleText(s), "\n", " "), "|", `\|`)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// table writes a Markdown table; cells must already be escaped.
func table(b *strings.Builder, header []string, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "| %s |\n|", strings.Join(header, " | "))
	for range header {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, r := range rows {
		for i := range r {
			if r[i] == "" {
				r[i] = " "
			}
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(r, " | "))
	}
	b.WriteString("\n")
}

// anchor is the GitHub-style heading anchor of a heading made of s.
func anchor(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}
