package schema

import (
	"fmt"
	"slices"
)

// Suggest returns ` (did you mean "x"?)` when one of candidates is a
// likely misspelling of name, or "". It serves every "no such name" error:
// unknown keys, words outside a fixed list (types), dangling references.
//
// Likely means one edit (two from six letters on), where swapping two adjacent characters
// (u46 for u64, the commonest slip) costs half of an insertion, deletion
// or substitution, so "u46" suggests u64 rather than u16. Ties go to the
// alphabetically first candidate, so messages are deterministic.
func Suggest(name string, candidates []string) string {
	if name == "" {
		return ""
	}
	if slices.Contains(candidates, name) {
		return ""
	}
	sorted := slices.Clone(candidates)
	slices.Sort(sorted)
	// A short word is one edit away from many others (float, flag), so it
	// gets one edit; from six letters on, two.
	limit := 2
	if len(name) >= 6 {
		limit = 4
	}
	best, bestD := "", limit+1
	for _, c := range sorted {
		if d := typoDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// typoDistance is the optimal-string-alignment distance with insertions,
// deletions and substitutions costing 2 and adjacent transpositions 1.
func typoDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = 2 * i
	}
	for j := range d[0] {
		d[0][j] = 2 * j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			sub := 2
			if a[i-1] == b[j-1] {
				sub = 0
			}
			d[i][j] = min(d[i-1][j]+2, d[i][j-1]+2, d[i-1][j-1]+sub)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
