package cli

import (
	"bytes"
	"os"
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
