package ir

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nlgen/nlgen/schema"
)

var scalarBytes = map[string]int{"u8": 1, "s8": 1, "u16": 2, "s16": 2, "u32": 4, "s32": 4, "u64": 8, "s64": 8}

// structure lays out a packed struct. visiting is the chain of structs
// being laid out, outermost first: a member naming one of them closes a
// cycle, and is reported where it does so.
func (r *resolver) structure(d *schema.Definition, visiting []string) *Struct {
	if st := r.structByName(d.Name); st != nil {
		return st
	}
	visiting = append(visiting, d.Name)

	st := &Struct{Name: d.Name, Doc: d.Doc, Header: d.Header, Pos: d.Pos, GoName: GoExported(d.Name)}
	// YNL names the C struct with enum-name when present (upstream OVS specs
	// use it that way), otherwise after the definition.
	// An explicit C name is used as written (and must be valid); a tag
	// derived from the spec name follows the keyword rule of CIdent.
	st.CName = CIdentTag(d.EnumName.Value)
	st.TagPos = d.Pos
	if d.EnumName.Set {
		st.TagPos = d.At("enum-name")
	}
	if st.CName == "" {
		st.CName = CIdent(d.Name)
	}
	if len(d.Members) == 0 {
		r.errorf(d.Pos, "missing-key", "struct %q has no members", d.Name)
	}
	off, align := 0, 1
	natural := 0
	names := map[string]bool{}
	for _, md := range d.Members {
		if md.Name == "" {
			continue
		}
		if names[md.Name] {
			r.errorf(md.Pos, "duplicate", "member %q appears twice in struct %q", md.Name, d.Name)
			continue
		}
		names[md.Name] = true
		m := &Member{Name: md.Name, Doc: md.Doc, CName: CIdent(md.Name), GoName: GoExported(md.Name),
			Type: md.Type, BigEndian: md.ByteOrder == "big-endian", DisplayHint: md.DisplayHint}
		m.EnumAsFlags = md.EnumAsFlags
		malign := 1
		switch md.Type {
		case "string", "binary", "pad":
			if md.Struct != "" {
				sd := r.definitionByName(md.Struct)
				if sd == nil || sd.Type != "struct" {
					r.errorf(md.At("struct"), "reference", "member %q: no struct named %q", md.Name, md.Struct)
					continue
				}
				if i := slices.Index(visiting, sd.Name); i >= 0 {
					chain := strings.Join(append(slices.Clone(visiting[i:]), sd.Name), " -> ")
					r.errorf(md.At("struct"), "cycle", "member %q of struct %q closes a cycle: %s", md.Name, d.Name, chain)
					continue
				}
				m.Struct = r.structure(sd, visiting)
				if m.Struct == nil {
					continue
				}
				m.Size = m.Struct.NaturalSize
				malign = structAlign(m.Struct)
				break
			}
			l := r.limit(md.Len, fmt.Sprintf("member %q len", md.Name), false)
			if l == nil {
				if md.Len == nil {
					r.errorf(md.Pos, "missing-key", "member %q of type %s needs a len", md.Name, md.Type)
				}
				continue
			}
			if l.Value <= 0 || l.Value > 1<<16 {
				r.errorf(md.At("len"), "range", "member %q: len %d is outside 1..65536", md.Name, l.Value)
				continue
			}
			m.Size = int(l.Value)
		default:
			m.Size = scalarBytes[md.Type]
			malign = m.Size
			if md.Len != nil {
				r.errorf(md.At("len"), "value", "member %q: len is only for string, binary and pad members", md.Name)
			}
		}
		if m.Size == 0 {
			continue
		}
		m.Enum = r.lookupEnum(md.Enum, md.At("enum"), fmt.Sprintf("member %q", md.Name))
		if sk, ok := scalarKinds[md.Type]; ok {
			r.enumFits(m.Enum, sk, md.EnumAsFlags, true, md.At("enum"), fmt.Sprintf("member %q", md.Name))
		}
		m.Offset = off
		off += m.Size
		natural = alignUp(natural, malign) + m.Size
		align = max(align, malign)
		st.Members = append(st.Members, m)
	}
	st.Size = off
	st.NaturalSize = alignUp(natural, align)
	st.align = align
	if len(st.Members) > 0 && !st.Packed() {
		r.warns.Add(d.Pos, "struct-padding", "struct %q is %d bytes packed but %d bytes in C with natural alignment; add explicit pad members so both agree",
			d.Name, st.Size, st.NaturalSize)
	}
	r.fam.Structs = append(r.fam.Structs, st)
	if st.Header == "" {
		r.claimStruct(st)
	}
	return st
}

func (r *resolver) claimStruct(st *Struct) {
	if !ValidCIdent(st.CName) {
		r.errorf(st.Pos, "name", "%q is not a valid C identifier", st.CName)
		return
	}
	r.claimTag("struct", st.CName, st.TagPos, fmt.Sprintf("struct %q", st.Name), "enum-name")
}

func structAlign(s *Struct) int { return max(s.align, 1) }

func alignUp(n, a int) int { return (n + a - 1) / a * a }

// Packed reports whether the C struct with natural alignment has exactly the
// declared wire layout (every member at its natural alignment, no tail pad).
func (s *Struct) Packed() bool { return s.Size == s.NaturalSize && s.naturalOffsetsMatch() }

func (s *Struct) naturalOffsetsMatch() bool {
	off := 0
	for _, m := range s.Members {
		a := 1
		if m.Struct != nil {
			a = structAlign(m.Struct)
		} else if m.Type != "string" && m.Type != "binary" && m.Type != "pad" {
			a = m.Size
		}
		off = alignUp(off, a)
		if off != m.Offset {
			return false
		}
		off += m.Size
	}
	return true
}
