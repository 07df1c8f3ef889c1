package ir

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/nlgen/nlgen/schema"
)

// Windows is the resolved Windows interface: device, ioctls, static family
// ids and the driver's command and policy tables.
type Windows struct {
	SourcePath       string
	Doc              string
	HeaderGuard      string
	Device           *Device
	DeviceType       int
	DeviceTypeName   string
	FunctionStart    int
	FunctionStartNam string
	Ioctls           []*Ioctl
	FamilyIDBase     int
	FamilyIDBaseName string
	Constants        []*Const
	Families         []*WinFamily
	Hash             string
}

// Device holds the pseudo-device names and their C macro names.
type Device struct {
	NTName, DOSName, UserName    string
	NTCName, DOSCName, UserCName string
}

// Ioctl is one ioctl code with CTL_CODE's inputs and result.
type Ioctl struct {
	Name       string
	CName      string
	Doc        string
	Function   int // absolute function number
	Offset     int // from FunctionStart
	Method     int
	MethodType string // the overlay's method: buffered, in-direct, out-direct, neither (METHOD_* in C)
	Access     int
	// AccessRights are the overlay's access as CTL_CODE's rights: any,
	// or read and/or write (FILE_*_ACCESS in C, or'ed).
	AccessRights []string
	Code         uint32
}

// CtlCode is Windows' CTL_CODE macro.
func CtlCode(deviceType, function, method, access int) uint32 {
	return uint32(deviceType)<<16 | uint32(access)<<14 | uint32(function)<<2 | uint32(method)
}

var (
	// CTL_CODE's TransferType and RequiredAccess values (winioctl.h).
	ioctlMethods = map[string]int{"buffered": 0, "in-direct": 1, "out-direct": 2, "neither": 3}
	ioctlAccess  = map[string]struct {
		v      int
		rights []string
	}{"any": {0, []string{"any"}}, "read": {1, []string{"read"}}, "write": {2, []string{"write"}}, "read-write": {3, []string{"read", "write"}}}
	// DevOpBits are the driver's OVS_*_DEV_OP bits.
	DevOpBits = map[string]int{"read": 1, "write": 2, "transaction": 4}
)

// WinFamily is the Windows side of one family.
type WinFamily struct {
	Family         *Family
	ID             int // absolute static family id
	IDOffset       int
	IDCName        string
	WindowsOnly    bool
	MaxAttr        string
	FamilySymbol   string
	CommandsSymbol string
	Groups         []*WinGroup
	Commands       []*WinCommand
	Policies       []*Policy
	// Raw is how the driver carries a netlink-raw family (the overlay's
	// netlink-raw); nil for genetlink families and for a netlink-raw
	// family the overlay does not describe.
	Raw *WinRaw
}

// WinRaw is how the driver carries a classic netlink family. Its tables
// know the family as a placeholder generic-netlink-style family (name,
// version, group name macros that never reach the wire), each NETLINK_CMD
// row's cmd is the message type's low CommandBits bits (nfnetlink's
// NFNL_MSG_TYPE), and every message carries Ext after the spec's fixed
// header (OVS_MESSAGE puts struct ovs_header after struct nfgenmsg).
type WinRaw struct {
	Name, NameCName       string // placeholder NETLINK_FAMILY name and its macro
	Version               int
	VersionCName          string
	McastGroup, McastName string // placeholder group name and its macro; "" for none
	Header                string // the driver's header holding the family's C
	CommandBits           int
	// Ext is the member the driver appends to the fixed header, nil for
	// none; fixed are the Windows layouts of the operations' fixed headers.
	Ext   *Member
	fixed map[*Struct]*Struct
}

// Command is the driver's NETLINK_CMD.cmd for a message type: its low
// CommandBits bits (IPCTNL_MSG_CT_GET for 0x101).
func (r *WinRaw) Command(msgType int) int { return msgType & (1<<r.CommandBits - 1) }

