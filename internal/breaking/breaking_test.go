package breaking

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/nlgen/nlgen/schema"
)

type edit struct {
	File    string `yaml:"file"`
	Replace string `yaml:"replace"`
	With    string `yaml:"with"`
}

type mutation struct {
	Rule  string `yaml:"rule"`
	Name  string `yaml:"name"`
	Edits []edit `yaml:"edits"`
}

func loadMutations(t *testing.T) []mutation {
	t.Helper()
	src, err := os.ReadFile("testdata/mutations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var ms []mutation
	if err := yaml.Unmarshal(src, &ms); err != nil {
		t.Fatal(err)
	}
	return ms
}

// baseInputs reads testdata/base, applying edits; each replaced text must
// occur exactly once so a stale fixture cannot silently test nothing.
func baseInputs(t *testing.T, edits []edit) []Input {
	t.Helper()
	in, err := ReadDir("testdata/base")
	if err != nil {
		t.Fatal(err)
	}
	// The netlink-raw family sits apart so the CLI tests, which compare
	// against testdata/base, see the genetlink family alone.
	raw, err := ReadDir("testdata/raw")
	if err != nil {
		t.Fatal(err)
	}
	in = append(in, raw...)
	for _, e := range edits {
		found := false
		for i := range in {
			if filepath.Base(in[i].Path) != e.File {
				continue
			}
			found = true
			s := string(in[i].Src)
			if n := strings.Count(s, e.Replace); n != 1 {
				t.Fatalf("%s: %q occurs %d times, want 1", e.File, e.Replace, n)
			}
			in[i].Src = []byte(strings.Replace(s, e.Replace, e.With, 1))
		}
		if !found {
			t.Fatalf("no base file %s", e.File)
		}
	}
	return in
}

func snapshot(t *testing.T, in []Input) *Snapshot {
	t.Helper()
	specs, win, err := Split(in)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(specs, win)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return s
}

func rulesOf(ds schema.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Rule)
	}
	return out
}

func TestMutationsFireExactlyTheirRule(t *testing.T) {
	old := snapshot(t, baseInputs(t, nil))
	covered := map[string]bool{}
	for _, m := range loadMutations(t) {
		name := m.Rule
		if m.Name != "" {
			name += " " + m.Name
		}
		if name == "" {
			name = "compatible"
		}
		t.Run(name, func(t *testing.T) {
			got := Compare(old, snapshot(t, baseInputs(t, m.Edits)))
			if m.Rule == "" {
				if len(got) != 0 {
					t.Fatalf("compatible change reported:\n%v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Rule != m.Rule {
				t.Fatalf("want exactly one %s, got %v:\n%v", m.Rule, rulesOf(got), got)
			}
			if got[0].Pos.Line == 0 || !strings.HasPrefix(got[0].Pos.File, "testdata/") {
				t.Errorf("finding has no position in the specs: %v", got[0])
			}
			covered[m.Rule] = true
		})
	}
	covered["FAMILY_REMOVED"] = true // TestFamilyRemoved
	for _, r := range Rules {
		if !covered[r.ID] {
			t.Errorf("rule %s has no mutation in testdata/mutations.yaml", r.ID)
		}
	}
}

func TestIdenticalIsCompatible(t *testing.T) {
	if got := Compare(snapshot(t, baseInputs(t, nil)), snapshot(t, baseInputs(t, nil))); len(got) != 0 {
		t.Fatalf("identical snapshots differ: %v", got)
	}
}

func TestFamilyRemoved(t *testing.T) {
	base := baseInputs(t, nil)
	specs, _, err := Split(base)
	if err != nil {
		t.Fatal(err)
	}
	var demo Input
	for _, in := range specs {
		if filepath.Base(in.Path) == "demo.yaml" {
			demo = in
		}
	}
	other := Input{Path: "testdata/other.yaml", Src: []byte(strings.Replace(string(demo.Src), "\nname: demo\n", "\nname: other\n", 1))}
	got := Compare(snapshot(t, []Input{demo}), snapshot(t, []Input{other}))
	if len(got) != 1 || got[0].Rule != "FAMILY_REMOVED" {
		t.Fatalf("want one FAMILY_REMOVED, got %v", got)
	}
	// Removals point at the old spec.
	if got[0].Pos.File != "testdata/base/demo.yaml" || got[0].Pos.Line == 0 {
		t.Errorf("position %v, want the old spec's name", got[0].Pos)
	}
}

func TestChangesPointAtNewSpecRemovalsAtOld(t *testing.T) {
	old := snapshot(t, baseInputs(t, nil))
	in := baseInputs(t, []edit{{File: "demo.yaml", Replace: "{name: port, type: u32}", With: "{name: port, type: u64}"}})
	for i := range in {
		in[i].Path = strings.Replace(in[i].Path, "base", "new", 1)
	}
	got := Compare(old, snapshot(t, in))
	if len(got) != 1 || got[0].Pos.File != "testdata/new/demo.yaml" {
		t.Fatalf("want the change at the new spec, got %v", got)
	}
	if want := "was u32, now u64"; !strings.Contains(got[0].Msg, want) {
		t.Errorf("message %q lacks %q", got[0].Msg, want)
	}
}

func TestReadGitRef(t *testing.T) {
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		if out, err := runGit(dir, args...); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	spec := filepath.Join(dir, "specs", "demo.yaml")
	if err := os.MkdirAll(filepath.Dir(spec), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(spec, []byte("name: v1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("init", "-q")
	git("add", ".")
	git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "v1")
	if err := os.WriteFile(spec, []byte("name: v2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := ReadGitRef("HEAD", []string{spec})
	if err != nil {
		t.Fatal(err)
	}
	if string(in[0].Src) != "name: v1\n" || !strings.HasPrefix(in[0].Path, "HEAD:") {
		t.Fatalf("got %q from %s", in[0].Src, in[0].Path)
	}
	// A spec added after the revision is skipped (an addition), not an error.
	added := filepath.Join(dir, "specs", "added.yaml")
	if err := os.WriteFile(added, []byte("name: new\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if in, err := ReadGitRef("HEAD", []string{spec, added}); err != nil || len(in) != 1 {
		t.Fatalf("new file at HEAD: %v, %d inputs", err, len(in))
	}
	if _, err := ReadAny("HEAD", []string{added}); err == nil || !strings.Contains(err.Error(), "has none of the spec files") {
		t.Fatalf("revision without any spec: %v", err)
	}
	if _, err := ReadAny("no-such-ref", []string{spec}); err == nil || !strings.Contains(err.Error(), "neither a file, a folder nor a git revision") {
		t.Fatalf("bad ref: %v", err)
	}
	if _, err := ReadGitRef("--output=x", []string{spec}); err == nil {
		t.Fatal("an option-like ref must be refused")
	}
}

func runGit(dir string, args ...string) ([]byte, error) {
	return exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
}

// TestRulesDocumented keeps docs/tooling.md's rule table complete.
func TestRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/tooling.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rules {
		if !strings.Contains(string(doc), "`"+r.ID+"`") {
			t.Errorf("docs/tooling.md does not describe %s", r.ID)
		}
	}
}
