package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// A display-hint (YNL: hex, mac, fddi, ipv4, ipv6, ipv4-or-v6, uuid) says
// how a value reads, not how it travels: the field keeps its wire type
// (a host-order uint32 for a big-endian u32, a byte array or slice for
// binary), and a hint Go has a type for gets two methods next to it,
// <Field>Addr/Set<Field>Addr with netip.Addr for ipv4, ipv6 and
// ipv4-or-v6, <Field>MAC/Set<Field>MAC with net.HardwareAddr for mac.
// hex, fddi and uuid have no standard Go type and get no helper.

type hintKind int

const (
	hintNone    hintKind = iota
	hintIPv4U32          // a u32 holding an IPv4 address (most significant byte first)
	hintIPv4             // 4 bytes
	hintIPv6             // 16 bytes
	hintIP               // ipv4-or-v6: 4 or 16 bytes
	hintMAC              // 6 bytes (struct members) or any length (attributes)
)

// hintHelper is the helper pair of one hinted field.
type hintHelper struct {
	kind     hintKind
	get, set string
}

func (h hintHelper) suffix() string {
	if h.kind == hintMAC {
		return "MAC"
	}
	return "Addr"
}

// hintOf is the helper a value of the given hint gets: u32 says the value
// is a 32-bit unsigned integer, size is a fixed byte length (0: variable).
func hintOf(hint string, u32 bool, size int) hintHelper {
	switch {
	case hint == "ipv4" && u32:
		return hintHelper{kind: hintIPv4U32}
	case (hint == "ipv4" || hint == "ipv6" || hint == "ipv4-or-v6") && !u32 && size == 0:
		// A variable-length attribute holds whatever family it is sent
		// with (rtnetlink's ifa-address, hinted ipv4, carries 16 bytes
		// for IPv6); the YNL CLI reads any of them as an address, so do we.
		return hintHelper{kind: hintIP}
	case hint == "ipv4" && !u32 && size == 4:
		return hintHelper{kind: hintIPv4}
	case hint == "ipv6" && !u32 && size == 16:
		return hintHelper{kind: hintIPv6}
	case hint == "mac" && !u32 && (size == 6 || size == 0):
		return hintHelper{kind: hintMAC}
	}
	return hintHelper{}
}

func memberScalar4(m *ir.Member) bool { return m.Type == "u32" }

// attrHint is the helper of attribute a, if any: a single (not
// multi-attr) u32 held in an Optional, or a single plain binary slice.
func attrHint(a *ir.Attr) hintHelper {
	if a.MultiAttr {
		return hintHelper{}
	}
	return codecOf(a.Kind).hint(a)
}

// byteOrderDoc is the sentence every multi-byte scalar's doc carries, so
// go doc says what the integer in the field means.
func byteOrderDoc(k ir.Scalar) string {
	if k.Bits <= 8 {
		return ""
	}
	if k.BigEndian {
		return "Big-endian on the wire (network order); the field holds the host value."
	}
	return "Host byte order on the wire."
}

// renderMemberHints writes the helpers of struct s's hinted members.
func (g *familyGen) renderMemberHints(f *jen.File, s *ir.Struct) {
	for _, m := range s.Members {
		h, ok := g.names.helpers[m]
		if !ok {
			continue
		}
		field := jen.Id("s").Dot(g.names.member[m])
		path := g.fam.Name + "." + s.Name + "." + m.Name
		g.renderHint(f, jen.Id("s").Op("*").Id(s.GoName), h, field, path, true)
	}
}