// FixedHeader is the Windows layout of one of the family's fixed headers:
// the spec's members, then Ext. It is s itself when the driver adds
// nothing or s is no operation's fixed header.
func (r *WinRaw) FixedHeader(s *Struct) *Struct {
	if w, ok := r.fixed[s]; ok {
		return w
	}
	return s
}

// WinGroup is a multicast group with a static id.
type WinGroup struct {
	Name string
	ID   int
}

// WinCommand is one NETLINK_CMD row.
type WinCommand struct {
	Op              *Op
	Handler         string
	DevOps          []string // read, write, transaction in that order
	DevOpMask       int
	ValidateDpIndex bool
}

// Policy is one NL_POLICY array.
type Policy struct {
	Name     string
	Set      *AttrSet
	Family   *Family
	Doc      string
	Function string // C function holding a function-local table, if any
	Scope    string // static, extern or local
	Size     string // explicit size expression, "" for ARRAY_SIZE of the initializer
	Entries  []*PolicyEntry
	// Last is the entry attribute with the highest id: the array has
	// Last.ID + 1 elements (spelled LAST + 1 in C).
	Last *Attr
	// Ops are the operations whose do requests the table parses: those
	// listed under operations:, else those whose handler is Function.
	Ops []*Op
}

// Mandatory are the attributes the driver's NlAttrParse requires with this
// table: entries that are not optional and have a type.
func (p *Policy) Mandatory() []*Attr {
	var out []*Attr
	for _, e := range p.Entries {
		if !e.Optional && !e.OmitType && e.Type != PolicyNoAttr {
			out = append(out, e.Attr)
		}
	}
	return out
}

// PolicyEntry is one NL_POLICY initializer, as meaning: gen/cpolicy
// spells it in the driver's C.
type PolicyEntry struct {
	Attr     *Attr
	Type     PolicyType // "" with OmitType
	MinLen   *PolicyLen // nil when omitted (the type's default)
	MaxLen   *PolicyLen
	Optional bool
	OmitType bool
	// Derived is the entry nlgen would have written without the override;
	// nil when there is no override.
	Derived *PolicyEntry
	Reason  string
}

