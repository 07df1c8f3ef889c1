package schema

import (
	"bytes"
	"os"

	"gopkg.in/yaml.v3"
)

// Windows is the nlgen Windows overlay (docs/windows-extension.md): facts
// of the OVS Windows pseudo-device that YNL has no words for, keyed by the
// names of families, operations, attribute sets and attributes.
type Windows struct {
	Node
	File             string
	Source           []byte
	FormatVersion    int64
	Doc              string
	HeaderGuard      string
	Device           *WinDevice
	Ioctls           *WinIoctls
	FamilyIDBase     *int64
	FamilyIDBaseName string
	Constants        []*WinConstant
	MacroValues      []*WinMacroValue
	Families         []*WinFamily
}

// WinMacroValue is the value a C macro of the driver's own headers has on
// Windows (IFNAMSIZ is 256 there), for policy lengths that name it: C keeps
// the name, Go needs the number.
type WinMacroValue struct {
	Node
	Name  string
	Value int64
}

// WinDevice names the pseudo-device.
type WinDevice struct {
	Node
	NTName     string
	DOSName    string
	UserName   string
	NamePrefix string
}

// WinIoctls describes the CTL_CODE ioctls of the device.
type WinIoctls struct {
	Node
	DeviceType        int64
	DeviceTypeName    string
	FunctionStart     int64
	FunctionStartName string
	NamePrefix        string
	List              []*WinIoctl
}

// WinIoctl is one ioctl; Function is an offset from FunctionStart.
type WinIoctl struct {
	Node
	Name     string
	Function int64
	Method   string
	Access   string
	Doc      string
}

// WinConstant is a Windows-only #define.
type WinConstant struct {
	Node
	Name  string
	Value *Value
	Str   string
	IsStr bool
	Doc   string
}

// WinFamily holds the Windows facts of one family.
type WinFamily struct {
	Node
	Name           string
	ID             *int64
	IDName         string
	WindowsOnly    bool
	MaxAttr        string
	FamilySymbol   string
	CommandsSymbol string
	McastGroups    []*WinMcastGroup
	Operations     []*WinOperation
	Policies       []*WinPolicy
	// Raw says how the driver carries a netlink-raw family; nil for the
	// generic netlink families (and for a netlink-raw family the overlay
	// does not describe, which the Windows targets refuse).
	Raw *WinRaw
}

// WinRaw is how the driver carries a classic netlink family: as a
// placeholder generic-netlink-style family in its own tables (OVS's
// conntrack: NETLINK_FAMILY "ovs_ct", never named on the wire), with the
// command of each NETLINK_CMD row taken from the low bits of the message
// type, and bytes of its own after the spec's fixed header.
type WinRaw struct {
	Node
	Family          string // placeholder NETLINK_FAMILY name
	Version         *int64 // NETLINK_FAMILY.version (default 1)
	McastGroup      string // placeholder group name macro, "" for none
	Header          string // the driver's header holding the family's C
	CommandBits     *int64 // NETLINK_CMD.cmd = nlmsg_type & (1<<CommandBits - 1); required
	HeaderExtension *WinHeaderExt
}

// WinHeaderExt is a member the driver's messages carry after the
// family's fixed header (OVS: struct ovs_header after struct nfgenmsg).
type WinHeaderExt struct {
	Node
	Name   string // member name
	Struct string // struct definition it holds
	Family string // family defining that struct (default: this one)
	Doc    string
}

// WinMcastGroup gives a multicast group its static id.
type WinMcastGroup struct {
	Node
	Name string
	ID   int64
}

// WinOperation is one row of the NETLINK_CMD table.
type WinOperation struct {
	Node
	Name            string
	Handler         string
	DevOps          []string
	ValidateDpIndex bool
}

// WinPolicy is one NL_POLICY table.
type WinPolicy struct {
	Node
	Name         string
	Doc          string
	Function     string
	AttributeSet string
	Scope        string
	Size         string
	Attributes   []string
	AttrPos      []Pos
	Required     []string
	RequiredPos  []Pos
	// Operations are the operations whose do requests the table parses,
	// when its function is not their handler (a helper, or a file-scope
	// table several handlers share).
	Operations    []string
	OperationsPos []Pos
	Overrides     []*WinOverride
}

// WinOverride replaces parts of a derived NL_POLICY entry.
type WinOverride struct {
	Node
	Attribute string
	Type      string
	MinLen    *Value
	MaxLen    *Value
	Optional  *bool
	OmitType  bool
	Omit      bool
	Reason    string
}

