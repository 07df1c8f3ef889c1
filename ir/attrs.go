package ir

import (
	"fmt"
	"slices"

	"github.com/nlgen/nlgen/schema"
)

const maxAttrID = 1<<14 - 1 // nla_type keeps the top two bits for flags

func (r *resolver) attrSets() {
	f := r.fam
	byName := map[string]*schema.AttrSet{}
	for _, sd := range r.spec.AttributeSets {
		if sd.Name == "" {
			continue
		}
		if prev, dup := byName[sd.Name]; dup {
			r.errorf(sd.At("name"), "duplicate", "attribute set %q is already defined at %s", sd.Name, prev.Pos)
			continue
		}
		byName[sd.Name] = sd
	}
	// Pass 1: ids and names of full sets, so subsets and nests can refer
	// to any set regardless of order.
	sets := map[string]*AttrSet{}
	for _, sd := range r.spec.AttributeSets {
		if byName[sd.Name] != sd || sd.SubsetOf != "" {
			continue
		}
		sets[sd.Name] = r.fullSet(sd)
	}
	for _, sd := range r.spec.AttributeSets {
		if byName[sd.Name] != sd || sd.SubsetOf == "" {
			continue
		}
		if s := r.subset(sd, sets); s != nil {
			sets[sd.Name] = s
		}
	}
	for _, sd := range r.spec.AttributeSets {
		if s, ok := sets[sd.Name]; ok && byName[sd.Name] == sd {
			f.AttrSets = append(f.AttrSets, s)
		}
	}
	r.subMessages(sets)
	// Pass 2: kinds, which may point at other sets.
	for _, sd := range r.spec.AttributeSets {
		s := sets[sd.Name]
		if s == nil || byName[sd.Name] != sd {
			continue
		}
		for _, ad := range sd.Attributes {
			a := s.Attr(ad.Name)
			if a == nil || a.Set != s {
				continue
			}
			r.attrKind(a, ad, s, sets)
		}
	}
	// Pass 3: masked nests, whose members' kinds pass 2 resolved.
	for _, sd := range r.spec.AttributeSets {
		s := sets[sd.Name]
		if s == nil || byName[sd.Name] != sd {
			continue
		}
		for _, ad := range sd.Attributes {
			if a := s.Attr(ad.Name); a != nil && a.Set == s && len(ad.Masked) > 0 {
				r.maskedNest(a, ad, sets)
			}
		}
	}
	// Pass 4: sub-message selectors, which may live in a set nesting
	// this one.
	r.resolveSelectors()
}

// maskedNest retargets a nest with x-nlgen-masked to a subset of its set
// holding the listed attributes, marked Masked: on the wire each is its
// value followed by a mask of the same length, so only fixed-size values
// (scalars and structs) can be masked.
func (r *resolver) maskedNest(a *Attr, ad *schema.Attr, sets map[string]*AttrSet) {
	k, ok := a.Kind.(Nest)
	if !ok {
		r.errorf(ad.At("x-nlgen-masked"), "value", "attribute %q: x-nlgen-masked applies to nest attributes", ad.Name)
		return
	}
	name := k.Set.Name + "-masked"
	if sets[name] != nil {
		r.errorf(ad.At("x-nlgen-masked"), "duplicate", "attribute %q: the masked set %q is already defined", ad.Name, name)
		return
	}
	parent := k.Set.Root()
	ms := &AttrSet{Name: name, Doc: "The attributes of " + parent.Name + " as a masked nest carries them: value then mask.",
		Family: r.fam, SubsetOf: parent, CEnumName: parent.CEnumName, CntName: parent.CntName, MaxName: parent.MaxName,
		Pos: ad.At("x-nlgen-masked"), GoName: GoExported(name), Masked: true}
	for i, n := range ad.Masked {
		pa := k.Set.Attr(n)
		if pa == nil {
			r.errorf(ad.MaskedPos[i], "reference", "attribute %q: set %q has no attribute %q to mask%s", ad.Name, k.Set.Name, n, r.suggest(n, attrNames(k.Set)))
			continue
		}
		sk, scalar := pa.Kind.(Scalar)
		bk, bin := pa.Kind.(Binary)
		if !(scalar && !sk.Variable) && !(bin && bk.Struct != nil) {
			r.errorf(ad.MaskedPos[i], "value", "attribute %q: %q is %s; only fixed-width scalars and structs can carry a mask", ad.Name, n, pa.Kind)
			continue
		}
		ms.Attrs = append(ms.Attrs, pa)
		ms.MaxID = max(ms.MaxID, int(pa.ID))
	}
	slices.SortFunc(ms.Attrs, func(x, y *Attr) int { return int(x.ID) - int(y.ID) })
	sets[name] = ms
	r.fam.AttrSets = append(r.fam.AttrSets, ms)
	for i, x := range k.Set.NestedFrom {
		if x == a {
			k.Set.NestedFrom = append(k.Set.NestedFrom[:i:i], k.Set.NestedFrom[i+1:]...)
			break
		}
	}
	ms.NestedFrom = append(ms.NestedFrom, a)
	a.Kind = Nest{Set: ms}
}

