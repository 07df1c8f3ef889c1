package gen

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// GoCommentText makes spec text safe as the text of one Go line comment,
// written after "// " by the caller.
//
// A line comment ends only at a line feed, so flattening line breaks
// would be enough for the compiler, but not for the tools around it:
//   - jennifer copies a comment that starts with "//" or "/*" verbatim, so
//     a doc starting with "/*" would become a block comment whose end the
//     doc chooses, and what follows it code. Comment delimiters are split
//     ("/*" -> "/ *", "*/" -> "* /") and a leading "//" too, as in C.
//   - "// +build" at the start of a line is a build constraint to go/build
//     and a misplaced one to go vet, so a leading "+" is escaped.
//   - the Go compiler rejects NUL, a byte-order mark inside the file and
//     invalid UTF-8; editors and reviewers are misled by CR, U+2028/2029
//     and bidirectional controls ("trojan source"). Every whitespace rune
//     becomes one space, every other rune that is not graphic (controls,
//     format characters such as bidi overrides and zero-width joiners,
//     private use, unassigned) becomes \uXXXX text, invalid bytes \xNN.
func GoCommentText(s string) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			i += size
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r == '*' && strings.HasPrefix(s[i:], "*/"):
			b.WriteString("* /")
			size = 2
		case r == '/' && strings.HasPrefix(s[i:], "/*"):
			b.WriteString("/ *")
			size = 2
		case r == '/' && b.Len() == 0 && strings.HasPrefix(s[i:], "//"):
			b.WriteString("/ /")
			size = 2
		case r == '+' && b.Len() == 0:
			b.WriteString(`\u002b`)
		case !unicode.IsGraphic(r):
			b.WriteString(uEscape(r))
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// uEscape spells a rune as \uXXXX (or \UXXXXXXXX outside the BMP), the
// form C, Go and JSON readers all recognise.
func uEscape(r rune) string {
	if r > 0xffff {
		return fmt.Sprintf("\\U%08x", r)
	}
	return fmt.Sprintf("\\u%04x", r)
}

// VisibleText replaces every rune of s that is not graphic and not plain
// whitespace (NUL and other controls, CR, U+2028/2029, bidi and other
// format characters, private use, unassigned, invalid bytes) with \uXXXX
// or \xNN text, so what a reader sees is what the spec says. Line feeds
// and tabs are kept for the caller to lay out.
func VisibleText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r == '\n' || r == '\t' || r == ' ':
			b.WriteRune(r)
		case !unicode.IsGraphic(r):
			b.WriteString(uEscape(r))
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}
