package golang

import (
	"fmt"
	"strings"

	"github.com/nlgen/nlgen/ir"
)

// The naming rules of the generated Go API live here, settled once per
// family before anything is printed (docs/go.md, "Naming"). Printers only
// look names up. The rules follow Go's own advice (a name is read with
// its qualifier, so it does not repeat it: ovsflow.OvsKeyIpv4.Src, not
// .Ipv4Src) and what ynl-gen-c does with name-prefix: the part of a name
// that only repeats its container is dropped. Every stripped name falls
// back to the unstripped one when stripping would collide, so a spec
// never gets uncompilable Go from these rules.

// names holds the Go names of one family that are not the IR's GoName.
type names struct {
	member  map[*ir.Member]string // struct member fields
	attrID  map[*ir.Attr]string   // attribute id constants
	helpers map[*ir.Member]hintHelper
}

func newNames(f *ir.Family) names {
	n := names{member: map[*ir.Member]string{}, attrID: map[*ir.Attr]string{}, helpers: map[*ir.Member]hintHelper{}}
	for _, s := range f.Structs {
		n.nameMembers(s)
	}
	n.nameAttrIDs(f)
	return n
}

// specWords splits a spec name into its words, a space separating them as
// '-' does (ir.GoExported).
func specWords(name string) []string {
	return strings.Split(strings.ReplaceAll(name, " ", "-"), "-")
}

// nameMembers strips from each member of s the leading words that
// repeat the end of the struct's name: ovs-key-ipv4's ipv4-src is Src,
// ovs-key-arp's arp-sip is Sip, ovs-action-push-vlan's vlan-tpid is
// Tpid; a first word of three or more letters that abbreviates the
// struct's last word counts too (ovs-key-ethernet's eth-src is Src). Members that do not repeat it keep their name (ovs-key-ct-tuple-ipv4's
// src-port is SrcPort). When stripping leaves two members, a member and a
// generated method, or a member and a helper with one name, or a name that
// is not an identifier, the whole struct keeps its spec names, so a field
// is never renamed by its neighbours' accident.
func (n names) nameMembers(s *ir.Struct) {
	tail := specWords(s.Name)
	taken := map[string]bool{}
	for _, m := range reservedStructMethods {
		taken[m] = true
	}
	stripped := map[*ir.Member]string{}
	ok := true
	for _, m := range s.Members {
		name := m.GoName
		words := specWords(m.Name)
		for k := len(words) - 1; k > 0; k-- {
			if k <= len(tail) && slicesEqual(words[:k], tail[len(tail)-k:]) ||
				k == 1 && len(words[0]) >= 3 && strings.HasPrefix(tail[len(tail)-1], words[0]) {
				name = ir.GoExported(strings.Join(words[k:], "-"))
				break
			}
		}
		if name == "" || name[0] < 'A' || name[0] > 'Z' || taken[name] {
			ok = false
			break
		}
		taken[name] = true
		stripped[m] = name
	}
	for _, m := range s.Members {
		if ok {
			n.member[m] = stripped[m]
		} else {
			n.member[m] = m.GoName
		}
	}
	// Typed helpers for display hints take what is left, in member order.
	fields := map[string]bool{}
	for _, m := range reservedStructMethods {
		fields[m] = true
	}
	for _, m := range s.Members {
		fields[n.member[m]] = true
	}
	for _, m := range s.Members {
		h := hintOf(m.DisplayHint, memberScalar4(m), m.Size)
		if h.kind == hintNone {
			continue
		}
		n.helpers[m] = h.named(fields, n.member[m])
	}
}

// reservedStructMethods are the methods every fixed struct has.
var reservedStructMethods = []string{"AppendBinary", "UnmarshalBinary", "String"}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// nameAttrIDs names attribute id constants Attr<Set><Attr>, where <Set>
// drops a trailing Attrs (OVS names its sets flow-attrs, action-attrs):
// AttrActionOutput, AttrKeyIpv4. When two root sets would share the
// shortened prefix (sets foo and foo-attrs), or their shortened ids would
// meet, both keep the set's full Go name.
func (n names) nameAttrIDs(f *ir.Family) {
	prefix := map[*ir.AttrSet]string{}
	count := map[string]int{}
	for _, s := range f.AttrSets {
		if s.SubsetOf != nil {
			continue
		}
		p := s.GoName
		if base, ok := strings.CutSuffix(p, "Attrs"); ok && base != "" {
			p = base
		}
		prefix[s] = p
		count[p]++
	}
	for s, p := range prefix {
		if count[p] > 1 {
			prefix[s] = s.GoName
		}
	}
	// Shortening may also make ids of different sets meet (flow-attrs'
	// key-x and flow-key's x): those sets keep their full prefix too, so
	// the rule never refuses a spec the full names would accept.
	owner := map[string]*ir.AttrSet{}
	for _, s := range f.AttrSets {
		for _, a := range s.Attrs {
			if s.SubsetOf != nil {
				continue
			}
			name := "Attr" + prefix[s] + a.GoName
			if o, dup := owner[name]; dup && o != s {
				prefix[s], prefix[o] = s.GoName, o.GoName
			}
			owner[name] = s
		}
	}
	for _, s := range f.AttrSets {
		for _, a := range s.Attrs {
			n.attrID[a] = "Attr" + prefix[a.Set.Root()] + a.GoName
		}
	}
}