func resolveWindows(m *Model, w *schema.Windows, display string, diags, warns *schema.Diagnostics) *Windows {
	sum := sha256.Sum256(w.Source)
	out := &Windows{SourcePath: display, Hash: hex.EncodeToString(sum[:]), Doc: w.Doc, HeaderGuard: w.HeaderGuard, FamilyIDBase: 0x10,
		FamilyIDBaseName: CUpper(orDefault(w.FamilyIDBaseName, "nlmsg-min-type"))}
	if w.FamilyIDBase != nil {
		out.FamilyIDBase = int(*w.FamilyIDBase)
	}
	if d := w.Device; d != nil {
		pfx := orDefault(d.NamePrefix, "ovs-device-name-")
		out.Device = &Device{NTName: d.NTName, DOSName: d.DOSName, UserName: d.UserName,
			NTCName: CUpper(pfx + "nt"), DOSCName: CUpper(pfx + "dos"), UserCName: CUpper(pfx + "user")}
	}
	// The overlay's own macros share the Windows header; two with one
	// name would be a redefinition the C compiler rejects.
	macros := map[string]schema.Pos{}
	if io := w.Ioctls; io != nil {
		out.DeviceType, out.FunctionStart = int(io.DeviceType), int(io.FunctionStart)
		out.DeviceTypeName = CUpper(orDefault(io.DeviceTypeName, "ovs-ioctl-device-type"))
		out.FunctionStartNam = CUpper(orDefault(io.FunctionStartName, "ovs-ioctl-start"))
		if io.DeviceType < 0 || io.DeviceType > 0xffff {
			diags.Add(io.At("device-type"), "range", "device-type %d does not fit 16 bits", io.DeviceType)
		}
		codes := map[uint32]string{}
		for _, ic := range io.List {
			claimWinName(macros, CUpper(orDefault(io.NamePrefix, "ovs-ioctl-")+ic.Name), ic.At("name"), diags)
			fn := int(io.FunctionStart + ic.Function)
			if fn < 0 || fn > 0xfff {
				diags.Add(ic.At("function"), "range", "ioctl %q: function %#x does not fit CTL_CODE's 12 bits", ic.Name, fn)
				continue
			}
			me, ac := ioctlMethods[ic.Method], ioctlAccess[ic.Access]
			x := &Ioctl{Name: ic.Name, CName: CUpper(orDefault(io.NamePrefix, "ovs-ioctl-") + ic.Name), Doc: ic.Doc,
				Function: fn, Offset: int(ic.Function), Method: me, MethodType: ic.Method, Access: ac.v, AccessRights: ac.rights}
			x.Code = CtlCode(out.DeviceType, fn, me, ac.v)
			if prev, dup := codes[x.Code]; dup {
				diags.Add(ic.Pos, "duplicate", "ioctl %q has the same code %#x as %q", ic.Name, x.Code, prev)
			}
			codes[x.Code] = ic.Name
			out.Ioctls = append(out.Ioctls, x)
		}
	}
	for _, c := range w.Constants {
		k := &Const{Name: c.Name, Doc: c.Doc, CName: CUpper(c.Name), GoName: GoExported(c.Name), Pos: c.Pos}
		claimWinName(macros, k.CName, c.At("name"), diags)
		switch {
		case c.IsStr:
			k.IsStr, k.Str = true, c.Str
		case c.Value != nil:
			k.Int = c.Value.Int
		}
		out.Constants = append(out.Constants, k)
	}
	macroVals := map[string]int64{}
	for _, mv := range w.MacroValues {
		if !ValidCIdent(mv.Name) {
			diags.Add(mv.Pos, "name", "macro-values: %q is not a valid C identifier", mv.Name)
		}
		macroVals[mv.Name] = mv.Value
	}
	ids := map[int]string{}
	for _, wf := range w.Families {
		f := m.Family(wf.Name)
		if f == nil {
			diags.Add(wf.Pos, "reference", "families: no loaded spec defines family %q", wf.Name)
			continue
		}
		x := resolveWinFamily(m, f, wf, out, macroVals, diags, warns)
		if x.ID != 0 {
			if prev, dup := ids[x.ID]; dup {
				diags.Add(wf.At("id"), "duplicate", "family %q has the same static id %d as %q", wf.Name, x.ID, prev)
			}
			ids[x.ID] = wf.Name
		}
		f.Win = x
		out.Families = append(out.Families, x)
	}
	return out
}

func resolveWinFamily(m *Model, f *Family, wf *schema.WinFamily, w *Windows, macroVals map[string]int64, diags, warns *schema.Diagnostics) *WinFamily {
	x := &WinFamily{Family: f, WindowsOnly: wf.WindowsOnly, MaxAttr: wf.MaxAttr,
		FamilySymbol: wf.FamilySymbol, CommandsSymbol: wf.CommandsSymbol,
		IDCName: CUpper(orDefault(wf.IDName, "ovs-win-nl-"+f.Ident+"-family-id"))}
	if wf.ID != nil {
		x.IDOffset = int(*wf.ID)
		x.ID = w.FamilyIDBase + x.IDOffset
		if x.ID > 0xffff {
			diags.Add(wf.At("id"), "range", "family %q: static id %d does not fit nlmsg_type", f.Name, x.ID)
		}
	}
	if x.MaxAttr == "" {
		for _, op := range f.Ops {
			if op.AttrSet != nil {
				x.MaxAttr = op.AttrSet.Root().MaxName
				break
			}
		}
	}
	for _, g := range wf.McastGroups {
		x.Groups = append(x.Groups, &WinGroup{Name: g.Name, ID: int(g.ID)})
		for _, mg := range f.McastGroups {
			if mg.Name == g.Name {
				mg.WinID = int(g.ID)
			}
		}
	}
	for _, wo := range wf.Operations {
		var op *Op
		for _, o := range f.Ops {
			if o.Name == wo.Name {
				op = o
			}
		}
		if op == nil {
			diags.Add(wo.Pos, "reference", "family %q has no operation %q", f.Name, wo.Name)
			continue
		}
		c := &WinCommand{Op: op, Handler: wo.Handler, ValidateDpIndex: wo.ValidateDpIndex}
		for _, name := range []string{"read", "write", "transaction"} {
			for _, d := range wo.DevOps {
				if d == name {
					c.DevOps = append(c.DevOps, d)
					c.DevOpMask |= DevOpBits[d]
				}
			}
		}
		if !ValidCIdent(c.Handler) {
			diags.Add(wo.At("handler"), "name", "handler %q is not a valid C identifier", c.Handler)
		}
		x.Commands = append(x.Commands, c)
	}
	for _, wp := range wf.Policies {
		if p := resolvePolicy(f, wp, macroVals, diags, warns); p != nil {
			policyOps(p, wp, x, diags, warns)
			x.Policies = append(x.Policies, p)
		}
	}
	switch {
	case wf.Raw != nil && f.Protocol != "netlink-raw":
		diags.Add(wf.Raw.Pos, "protocol", "family %q: netlink-raw describes how the driver carries a netlink-raw family; %q is %s", f.Name, f.Name, f.Protocol)
	case wf.Raw != nil:
		x.Raw = resolveWinRaw(m, f, wf, x, diags)
	}
	windowsLimits(x)
	windowsMandatory(x)
	return x
}

