package schema

import "testing"

func TestSuggest(t *testing.T) {
	types := []string{"unused", "pad", "flag", "binary", "bitfield32", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "uint", "sint", "string", "nest", "indexed-array", "nest-type-value", "sub-message"}
	for _, c := range []struct {
		name  string
		cands []string
		want  string
	}{
		{"u46", types, ` (did you mean "u64"?)`}, // a swap beats u16's one substitution
		{"u23", types, ` (did you mean "u32"?)`},
		{"strng", types, ` (did you mean "string"?)`},
		{"nested", types, ` (did you mean "nest"?)`},
		{"indexed_array", types, ` (did you mean "indexed-array"?)`},
		{"float", types, ""},
		{"x", types, ""},
		{"u64", types, ""}, // an exact name is not a typo
		{"attribute-set", []string{"attribute-sets", "attributes", "name"}, ` (did you mean "attribute-sets"?)`},
		{"nmae", []string{"name", "doc", "type"}, ` (did you mean "name"?)`},
		{"", types, ""},
	} {
		if got := Suggest(c.name, c.cands); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
