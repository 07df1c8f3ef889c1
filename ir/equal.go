package ir

// Structural identity of definitions across two families: the one
// equality nlgen has. The Go target shares a type between packages when
// two families define it identically (gen/golang/alias.go), and `nlgen
// breaking` looks for changes only in definitions that are not identical
// between two revisions (internal/breaking).
//
// Identity is decided on everything generated code depends on (names,
// ids, kinds, byte orders, multi-attr, enums, length checks, nested sets
// and structs, recursively) and never on docs or positions. Nested sets
// may be recursive (OVS actions nest action lists), so identity is the
// greatest fixpoint: every same-named pair starts identical and pairs
// whose definitions differ, or refer to a pair already found different,
// are removed until nothing changes.

// Identical maps each definition of one family to its structurally
// identical, same-named counterpart in another; a definition without one
// is absent.
type Identical struct {
	Sets    map[*AttrSet]*AttrSet
	Structs map[*Struct]*Struct
	Enums   map[*Enum]*Enum
}

// Identify pairs a's definitions with b's. pairable, when not nil, says
// which sets may pair at all (the Go target never shares a message set,
// which carries its family's fixed header); a set nesting one that may not
// pair does not pair either.
func Identify(a, b *Family, pairable func(*AttrSet) bool) Identical {
	id := Identical{Sets: map[*AttrSet]*AttrSet{}, Structs: map[*Struct]*Struct{}, Enums: map[*Enum]*Enum{}}
	for _, e := range a.Enums {
		for _, o := range b.Enums {
			if e.Name == o.Name && sameEnum(e, o) {
				id.Enums[e] = o
			}
		}
	}
	for _, s := range a.Structs {
		for _, o := range b.Structs {
			if s.Name == o.Name {
				id.Structs[s] = o
			}
		}
	}
	for _, s := range a.AttrSets {
		for _, o := range b.AttrSets {
			if s.Name == o.Name && (pairable == nil || pairable(s) && pairable(o)) {
				id.Sets[s] = o
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, s := range a.Structs {
			if o := id.Structs[s]; o != nil && !id.sameStruct(s, o) {
				delete(id.Structs, s)
				changed = true
			}
		}
		for _, s := range a.AttrSets {
			if o := id.Sets[s]; o != nil && !id.sameSet(s, o) {
				delete(id.Sets, s)
				changed = true
			}
		}
	}
	return id
}

// sameEnum reports whether two enums or flags sets have the same entries
// with the same names and values.
func sameEnum(a, b *Enum) bool {
	if a.GoName != b.GoName || a.IsFlags != b.IsFlags || len(a.Entries) != len(b.Entries) {
		return false
	}
	for i, x := range a.Entries {
		y := b.Entries[i]
		if x.Name != y.Name || x.GoName != y.GoName || x.Value != y.Value {
			return false
		}
	}
	return true
}

func (id Identical) enum(a, b *Enum) bool {
	return a == nil && b == nil || a != nil && b != nil && id.Enums[a] == b
}

func (id Identical) strct(a, b *Struct) bool {
	return a == nil && b == nil || a != nil && b != nil && id.Structs[a] == b
}

func (id Identical) set(a, b *AttrSet) bool {
	return a == nil && b == nil || a != nil && b != nil && id.Sets[a] == b
}

func (id Identical) sameStruct(a, b *Struct) bool {
	if a.GoName != b.GoName || a.CName != b.CName || a.Size != b.Size || a.NaturalSize != b.NaturalSize ||
		len(a.Members) != len(b.Members) {
		return false
	}
	for i, x := range a.Members {
		y := b.Members[i]
		if x.Name != y.Name || x.GoName != y.GoName || x.Type != y.Type || x.Offset != y.Offset ||
			x.Size != y.Size || x.BigEndian != y.BigEndian || !id.enum(x.Enum, y.Enum) || !id.strct(x.Struct, y.Struct) {
			return false
		}
	}
	return true
}

func (id Identical) sameSet(a, b *AttrSet) bool {
	if a.GoName != b.GoName || a.Masked != b.Masked || !id.set(a.SubsetOf, b.SubsetOf) ||
		a.Root().GoName != b.Root().GoName || len(a.Attrs) != len(b.Attrs) || len(a.Mandatory) != len(b.Mandatory) {
		return false
	}
	for i, x := range a.Mandatory {
		if x.Name != b.Mandatory[i].Name {
			return false
		}
	}
	for i, x := range a.Attrs {
		y := b.Attrs[i]
		if x.Name != y.Name || x.GoName != y.GoName || x.ID != y.ID || x.MultiAttr != y.MultiAttr ||
			x.EnumAsFlags != y.EnumAsFlags || !sameLimit(x.WinMaxLen, y.WinMaxLen) || !id.enum(x.Enum, y.Enum) ||
			!id.sameChecks(x.Checks, y.Checks) || !id.sameKind(x.Kind, y.Kind) {
			return false
		}
	}
	return true
}

func (id Identical) sameChecks(a, b Checks) bool {
	return sameLimit(a.Min, b.Min) && sameLimit(a.Max, b.Max) && sameLimit(a.MinLen, b.MinLen) &&
		sameLimit(a.MaxLen, b.MaxLen) && sameLimit(a.ExactLen, b.ExactLen) &&
		id.enum(a.FlagsMask, b.FlagsMask) && a.UnterminatedOK == b.UnterminatedOK
}

func sameLimit(a, b *Limit) bool {
	return a == nil && b == nil || a != nil && b != nil && a.Value == b.Value
}

func (id Identical) sameKind(a, b Kind) bool {
	switch x := a.(type) {
	case Scalar:
		y, ok := b.(Scalar)
		return ok && x == y
	case Binary:
		y, ok := b.(Binary)
		return ok && id.strct(x.Struct, y.Struct) &&
			(x.Elem == nil && y.Elem == nil || x.Elem != nil && y.Elem != nil && *x.Elem == *y.Elem)
	case Nest:
		y, ok := b.(Nest)
		return ok && id.set(x.Set, y.Set)
	case IndexedArray:
		y, ok := b.(IndexedArray)
		return ok && id.sameKind(x.Elem, y.Elem)
	case NestTypeValue:
		y, ok := b.(NestTypeValue)
		if !ok || !id.set(x.Set, y.Set) || len(x.TypeValue) != len(y.TypeValue) {
			return false
		}
		for i := range x.TypeValue {
			if x.TypeValue[i] != y.TypeValue[i] {
				return false
			}
		}
		return true
	case SubMsg:
		// the same selector, found as many nests up, and format by
		// format the same value, fixed header and set
		y, ok := b.(SubMsg)
		if !ok || x.Selector.Name != y.Selector.Name || x.SelectorDepth != y.SelectorDepth ||
			x.Def.GoName != y.Def.GoName || len(x.Def.Formats) != len(y.Def.Formats) {
			return false
		}
		for i, fx := range x.Def.Formats {
			fy := y.Def.Formats[i]
			if fx.Value != fy.Value || !id.strct(fx.FixedHeader, fy.FixedHeader) || !id.set(fx.AttrSet, fy.AttrSet) {
				return false
			}
		}
		return true
	}
	// String, Flag, Bitfield32, Unused, Pad: the kind alone says it all.
	return a.String() == b.String()
}