// opTypes are the names a client method's request and reply go by.
type opTypes struct {
	request, reply map[*ir.OpMode]string
	aliases        []opAlias // names that are not the type's own
}

// opAlias is a name of an operation's message type declared as an alias.
type opAlias struct {
	name, target, what string
}

// nameOpTypes gives every do and dump one request and one reply name by
// a single rule, whatever the type behind it: operation get's do takes a
// *GetRequest and returns a *GetReply, its dump takes the same
// *GetRequest and yields *GetReply values, unless the dump's message
// lists other attributes than the do's, when the dump's are
// DumpGetRequest/DumpGetReply. A name that is not its type's own (the
// type is the whole set, Vport, or a reply shared by several operations,
// DatapathReply) is declared as an alias, so values move freely between
// operations. When the name is taken by another definition (a set called
// get-request), the fallback is <Op><Set><Request|Reply>; when that is
// taken too, the method uses the type's own name.
func (g *familyGen) nameOpTypes(claim func(name, what string) error) {
	g.opTypes = opTypes{request: map[*ir.OpMode]string{}, reply: map[*ir.OpMode]string{}}
	own := map[string]string{} // alias name -> target, for do/dump sharing
	for _, op := range g.fam.Ops {
		full := g.setByName[op.AttrSet]
		if op.AttrSet == nil || op.ReqValue < 0 || full == nil || !full.topLevel {
			continue
		}
		for _, d := range []struct {
			suffix string
			typ    func(*ir.OpMode, *setInfo) *setInfo
			out    map[*ir.OpMode]string
		}{{"Request", g.requestType, g.opTypes.request}, {"Reply", g.replyType, g.opTypes.reply}} {
			for _, m := range []struct {
				mode   *ir.OpMode
				prefix string
			}{{op.Do, ""}, {op.Dump, "Dump"}} {
				// A request is always sent (empty when the spec lists none);
				// a do's reply exists only when the spec lists one.
				hasReply := func(mode *ir.OpMode) bool { return d.suffix == "Request" || mode.Reply != nil }
				if m.mode == nil || (m.mode == op.Do && !hasReply(m.mode)) {
					continue
				}
				target := d.typ(m.mode, full).typeName
				prefix := m.prefix
				if prefix != "" && (op.Do == nil || !hasReply(op.Do) || d.typ(op.Do, full).typeName == target) {
					prefix = ""
				}
				name := prefix + op.GoName + d.suffix
				if name == target || own[name] == target {
					d.out[m.mode] = name
					continue
				}
				what := fmt.Sprintf("the %s of operation %s", strings.ToLower(d.suffix), op.Name)
				chosen := target
				for _, n := range []string{name, prefix + op.GoName + full.typeName + d.suffix} {
					if claim(n, what) == nil {
						chosen = n
						own[n] = target
						g.opTypes.aliases = append(g.opTypes.aliases, opAlias{name: n, target: target, what: what})
						break
					}
				}
				d.out[m.mode] = chosen
			}
		}
	}
}

// named gives h its method names for field f, <f>Addr and Set<f>Addr (MAC
// for mac); when either is taken (a field called <f>-addr), the pair
// becomes <f>AsAddr and Set<f>AsAddr, then numbered.
func (h hintHelper) named(taken map[string]bool, f string) hintHelper {
	for _, mid := range []string{"", "As"} {
		get, set := f+mid+h.suffix(), "Set"+f+mid+h.suffix()
		if !taken[get] && !taken[set] {
			taken[get], taken[set] = true, true
			h.get, h.set = get, set
			return h
		}
	}
	for i := 2; ; i++ {
		get, set := fmt.Sprintf("%sAs%s%d", f, h.suffix(), i), fmt.Sprintf("Set%sAs%s%d", f, h.suffix(), i)
		if !taken[get] && !taken[set] {
			taken[get], taken[set] = true, true
			h.get, h.set = get, set
			return h
		}
	}
}
