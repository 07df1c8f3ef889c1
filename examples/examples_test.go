// Package examples tests the CI snippet and the pre-commit hook shipped
// for users, so the copies people paste keep working.
package examples

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestGitHubActionsSnippet(t *testing.T) {
	src, err := os.ReadFile("ci/github-actions.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatalf("not YAML: %v", err)
	}
	var runs []string
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			runs = append(runs, s.Run)
		}
	}
	all := strings.Join(runs, "\n")
	for _, want := range []string{"nlgen lint --error-format github-actions", "nlgen diff", "nlgen breaking --against", "--error-format github-actions"} {
		if !strings.Contains(all, want) {
			t.Errorf("workflow does not run %q", want)
		}
	}
	var pc map[string]any
	src, err = os.ReadFile("pre-commit/.pre-commit-config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(src, &pc); err != nil {
		t.Fatalf("pre-commit config is not YAML: %v", err)
	}
}

// TestPreCommitHook installs the hook in a fresh repository made by
// nlgen init and checks it passes a clean commit and stops stale output
// and a breaking change.
func TestPreCommitHook(t *testing.T) {
	dir := t.TempDir()
	nlgen := filepath.Join(dir, "nlgen")
	build := exec.Command("go", "build", "-o", nlgen, "github.com/nlgen/nlgen/cmd/nlgen")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build nlgen: %v\n%s", err, out)
	}
	repo := filepath.Join(dir, "repo")
	sh := func(wantOK bool, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "NLGEN="+nlgen, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if (err == nil) != wantOK {
			t.Fatalf("%s %v: err %v, want ok=%v\n%s", name, args, err, wantOK, out)
		}
		return string(out)
	}
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	sh(true, nlgen, "init")
	sh(true, nlgen, "generate")
	sh(true, "git", "init", "-q")
	hook, err := filepath.Abs("pre-commit/pre-commit")
	if err != nil {
		t.Fatal(err)
	}
	sh(true, "git", "add", ".")
	sh(true, hook) // no HEAD yet: lint and diff only
	sh(true, "git", "commit", "-q", "-m", "start")
	sh(true, hook)

	spec := filepath.Join(repo, "specs", "example.yaml")
	src, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	// Stale output: the spec changed compatibly but nothing was generated.
	added := strings.Replace(string(src), "        doc: Current value.\n", "        doc: Current value.\n      -\n        name: limit\n        type: u64\n", 1)
	if err := os.WriteFile(spec, []byte(added), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := sh(false, hook); !strings.Contains(out, "generated files are stale") {
		t.Errorf("stale output not reported:\n%s", out)
	}
	sh(true, nlgen, "generate")
	sh(true, hook)
	// A breaking change, generated and current, is still refused.
	broken := strings.Replace(added, "        name: value\n        type: uint\n", "        name: value\n        type: u32\n", 1)
	if err := os.WriteFile(spec, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	sh(true, nlgen, "generate")
	if out := sh(false, hook); !strings.Contains(out, "ATTR_TYPE_CHANGED") {
		t.Errorf("breaking change not reported:\n%s", out)
	}
}

// TestExamplesRunFromAFreshClone: every example is a main package that
// builds with no build tags, and every package it needs from this module
// is committed (an example on generated code that a test must create
// first fails in a fresh clone).
func TestExamplesRunFromAFreshClone(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	tracked, err := exec.Command("git", "ls-files", "--full-name", "..").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	trackedDirs := map[string]bool{}
	for _, f := range strings.Split(string(tracked), "\n") {
		if strings.HasSuffix(f, ".go") {
			trackedDirs[filepath.Dir(f)] = true
		}
	}
	var mains int
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		out, err := exec.Command("go", "list", "-f", "{{.Name}}", "./"+e.Name()).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "main" {
			continue // ci, pre-commit, gogenerate: not programs
		}
		mains++
		if !trackedDirs["examples/"+e.Name()] {
			t.Errorf("examples/%s is not committed", e.Name())
		}
		deps, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./"+e.Name()).CombinedOutput()
		if err != nil {
			t.Fatalf("go list ./examples/%s: %v\n%s", e.Name(), err, deps)
		}
		for _, d := range strings.Fields(string(deps)) {
			rel, ok := strings.CutPrefix(d, "github.com/nlgen/nlgen/")
			if ok && !trackedDirs[rel] {
				t.Errorf("examples/%s needs %s, which is not committed", e.Name(), d)
			}
		}
		if out, err := exec.Command("go", "build", "-o", os.DevNull, "./"+e.Name()).CombinedOutput(); err != nil {
			t.Errorf("go build ./examples/%s: %v\n%s", e.Name(), err, out)
		}
	}
	if mains < 2 {
		t.Fatalf("found %d example programs, want netdevs and ovsdpctl at least", mains)
	}
}