// resolveWinRaw resolves how the driver carries a netlink-raw family and
// checks that its tables can: one command per message type, one family
// per message type's upper bits, and a home in the Windows header.
func resolveWinRaw(m *Model, f *Family, wf *schema.WinFamily, x *WinFamily, diags *schema.Diagnostics) *WinRaw {
	wr := wf.Raw
	r := &WinRaw{Name: wr.Family, NameCName: CUpper(wr.Family + "-family"), Version: 1,
		VersionCName: CUpper(wr.Family + "-version"), Header: orDefault(wr.Header, f.UAPIHeader),
		fixed: map[*Struct]*Struct{}}
	if wr.Version != nil {
		r.Version = int(*wr.Version)
		if r.Version < 0 || r.Version > 255 {
			diags.Add(wr.At("version"), "range", "netlink-raw version %d does not fit NETLINK_FAMILY.version (0..255)", r.Version)
		}
	}
	if wr.McastGroup != "" {
		r.McastGroup, r.McastName = wr.McastGroup, CUpper(wr.Family+"-mcgroup")
	}
	if !wf.WindowsOnly {
		diags.Add(wr.Pos, "value", "family %q: a netlink-raw family has no uapi header of nlgen's to share, so the driver's copy is Windows-only: set windows-only: true", f.Name)
	}
	if wr.CommandBits == nil {
		return r // missing-key, reported by the overlay's reader
	}
	r.CommandBits = int(*wr.CommandBits)
	if r.CommandBits < 1 || r.CommandBits > 15 {
		diags.Add(wr.At("command-bits"), "range", "command-bits %d is outside 1..15: the message type is 16 bits and its upper bits pick the family", r.CommandBits)
		return r
	}
	// The dispatcher picks the family by the message type's upper bits
	// and the row by the rest, so every message type of the family shares
	// the upper bits (commands are then as distinct as the types, which
	// resolution has checked).
	var sub *int
	for _, op := range f.Ops {
		for _, v := range opMsgTypes(op) {
			if hi := v >> r.CommandBits; sub == nil {
				sub = &hi
			} else if hi != *sub {
				diags.Add(op.Pos, "value", "operation %q: message type %#x is outside the family's %#x << %d: the driver picks the family by those bits",
					op.Name, v, *sub, r.CommandBits)
				break
			}
		}
	}
	if e := wr.HeaderExtension; e != nil {
		r.Ext = headerExtension(m, f, e, diags)
	}
	if r.Ext == nil {
		return r
	}
	for _, op := range f.Ops {
		s := op.FixedHeader
		if s == nil || r.fixed[s] != nil {
			continue
		}
		w := *s
		w.Members = append(slices.Clone(s.Members), r.Ext.at(s.Size))
		w.Size = s.Size + r.Ext.Size
		w.NaturalSize = alignUp(alignUp(s.NaturalSize, structAlign(r.Ext.Struct))+r.Ext.Size, max(structAlign(s), structAlign(r.Ext.Struct)))
		r.fixed[s] = &w
	}
	return r
}

