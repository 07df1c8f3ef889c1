// Package golang renders one typed Go package per family: constants with
// String methods, a struct per attribute set with an append-style encoder
// and a bounds-checked decoder, Go mirrors of the spec's fixed C structs,
// and a client with one method per do/dump operation. Generated code calls
// only runtime/nlattr (codec) and runtime/genl (the Conn interface), so it
// knows nothing about sockets or Windows devices and builds on every GOOS.
package golang

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// Generator is the go target.
var Generator = &gen.Generator{
	Name: "go",
	Doc:  "typed Go package per family (constants, codec, client) under <dir>/<package>/",
	Options: map[string]string{
		"import-path": "Go import path of the output folder, e.g. github.com/you/mod/out/go (default: derived from the nearest go.mod at or above the folder)",
		"runtime":     "import path of nlgen's runtime (default " + DefaultRuntime + ")",
	},
	Generate: Generate,
}

// DefaultRuntime is where runtime/nlattr and runtime/genl live.
const DefaultRuntime = "github.com/nlgen/nlgen/runtime"

// Generate renders every selected family into <package>/{consts,types,client}.go.
// The Go model of the whole output is built first (model.go); the
// packages are then printed concurrently, since printing only reads it.
func Generate(req *gen.Request) ([]gen.File, error) {
	importPath := req.Options.Get("import-path", "")
	if importPath == "" {
		return nil, fmt.Errorf("option import-path is required (the Go import path of the output folder)")
	}
	rt := strings.TrimSuffix(req.Options.Get("runtime", DefaultRuntime), "/")
	m, err := buildModel(req.Families, importPath, rt)
	if err != nil {
		return nil, err
	}
	files := make([][]gen.File, len(m.pkgs))
	errs := make([]error, len(m.pkgs))
	var wg sync.WaitGroup
	for i, g := range m.pkgs {
		wg.Go(func() { files[i], errs[i] = g.print() })
	}
	wg.Wait()
	var out []gen.File
	for i := range m.pkgs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, files[i]...)
	}
	return out, nil
}

// print renders the package's three files from the model.
func (g *familyGen) print() ([]gen.File, error) {
	var files []gen.File
	for _, part := range []struct {
		name   string
		render func(*jen.File)
	}{
		{"consts.go", g.renderConsts},
		{"types.go", g.renderTypes},
		{"client.go", g.renderClient},
	} {
		jf := g.newFile()
		part.render(jf)
		var buf bytes.Buffer
		if err := jf.Render(&buf); err != nil {
			return nil, fmt.Errorf("family %s: %s: %w", g.fam.Name, part.name, formatError(err))
		}
		files = append(files, gen.File{Path: path.Join(g.fam.GoPackage, part.name), Content: buf.Bytes()})
	}
	return files, nil
}

// familyGen is the model of one family's package: every Go name and type
// of it settled (newFamilyGen, names.go, requests.go) and what it aliases
// from earlier packages of the output (alias.go). The render methods only
// look these up and print.
type familyGen struct {
	fam     *ir.Family
	pkgPath string
	nlattr  string // import path of runtime/nlattr
	genl    string // import path of runtime/genl
	banner  []string

	sets      []*setInfo // every attribute set, in spec order
	setByName map[*ir.AttrSet]*setInfo
	narrowed  []*setInfo              // request and reply types narrower than their set
	requestOf map[*ir.OpMode]*setInfo // the narrowed request type of a do/dump
	replyOf   map[*ir.OpMode]*setInfo // the narrowed reply type of a do/dump
	opTypes   opTypes                 // <Op>Request/<Op>Reply names of every do/dump (names.go)
	notify    []notification          // what DecodeNotification decodes (client.go)
	enumTypes map[*ir.Enum]enumInfo
	alias     aliases                        // definitions shared with earlier packages of the output
	names     names                          // member, attribute id and helper names (names.go)
	subMsgs   map[*ir.SubMessage]*subMsgInfo // netlink-raw sub-messages (submsg.go)
	// cur is the set whose methods are being printed: a sub-message's
	// codec finds its selector among that set's fields.
	cur *setInfo
	// outer are the selectors each set's decoder receives from enclosing
	// sets, outerParam their parameter names (submsg.go).
	outer      map[*setInfo][]*ir.Attr
	outerParam map[*setInfo]map[*ir.Attr]string
	// parsers are the enums whose entry names fill selectors, printed
	// after the sets whose encoders use them.
	parsers []*ir.Enum
}

