package ir

import "strings"

// CUpper is YNL's c_upper: upper case, '-' to '_'. A space, which
// separates words in a few upstream names (nftables' "set id"), is a '-'
// too: YNL's c_upper would keep it and print no identifier.
func CUpper(s string) string { return strings.ToUpper(separators.Replace(s)) }

// CLower is YNL's c_lower: lower case, '-' (and a space, as in CUpper) to '_'.
func CLower(s string) string { return strings.ToLower(separators.Replace(s)) }

var separators = strings.NewReplacer("-", "_", " ", "_")

var cKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`auto break case char const continue default do double else enum
		extern float for goto if inline int long register restrict return short signed sizeof
		static struct switch typedef union unsigned void volatile while _Bool _Complex _Imaginary
		_Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local bool true false`) {
		cKeywords[k] = true
	}
}

// CIdent makes a lower-case C identifier, renaming C keywords the way YNL
// does: a trailing underscore ("type" stays, "do" becomes "do_").
func CIdent(name string) string {
	id := CLower(name)
	if cKeywords[id] {
		id += "_"
	}
	if id != "" && id[0] >= '0' && id[0] <= '9' {
		id = "_" + id
	}
	return id
}

// ValidCIdent reports whether s is a C identifier.
func ValidCIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return !cKeywords[s]
}

// GoExported turns a spec name into an exported Go identifier:
// "upcall-pid" -> "UpcallPid", "ipv4" -> "Ipv4", "64bit" -> "X64bit".
// Exported names cannot be Go keywords, which is why nothing else is needed.
func GoExported(name string) string {
	var b strings.Builder
	up := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == ' ' {
			up = true
			continue
		}
		if up && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		up = false
		b.WriteByte(c)
	}
	s := b.String()
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		s = "X" + s
	}
	return s
}

// GoPackageName turns a family name into a Go package name.
func GoPackageName(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b.WriteByte(c)
		}
	}
	s := b.String()
	if s == "" || s[0] >= '0' && s[0] <= '9' || goKeywords[s] {
		s = "nl" + s
	}
	return s
}

var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true, "default": true,
	"defer": true, "else": true, "fallthrough": true, "for": true, "func": true, "go": true,
	"goto": true, "if": true, "import": true, "interface": true, "map": true, "package": true,
	"range": true, "return": true, "select": true, "struct": true, "switch": true, "type": true, "var": true,
}
