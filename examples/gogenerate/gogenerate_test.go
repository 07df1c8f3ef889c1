package gogenerate

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
)

// snapshot maps every file under dir to its bytes.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGoGenerateIsCurrent runs go generate here and fails on any change:
// a new, changed or removed file. The tree is put back as it was, so a
// failing run leaves nothing behind.
func TestGoGenerateIsCurrent(t *testing.T) {
	before := snapshot(t, ".")
	cmd := exec.Command("go", "generate", "./...")
	out, err := cmd.CombinedOutput()
	after := snapshot(t, ".")
	var changed []string
	for p, b := range after {
		if old, ok := before[p]; !ok || !bytes.Equal(old, b) {
			changed = append(changed, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	for _, p := range changed {
		if b, ok := before[p]; ok {
			_ = os.WriteFile(p, b, 0o644)
		} else {
			_ = os.Remove(p)
		}
	}
	if err != nil {
		t.Fatalf("go generate ./...: %v\n%s", err, out)
	}
	if len(changed) > 0 {
		t.Fatalf("go generate changed %v; run go generate ./... in examples/gogenerate and commit the result", changed)
	}
}