// setInfo is how an attribute set appears in Go.
type setInfo struct {
	set      *ir.AttrSet
	typeName string
	unknown  string     // field holding unknown attributes
	header   string     // field holding the fixed header, "" when the set is never a message
	hdr      *ir.Struct // the fixed header header holds
	topLevel bool       // a whole message (ir.AttrSet.Message), so it gets message methods
	// attrs are the attributes the type holds: its set's, or the ones a
	// narrowed message lists (ir.Msg.Wire).
	attrs     []*ir.Attr
	fieldOf   map[*ir.Attr]string
	hints     map[*ir.Attr]hintHelper // typed helpers of display-hint attributes
	pathLabel string
	// ordered marks a set whose every attribute is multi-attr: an ordered
	// list (OVS actions), held as a slice of elemName values.
	ordered  bool
	elemName string
	// narrows is the full set of a request or reply type holding only
	// the attributes one operation's message lists; what names that
	// message and holds says what its attributes are.
	narrows *setInfo
	what    string
	holds   string
	// mandatory are the attributes DecodeOptions.Strict requires, as the
	// Windows driver's NlAttrParse does (non-optional NL_POLICY entries).
	mandatory []*ir.Attr
}

func newFamilyGen(f *ir.Family, pkgPath, rt string) (*familyGen, error) {
	g := &familyGen{fam: f, pkgPath: pkgPath, nlattr: rt + "/nlattr", genl: rt + "/genl",
		setByName: map[*ir.AttrSet]*setInfo{}, enumTypes: map[*ir.Enum]enumInfo{}, names: newNames(f)}
	for _, e := range f.Enums {
		g.enumTypes[e] = enumInfoOf(e)
	}
	// A netlink-raw family's operations may each have their own fixed
	// header (rt_link: ifinfomsg, getstats if_stats_msg); a set carried
	// as a message takes the header of the operations carrying it.
	hdrOf := map[*ir.AttrSet]*ir.Struct{}
	for _, op := range f.Ops {
		if op.AttrSet != nil && op.FixedHeader != nil && hdrOf[op.AttrSet] == nil {
			hdrOf[op.AttrSet] = op.FixedHeader
		}
	}
	used := map[string]string{}
	claim := func(name, what string) error {
		if prev, dup := used[name]; dup {
			return fmt.Errorf("%s and %s both become Go identifier %s", prev, what, name)
		}
		used[name] = what
		return nil
	}
	for _, s := range f.Structs {
		if err := claim(s.GoName, "struct "+s.Name); err != nil {
			return nil, err
		}
	}
	for _, e := range f.Enums {
		if err := claim(e.GoName, "enum "+e.Name); err != nil {
			return nil, err
		}
	}
	for _, s := range f.AttrSets {
		si := &setInfo{set: s, typeName: s.GoName, topLevel: s.Message, attrs: s.Attrs, fieldOf: map[*ir.Attr]string{},
			pathLabel: f.Name + "." + s.Name}
		if !si.topLevel {
			si.mandatory = s.Mandatory
		}
		// A set named like a definition (ethtool's enum and set
		// "stringset") takes the suffix Attrs; definitions keep their name.
		if _, taken := used[si.typeName]; taken {
			si.typeName += "Attrs"
		}
		if err := claim(si.typeName, "attribute set "+s.Name); err != nil {
			return nil, err
		}
		fields := map[string]bool{}
		for _, m := range reservedMethods {
			fields[m] = true
		}
		for _, a := range s.Attrs {
			if !ir.OnWire(a.Kind) {
				continue
			}
			// The IR already rejects two attributes with one Go name; what is
			// left is a clash with a generated method (ethtool's "string"
			// attribute vs String()), resolved by the suffix Attr.
			si.fieldOf[a] = freeName(fields, a.GoName, a.GoName+"Attr")
		}
		si.unknown = freeName(fields, "Unknown", "UnknownAttrs")
		if !isOrderedList(s) || s.Message {
			si.hints = map[*ir.Attr]hintHelper{}
			for _, a := range s.Attrs {
				if !ir.OnWire(a.Kind) {
					continue
				}
				if h := attrHint(a); h.kind != hintNone {
					si.hints[a] = h.named(fields, si.fieldOf[a])
				}
			}
		}
		if si.topLevel {
			si.hdr = f.FixedHeader
			if h := hdrOf[s]; h != nil {
				si.hdr = h
			}
			if si.hdr != nil {
				si.header = freeName(fields, "Header", "FixedHeader")
			}
		}
		if si.ordered = isOrderedList(s) && !si.topLevel; si.ordered {
			// ActionAttrs holds ActionAttr values; other plurals are not
			// guessed at (Address is not a plural), they get an Item suffix.
			si.elemName = si.typeName + "Item"
			if base, ok := strings.CutSuffix(si.typeName, "Attrs"); ok {
				si.elemName = base + "Attr"
			}
			if err := claim(si.elemName, "element of ordered list "+s.Name); err != nil {
				return nil, err
			}
			for _, a := range s.Attrs {
				if ir.OnWire(a.Kind) {
					if err := claim(si.elemName+a.GoName, "constructor of "+s.Name+"."+a.Name); err != nil {
						return nil, err
					}
				}
			}
		}
		g.sets = append(g.sets, si)
		g.setByName[s] = si
	}
	if err := g.settleSubMessages(claim); err != nil {
		return nil, err
	}
	g.settleOuterSelectors()
	if err := g.narrowMessages(claim); err != nil {
		return nil, err
	}
	if err := g.claimConstants(used); err != nil {
		return nil, err
	}
	g.nameOpTypes(claim)
	g.settleNotifications()
	return g, nil
}

