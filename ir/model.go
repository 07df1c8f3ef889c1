// Package ir is the resolved model every generator consumes: ids, values,
// sizes, struct layouts, C and Go names and Windows facts are all computed
// here, once. Generators never see YAML and never resolve a reference.
package ir

import "github.com/nlgen/nlgen/schema"

// Model is everything one nlgen run generates from.
type Model struct {
	Families []*Family
	Windows  *Windows // nil without an overlay
	// Warnings are problems that do not stop generation (upstream spec
	// quirks such as a repeated identical attribute); lint prints them.
	Warnings schema.Diagnostics
}

// Family returns the family with the given spec name, or nil.
func (m *Model) Family(name string) *Family {
	for _, f := range m.Families {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Family is one resolved netlink family.
type Family struct {
	Pos      schema.Pos // the spec's name
	Name     string
	Doc      string
	Protocol string
	// ProtocolPos is where the spec sets its protocol (Pos when it
	// does not): targets that do not render a protocol refuse there.
	ProtocolPos schema.Pos
	Version     int
	// Protonum is the netlink protocol a netlink-raw family's socket
	// opens (0 NETLINK_ROUTE, 12 NETLINK_NETFILTER); -1 for the genetlink
	// protocols, whose families are found by name through nlctrl.
	Protonum   int
	SpecPath   string // as given in the config, slash-separated, for "generated from"
	SpecHash   string // sha256 of the spec (and overlay) bytes, hex
	License    string // SPDX identifier from the spec's first line, if any
	UAPIHeader string
	Ident      string // C identifier base: name with '-' -> '_'
	GoPackage  string // Go package name
	GoName     string // exported Go identifier base

	CFamilyName  string // macro holding the family name string
	CVersionName string // macro holding the version
	MaxByDefine  bool
	KernelPolicy string

	Consts  []*Const
	Enums   []*Enum
	Structs []*Struct
	Defs    []Definition // consts, enums and structs in spec order

	AttrSets []*AttrSet
	// SubMessages are netlink-raw's sub-message definitions, in spec
	// order: the payload formats of sub-message attributes (SubMsg kind).
	SubMessages []*SubMessage

	Ops            []*Op
	EnumModel      string // unified or directional
	FixedHeader    *Struct
	CmdEnumName    string // C enum tag, "" for anonymous
	CmdMaxName     string
	CmdCntName     string
	AsyncEnumName  string
	HasAsyncEnum   bool
	McastGroups    []*McastGroup
	KernelHeaders  []string
	KernelSockPriv string

	// Directional families render two command enums, as the kernel's
	// ethtool header does: the user enum (requests: CmdNoneName, the ops'
	// CName, CmdCntName, CmdMaxName) and the kernel enum (replies,
	// notifications and events: KernelCmd*, the ops' RspCName).
	CmdNoneName       string
	KernelCmdNoneName string
	KernelCmdCntName  string
	KernelCmdMaxName  string

	Win *WinFamily // nil when the overlay says nothing about this family

	// CConflicts are C names of the family's uapi header that collide
	// (two *_MAX macros, an attribute named "max" and the set's max, an
	// attribute set's enum-name equal to a struct's tag). They concern C
	// alone: the spec loads and the other targets render, while every C
	// target refuses the family with these diagnostics, each naming the
	// key that resolves it.
	CConflicts schema.Diagnostics

	source []byte
}

// Definition is a const, enum or struct, to keep spec order when rendering.
type Definition interface{ defName() string }

func (c *Const) defName() string  { return c.Name }
func (e *Enum) defName() string   { return e.Name }
func (s *Struct) defName() string { return s.Name }

// Const is a named constant.
type Const struct {
	Name   string
	Doc    string
	CName  string
	GoName string
	IsStr  bool
	Str    string
	Int    int64
	Header string // already defined in that C header; not rendered
	Pos    schema.Pos
}

// Enum is an enum or flags set.
type Enum struct {
	Name      string
	Doc       string
	IsFlags   bool
	CEnumName string // C tag without "enum ", "" for anonymous
	GoName    string
	Entries   []*EnumEntry
	RenderMax bool
	CntName   string // "" unless rendered
	MaxName   string // MAX (enum) or MASK (flags) member, "" unless rendered
	Mask      uint64
	Header    string
	Scope     string
	Pos       schema.Pos
	TagPos    schema.Pos // enum-name when given, else Pos
}

// EnumEntry is one enum value; for flags Value is 1<<Bit.
type EnumEntry struct {
	Name   string
	Doc    string
	CName  string
	GoName string
	Value  uint64
	Bit    int
	Pos    schema.Pos
}

// Entry returns the entry with the given name, or nil.
func (e *Enum) Entry(name string) *EnumEntry {
	for _, x := range e.Entries {
		if x.Name == name {
			return x
		}
	}
	return nil
}

// Struct is a packed legacy struct with its computed layout.
type Struct struct {
	Name        string
	Doc         string
	CName       string // C tag without "struct "
	GoName      string
	Members     []*Member
	Size        int    // packed size on the wire
	NaturalSize int    // sizeof in C with natural alignment
	Header      string // already defined in that C header; not rendered
	Pos         schema.Pos
	TagPos      schema.Pos // enum-name when given, else Pos

	align int
}

// Member is a struct member at a fixed offset.
type Member struct {
	Name        string
	Doc         string
	CName       string
	GoName      string
	Type        string // u8..s64, string, binary
	Offset      int
	Size        int
	BigEndian   bool
	Enum        *Enum
	Struct      *Struct // binary member holding a struct
	DisplayHint string
	// EnumAsFlags: the member holds 1 << entry for each entry of Enum
	// (netlink-raw).
	EnumAsFlags bool
}

// Member returns the member with the given name, or nil.
func (s *Struct) Member(name string) *Member {
	for _, m := range s.Members {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// IsPad reports a netlink-raw pad member: Size bytes that carry nothing.
func (m *Member) IsPad() bool { return m.Type == "pad" }

// AttrSet is an attribute set; subsets share their parent's attributes.
type AttrSet struct {
	Name       string
	Doc        string
	Family     *Family
	SubsetOf   *AttrSet
	Attrs      []*Attr
	CEnumName  string // "" for anonymous
	CntName    string
	MaxName    string
	Header     string
	MaxID      int
	GoName     string
	ZeroBased  bool // has an attribute with id 0
	NestedFrom []*Attr
	// SubMsgFrom are the sub-message formats whose payload carries this
	// set's attributes (netlink-raw), in spec order.
	SubMsgFrom []*SubMessageFormat
	// Mandatory are the attributes the Windows driver requires wherever it
	// parses this (nested) set: the non-optional NL_POLICY entries of the
	// overlay's tables for it.
	Mandatory []*Attr
	// Masked marks the set of a masked nest (x-nlgen-masked, OVS's
	// set-masked action): a subset whose one attribute's payload is its
	// value followed by a mask of the same length.
	Masked bool
	// Message marks a set an operation carries as a whole message (its
	// do, dump, event or multicast notification), after the family's
	// fixed header, rather than only nested in one (ir/opsets.go).
	Message bool
	Pos     schema.Pos
	// where the spec sets the C tag, count and max names (enum-name,
	// attr-cnt-name, attr-max-name), Pos when they are derived
	TagPos, CntPos, MaxPos schema.Pos
}

// Attr returns the attribute with the given name, or nil.
func (s *AttrSet) Attr(name string) *Attr {
	for _, a := range s.Attrs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Root returns the set that owns the attribute ids (the parent of a subset).
func (s *AttrSet) Root() *AttrSet {
	for s.SubsetOf != nil {
		s = s.SubsetOf
	}
	return s
}

// Attr is one attribute with its id, kind and checks resolved.
type Attr struct {
	Name        string
	Doc         string
	ID          uint16
	CName       string
	GoName      string
	Kind        Kind
	MultiAttr   bool
	Enum        *Enum
	EnumAsFlags bool
	DisplayHint string
	Checks      Checks
	// WinMaxLen is the longest string (characters, NUL excluded) the
	// Windows driver's NL_POLICY tables accept when that differs from
	// Checks.MaxLen, which is the Linux kernel's; nil otherwise. Value -1
	// is unbounded (a maxLen macro without a value in macro-values).
	WinMaxLen *Limit
	Set       *AttrSet
	Pos       schema.Pos
}

// Checks are resolved validation limits; nil fields are absent.
type Checks struct {
	Min, Max       *Limit
	MinLen, MaxLen *Limit
	ExactLen       *Limit
	FlagsMask      *Enum
	UnterminatedOK bool
}

// Limit is a number that may have been written as a const or a type limit.
// It holds what the spec means, not how C spells it: the C targets write
// Const and Offset (gen/cpolicy.LimitExpr), everything else reads Value.
type Limit struct {
	Value  int64  // the number; -1 for a WinMaxLen whose macro has no known value
	Const  string // the C name of the const it was written with; "" for a number or a type limit
	Offset int64  // added to Const's value: -1 for the spec's "CONST - 1"
}

// Op is an operation (command).
type Op struct {
	Name         string
	Doc          string
	CName        string
	RspCName     string // C name of the reply/notification: CName, or CName_REPLY for a directional reply
	GoName       string
	Value        int // the id in the rendered command enum
	ReqValue     int // request command id, -1 when the op has no request
	RspValue     int // reply/notification command id, -1 when none
	AttrSet      *AttrSet
	FixedHeader  *Struct
	Do           *OpMode
	Dump         *OpMode
	Notify       *Op
	Event        *Msg
	Mcgrp        *McastGroup
	Flags        []string
	DontValidate []string
	ConfigCond   string
	Async        bool // rendered in the async (notification) enum
	Pos          schema.Pos

	mcgrpName string
	mcgrpPos  schema.Pos
}

// OpMode is the do or dump half of an op.
type OpMode struct {
	Request *Msg
	Reply   *Msg
	Pre     string
	Post    string
	// Mandatory are the request attributes the Windows driver requires
	// (non-optional entries of the overlay's tables for this operation).
	Mandatory []*Attr
}

// Msg is a message direction: the attributes it may carry.
type Msg struct {
	Attrs []*Attr // as the spec lists them
	// Wire are the on-wire attributes of the operation's set that the
	// message lists, in the set's (attribute id) order, which is the
	// order an encoder writes them. Narrowed reports that this is fewer
	// than the set has: the message holds only part of its set
	// (ir/opsets.go).
	Wire     []*Attr
	Narrowed bool
	// Members are the fixed header's members the spec lists among the
	// message's attributes (netlink-raw specs do: rt_link's newlink
	// request lists ifi-index), in spec order.
	Members []*Member
	// Value is the message id of this direction: the request's or the
	// reply's command (genetlink), its nlmsg_type (netlink-raw: rt_link
	// getlink request 18, reply 16): the spec's request/reply value
	// when given, else the op's ReqValue (requests) or RspValue (replies,
	// events); -1 when the op has none for this direction.
	Value int
}

// McastGroup is a multicast group.
type McastGroup struct {
	Name   string
	CName  string
	GoName string
	Flags  []string
	WinID  int // static id on Windows, 0 when none
	// Value is the group number of a netlink-raw family
	// (NETLINK_ADD_MEMBERSHIP; RTNLGRP_LINK is 1); 0 for genetlink,
	// whose group ids are resolved at run time, and for a netlink-raw
	// group whose spec gives none (a warning: it cannot be joined).
	Value int
	Pos   schema.Pos
}

// SubMessage is a netlink-raw sub-message: the formats an attribute of
// type sub-message takes, one per value of its selector attribute
// (rt_link's linkinfo data: "vlan" -> linkinfo-vlan-attrs).
type SubMessage struct {
	Name    string
	GoName  string
	Formats []*SubMessageFormat
	Pos     schema.Pos
}

// Format returns the format for a selector value, or nil.
func (s *SubMessage) Format(value string) *SubMessageFormat {
	for _, f := range s.Formats {
		if f.Value == value {
			return f
		}
	}
	return nil
}

// SubMessageFormat is the payload of a sub-message attribute when its
// selector holds Value: FixedHeader's bytes (when set), then attributes
// of AttrSet (when set). A format may have neither: the payload is then
// empty.
type SubMessageFormat struct {
	Value       string
	FixedHeader *Struct
	AttrSet     *AttrSet
	Msg         *SubMessage
	Pos         schema.Pos
}
