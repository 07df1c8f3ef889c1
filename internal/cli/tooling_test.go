package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestInitWritesAWorkingStarter(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "proj")
	r := run("init", "--family", "counters", dir)
	if r.code != ExitOK {
		t.Fatalf("init: exit %d\n%s", r.code, r.stderr)
	}
	cfg := filepath.Join(dir, "nlgen.yaml")
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(src), "# yaml-language-server: $schema=") {
		t.Errorf("starter config lacks the schema comment:\n%s", src)
	}
	if r := run("lint", "-f", cfg); r.code != ExitOK || r.stdout != "" {
		t.Fatalf("starter does not lint clean: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run("generate", "-f", cfg); r.code != ExitOK {
		t.Fatalf("starter does not generate: exit %d\n%s", r.code, r.stderr)
	}
	for _, f := range []string{"out/include/linux/counters.h", "out/docs/counters.md"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			t.Errorf("generate did not write %s: %v", f, err)
		}
	}
	if r := run("diff", "-f", cfg); r.code != ExitOK {
		t.Fatalf("diff right after generate: exit %d\n%s", r.code, r.stderr)
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "specs", "example.yaml")
	if err := os.MkdirAll(filepath.Dir(spec), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(spec, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run("init", dir)
	if r.code != ExitError || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "nlgen.yaml")); err == nil {
		t.Error("init wrote nlgen.yaml although it refused")
	}
	if b, _ := os.ReadFile(spec); string(b) != "mine" {
		t.Errorf("existing spec was changed to %q", b)
	}
	if r := run("init", "--family", "Has Space", t.TempDir()); r.code != ExitUsage {
		t.Errorf("bad family name: exit %d", r.code)
	}
}

func TestShellCompletion(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash": "__start_nlgen", "zsh": "#compdef nlgen", "fish": "complete -c nlgen", "powershell": "Register-ArgumentCompleter",
	} {
		r := run("completion", shell)
		if r.code != ExitOK || !strings.Contains(r.stdout, marker) {
			t.Errorf("completion %s: exit %d, output lacks %q", shell, r.code, marker)
		}
	}
	// Cobra's hidden __complete command is what the scripts call.
	r := run("__complete", "brea")
	if r.code != ExitOK || !strings.Contains(r.stdout, "breaking") {
		t.Errorf("__complete brea: exit %d\n%s", r.code, r.stdout)
	}
	r = run("__complete", "breaking", "--error-format", "")
	if r.code != ExitOK || !strings.Contains(r.stdout, "github-actions") {
		t.Errorf("--error-format values are not completed:\n%s", r.stdout)
	}
	r = run("__complete", "call", "--spec", "testdata/mini/demo.yaml", "--do", "")
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, "get\n") {
		t.Errorf("call --do does not complete the spec's operations:\n%s", r.stdout)
	}
}

// TestEveryCommandHasHelpWithExamples walks the whole command tree.
func TestEveryCommandHasHelpWithExamples(t *testing.T) {
	a := &app{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	root := a.rootCommand()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			if sub.Short == "" || sub.Example == "" {
				t.Errorf("%s: needs Short and Example", sub.CommandPath())
			}
			r := run(append(strings.Fields(strings.TrimPrefix(sub.CommandPath(), "nlgen ")), "--help")...)
			if r.code != ExitOK || !strings.Contains(r.stdout, "Examples:") {
				t.Errorf("%s --help: exit %d, no Examples section", sub.CommandPath(), r.code)
			}
			walk(sub)
		}
	}
	walk(root)
}

// TestInitInAGoModuleGeneratesGoThatBuilds: in a Go module, init adds the
// go target without an import path, generate derives it from go.mod, and
// the generated package builds and vets in the user's module (which
// requires nlgen's runtime, here through a replace of this checkout).
func TestInitInAGoModuleGeneratesGoThatBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module; skipped with -short")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	gomod := "module example.com/me\n\ngo 1.26\n\nrequire github.com/nlgen/nlgen v0.0.0\n\nreplace github.com/nlgen/nlgen => " + filepath.ToSlash(repo) + "\n"
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(mod, "netlink")
	r := run("init", "--family", "my-counters", dir)
	if r.code != ExitOK {
		t.Fatalf("init: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Go package: example.com/me/netlink/out/go/mycounters") {
		t.Errorf("init does not name the Go package:\n%s", r.stdout)
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "nlgen.yaml"))
	if !strings.Contains(string(cfg), "\n  - target: go\n    dir: out/go\n") || strings.Contains(string(cfg), "\n    options:") {
		t.Fatalf("starter config in a module should have a go output without import-path:\n%s", cfg)
	}
	if r := run("generate", "-f", filepath.Join(dir, "nlgen.yaml")); r.code != ExitOK {
		t.Fatalf("generate: exit %d\n%s", r.code, r.stderr)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %v in the user's module: %v\n%s", args, err, out)
		}
	}
	client, err := os.ReadFile(filepath.Join(dir, "out", "go", "mycounters", "client.go"))
	if err != nil || !strings.Contains(string(client), "package mycounters") {
		t.Fatalf("generated client: %v", err)
	}
}

// TestGoOutputOutsideAModule: without import-path and without a go.mod
// to derive it from, generate says so and writes nothing.
func TestGoOutputOutsideAModule(t *testing.T) {
	dir := t.TempDir()
	if r := run("init", dir); r.code != ExitOK || !strings.Contains(r.stdout, "no Go output") {
		t.Fatalf("init outside a module: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	cfgPath := filepath.Join(dir, "nlgen.yaml")
	cfg, _ := os.ReadFile(cfgPath)
	if !strings.Contains(string(cfg), "  # - target: go\n") {
		t.Fatalf("the go output should be commented out:\n%s", cfg)
	}
	edited := strings.Replace(string(cfg), "  # - target: go\n  #   dir: out/go\n", "  - target: go\n    dir: out/go\n", 1)
	if err := os.WriteFile(cfgPath, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	r := run("generate", "-f", cfgPath)
	if r.code != ExitError || !strings.Contains(r.stderr, "option import-path is not set and cannot be derived: no go.mod") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("a failed generate wrote outputs")
	}
}