// renderHint writes h's getter and setter for field. fixed marks a
// struct member (a uint32 or a byte array, always present); otherwise the
// field is an attribute (an Optional uint32 or a byte slice, nil when
// absent), where the zero netip.Addr or a nil address means absent.
func (g *familyGen) renderHint(f *jen.File, recv *jen.Statement, h hintHelper, field *jen.Statement, path string, fixed bool) {
	fn := func(name string) *jen.Statement { return f.Func().Params(recv.Clone()).Id(name) }
	bad := func(what string) jen.Code {
		return jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(path+": %v is not "+what+": %w"), jen.Id("a"), jen.Qual(g.nlattr, "ErrRange")))
	}
	addr := jen.Qual("net/netip", "Addr")
	mac := jen.Qual("net", "HardwareAddr")
	v := field.Clone()
	if !fixed && h.kind == hintIPv4U32 {
		v = field.Clone().Dot("Value")
	}
	absent := "."
	if !fixed {
		absent = "; an absent attribute reads as the zero Addr, and the zero Addr clears it."
		if h.kind == hintMAC {
			absent = "; nil means absent."
		}
	}
	switch h.kind {
	case hintIPv4U32:
		f.Comment(fmt.Sprintf("%s returns the IPv4 address %s holds (most significant byte first)%s", h.get, path, absent))
		get := []jen.Code{}
		if !fixed {
			get = append(get, jen.If(jen.Op("!").Add(field.Clone()).Dot("Present")).Block(jen.Return(addr.Clone().Values())))
		}
		get = append(get,
			jen.Var().Id("b").Index(jen.Lit(4)).Byte(),
			jen.Qual(binaryPkg, "BigEndian").Dot("PutUint32").Call(jen.Id("b").Index(jen.Op(":")), v.Clone()),
			jen.Return(jen.Qual("net/netip", "AddrFrom4").Call(jen.Id("b"))))
		fn(h.get).Params().Add(addr.Clone()).Block(get...)
		f.Comment(fmt.Sprintf("%s stores IPv4 address a (or an IPv4-mapped IPv6 one) in %s%s", h.set, path, absent))
		set := []jen.Code{}
		if !fixed {
			set = append(set, jen.If(jen.Op("!").Id("a").Dot("IsValid").Call()).Block(
				field.Clone().Op("=").Qual(g.nlattr, "Optional").Types(jen.Uint32()).Values(), jen.Return(jen.Nil())))
		}
		set = append(set,
			jen.If(jen.Id("a").Op("=").Id("a").Dot("Unmap").Call(), jen.Op("!").Id("a").Dot("Is4").Call()).Block(bad("an IPv4 address")),
			jen.Id("b").Op(":=").Id("a").Dot("As4").Call())
		if fixed {
			set = append(set, field.Clone().Op("=").Qual(binaryPkg, "BigEndian").Dot("Uint32").Call(jen.Id("b").Index(jen.Op(":"))))
		} else {
			set = append(set, field.Clone().Dot("Set").Call(jen.Qual(binaryPkg, "BigEndian").Dot("Uint32").Call(jen.Id("b").Index(jen.Op(":")))))
		}
		set = append(set, jen.Return(jen.Nil()))
		fn(h.set).Params(jen.Id("a").Add(addr.Clone())).Error().Block(set...)
	case hintIPv4, hintIPv6, hintIP:
		what := map[hintKind]string{hintIPv4: "an IPv4 address", hintIPv6: "an IPv6 address", hintIP: "an unzoned address"}[h.kind]
		f.Comment(fmt.Sprintf("%s returns the address %s holds%s", h.get, path, absent))
		if fixed {
			from := map[hintKind]string{hintIPv4: "AddrFrom4", hintIPv6: "AddrFrom16"}[h.kind]
			fn(h.get).Params().Add(addr.Clone()).Block(jen.Return(jen.Qual("net/netip", from).Call(field.Clone())))
		} else {
			fn(h.get).Params().Add(addr.Clone()).Block(
				jen.List(jen.Id("a"), jen.Id("_")).Op(":=").Qual("net/netip", "AddrFromSlice").Call(field.Clone()),
				jen.Return(jen.Id("a")))
		}
		f.Comment(fmt.Sprintf("%s stores %s in %s%s", h.set, what, path, absent))
		var ok *jen.Statement
		switch h.kind {
		case hintIPv4:
			ok = jen.Id("a").Dot("Is4").Call()
		case hintIPv6:
			ok = jen.Id("a").Dot("Is6").Call().Op("&&").Id("a").Dot("Zone").Call().Op("==").Lit("")
		default:
			ok = jen.Id("a").Dot("Zone").Call().Op("==").Lit("")
		}
		set := []jen.Code{}
		if !fixed {
			set = append(set, jen.If(jen.Op("!").Id("a").Dot("IsValid").Call()).Block(field.Clone().Op("=").Nil(), jen.Return(jen.Nil())))
		}
		set = append(set, jen.If(jen.Op("!").Parens(ok)).Block(bad(what)))
		switch {
		case fixed && h.kind == hintIPv4:
			set = append(set, field.Clone().Op("=").Id("a").Dot("As4").Call())
		case fixed:
			set = append(set, field.Clone().Op("=").Id("a").Dot("As16").Call())
		default:
			set = append(set, field.Clone().Op("=").Id("a").Dot("AsSlice").Call())
		}
		set = append(set, jen.Return(jen.Nil()))
		fn(h.set).Params(jen.Id("a").Add(addr.Clone())).Error().Block(set...)
	case hintMAC:
		if fixed {
			f.Comment(fmt.Sprintf("%s returns a copy of the hardware address %s holds.", h.get, path))
			fn(h.get).Params().Add(mac.Clone()).Block(
				jen.Return(jen.Append(mac.Clone().Call(jen.Nil()), field.Clone().Index(jen.Op(":")).Op("..."))))
			f.Comment(fmt.Sprintf("%s stores the 6-byte hardware address a in %s.", h.set, path))
			fn(h.set).Params(jen.Id("a").Add(mac.Clone())).Error().Block(
				jen.If(jen.Len(jen.Id("a")).Op("!=").Len(field.Clone())).Block(bad("a 6-byte hardware address")),
				jen.Copy(field.Clone().Index(jen.Op(":")), jen.Id("a")),
				jen.Return(jen.Nil()))
			return
		}
		f.Comment(fmt.Sprintf("%s returns the hardware address %s holds (sharing its memory)%s", h.get, path, absent))
		fn(h.get).Params().Add(mac.Clone()).Block(jen.Return(mac.Clone().Call(field.Clone())))
		f.Comment(fmt.Sprintf("%s stores hardware address a in %s%s", h.set, path, absent))
		fn(h.set).Params(jen.Id("a").Add(mac.Clone())).Error().Block(
			field.Clone().Op("=").Index().Byte().Call(jen.Id("a")),
			jen.Return(jen.Nil()))
	}
}

// attrByteOrder is the byte-order sentence of attribute a's values.
func attrByteOrder(a *ir.Attr) string {
	return codecOf(a.Kind).byteOrder()
}

// fieldDocs is the doc comment of a field: the spec's doc, its byte
// order, and the helpers that read it as an address.
func fieldDocs(name, doc, order string, h hintHelper) []string {
	var out []string
	if d := docComment(name, doc); d != "" {
		out = append(out, d)
	}
	if order != "" {
		if len(out) == 0 {
			order = name + ": " + order
		}
		out = append(out, order)
	}
	if h.kind != hintNone {
		t := "netip.Addr"
		if h.kind == hintMAC {
			t = "net.HardwareAddr"
		}
		line := fmt.Sprintf("As a %s: %s and %s.", t, h.get, h.set)
		if len(out) == 0 {
			line = name + ": " + line
		}
		out = append(out, line)
	}
	return out
}
