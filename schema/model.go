package schema

// Spec is one YNL family spec as written, with positions. Nothing is
// resolved here: ids, names and references are the IR's job.
type Spec struct {
	Node
	File     string
	Source   []byte // raw bytes, hashed into generated files
	Name     string
	Doc      string
	Protocol string // genetlink (default), genetlink-c, genetlink-legacy, netlink-raw
	Version  *int64

	UAPIHeader   string
	CFamilyName  string
	CVersionName string
	MaxByDefine  bool
	CmdMaxName   string
	CmdCntName   string
	KernelPolicy string
	Protonum     *int64 // netlink-raw: the netlink protocol (socket(AF_NETLINK, _, protonum))

	Definitions   []*Definition
	AttributeSets []*AttrSet
	Operations    *Operations
	McastGroups   []*McastGroup
	KernelFamily  *KernelFamily
	SubMessages   []*SubMessage // netlink-raw

	// SpacedNames are the names written with spaces between their words
	// (nftables' "set id"), which ir warns about.
	SpacedNames []SpacedName
}

// SpacedName is a name whose words are separated by spaces: identifiers
// are derived from it as if they were '-'.
type SpacedName struct {
	Pos  Pos
	What string // "attribute name", "entry name", ...
	Name string
}

// SubMessage is a netlink-raw sub-message: the formats of an attribute of
// type sub-message, one per value of its selector attribute.
type SubMessage struct {
	Node
	Name    string
	Formats []*SubMessageFormat
}

// SubMessageFormat is the payload of a sub-message attribute when its
// selector holds Value: a fixed header, then attributes of a set; either
// may be absent.
type SubMessageFormat struct {
	Node
	Value        string
	FixedHeader  string
	AttributeSet string
}

// Definition is a const, enum, flags or struct of the spec's definitions.
type Definition struct {
	Node
	Name        string
	Type        string // const, enum, flags, struct
	Doc         string
	Header      string
	Scope       string // uapi, kernel, user (newest YNL)
	Value       *Value // const
	ValueStart  *Value // enum/flags
	Entries     []*EnumEntry
	RenderMax   bool
	EnumName    OptString
	NamePrefix  string
	EnumCntName string
	Members     []*Member
}

// EnumEntry is one entry of an enum or flags definition.
type EnumEntry struct {
	Node
	Name  string
	Doc   string
	Value *int64
}

// Member is one member of a legacy struct definition.
type Member struct {
	Node
	Name        string
	Type        string
	Len         *Value
	ByteOrder   string
	Doc         string
	Enum        string
	DisplayHint string
	Struct      string
	EnumAsFlags bool // netlink-raw
}

// AttrSet is an attribute set (attribute space).
type AttrSet struct {
	Node
	Name        string
	NamePrefix  string
	EnumName    OptString
	Doc         string
	SubsetOf    string
	AttrCntName string
	AttrMaxName string
	Header      string
	Attributes  []*Attr
}

// Attr is one attribute of a set.
type Attr struct {
	Node
	Name             string
	Type             string
	Doc              string
	Value            *int64
	TypeValue        []string
	ByteOrder        string
	MultiAttr        bool
	NestedAttributes string
	Enum             string
	EnumAsFlags      bool
	Checks           *Checks
	SubType          string
	DisplayHint      string
	NamePrefix       string
	Struct           string
	// Masked (nlgen's x-nlgen-masked) lists the attributes of the nested
	// set that the nest may carry as value followed by a mask of the same
	// length, as OVS's set-masked action does.
	Masked    []string
	MaskedPos []Pos
	// netlink-raw: the sub-message definition and the attribute whose
	// value selects its format.
	SubMessage string
	Selector   string
}

// Checks are the attribute's validation constraints.
type Checks struct {
	Node
	FlagsMask      string
	Min            *Value
	Max            *Value
	MinLen         *Value
	MaxLen         *Value
	ExactLen       *Value
	UnterminatedOK bool
}

// Operations is the operations section.
type Operations struct {
	Node
	EnumModel   string // unified (default) or directional
	NamePrefix  string
	EnumName    OptString
	AsyncPrefix string
	AsyncEnum   OptString
	FixedHeader string
	List        []*Operation
}

// Operation is one command.
type Operation struct {
	Node
	Name         string
	Doc          string
	Value        *int64
	AttributeSet string
	Flags        []string
	DontValidate []string
	ConfigCond   string
	FixedHeader  string
	Do           *SubOp
	Dump         *SubOp
	Notify       string
	Event        *AttrList
	Mcgrp        string
}

// SubOp is the do or dump half of an operation.
type SubOp struct {
	Node
	Request *AttrList
	Reply   *AttrList
	Pre     string
	Post    string
}

// AttrList names the attributes of one message direction.
type AttrList struct {
	Node
	Attributes []string
	AttrPos    []Pos
	Value      *int64
}

// McastGroup is a multicast group.
type McastGroup struct {
	Node
	Name        string
	CDefineName string
	Flags       []string
	Value       *int64 // netlink-raw: the group number
}

// KernelFamily holds kernel-only extras; nlgen keeps them for completeness.
type KernelFamily struct {
	Node
	Headers  []string
	SockPriv string
}
