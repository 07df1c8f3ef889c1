package breaking

import "github.com/nlgen/nlgen/schema"

// find returns the element of items called name, or the zero value. Names
// are unique within each list it is used on (the IR and the overlay loader
// reject duplicates), so the first match is the only one.
func find[T any](items []T, name string, nameOf func(T) string) T {
	for _, x := range items {
		if nameOf(x) == name {
			return x
		}
	}
	var zero T
	return zero
}

// findPos is find for source positions, with a fallback when the name is
// absent (a removed element is reported where its list was).
func findPos[T any](items []T, name string, nameOf func(T) string, posOf func(T) schema.Pos, fallback schema.Pos) schema.Pos {
	for _, x := range items {
		if nameOf(x) == name {
			return posOf(x)
		}
	}
	return fallback
}