var (
	winKeys = keySet{"nlgen-windows": 0, "doc": 0, "header-guard": 0, "device": 0, "ioctls": 0,
		"family-id-base": 0, "family-id-base-name": 0, "constants": 0, "macro-values": 0, "families": 0}
	winDeviceKeys  = keySet{"nt-name": 0, "dos-name": 0, "user-name": 0, "name-prefix": 0}
	winIoctlsKeys  = keySet{"device-type": 0, "device-type-name": 0, "function-start": 0, "function-start-name": 0, "name-prefix": 0, "list": 0}
	winIoctlKeys   = keySet{"name": 0, "function": 0, "method": 0, "access": 0, "doc": 0}
	winConstKeys   = keySet{"name": 0, "value": 0, "doc": 0}
	winFamilyKeys  = keySet{"id": 0, "id-name": 0, "windows-only": 0, "max-attr": 0, "family-symbol": 0, "commands-symbol": 0, "mcast-groups": 0, "operations": 0, "policies": 0, "netlink-raw": 0}
	winRawKeys     = keySet{"family": 0, "version": 0, "mcast-group": 0, "header": 0, "command-bits": 0, "header-extension": 0}
	winHdrExtKeys  = keySet{"name": 0, "struct": 0, "family": 0, "doc": 0}
	winOpKeys      = keySet{"handler": 0, "dev-ops": 0, "validate-dp-index": 0}
	winPolicyKeys  = keySet{"function": 0, "name": 0, "attribute-set": 0, "scope": 0, "size": 0, "attributes": 0, "required": 0, "operations": 0, "overrides": 0, "doc": 0}
	winOverrideKey = keySet{"type": 0, "min-len": 0, "max-len": 0, "optional": 0, "omit-type": 0, "omit": 0, "reason": 0}
	// NLPolicyTypes are the overlay's spellings of the driver's NL_ATTR_TYPE.
	NLPolicyTypes = []string{"no-attr", "var-len", "unspec", "u8", "u16", "be16", "u32", "be32", "u64", "be64", "string", "flag", "nested"}
)

// LoadWindowsFile reads and parses an overlay file.
func LoadWindowsFile(path string) (*Windows, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: path}, Rule: "io", Msg: err.Error()}}
	}
	return LoadWindows(path, src)
}

// LoadWindows parses an overlay from bytes.
func LoadWindows(file string, src []byte) (*Windows, error) {
	var diags Diagnostics
	root := ParseYAML(file, src, &diags)
	if root == nil {
		return nil, diags.Err()
	}
	r := newReader(file, root, &diags)
	w := r.windows(root)
	if w != nil {
		w.File, w.Source = file, bytes.Clone(src)
	}
	r.limitDiag()
	return w, diags.Err()
}

func (r *reader) windows(root *yaml.Node) *Windows {
	m, node := r.fields(root, "windows overlay", winKeys)
	if m == nil {
		return nil
	}
	r.require(m, node, "windows overlay", "nlgen-windows")
	w := &Windows{Node: node}
	if v, ok := r.presentInt(m["nlgen-windows"], "nlgen-windows"); ok {
		w.FormatVersion = v
		if v != 1 {
			r.diags.Add(node.At("nlgen-windows"), "version", "overlay format version %d is not supported; expected 1", v)
		}
	}
	w.Doc = r.str(m["doc"], "doc")
	w.HeaderGuard = r.str(m["header-guard"], "header-guard")
	w.FamilyIDBase = r.optInt(m["family-id-base"], "family-id-base")
	w.FamilyIDBaseName = r.str(m["family-id-base-name"], "family-id-base-name")
	if n := m["device"]; n != nil {
		dm, dn := r.fields(n, "device", winDeviceKeys)
		w.Device = &WinDevice{Node: dn, NTName: r.str(dm["nt-name"], "nt-name"), DOSName: r.str(dm["dos-name"], "dos-name"),
			UserName: r.str(dm["user-name"], "user-name"), NamePrefix: r.str(dm["name-prefix"], "name-prefix")}
	}
	if n := m["ioctls"]; n != nil {
		w.Ioctls = r.winIoctls(n)
	}
	for _, c := range r.seq(m["constants"], "constants") {
		w.Constants = append(w.Constants, r.winConstant(c))
	}
	r.eachKeyed(m["macro-values"], "macro-values", func(k, v *yaml.Node) {
		val, _ := r.integer(v, "macro value")
		w.MacroValues = append(w.MacroValues, &WinMacroValue{Node: Node{Pos: r.pos(k)}, Name: k.Value, Value: val})
	})
	if n := m["families"]; n != nil {
		fn := r.deref(n)
		if fn.Kind != yaml.MappingNode {
			r.errorf(fn, "type", "families must be a mapping of family name to its Windows facts")
		} else {
			seen := map[string]bool{}
			for i := 0; i+1 < len(fn.Content); i += 2 {
				k := r.deref(fn.Content[i])
				if seen[k.Value] {
					r.errorf(k, "duplicate-key", "duplicate family %q", k.Value)
					continue
				}
				seen[k.Value] = true
				f := r.winFamily(fn.Content[i+1])
				f.Name, f.Pos = k.Value, r.pos(k)
				w.Families = append(w.Families, f)
			}
		}
	}
	return w
}