func (r *resolver) fullSet(sd *schema.AttrSet) *AttrSet {
	f := r.fam
	s := &AttrSet{Name: sd.Name, Doc: sd.Doc, Family: f, Header: sd.Header, Pos: sd.Pos, GoName: GoExported(sd.Name)}
	prefix := f.Ident + "-a-" + sd.Name + "-"
	if sd.Name == r.spec.Name {
		prefix = f.Ident + "-a-"
	}
	if sd.Has("name-prefix") {
		prefix = sd.NamePrefix
	}
	s.TagPos, s.CntPos, s.MaxPos = sd.At("name"), sd.At("name"), sd.At("name")
	if sd.EnumName.Set {
		s.TagPos = sd.At("enum-name")
		s.CEnumName = r.explicitTag(sd.EnumName.Value, sd.At("enum-name"))
	}
	if sd.AttrCntName != "" {
		s.CntPos = sd.At("attr-cnt-name")
	}
	if sd.AttrMaxName != "" {
		s.MaxPos = sd.At("attr-max-name")
	}
	s.MaxName = CUpper(orDefault(sd.AttrMaxName, prefix+"max"))
	s.CntName = CUpper(orDefault(sd.AttrCntName, "__"+prefix+"max"))
	next := int64(1)
	ids := map[int64]string{}
	for _, ad := range sd.Attributes {
		if ad.Name == "" {
			continue
		}
		if prev := s.Attr(ad.Name); prev != nil {
			if isRepeatOf(prev, ad) {
				r.warns.Add(ad.At("name"), "duplicate", "attribute %q repeats an identical earlier entry in set %q; ignored", ad.Name, sd.Name)
				continue
			}
			r.errorf(ad.At("name"), "duplicate", "attribute %q appears twice in set %q", ad.Name, sd.Name)
			continue
		}
		id := next
		if ad.Value != nil {
			id = *ad.Value
		}
		next = id + 1
		if id > maxAttrID {
			r.errorf(ad.At("value"), "range", "attribute %q: id %d does not fit the 14-bit attribute type (max %d)", ad.Name, id, maxAttrID)
			continue
		}
		if prev, dup := ids[id]; dup {
			r.errorf(ad.Pos, "duplicate", "attribute %q has the same id (%d) as %q", ad.Name, id, prev)
		}
		ids[id] = ad.Name
		apfx := prefix
		if ad.NamePrefix != "" {
			apfx = ad.NamePrefix
		}
		a := &Attr{Name: ad.Name, Doc: ad.Doc, ID: uint16(id), CName: CUpper(apfx + ad.Name),
			GoName: GoExported(ad.Name), MultiAttr: ad.MultiAttr, EnumAsFlags: ad.EnumAsFlags,
			DisplayHint: ad.DisplayHint, Set: s, Pos: ad.Pos}
		if sd.Header == "" {
			r.claim(a.CName, ad.At("name"), fmt.Sprintf("attribute %q of set %q", ad.Name, sd.Name), "name-prefix")
		}
		if id == 0 {
			s.ZeroBased = true
		}
		s.MaxID = max(s.MaxID, int(id))
		s.Attrs = append(s.Attrs, a)
	}
	if sd.Header == "" {
		r.claim(s.CntName, s.CntPos, fmt.Sprintf("the count of attribute set %q", sd.Name), "attr-cnt-name")
		r.claim(s.MaxName, s.MaxPos, fmt.Sprintf("the max of attribute set %q", sd.Name), "attr-max-name")
		if sd.EnumName.Set {
			r.claimTag("enum", s.CEnumName, s.TagPos, fmt.Sprintf("attribute set %q", sd.Name), "enum-name")
		}
	}
	r.checkGoNames(s)
	return s
}