// isOrderedList reports whether every attribute of s may repeat, which
// makes s a list whose order and repetitions carry meaning (an OVS action
// list: set then output, two outputs) rather than a record. Array kinds
// would need a second level of nesting per element and keep the struct form.
func isOrderedList(s *ir.AttrSet) bool {
	n := 0
	for _, a := range s.Attrs {
		if !ir.OnWire(a.Kind) {
			continue
		}
		switch a.Kind.(type) {
		case ir.IndexedArray, ir.NestTypeValue:
			return false
		}
		if !a.MultiAttr {
			return false
		}
		n++
	}
	return n > 0
}

// reservedMethods are the method names generated on every set type.
var reservedMethods = []string{"AppendBinary", "EncodedLen", "MarshalBinary", "UnmarshalBinary", "Decode",
	"AppendMessage", "MessageLen", "DecodeMessage", "String"}

func freeName(taken map[string]bool, names ...string) string {
	for _, n := range names {
		if !taken[n] {
			taken[n] = true
			return n
		}
	}
	for i := 2; ; i++ {
		n := fmt.Sprintf("%s%d", names[0], i)
		if !taken[n] {
			taken[n] = true
			return n
		}
	}
}

// setBanner names the family's spec, and the specs of the earlier
// families it aliases types from, since the package's code depends on them.
func (g *familyGen) setBanner() {
	fams := append([]*ir.Family{g.fam}, g.alias.from...)
	g.banner = []string{
		gen.GeneratedLine(oneLine(gen.SpecList(fams))),
	}
}

func (g *familyGen) newFile() *jen.File {
	jf := jen.NewFilePathName(g.pkgPath, g.fam.GoPackage)
	for _, l := range g.banner {
		jf.HeaderComment(l)
	}
	jf.ImportName(g.nlattr, "nlattr")
	jf.ImportName(g.genl, "genl")
	for _, f := range g.alias.from {
		jf.ImportName(path.Dir(g.pkgPath)+"/"+f.GoPackage, f.GoPackage)
	}
	return jf
}

