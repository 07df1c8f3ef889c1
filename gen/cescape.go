package gen

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nlgen/nlgen/ir"
)

// CCommentText makes spec text safe inside a C block comment: no comment
// terminator or opener survives, non-ASCII and control characters become
// \uXXXX text, and line breaks are kept for the caller to prefix.
func CCommentText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '*' && strings.HasPrefix(s[i:], "*/"):
			b.WriteString("* /")
			i += 2
			continue
		case r == '/' && strings.HasPrefix(s[i:], "/*"):
			b.WriteString("/ *")
			i += 2
			continue
		case r == '\n':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r == '?' && strings.HasPrefix(s[i:], "??"):
			b.WriteString("?\\?") // no trigraphs, even in old compilers
			i += 2
			continue
		case r == utf8.RuneError && size == 1:
			b.WriteString("\\xff")
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r >= 0x80:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// CCommentLines is doc made safe for a C block comment, one entry per
// line without trailing blanks, or nil for an empty doc: the data of the
// shared "comment" template block (templates/c.tmpl), the one place a
// C block comment is laid out.
func CCommentLines(doc string) []string {
	doc = strings.TrimSpace(doc)
	if doc == "" {
		return nil
	}
	lines := strings.Split(CCommentText(doc), "\n")
	if len(lines) > 1 {
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
	}
	return lines
}

// CFuncs are the functions the C templates call: escaping of spec text
// and YNL's c_upper of a name (ir.CUpper), never layout.
func CFuncs() map[string]any {
	return map[string]any{"cstring": CString, "cupper": ir.CUpper}
}

// OneLine flattens doc to one escaped line (kernel-doc member lines).
func OneLine(doc string) string {
	return strings.Join(strings.Fields(CCommentText(doc)), " ")
}

// CString renders s as a C string literal. Octal escapes are used because
// a hex escape would swallow following hex digits.
func CString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString("\\n")
		case c == '?':
			b.WriteString("\\?")
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\%03o", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