// presentInt reads a required integer; when the key is absent it returns
// false without a diagnostic, since require has reported the missing key
// at the mapping's position already.
func (r *reader) presentInt(n *yaml.Node, what string) (int64, bool) {
	if n == nil {
		return 0, false
	}
	return r.integer(n, what)
}

func (r *reader) winIoctls(n *yaml.Node) *WinIoctls {
	m, node := r.fields(n, "ioctls", winIoctlsKeys)
	io := &WinIoctls{Node: node}
	if m == nil {
		return io
	}
	r.require(m, node, "ioctls", "device-type", "function-start", "list")
	io.DeviceType, _ = r.presentInt(m["device-type"], "device-type")
	io.FunctionStart, _ = r.presentInt(m["function-start"], "function-start")
	io.DeviceTypeName = r.str(m["device-type-name"], "device-type-name")
	io.FunctionStartName = r.str(m["function-start-name"], "function-start-name")
	io.NamePrefix = r.str(m["name-prefix"], "name-prefix")
	for _, it := range r.seq(m["list"], "ioctls list") {
		im, inode := r.fields(it, "ioctl", winIoctlKeys)
		ioc := &WinIoctl{Node: inode}
		if im != nil {
			r.require(im, inode, "ioctl", "name", "function", "method", "access")
			ioc.Name = r.name(im["name"], "ioctl name")
			ioc.Function, _ = r.presentInt(im["function"], "function")
			ioc.Method = r.oneOf(im["method"], "method", "buffered", "in-direct", "out-direct", "neither")
			ioc.Access = r.oneOf(im["access"], "access", "any", "read", "write", "read-write")
			ioc.Doc = r.str(im["doc"], "doc")
		}
		io.List = append(io.List, ioc)
	}
	return io
}

func (r *reader) winConstant(n *yaml.Node) *WinConstant {
	m, node := r.fields(n, "constant", winConstKeys)
	c := &WinConstant{Node: node}
	if m == nil {
		return c
	}
	r.require(m, node, "constant", "name", "value")
	c.Name = r.name(m["name"], "constant name")
	c.Doc = r.str(m["doc"], "doc")
	if v := m["value"]; v != nil {
		if s, ok := r.scalar(v, "value"); ok {
			if s.Tag == "!!int" {
				c.Value = r.intOrName(s, "value")
			} else {
				c.Str, c.IsStr = s.Value, true
			}
		}
	}
	return c
}

func (r *reader) winFamily(n *yaml.Node) *WinFamily {
	m, node := r.fields(n, "windows family", winFamilyKeys)
	f := &WinFamily{Node: node}
	if m == nil {
		return f
	}
	f.ID = r.optInt(m["id"], "id")
	f.IDName = r.str(m["id-name"], "id-name")
	f.WindowsOnly = r.boolean(m["windows-only"], "windows-only")
	f.MaxAttr = r.str(m["max-attr"], "max-attr")
	f.FamilySymbol = r.str(m["family-symbol"], "family-symbol")
	f.CommandsSymbol = r.str(m["commands-symbol"], "commands-symbol")
	r.eachKeyed(m["mcast-groups"], "mcast-groups", func(k *yaml.Node, v *yaml.Node) {
		id, _ := r.integer(v, "multicast group id")
		f.McastGroups = append(f.McastGroups, &WinMcastGroup{Node: Node{Pos: r.pos(k)}, Name: k.Value, ID: id})
	})
	r.eachKeyed(m["operations"], "operations", func(k *yaml.Node, v *yaml.Node) {
		om, onode := r.fields(v, "windows operation", winOpKeys)
		op := &WinOperation{Node: onode, Name: k.Value}
		op.Pos = r.pos(k)
		if om != nil {
			r.require(om, onode, "windows operation", "handler", "dev-ops")
			op.Handler = r.str(om["handler"], "handler")
			op.DevOps = r.wordList(om["dev-ops"], "dev-ops", "read", "write", "transaction")
			op.ValidateDpIndex = r.boolean(om["validate-dp-index"], "validate-dp-index")
		}
		f.Operations = append(f.Operations, op)
	})
	for _, p := range r.seq(m["policies"], "policies") {
		f.Policies = append(f.Policies, r.winPolicy(p))
	}
	if n := m["netlink-raw"]; n != nil {
		f.Raw = r.winRaw(n)
	}
	return f
}