// opMsgTypes are the message types an operation uses, in either
// direction.
func opMsgTypes(op *Op) []int {
	out := []int{op.Value, op.ReqValue, op.RspValue}
	for _, m := range []*OpMode{op.Do, op.Dump} {
		if m == nil {
			continue
		}
		for _, msg := range []*Msg{m.Request, m.Reply} {
			if msg != nil {
				out = append(out, msg.Value)
			}
		}
	}
	if op.Event != nil {
		out = append(out, op.Event.Value)
	}
	return slices.DeleteFunc(out, func(v int) bool { return v < 0 })
}

// at is a copy of the member placed at offset off.
func (m *Member) at(off int) *Member {
	c := *m
	c.Offset = off
	return &c
}

// headerExtension resolves the member the driver appends to the fixed
// header: a struct of this family or of the one the overlay names.
func headerExtension(m *Model, f *Family, e *schema.WinHeaderExt, diags *schema.Diagnostics) *Member {
	from := f
	if e.Family != "" {
		if from = m.Family(e.Family); from == nil {
			diags.Add(e.At("family"), "reference", "header-extension: no loaded spec defines family %q", e.Family)
			return nil
		}
	}
	var st *Struct
	for _, d := range from.Defs {
		if s, ok := d.(*Struct); ok && s.Name == e.Struct {
			st = s
		}
	}
	if st == nil {
		diags.Add(e.At("struct"), "reference", "header-extension: family %q defines no struct %q", from.Name, e.Struct)
		return nil
	}
	return &Member{Name: e.Name, Doc: e.Doc, CName: CIdent(e.Name), GoName: GoExported(e.Name), Type: "binary",
		Size: st.NaturalSize, Struct: st}
}

// policyOps finds the operations whose do requests p parses.
func policyOps(p *Policy, wp *schema.WinPolicy, x *WinFamily, diags, warns *schema.Diagnostics) {
	f := x.Family
	for i, name := range wp.Operations {
		var op *Op
		for _, o := range f.Ops {
			if o.Name == name {
				op = o
			}
		}
		if op == nil {
			diags.Add(wp.OperationsPos[i], "reference", "policy %q: family %q has no operation %q", wp.Name, f.Name, name)
			continue
		}
		p.Ops = append(p.Ops, op)
	}
	if len(wp.Operations) == 0 && p.Function != "" {
		for _, c := range x.Commands {
			if c.Handler == p.Function && c.Op.AttrSet != nil && c.Op.AttrSet.Root() == p.Set.Root() {
				p.Ops = append(p.Ops, c.Op)
			}
		}
	}
	mandatory := p.Mandatory()
	if len(mandatory) == 0 {
		return
	}
	for _, op := range p.Ops {
		if op.Do == nil || op.Do.Request == nil {
			diags.Add(wp.At("operations"), "reference", "policy %q: operation %q has no do request to parse", wp.Name, op.Name)
			continue
		}
		for _, a := range mandatory {
			if !slices.Contains(op.Do.Request.Attrs, a) {
				diags.Add(wp.At("required"), "reference", "policy %q requires %q, which the %s request does not list", wp.Name, a.Name, op.Name)
			}
		}
	}
	// A warning, not an error, so overlays written before operations:
	// existed still load (nlgen breaking reads old revisions too).
	if len(p.Ops) == 0 && isMessageSet(f, p.Set) {
		warns.Add(wp.At("name"), "reference", "policy %q requires attributes of the message set %q but names no operation, so strict decoding cannot require them: list the operations under operations, or set function to their handler", wp.Name, p.Set.Name)
	}
}

