package gen

import (
	"path"
	"strings"

	"github.com/nlgen/nlgen/ir"
)

// CGuard is the one spelling of an include guard: prefix, then name
// without its .h suffix in upper case with every other character an
// underscore, then _H. uapi headers pass the whole path with prefix
// "_UAPI_" (linux/netdev.h -> _UAPI_LINUX_NETDEV_H, as the kernel names
// them); driver headers pass the file name with "NLGEN_"
// (NlPolicy.h -> NLGEN_NLPOLICY_H).
func CGuard(prefix, name string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, c := range strings.ToUpper(strings.TrimSuffix(name, ".h")) {
		if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	b.WriteString("_H")
	return b.String()
}

// CDriverGuard is the guard of a header nlgen writes for the driver,
// named after the file alone: NlDispatch.h -> NLGEN_NLDISPATCH_H.
func CDriverGuard(file string) string { return CGuard("NLGEN_", path.Base(file)) }

// CInclude is the operand of an #include for a header an option names:
// <x.h> and "x.h" are kept, a bare x.h is quoted as a C string.
func CInclude(h string) string {
	if strings.HasPrefix(h, "<") || strings.HasPrefix(h, "\"") {
		return h
	}
	return CString(h)
}

// Banner is what the shared "banner" template block prints at the top of
// every C file: the banner line (gen.GeneratedLine) naming the specs the
// file is generated from and nothing else (no input hash: the drift
// check compares bytes), escaped for a comment.
type Banner struct{ Line string }

// CBannerData is the banner of a C file generated from fams.
func CBannerData(fams []*ir.Family) Banner {
	return Banner{Line: GeneratedLine(CCommentText(SpecList(fams)))}
}
