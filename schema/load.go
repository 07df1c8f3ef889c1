package schema

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// ParseYAML turns bytes into a yaml.Node document, with every failure
// reported as a diagnostic at a position: size, encoding, syntax and depth.
func ParseYAML(file string, src []byte, diags *Diagnostics) *yaml.Node {
	if len(src) > MaxFileSize {
		diags.Add(Pos{File: file, Line: 1, Col: 1}, "limit", "file is %d bytes; the limit is %d bytes", len(src), MaxFileSize)
		return nil
	}
	if line, col, msg := firstInvalidText(src); msg != "" {
		diags.Add(Pos{File: file, Line: line, Col: col}, "encoding", "%s", msg)
		return nil
	}
	if line, col, deep := tooDeep(src); deep {
		diags.Add(Pos{File: file, Line: line, Col: col}, "limit", "nesting deeper than %d levels", MaxDepth)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		line, col, msg := yamlErrorPos(err, src)
		diags.Add(Pos{File: file, Line: line, Col: col}, "syntax", "%s", msg)
		return nil
	}
	// A second document would be dropped by every reader, its keys (a
	// multicast group, an output) silently lost: the file must be one.
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		line, col, msg := yamlErrorPos(err, src)
		diags.Add(Pos{File: file, Line: line, Col: col}, "syntax", "%s", msg)
		return nil
	default:
		diags.Add(Pos{File: file, Line: max(next.Line, 1), Col: max(next.Column, 1)}, "syntax",
			"a second YAML document starts here; a file must hold exactly one document (remove the '---' and merge the keys, or move them to their own file)")
		return nil
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		diags.Add(Pos{File: file, Line: 1, Col: 1}, "syntax", "empty document; expected a mapping")
		return nil
	}
	if d, ok := depthOf(&doc); !ok {
		diags.Add(Pos{File: file, Line: d.Line, Col: d.Column}, "limit", "nesting deeper than %d levels", MaxDepth)
		return nil
	}
	return doc.Content[0]
}

// firstInvalidText finds the first byte YAML would reject as text, so the
// error points at it: the YAML parser reports these without a position.
func firstInvalidText(src []byte) (line, col int, msg string) {
	line, col = 1, 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		switch {
		case r == utf8.RuneError && size == 1:
			return line, col, "invalid UTF-8 byte; specs must be UTF-8 text"
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			return line, col, fmt.Sprintf("control character %U is not allowed in YAML text", r)
		case r == '\n':
			line, col = line+1, 1
		default:
			col++
		}
		src = src[size:]
	}
	return 0, 0, ""
}

// tooDeep is a cheap pre-scan for flow-style nesting ([[[[...) which the YAML
// parser would otherwise recurse into before we could stop it.
func tooDeep(src []byte) (line, col int, deep bool) {
	depth, line, col := 0, 1, 1
	inQuote := byte(0)
	for _, c := range src {
		switch {
		case c == '\n':
			line, col = line+1, 0
			if inQuote == 0 {
				depth = max(depth, 0)
			}
		case inQuote != 0:
			if c == inQuote {
				inQuote = 0
			}
		case c == '"' || c == '\'':
			inQuote = c
		case c == '#':
			// comments cannot nest; skipping the rest of the line is not
			// needed for a conservative depth bound
		case c == '[' || c == '{':
			depth++
			if depth > MaxDepth {
				return line, col, true
			}
		case c == ']' || c == '}':
			depth--
		}
		col++
	}
	return 0, 0, false
}

func depthOf(root *yaml.Node) (*yaml.Node, bool) {
	type item struct {
		n *yaml.Node
		d int
	}
	stack := []item{{root, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.d > MaxDepth {
			return it.n, false
		}
		for _, c := range it.n.Content {
			stack = append(stack, item{c, it.d + 1})
		}
	}
	return nil, true
}

// LoadSpecFile reads and parses one spec file.
func LoadSpecFile(path string) (*Spec, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: path}, Rule: "io", Msg: err.Error()}}
	}
	return LoadSpec(path, src)
}

// LoadSpec parses a spec from bytes. The error, when not nil, is Diagnostics.
func LoadSpec(file string, src []byte) (*Spec, error) {
	var diags Diagnostics
	spec := parseSpec(file, src, &diags)
	return spec, diags.Err()
}

func parseSpec(file string, src []byte, diags *Diagnostics) *Spec {
	root := ParseYAML(file, src, diags)
	if root == nil {
		return nil
	}
	r := newReader(file, root, diags)
	shape := checkShape(file, root, r.budget)
	r.badType = shape.badType
	r.level = r.protocolOf(root)
	s := r.spec(root)
	if s != nil {
		s.File = file
		s.Source = bytes.Clone(src)
	}
	r.limitDiag()
	*diags = append(*diags, shape.diags...)
	*diags = diags.DropShadowed()
	return s
}

// protocolOf peeks at the protocol key first: it decides which keys are legal.
func (r *reader) protocolOf(root *yaml.Node) level {
	root = r.deref(root)
	if root.Kind != yaml.MappingNode {
		return levelLegacy
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "protocol" {
			continue
		}
		v := r.deref(root.Content[i+1])
		if l, ok := levelNames[v.Value]; ok {
			return l
		}
		r.errorf(v, "value", "protocol: %q is not one of genetlink, genetlink-c, genetlink-legacy, netlink-raw", v.Value)
		return levelLegacy
	}
	return levelGenetlink
}