func isMessageSet(f *Family, s *AttrSet) bool {
	for _, op := range f.Ops {
		if op.AttrSet != nil && op.AttrSet.Root() == s.Root() {
			return true
		}
	}
	return false
}

// windowsMandatory records what the driver's tables require: on each do
// request the tables of its operation parse, and on each nested set
// (required wherever the set is parsed, so only what all its tables
// require).
func windowsMandatory(x *WinFamily) {
	nested := map[*AttrSet][]*Attr{}
	for _, p := range x.Policies {
		m := p.Mandatory()
		for _, op := range p.Ops {
			if op.Do == nil || op.Do.Request == nil {
				continue
			}
			for _, a := range m {
				if !slices.Contains(op.Do.Mandatory, a) && slices.Contains(op.Do.Request.Attrs, a) {
					op.Do.Mandatory = append(op.Do.Mandatory, a)
				}
			}
		}
		if isMessageSet(x.Family, p.Set) {
			continue
		}
		prev, seen := nested[p.Set]
		if !seen {
			nested[p.Set] = m
			continue
		}
		nested[p.Set] = slices.DeleteFunc(slices.Clone(prev), func(a *Attr) bool { return !slices.Contains(m, a) })
	}
	for s, m := range nested {
		s.Mandatory = m
	}
}

// windowsLimits records, on each string attribute, the longest value the
// Windows driver's policies accept when that differs from the spec's
// max-len (the Linux kernel's): the largest maxLen of the tables that
// parse it, in the spec's terms, which leave out the NUL the driver's
// length counts (Kind.CountsNUL).
func windowsLimits(x *WinFamily) {
	longest := map[*Attr]*PolicyEntry{}
	for _, p := range x.Policies {
		for _, e := range p.Entries {
			if _, ok := e.Attr.Kind.(String); !ok || e.Type != PolicyString || e.MaxLen == nil {
				continue
			}
			// A macro without a value bounds the string by an unknown
			// number: no table's limit can then be relied on.
			if prev := longest[e.Attr]; prev == nil || prev.MaxLen.Value >= 0 && (e.MaxLen.Value < 0 || e.MaxLen.Value > prev.MaxLen.Value) {
				longest[e.Attr] = e
			}
		}
	}
	for a, e := range longest {
		l := e.MaxLen.specLimit(a.Kind)
		if a.Checks.MaxLen != nil && a.Checks.MaxLen.Value == l.Value || a.Checks.MaxLen == nil && l.Value < 0 {
			continue
		}
		a.WinMaxLen = l
	}
}