// checkGoNames catches names that differ in the spec but not in Go
// ("tx-bytes" and "tx_bytes" are both TxBytes).
func (r *resolver) checkGoNames(s *AttrSet) {
	seen := map[string]*Attr{}
	for _, a := range s.Attrs {
		if prev, dup := seen[a.GoName]; dup {
			r.errorf(a.Pos, "name-collision", "attribute %q and %q both become Go name %s", prev.Name, a.Name, a.GoName)
			continue
		}
		seen[a.GoName] = a
	}
}

func (r *resolver) subset(sd *schema.AttrSet, sets map[string]*AttrSet) *AttrSet {
	parent := sets[sd.SubsetOf]
	if parent == nil {
		r.errorf(sd.At("subset-of"), "reference", "subset-of: no attribute set named %q%s", sd.SubsetOf, r.suggest(sd.SubsetOf, keys(sets)))
		return nil
	}
	s := &AttrSet{Name: sd.Name, Doc: sd.Doc, Family: r.fam, SubsetOf: parent, CEnumName: parent.CEnumName,
		CntName: parent.CntName, MaxName: parent.MaxName, Pos: sd.Pos, GoName: GoExported(sd.Name)}
	for _, ad := range sd.Attributes {
		pa := parent.Attr(ad.Name)
		if pa == nil {
			r.errorf(ad.At("name"), "reference", "subset %q: set %q has no attribute %q%s", sd.Name, parent.Name, ad.Name, r.suggest(ad.Name, attrNames(parent)))
			continue
		}
		if ad.Value != nil && int64(pa.ID) != *ad.Value {
			r.errorf(ad.At("value"), "subset", "subset attribute %q: value %d differs from the parent's %d", ad.Name, *ad.Value, pa.ID)
		}
		s.Attrs = append(s.Attrs, pa)
		s.MaxID = max(s.MaxID, int(pa.ID))
		if pa.ID == 0 {
			s.ZeroBased = true
		}
	}
	return s
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func attrNames(s *AttrSet) []string {
	out := make([]string, len(s.Attrs))
	for i, a := range s.Attrs {
		out[i] = a.Name
	}
	return out
}

var scalarKinds = map[string]Scalar{
	"u8": {Bits: 8}, "u16": {Bits: 16}, "u32": {Bits: 32}, "u64": {Bits: 64},
	"s8": {Bits: 8, Signed: true}, "s16": {Bits: 16, Signed: true}, "s32": {Bits: 32, Signed: true}, "s64": {Bits: 64, Signed: true},
	"uint": {Bits: 64, Variable: true}, "sint": {Bits: 64, Signed: true, Variable: true},
}

func (r *resolver) attrKind(a *Attr, ad *schema.Attr, set *AttrSet, sets map[string]*AttrSet) {
	what := fmt.Sprintf("attribute %q", ad.Name)
	nested := func() *AttrSet {
		if ad.NestedAttributes == "" {
			r.errorf(ad.Pos, "missing-key", "%s of type %s needs nested-attributes", what, ad.Type)
			return nil
		}
		ns := sets[ad.NestedAttributes]
		if ns == nil {
			r.errorf(ad.At("nested-attributes"), "reference", "%s: no attribute set named %q%s", what, ad.NestedAttributes, r.suggest(ad.NestedAttributes, keys(sets)))
			return nil
		}
		ns.NestedFrom = append(ns.NestedFrom, a)
		return ns
	}
	switch t := ad.Type; t {
	case "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "uint", "sint":
		k := scalarKinds[t]
		k.BigEndian = ad.ByteOrder == "big-endian"
		a.Kind = k
	case "string":
		a.Kind = String{}
	case "flag":
		a.Kind = Flag{}
	case "binary":
		k := Binary{}
		if ad.Struct != "" {
			sd := r.definitionByName(ad.Struct)
			if sd == nil || sd.Type != "struct" {
				r.errorf(ad.At("struct"), "reference", "%s: no struct definition named %q", what, ad.Struct)
			} else {
				k.Struct = r.structByName(ad.Struct)
			}
		}
		if ad.SubType != "" {
			sk, ok := scalarKinds[ad.SubType]
			if !ok || sk.Variable {
				r.errorf(ad.At("sub-type"), "value", "%s: binary sub-type must be a fixed-width scalar, got %q", what, ad.SubType)
			} else {
				sk.BigEndian = ad.ByteOrder == "big-endian"
				k.Elem = &sk
			}
		}
		a.Kind = k
	case "bitfield32":
		a.Kind = Bitfield32{}
	case "nest":
		ns := nested()
		if ns == nil {
			a.Kind = Unused{}
			return
		}
		a.Kind = Nest{Set: ns}
	case "indexed-array":
		var elem Kind
		switch st := ad.SubType; st {
		case "nest":
			ns := nested()
			if ns == nil {
				a.Kind = Unused{}
				return
			}
			elem = Nest{Set: ns}
		case "string":
			elem = String{}
		case "binary":
			elem = Binary{}
		case "":
			r.errorf(ad.Pos, "missing-key", "%s: indexed-array needs a sub-type", what)
			elem = Binary{}
		default:
			sk, ok := scalarKinds[st]
			if !ok {
				r.errorf(ad.At("sub-type"), "value", "%s: indexed-array sub-type %q is not supported", what, st)
				elem = Binary{}
			} else {
				sk.BigEndian = ad.ByteOrder == "big-endian"
				elem = sk
			}
		}
		a.Kind = IndexedArray{Elem: elem}
	case "nest-type-value":
		ns := nested()
		if ns == nil {
			a.Kind = Unused{}
			return
		}
		a.Kind = NestTypeValue{Set: ns, TypeValue: ad.TypeValue}
	case "unused":
		a.Kind = Unused{}
	case "pad":
		a.Kind = Pad{}
	case "sub-message":
		a.Kind = r.subMsgKind(a, ad, what)
	default:
		a.Kind = Unused{} // type error already reported by the loader
	}
	if ad.Type != "sub-message" {
		for _, key := range []string{"sub-message", "selector"} {
			if ad.Has(key) {
				r.errorf(ad.At(key), "value", "%s: %s applies to attributes of type sub-message, not %s", what, key, ad.Type)
			}
		}
	}
	if ad.ByteOrder == "big-endian" {
		sk, ok := a.Kind.(Scalar)
		if arr, isArr := a.Kind.(IndexedArray); isArr {
			// rt_link's bond arp-ip-target: big-endian u32 elements
			sk, ok = arr.Elem.(Scalar)
		}
		if !ok || sk.Bits == 8 {
			if _, bin := a.Kind.(Binary); !bin {
				r.errorf(ad.At("byte-order"), "value", "%s: byte-order applies to 16, 32 and 64-bit scalars", what)
			}
		}
	}
	a.Enum = r.lookupEnum(ad.Enum, ad.At("enum"), what)
	if sk, ok := a.Kind.(Scalar); ok {
		r.enumFits(a.Enum, sk, ad.EnumAsFlags, false, ad.At("enum"), what)
	}
	r.checks(a, ad, what)
}

func (r *resolver) checks(a *Attr, ad *schema.Attr, what string) {
	c := ad.Checks
	if c == nil {
		return
	}
	if !r.checksFit(a, ad, what) {
		return
	}
	a.Checks = Checks{
		Min:            r.limit(c.Min, what+" checks min", true),
		Max:            r.limit(c.Max, what+" checks max", true),
		MinLen:         r.limit(c.MinLen, what+" checks min-len", false),
		MaxLen:         r.limit(c.MaxLen, what+" checks max-len", false),
		ExactLen:       r.limit(c.ExactLen, what+" checks exact-len", false),
		UnterminatedOK: c.UnterminatedOK,
	}
	if l := a.Checks.ExactLen; l != nil && l.Value < 1 {
		k := a.Kind
		if arr, ok := k.(IndexedArray); ok {
			k = arr.Elem
		}
		if k.CountsNUL() {
			// Every encoder (Go's, nlgen call's, the kernel's CLI) sends
			// the NUL, so no value could ever be sent.
			r.errorf(c.At("exact-len"), "range", "%s: check exact-len %d leaves no room for the NUL: a %s's exact-len is its payload with the NUL (NLA_POLICY_EXACT_LEN), so at least 1",
				what, l.Value, k.YNL())
		}
	}
	if c.FlagsMask != "" {
		a.Checks.FlagsMask = r.lookupEnum(c.FlagsMask, c.At("flags-mask"), what+" flags-mask")
	}
	if mn, mx := a.Checks.Min, a.Checks.Max; mn != nil && mx != nil && mn.Value > mx.Value {
		r.errorf(c.At("min"), "range", "%s: min %d is greater than max %d", what, mn.Value, mx.Value)
	}
	if sk, ok := a.Kind.(Scalar); ok && !sk.Variable {
		for _, l := range []*Limit{a.Checks.Min, a.Checks.Max} {
			if l != nil && !fitsScalar(sk, l.Value) {
				r.errorf(c.Pos, "range", "%s: limit %d does not fit %s", what, l.Value, sk.YNL())
			}
		}
	}
}

// checkKinds says which checks apply to which kind of attribute, as the
// kernel's ynl-gen-c turns them into a policy: integers take a value range
// and a flags mask (NLA_POLICY_RANGE/MIN/MAX/MASK), strings and binary a
// length (NLA_POLICY_EXACT_LEN, .len; the Windows NL_POLICY also has
// minLen), strings unterminated-ok (NLA_STRING instead of NLA_NUL_STRING),
// bitfield32 the mask of its valid bits. Any other pairing would be
// dropped by every generator, so it is an error rather than a silent
// no-op. An indexed array is checked by its element kind.
func checkKinds(k Kind) (value, length, unterminated, mask bool) {
	switch k := k.(type) {
	case Scalar:
		return true, false, false, true
	case String:
		return false, true, true, false
	case Binary:
		return false, true, false, false
	case Bitfield32:
		return false, false, false, true
	case IndexedArray:
		return checkKinds(k.Elem)
	}
	return false, false, false, false
}

// checksFit reports every check that does not apply to the attribute's
// type, at the check, and whether all of them fit.
func (r *resolver) checksFit(a *Attr, ad *schema.Attr, what string) bool {
	c := ad.Checks
	value, length, unterminated, mask := checkKinds(a.Kind)
	ok := true
	bad := func(key string, applies bool, set bool, kinds string) {
		if set && !applies {
			r.errorf(c.At(key), "value", "%s: check %s does not apply to type %s (it applies to %s)", what, key, ad.Type, kinds)
			ok = false
		}
	}
	bad("min", value, c.Min != nil, "integer types")
	bad("max", value, c.Max != nil, "integer types")
	bad("flags-mask", mask, c.FlagsMask != "", "integer types and bitfield32")
	bad("min-len", length, c.MinLen != nil, "string and binary")
	bad("max-len", length, c.MaxLen != nil, "string and binary")
	bad("exact-len", length, c.ExactLen != nil, "string and binary")
	bad("unterminated-ok", unterminated, c.UnterminatedOK, "string")
	return ok
}

// enumFits reports an enum whose values do not fit the integer that
// carries them: a u8 attribute cannot hold entry 300, nor a flag past bit
// 7. In a struct member it is only a warning: upstream rt_addr keeps the
// low eight ifa-flags in struct ifaddrmsg's u8 and all of them in the u32
// IFA_FLAGS attribute, on purpose.
func (r *resolver) enumFits(e *Enum, k Scalar, asFlags, warn bool, pos schema.Pos, what string) {
	if e == nil || k.Variable || k.Bits == 64 && !k.Signed {
		return
	}
	for _, x := range e.Entries {
		v, bit := x.Value, -1
		switch {
		case e.IsFlags:
			bit = x.Bit
		case asFlags:
			bit = int(x.Value) // enum-as-flags: the attribute holds 1 << value
		}
		limit := k.Bits
		if k.Signed {
			limit-- // the sign bit is no flag and no positive value
		}
		if bit >= limit || bit < 0 && v > uint64(1)<<limit-1 {
			n := fmt.Sprint(v)
			if bit >= 0 {
				n = fmt.Sprintf("bit %d", bit)
			}
			if warn {
				r.warns.Add(pos, "range", "%s: %s entry %q (%s) does not fit %s; the member carries only part of the enum", what, e.Name, x.Name, n, k.YNL())
			} else {
				r.errorf(pos, "range", "%s: %s entry %q (%s) does not fit %s", what, e.Name, x.Name, n, k.YNL())
			}
			return
		}
	}
}

func fitsScalar(k Scalar, v int64) bool {
	if k.Bits == 64 {
		return !(k.Signed == false && v < 0)
	}
	if k.Signed {
		lim := int64(1) << (k.Bits - 1)
		return v >= -lim && v < lim
	}
	return v >= 0 && v < int64(1)<<k.Bits
}

// isRepeatOf tolerates an exact repeat of an id-reserving entry, a known
// quirk of upstream ethtool.yaml ("unspec" listed twice).
func isRepeatOf(prev *Attr, ad *schema.Attr) bool {
	return (ad.Type == "unused" || ad.Type == "pad") && ad.Value != nil && int64(prev.ID) == *ad.Value
}
