package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoImportPath(t *testing.T) {
	root := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "mod", "go.mod"), "// a comment\nmodule example.com/me // trailing\n\ngo 1.26\n")
	write(filepath.Join(root, "mod", "nested", "go.mod"), "module \"example.com/nested\"\n")
	write(filepath.Join(root, "bad", "go.mod"), "go 1.26\n")
	for dir, want := range map[string]string{
		"mod":                    "example.com/me",
		"mod/out/go":             "example.com/me/out/go", // need not exist yet
		"mod/nested/gen":         "example.com/nested/gen",
		"mod/nested/../x/../out": "example.com/me/out",
	} {
		got, err := GoImportPath(filepath.Join(root, filepath.FromSlash(dir)))
		if err != nil || got != want {
			t.Errorf("GoImportPath(%s) = %q, %v; want %q", dir, got, err, want)
		}
	}
	if _, err := GoImportPath(filepath.Join(root, "bad", "out")); err == nil || !strings.Contains(err.Error(), "no module directive") {
		t.Errorf("go.mod without a module directive: %v", err)
	}
	if _, err := GoImportPath(filepath.Join(root, "none", "out")); err == nil || !strings.Contains(err.Error(), "no go.mod") {
		if _, statErr := os.Stat("/go.mod"); statErr != nil {
			t.Errorf("no go.mod anywhere above: %v", err)
		}
	}
}