func resolvePolicy(f *Family, wp *schema.WinPolicy, macroVals map[string]int64, diags, warns *schema.Diagnostics) *Policy {
	var set *AttrSet
	for _, s := range f.AttrSets {
		if s.Name == wp.AttributeSet {
			set = s
		}
	}
	if set == nil {
		diags.Add(wp.At("attribute-set"), "reference", "policy %q: family %q has no attribute set %q", wp.Name, f.Name, wp.AttributeSet)
		return nil
	}
	if !ValidCIdent(wp.Name) {
		diags.Add(wp.At("name"), "name", "policy name %q is not a valid C identifier", wp.Name)
	}
	p := &Policy{Name: wp.Name, Doc: wp.Doc, Function: wp.Function, Set: set, Family: f, Scope: orDefault(wp.Scope, "static"), Size: wp.Size}
	attrs := set.Attrs
	if len(wp.Attributes) > 0 {
		attrs = nil
		for i, name := range wp.Attributes {
			a := set.Attr(name)
			if a == nil {
				diags.Add(wp.AttrPos[i], "reference", "policy %q: set %q has no attribute %q", wp.Name, set.Name, name)
				continue
			}
			attrs = append(attrs, a)
		}
	}
	required := map[string]bool{}
	for i, name := range wp.Required {
		if set.Attr(name) == nil {
			diags.Add(wp.RequiredPos[i], "reference", "policy %q: set %q has no attribute %q", wp.Name, set.Name, name)
		}
		required[name] = true
	}
	overrides := map[string]*schema.WinOverride{}
	for _, o := range wp.Overrides {
		if set.Attr(o.Attribute) == nil {
			diags.Add(o.Pos, "reference", "policy %q: set %q has no attribute %q to override", wp.Name, set.Name, o.Attribute)
			continue
		}
		overrides[o.Attribute] = o
	}
	for _, a := range attrs {
		if !OnWire(a.Kind) || a.Kind == nil {
			continue
		}
		e := DerivePolicyEntry(a)
		e.Optional = !required[a.Name]
		if o := overrides[a.Name]; o != nil {
			if o.Omit {
				continue
			}
			derived := *e
			e.Derived, e.Reason = &derived, o.Reason
			if o.Type != "" {
				// Derived lengths belong to the derived type; a new type
				// starts from its own defaults unless lengths are given.
				e.Type = PolicyType(o.Type)
				e.MinLen, e.MaxLen = nil, nil
			}
			if o.MinLen != nil {
				e.MinLen = overlayLen(o.MinLen, macroVals)
			}
			if o.MaxLen != nil {
				e.MaxLen = overlayLen(o.MaxLen, macroVals)
				// Generated Go applies a string's Windows limit, so it needs
				// the number the macro stands for on Windows; without it Go
				// cannot bound the string there (a warning, so overlays
				// written before macro-values existed still load).
				if _, isString := a.Kind.(String); isString && e.MaxLen.Value < 0 && e.Type == PolicyString {
					warns.Add(o.At("max-len"), "reference", "policy %q: max-len %s of string attribute %q has no known value, so generated Go accepts it at any length on Windows; give it under macro-values (e.g. %s: 256)", wp.Name, o.MaxLen.Name, a.Name, o.MaxLen.Name)
				}
			}
			if o.Optional != nil {
				e.Optional = *o.Optional
			}
			if o.OmitType {
				e.Type, e.OmitType = "", true
			}
		}
		p.Entries = append(p.Entries, e)
		if p.Last == nil || a.ID > p.Last.ID {
			p.Last = a
		}
	}
	if p.Last == nil {
		// C has no empty initializer list, and nothing would size the array.
		diags.Add(wp.At("name"), "reference", "policy %q has no entries: set %q has no attribute on the wire left after attributes and omit", wp.Name, set.Name)
		return nil
	}
	return p
}

// PolicyType is the driver's NL_ATTR_TYPE in the overlay's spelling
// (schema.NLPolicyTypes): "u32", "be16", "string", "nested", "no-attr", ...
type PolicyType string

const (
	PolicyNoAttr PolicyType = "no-attr"
	PolicyVarLen PolicyType = "var-len"
	PolicyUnspec PolicyType = "unspec"
	PolicyFlag   PolicyType = "flag"
	PolicyString PolicyType = "string"
	PolicyNested PolicyType = "nested"
)

// PolicyLen is a length bound of a policy entry, as meaning: a number, a
// spec check plus the bytes the driver counts on top of it (a string's
// NUL), an overlay macro, or the size of a struct. gen/cpolicy spells it
// in C.
type PolicyLen struct {
	Value  int64   // the bound in bytes; -1 when Macro has no known value
	Check  *Limit  // the spec check it derives from, when that names a const
	Add    int64   // bytes added to Check: a string's NUL
	Macro  string  // the overlay macro the bound is written as
	Struct *Struct // set: the bound is the struct's size
}

// specLimit is the policy length in the spec's terms for an attribute of
// kind k: without the NUL the driver counts, still in terms of the
// constant or macro it is written with. Value stays -1 for a macro
// without a value.
func (l *PolicyLen) specLimit(k Kind) *Limit {
	nul := nulLen(k)
	out := &Limit{Value: l.Value - nul}
	if l.Value < 0 {
		out.Value = -1
	}
	switch {
	case l.Macro != "":
		out.Const, out.Offset = l.Macro, -nul
	case l.Check != nil:
		out.Const, out.Offset = l.Check.Const, l.Check.Offset+l.Add-nul
	}
	return out
}

