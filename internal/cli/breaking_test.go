package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const breakingBase = "../breaking/testdata/base"

// runBreaking is run with the result spread out for compact checks.
func runBreaking(args ...string) (int, string, string) {
	r := run(append([]string{"breaking"}, args...)...)
	return r.code, r.stdout, r.stderr
}

// copyBase copies the breaking-check fixture into a fresh folder, applying
// one text replacement to demo.yaml.
func copyBase(t *testing.T, replace, with string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"demo.yaml", "windows.yaml"} {
		src, err := os.ReadFile(filepath.Join(breakingBase, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "demo.yaml" && replace != "" {
			if !bytes.Contains(src, []byte(replace)) {
				t.Fatalf("fixture lacks %q", replace)
			}
			src = bytes.Replace(src, []byte(replace), []byte(with), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBreakingExitStatuses(t *testing.T) {
	changed := copyBase(t, "{name: port, type: u32}", "{name: port, type: u64}")
	code, out, _ := runBreaking("--against", breakingBase, changed)
	if code != ExitBreaking {
		t.Fatalf("type change: exit %d, want %d\n%s", code, ExitBreaking, out)
	}
	want := filepath.ToSlash(changed) + "/demo.yaml:"
	if !strings.HasPrefix(out, want) || !strings.Contains(out, ": ATTR_TYPE_CHANGED: ") {
		t.Errorf("want path:line:col: ATTR_TYPE_CHANGED: ..., got %q", out)
	}

	added := copyBase(t, "      - {name: opts, type: nest, nested-attributes: opts}\n",
		"      - {name: opts, type: nest, nested-attributes: opts}\n      - {name: later, type: u32}\n")
	if code, out, errs := runBreaking("--against", breakingBase, added); code != ExitOK || out != "" {
		t.Fatalf("addition: exit %d, want 0\n%s%s", code, out, errs)
	}

	bad := copyBase(t, "nested-attributes: opts}", "nested-attributes: nowhere}")
	if code, _, errs := runBreaking("--against", breakingBase, bad); code != ExitError || !strings.Contains(errs, "nowhere") {
		t.Fatalf("broken spec: exit %d, want %d\n%s", code, ExitError, errs)
	}
	if code, _, _ := runBreaking(breakingBase); code != ExitUsage {
		t.Fatalf("missing --against: exit %d, want %d", code, ExitUsage)
	}
	if code, _, _ := runBreaking("--against", breakingBase, "--error-format", "xml", breakingBase); code != ExitUsage {
		t.Fatalf("bad --error-format: exit %d, want %d", code, ExitUsage)
	}
}

func TestBreakingErrorFormats(t *testing.T) {
	changed := copyBase(t, "exact-len: 16", "exact-len: 32")
	code, out, _ := runBreaking("--against", breakingBase, "--error-format", "json", changed)
	if code != ExitBreaking {
		t.Fatalf("exit %d", code)
	}
	var got []struct {
		Path string `json:"path"`
		Line int    `json:"line"`
		Rule string `json:"rule"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(got) != 1 || got[0].Rule != "ATTR_SIZE_CHANGED" || got[0].Line == 0 {
		t.Fatalf("got %+v", got)
	}
	_, out, _ = runBreaking("--against", breakingBase, "--error-format", "github-actions", changed)
	if !strings.HasPrefix(out, "::error file=") || !strings.Contains(out, "title=ATTR_SIZE_CHANGED::") {
		t.Fatalf("github-actions: %q", out)
	}
}

// TestBreakingAgainstGitRevision runs the default form: the config's specs
// against the same files at HEAD of a throwaway repository.
func TestBreakingAgainstGitRevision(t *testing.T) {
	dir := copyBase(t, "", "")
	cfg := "version: 1\nspecs: [demo.yaml]\nwindows: windows.yaml\n"
	if err := os.WriteFile(filepath.Join(dir, "nlgen.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "v1"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	conf := filepath.Join(dir, "nlgen.yaml")
	if code, out, errs := runBreaking("-f", conf, "--against", "HEAD"); code != ExitOK {
		t.Fatalf("unchanged: exit %d\n%s%s", code, out, errs)
	}
	win := filepath.Join(dir, "windows.yaml")
	src, _ := os.ReadFile(win)
	if err := os.WriteFile(win, bytes.Replace(src, []byte("id: 2"), []byte("id: 4"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runBreaking("-f", conf, "--against", "HEAD")
	if code != ExitBreaking || !strings.Contains(out, "WIN_FAMILY_ID_CHANGED: family \"demo\": static Windows id was 18, now 20") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if code, _, errs := runBreaking("-f", conf, "--against", "no-such-revision"); code != ExitError || !strings.Contains(errs, "git revision") {
		t.Fatalf("unknown revision: exit %d\n%s", code, errs)
	}
}
