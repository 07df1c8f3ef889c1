// Package config reads nlgen.yaml: which specs to load, the optional
// Windows overlay, and which generators write where.
package config

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/nlgen/nlgen/schema"
)

// DefaultFile is the config looked up when -f is not given.
const DefaultFile = "nlgen.yaml"

// Config is a parsed nlgen.yaml. Paths are as written (slash-separated,
// relative to the config's folder); use Abs to reach them.
type Config struct {
	schema.Node
	File    string // path of the config as given
	Dir     string // folder the config's paths are relative to
	Version int64
	Specs   []Ref
	Windows *Ref
	Outputs []*Output
	// Breaking configures nlgen breaking.
	Breaking Breaking
}

// Breaking is the breaking: section. Ignore lists changes the project
// accepts on purpose, as buf's breaking.ignore does.
type Breaking struct {
	Ignore []Ignore
}

// Ignore silences breaking-change findings: those with rule Rule (any rule
// when empty) in file Path or below folder Path (anywhere when empty). At
// least one of the two is set, and Reason says why the break is accepted.
type Ignore struct {
	Rule   string
	Path   string // slash-separated, relative to the config; "" = any
	Reason string
	Pos    schema.Pos
}

// Ref is a path in the config with its position.
type Ref struct {
	Path string
	Pos  schema.Pos
}

// Output is one generator run.
type Output struct {
	schema.Node
	Target string
	Dir    string
	// AllowOutside lets Dir leave the config's folder. Off by default:
	// a run removes the stale generated files of its folders, so two
	// configs writing one folder elsewhere would delete each other's.
	AllowOutside bool
	Families     []Ref
	Options      map[string]string
}

// Abs returns p relative to the config's folder.
func (c *Config) Abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, filepath.FromSlash(p))
}

// Find looks for DefaultFile in dir and then in each folder above it, as
// git and buf find their configs, so nlgen works from any folder of a
// project. The path is returned relative to dir when it can be (so
// messages read "../nlgen.yaml"), else absolute.
func Find(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		p := filepath.Join(d, DefaultFile)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			if rel, err := filepath.Rel(abs, p); err == nil {
				return filepath.Join(dir, rel), nil
			}
			return p, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no %s in %s or any folder above it; pass -f FILE, or run nlgen init to write one", DefaultFile, filepath.ToSlash(abs))
		}
		d = parent
	}
}

// Load reads a config file. The error, when not nil, is schema.Diagnostics.
func Load(file string) (*Config, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, schema.Diagnostics{{Pos: schema.Pos{File: file}, Rule: "io", Msg: err.Error()}}
	}
	c, err := Parse(file, src)
	// Paths are joined to the folder lexically, which would take "../x"
	// from a symlinked folder to the link's parent; the system resolves
	// ".." from the folder the link points to, and so do we.
	if c != nil {
		if real, rerr := filepath.EvalSymlinks(c.Dir); rerr == nil {
			c.Dir = real
		}
	}
	return c, err
}

// Parse reads a config from bytes.
func Parse(file string, src []byte) (*Config, error) {
	var diags schema.Diagnostics
	root := schema.ParseYAML(file, src, &diags)
	if root == nil {
		return nil, diags.Err()
	}
	c := &Config{File: file, Dir: filepath.Dir(file)}
	d := &decoder{y: schema.NewYAMLReader(file, root, &diags), diags: &diags}
	d.config(root, c)
	d.y.Finish()
	return c, diags.Err()
}

// decoder reads the config with the spec reader's YAML rules (aliases,
// their budget, merge keys, duplicate and unknown keys), so a config is
// held to the same ones as a spec.
type decoder struct {
	y     *schema.YAMLReader
	diags *schema.Diagnostics
}

func (d *decoder) pos(n *yaml.Node) schema.Pos { return d.y.Pos(n) }

func (d *decoder) str(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	s := d.y.Deref(n)
	if s.Kind != yaml.ScalarNode || s.Tag != "!!str" {
		d.diags.Add(d.pos(s), "type", "%s must be a string", what)
		return ""
	}
	return s.Value
}

func (d *decoder) ref(n *yaml.Node, what string) Ref {
	p := d.str(n, what)
	if p == "" && n != nil && d.y.Deref(n).Kind == yaml.ScalarNode {
		d.diags.Add(d.pos(n), "value", "%s must not be empty", what)
	}
	return Ref{Path: path.Clean(p), Pos: d.pos(n)}
}

func (d *decoder) refs(n *yaml.Node, what string) []Ref {
	if n == nil {
		return nil
	}
	if k := d.y.Deref(n); k.Kind != yaml.SequenceNode {
		d.diags.Add(d.pos(k), "type", "%s must be a list", what)
		return nil
	}
	var out []Ref
	for _, it := range d.y.Seq(n, what) {
		out = append(out, d.ref(it, what+" entry"))
	}
	return out
}