// overlayLen is a length the overlay gives: a number, or a macro whose
// value is -1 unless macro-values gives it.
func overlayLen(v *schema.Value, macroVals map[string]int64) *PolicyLen {
	if v.IsName() {
		if n, ok := macroVals[v.Name]; ok {
			return &PolicyLen{Value: n, Macro: v.Name}
		}
		return &PolicyLen{Value: -1, Macro: v.Name}
	}
	return &PolicyLen{Value: v.Int}
}

// checkLen is a policy length from a spec check, add bytes more (a
// string's NUL), keeping the check's constant.
func checkLen(l *Limit, add int64) *PolicyLen {
	if l.Const == "" {
		return &PolicyLen{Value: l.Value + add}
	}
	return &PolicyLen{Value: l.Value + add, Check: l, Add: add}
}

// DerivePolicyEntry is the NL_POLICY entry the spec implies for an
// attribute (docs/windows-extension.md lists the rules). Its switch is
// the one place ir maps a kind to the Windows policy's meaning.
func DerivePolicyEntry(a *Attr) *PolicyEntry {
	e := &PolicyEntry{Attr: a}
	both := func(l *PolicyLen) { e.MinLen, e.MaxLen = l, l }
	c := a.Checks
	switch k := a.Kind.(type) {
	case Scalar:
		switch {
		case k.Variable:
			e.Type = PolicyUnspec
			e.MinLen, e.MaxLen = &PolicyLen{Value: 4}, &PolicyLen{Value: 8}
		case k.BigEndian && k.Bits > 8:
			e.Type = PolicyType(fmt.Sprintf("be%d", k.Bits))
		default:
			e.Type = PolicyType(fmt.Sprintf("u%d", k.Bits))
		}
	case Flag:
		e.Type = PolicyFlag
	case String, Binary:
		e.Type = PolicyString
		if b, ok := k.(Binary); ok {
			e.Type = PolicyUnspec
			if b.Struct != nil {
				both(&PolicyLen{Value: int64(b.Struct.NaturalSize), Struct: b.Struct})
				break
			}
		}
		// The driver's length counts a string's NUL; the spec's max-len and
		// min-len do not, but its exact-len does (see PayloadBounds).
		nul := nulLen(k)
		if c.ExactLen != nil {
			both(checkLen(c.ExactLen, 0))
			break
		}
		if c.MaxLen != nil {
			e.MaxLen = checkLen(c.MaxLen, nul)
		}
		if c.MinLen != nil {
			e.MinLen = checkLen(c.MinLen, nul)
		}
	case Bitfield32:
		e.Type = PolicyUnspec
		both(&PolicyLen{Value: 8})
	case Nest, IndexedArray, NestTypeValue:
		e.Type = PolicyNested
	case Unused, Pad:
		e.Type = PolicyUnspec
	case SubMsg:
		// Its format (a fixed header, attributes, or both) depends on a
		// sibling's value, which no single NL_POLICY entry can express.
		e.Type = PolicyUnspec
	default:
		// A kind without a case here would silently get an unchecked
		// policy; TestDerivePolicyEveryKind walks AllKinds to catch it.
		panic(fmt.Sprintf("ir: DerivePolicyEntry has no case for kind %T", a.Kind))
	}
	return e
}

// claimWinName rejects an overlay macro name that is not a C identifier or
// that another ioctl or constant of the overlay already defines.
func claimWinName(macros map[string]schema.Pos, name string, pos schema.Pos, diags *schema.Diagnostics) {
	if !ValidCIdent(name) {
		diags.Add(pos, "name", "%q is not a valid C identifier", name)
		return
	}
	if prev, dup := macros[name]; dup {
		diags.Add(pos, "duplicate", "C name %s is already defined at %s", name, prev)
		return
	}
	macros[name] = pos
}