func (r *reader) winRaw(n *yaml.Node) *WinRaw {
	m, node := r.fields(n, "netlink-raw", winRawKeys)
	x := &WinRaw{Node: node}
	if m == nil {
		return x
	}
	r.require(m, node, "netlink-raw", "family", "command-bits")
	x.Family = r.name(m["family"], "netlink-raw family")
	x.Version = r.optInt(m["version"], "version")
	if m["mcast-group"] != nil {
		x.McastGroup = r.name(m["mcast-group"], "netlink-raw mcast-group")
	}
	x.Header = r.str(m["header"], "header")
	x.CommandBits = r.optInt(m["command-bits"], "command-bits")
	if h := m["header-extension"]; h != nil {
		hm, hnode := r.fields(h, "header-extension", winHdrExtKeys)
		e := &WinHeaderExt{Node: hnode}
		if hm != nil {
			r.require(hm, hnode, "header-extension", "name", "struct")
			e.Name = r.name(hm["name"], "header-extension name")
			e.Struct = r.str(hm["struct"], "struct")
			e.Family = r.str(hm["family"], "family")
			e.Doc = r.str(hm["doc"], "doc")
		}
		x.HeaderExtension = e
	}
	return x
}

// eachKeyed walks a mapping whose keys are names, rejecting duplicates.
func (r *reader) eachKeyed(n *yaml.Node, what string, fn func(k, v *yaml.Node)) {
	if n == nil {
		return
	}
	n = r.deref(n)
	if n.Kind != yaml.MappingNode {
		r.errorf(n, "type", "%s must be a mapping keyed by name, got %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := r.deref(n.Content[i])
		if seen[k.Value] {
			r.errorf(k, "duplicate-key", "duplicate key %q in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		fn(k, n.Content[i+1])
	}
}

func (r *reader) winPolicy(n *yaml.Node) *WinPolicy {
	m, node := r.fields(n, "policy", winPolicyKeys)
	p := &WinPolicy{Node: node}
	if m == nil {
		return p
	}
	r.require(m, node, "policy", "name", "attribute-set")
	p.Name = r.name(m["name"], "policy name")
	p.AttributeSet = r.str(m["attribute-set"], "attribute-set")
	p.Scope = r.oneOf(m["scope"], "scope", "static", "extern", "local")
	p.Function = r.str(m["function"], "function")
	p.Doc = r.str(m["doc"], "doc")
	p.Size = r.str(m["size"], "size")
	p.Attributes, p.AttrPos = r.strList(m["attributes"], "attributes")
	p.Required, p.RequiredPos = r.strList(m["required"], "required")
	p.Operations, p.OperationsPos = r.strList(m["operations"], "operations")
	r.eachKeyed(m["overrides"], "overrides", func(k, v *yaml.Node) {
		om, onode := r.fields(v, "override", winOverrideKey)
		o := &WinOverride{Node: onode, Attribute: k.Value}
		o.Pos = r.pos(k)
		if om != nil {
			o.Type = r.oneOf(om["type"], "type", NLPolicyTypes...)
			o.MinLen = r.intOrName(om["min-len"], "min-len")
			o.MaxLen = r.intOrName(om["max-len"], "max-len")
			if b := om["optional"]; b != nil {
				v := r.boolean(b, "optional")
				o.Optional = &v
			}
			o.OmitType = r.boolean(om["omit-type"], "omit-type")
			o.Omit = r.boolean(om["omit"], "omit")
			o.Reason = r.str(om["reason"], "reason")
		}
		p.Overrides = append(p.Overrides, o)
	})
	return p
}

// IsWindowsOverlay reports whether src is an overlay rather than a spec
// (its top level has the nlgen-windows key), so lint and breaking can take
// specs and overlay in one list.
func IsWindowsOverlay(src []byte) bool {
	return bytes.HasPrefix(src, []byte("nlgen-windows:")) || bytes.Contains(src, []byte("\nnlgen-windows:"))
}