// outside says why dir, as written in the config, leaves the config's
// folder, or "" when it stays inside. Backslashes count as separators and
// drive letters as absolute, so a config means the same on Windows.
func outside(dir string) string {
	p := strings.ReplaceAll(dir, `\`, "/")
	switch {
	case path.IsAbs(p), filepath.IsAbs(dir), len(p) >= 2 && p[1] == ':':
		return "is absolute"
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") {
		return "leaves the config's folder"
	}
	return ""
}

func (d *decoder) config(root *yaml.Node, c *Config) {
	m, _ := d.y.Fields(root, "config", "version", "specs", "windows", "outputs", "breaking")
	if m == nil {
		return
	}
	c.Pos = d.pos(root)
	if v := m["version"]; v != nil {
		m["version"] = d.y.Deref(v)
	}
	if v := m["version"]; v == nil {
		d.diags.Add(c.Pos, "missing-key", "config: missing required key \"version\" (use version: 1)")
	} else if v.Value != "1" || v.Tag != "!!int" {
		d.diags.Add(d.pos(v), "version", "config version %s is not supported; expected the number 1", strconv.Quote(v.Value)+" ("+strings.TrimPrefix(v.Tag, "!!")+")")
	} else {
		c.Version = 1
	}
	c.Specs = d.refs(m["specs"], "specs")
	if len(c.Specs) == 0 {
		d.diags.Add(c.Pos, "missing-key", "config: specs must list at least one spec file")
	}
	if w := m["windows"]; w != nil {
		r := d.ref(w, "windows")
		c.Windows = &r
	}
	if b := m["breaking"]; b != nil {
		d.breaking(b, &c.Breaking)
	}
	outs := m["outputs"]
	if outs == nil {
		return
	}
	if k := d.y.Deref(outs); k.Kind != yaml.SequenceNode {
		d.diags.Add(d.pos(k), "type", "outputs must be a list")
		return
	}
	for _, on := range d.y.Seq(outs, "outputs") {
		om, _ := d.y.Fields(on, "output", "target", "dir", "allow-outside", "families", "options")
		if om == nil {
			continue
		}
		o := &Output{Target: d.str(om["target"], "target"), Options: map[string]string{}}
		o.Pos = d.pos(on)
		if om["target"] == nil {
			d.diags.Add(o.Pos, "missing-key", "output: missing required key \"target\"")
		}
		if om["dir"] == nil {
			d.diags.Add(o.Pos, "missing-key", "output: missing required key \"dir\"")
		} else {
			o.Dir = d.ref(om["dir"], "dir").Path
		}
		if a := om["allow-outside"]; a != nil {
			a = d.y.Deref(a)
			if a.Kind != yaml.ScalarNode || a.Tag != "!!bool" {
				d.diags.Add(d.pos(a), "type", "allow-outside must be true or false")
			} else {
				o.AllowOutside = a.Value == "true" || a.Value == "True" || a.Value == "TRUE"
			}
		}
		if dn := om["dir"]; dn != nil && o.Dir != "" && !o.AllowOutside {
			if why := outside(o.Dir); why != "" {
				d.diags.Add(d.pos(dn), "path", "dir %q %s; nlgen removes the generated files it no longer produces from its output folders, "+
					"so a folder outside the project could be another project's and lose its files. Use a folder under the config's, "+
					"or set allow-outside: true on this output if the folder is yours alone", o.Dir, why)
			}
		}
		o.Families = d.refs(om["families"], "families")
		if opts := om["options"]; opts != nil {
			if d.y.Deref(opts).Kind != yaml.MappingNode {
				d.diags.Add(d.pos(opts), "type", "options must be a mapping of name to string")
			} else {
				keys, values, _ := d.y.Pairs(opts, "options")
				for i, k := range keys {
					v := d.y.Deref(values[i])
					if v.Kind != yaml.ScalarNode {
						d.diags.Add(d.pos(v), "type", "option %q must be a scalar", k.Value)
						continue
					}
					o.Options[k.Value] = v.Value
				}
			}
		}
		c.Outputs = append(c.Outputs, o)
	}
}

func (d *decoder) breaking(n *yaml.Node, b *Breaking) {
	m, _ := d.y.Fields(n, "breaking", "ignore")
	if m == nil || m["ignore"] == nil {
		return
	}
	list := m["ignore"]
	if k := d.y.Deref(list); k.Kind != yaml.SequenceNode {
		d.diags.Add(d.pos(k), "type", "breaking.ignore must be a list")
		return
	}
	for _, it := range d.y.Seq(list, "breaking.ignore") {
		im, _ := d.y.Fields(it, "breaking.ignore entry", "rule", "path", "reason")
		if im == nil {
			continue
		}
		ig := Ignore{Rule: d.str(im["rule"], "rule"), Reason: d.str(im["reason"], "reason"), Pos: d.pos(it)}
		if im["path"] != nil {
			ig.Path = d.ref(im["path"], "path").Path
		}
		if ig.Rule == "" && ig.Path == "" {
			d.diags.Add(ig.Pos, "missing-key", "breaking.ignore entry: give a rule, a path or both (an entry matching everything would turn the check off)")
		}
		if strings.TrimSpace(ig.Reason) == "" {
			d.diags.Add(ig.Pos, "missing-key", "breaking.ignore entry: missing required key \"reason\" (say why this break is accepted)")
		}
		b.Ignore = append(b.Ignore, ig)
	}
}