// Check reports the Go names of the families that would collide in their
// packages, as the go target would refuse them, for lint.
func Check(m *ir.Model) error {
	var ds schema.Diagnostics
	for _, f := range m.Families {
		if _, err := newFamilyGen(f, "example.com/check/"+f.GoPackage, DefaultRuntime); err != nil {
			var fds schema.Diagnostics
			if errors.As(err, &fds) {
				ds = append(ds, fds...)
			} else {
				ds.Add(f.Pos, "name-collision", "family %s cannot be rendered in Go: %v", f.Name, err)
			}
		}
	}
	return ds.Err()
}

// claimConstants checks the package-level constants the package declares
// (consts, enum and flags values, commands, multicast groups, attribute
// ids) against each other and the types: spec names that differ can meet
// in Go ("t-wo" and "t_wo" are both TWo; a const "cmd-get" and the
// operation "get" are both CmdGet), and the package would not compile.
// The C targets check their own names; this is the Go target's refusal,
// at the spec entry that collides.
func (g *familyGen) claimConstants(used map[string]string) error {
	var ds schema.Diagnostics
	claim := func(name, what string, pos schema.Pos) {
		if prev, dup := used[name]; dup {
			if prev != what {
				ds.Add(pos, "name-collision", "family %s cannot be rendered in Go: %s and %s both become Go identifier %s; rename one of them",
					g.fam.Name, prev, what, name)
			}
			return
		}
		used[name] = what
	}
	f := g.fam
	for _, c := range f.Consts {
		claim(c.GoName, fmt.Sprintf("const %q", c.Name), c.Pos)
	}
	for _, e := range f.Enums {
		for _, x := range e.Entries {
			claim(e.GoName+x.GoName, fmt.Sprintf("entry %q of %q", x.Name, e.Name), x.Pos)
		}
	}
	for _, op := range f.Ops {
		claim("Cmd"+op.GoName, fmt.Sprintf("operation %q", op.Name), op.Pos)
		if r := g.rspCmdName(op); r != "Cmd"+op.GoName {
			claim(r, fmt.Sprintf("the reply of operation %q", op.Name), op.Pos)
		}
	}
	for _, gr := range f.McastGroups {
		claim("Group"+gr.GoName, fmt.Sprintf("multicast group %q", gr.Name), gr.Pos)
	}
	for _, s := range f.AttrSets {
		if s.SubsetOf != nil {
			continue
		}
		for _, a := range s.Attrs {
			claim(g.attrConst(a), fmt.Sprintf("attribute %q of set %q", a.Name, s.Name), a.Pos)
		}
	}
	return ds.Err()
}

// formatError shortens jennifer's gofmt failure, which carries the whole
// unformatted file, to go/format's message and the one line it names: a
// generator bug must be reportable, not bury the terminal.
func formatError(err error) error {
	head, src, ok := strings.Cut(err.Error(), " while formatting source:\n")
	if !ok {
		return err
	}
	head = strings.TrimPrefix(head, "Error ")
	if n, _, ok := strings.Cut(head, ":"); ok {
		lines := strings.Split(src, "\n")
		if i, err := strconv.Atoi(n); err == nil && i >= 1 && i <= len(lines) {
			l := lines[i-1]
			if len(l) > 160 {
				l = l[:160] + "..."
			}
			return fmt.Errorf("generated Go does not parse (an nlgen bug): %s, in: %q", head, l)
		}
	}
	return fmt.Errorf("generated Go does not parse (an nlgen bug): %s", head)
}

// oneLine renders spec text as the text of one Go line comment; see
// gen.GoCommentText for what it neutralises and why.
func oneLine(s string) string { return gen.GoCommentText(s) }

// docLines renders spec text as Go doc comment lines starting with subject.
func docComment(subject, doc string) string {
	doc = oneLine(doc)
	if doc == "" {
		return ""
	}
	return subject + ": " + doc
}
