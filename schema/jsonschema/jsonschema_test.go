package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	js "github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

const repoRoot = "../.."

func compile(t *testing.T, name string, src []byte) *js.Schema {
	t.Helper()
	doc, err := js.UnmarshalJSON(bytes.NewReader(src))
	if err != nil {
		t.Fatalf("%s is not JSON: %v", name, err)
	}
	c := js.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(name, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(name)
	if err != nil {
		t.Fatalf("%s does not compile: %v", name, err)
	}
	return s
}

// yamlDoc reads a YAML file into the JSON data model the validator takes.
func yamlDoc(t *testing.T, path string) any {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	doc, err := js.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// repoFiles finds the repository's own configs and overlays (never the
// hostile fixtures, which are invalid on purpose, nor generated output).
func repoFiles(t *testing.T, match func(path string, src []byte) bool) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(repoRoot, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "out", "hostile", "node_modules":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".yaml") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if match(p, src) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func isOverlay(_ string, src []byte) bool {
	return bytes.HasPrefix(src, []byte("nlgen-windows:")) || bytes.Contains(src, []byte("\nnlgen-windows:"))
}

func TestRepositoryConfigsValidate(t *testing.T) {
	s := compile(t, "nlgen.schema.json", Config)
	files := repoFiles(t, func(p string, _ []byte) bool { return filepath.Base(p) == "nlgen.yaml" })
	if len(files) < 2 {
		t.Fatalf("found only %v; the repo's nlgen.yaml files should be here", files)
	}
	for _, f := range files {
		if err := s.Validate(yamlDoc(t, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestRepositoryOverlaysValidate(t *testing.T) {
	s := compile(t, "nlgen-windows.schema.json", Windows)
	files := repoFiles(t, isOverlay)
	if len(files) < 2 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		if err := s.Validate(yamlDoc(t, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestSchemasRejectWhatTheLoaderRejects checks the schemas are strict about
// the shape problems nlgen's own loader reports.
func TestSchemasRejectWhatTheLoaderRejects(t *testing.T) {
	win := compile(t, "nlgen-windows.schema.json", Windows)
	for _, name := range []string{"unknown-key-top", "unknown-key-family", "unknown-key-operation", "format-version-2",
		"ioctl-method-bogus", "wrong-type-id", "type-families-list", "ioctl-function-overflow"} {
		p := filepath.Join(repoRoot, "testdata", "hostile", "windows", name+".yaml")
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("fixture %s: %v", p, err)
		}
		if err := win.Validate(yamlDoc(t, p)); err == nil {
			t.Errorf("%s validates; the schema should reject it", p)
		}
	}
	cfg := compile(t, "nlgen.schema.json", Config)
	dir := t.TempDir()
	for name, body := range map[string]string{
		"no-version.yaml":  "specs: [a.yaml]\n",
		"version-2.yaml":   "version: 2\nspecs: [a.yaml]\n",
		"unknown-key.yaml": "version: 1\nspecs: [a.yaml]\noutput: []\n",
		"no-dir.yaml":      "version: 1\nspecs: [a.yaml]\noutputs: [{target: docs}]\n",
		"no-specs.yaml":    "version: 1\nspecs: []\n",
		"dir-parent.yaml":  "version: 1\nspecs: [a.yaml]\noutputs: [{target: docs, dir: ../x}]\n",
		"dir-abs.yaml":     "version: 1\nspecs: [a.yaml]\noutputs: [{target: docs, dir: /x, allow-outside: false}]\n",
		"dir-drive.yaml":   "version: 1\nspecs: [a.yaml]\noutputs: [{target: docs, dir: 'C:\\x'}]\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(yamlDoc(t, p)); err == nil {
			t.Errorf("%s validates; the schema should reject it", name)
		}
	}
}

// TestAllowOutside: the schema accepts an outside folder only with the
// explicit key, as the config loader does.
func TestAllowOutside(t *testing.T) {
	cfg := compile(t, "nlgen.schema.json", Config)
	dir := t.TempDir()
	for i, body := range []string{
		"version: 1\nspecs: [a.yaml]\noutputs: [{target: docs, dir: ../x, allow-outside: true}]\n",
		"version: 1\nspecs: [a.yaml]\noutputs: [{target: docs, dir: /x, allow-outside: true}]\n",
		"version: 1\nspecs: [a.yaml]\noutputs: [{target: docs, dir: out/..x}]\n",
	} {
		p := filepath.Join(dir, fmt.Sprintf("%d.yaml", i))
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(yamlDoc(t, p)); err != nil {
			t.Errorf("%q: %v", body, err)
		}
	}
}

// TestYAMLLanguageServerComments checks the repo's files point editors at
// these schemas with paths that exist.
func TestYAMLLanguageServerComments(t *testing.T) {
	for _, f := range []string{filepath.Join(repoRoot, "nlgen.yaml"), filepath.Join(repoRoot, "schema", "ovs", "windows.yaml"),
		filepath.Join(repoRoot, "examples", "gogenerate", "nlgen.yaml")} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		first := strings.SplitN(string(src), "\n", 2)[0]
		const prefix = "# yaml-language-server: $schema="
		if !strings.HasPrefix(first, prefix) {
			t.Errorf("%s: first line %q lacks %q", f, first, prefix)
			continue
		}
		target := filepath.Join(filepath.Dir(f), strings.TrimPrefix(first, prefix))
		if _, err := os.Stat(target); err != nil {
			t.Errorf("%s: schema %s: %v", f, target, err)
		}
	}
}

// TestBreakingIgnoreSchema: the schema takes the breaking.ignore entries
// the config loader takes and refuses those it refuses (no reason, or an
// entry that would match everything).
func TestBreakingIgnoreSchema(t *testing.T) {
	cfg := compile(t, "nlgen.schema.json", Config)
	dir := t.TempDir()
	const head = "version: 1\nspecs: [a.yaml]\nbreaking:\n  ignore:\n"
	for body, ok := range map[string]bool{
		"    - {rule: ATTR_TYPE_CHANGED, reason: never released}\n":          true,
		"    - {path: specs/old.yaml, reason: dropped}\n":                    true,
		"    - {rule: OP_REMOVED, path: specs, reason: moved}\n":             true,
		"    - {rule: ATTR_TYPE_CHANGED}\n":                                  false,
		"    - {reason: everything}\n":                                       false,
		"    - {rule: ATTR_TYPE_CHANGED, reason: x, because: y}\n":           false,
		"    - {rule: attr-type-changed, reason: rule ids are upper case}\n": false,
	} {
		p := filepath.Join(dir, "nlgen.yaml")
		if err := os.WriteFile(p, []byte(head+body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(yamlDoc(t, p)); (err == nil) != ok {
			t.Errorf("%s: validates=%v, want %v (%v)", body, err == nil, ok, err)
		}
	}
}
