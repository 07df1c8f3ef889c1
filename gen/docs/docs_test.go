package docs

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

func generate(t *testing.T) []gen.File {
	t.Helper()
	// Loaded without internal/pipeline, which imports this package.
	spec, err := schema.LoadSpecFile("testdata/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	win, err := schema.LoadWindowsFile("testdata/windows.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m, err := ir.Resolve([]ir.Source{{Spec: spec, DisplayPath: "testdata/demo.yaml"}}, win, "testdata/windows.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(&gen.Request{Model: m, Families: m.Families, Target: "docs"})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGolden(t *testing.T) {
	files := generate(t)
	want := map[string]bool{}
	for _, f := range files {
		want[f.Path] = true
		golden := filepath.Join("testdata", "golden", f.Path)
		if *update {
			if err := os.WriteFile(golden, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		exp, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./gen/docs -update)", err)
		}
		if string(exp) != string(f.Content) {
			t.Errorf("%s differs from %s; run go test ./gen/docs -update and review the diff", f.Path, golden)
		}
	}
	entries, _ := os.ReadDir(filepath.Join("testdata", "golden"))
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("stale golden file %s", e.Name())
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := generate(t), generate(t)
	for i := range a {
		if string(a[i].Content) != string(b[i].Content) {
			t.Fatalf("%s differs between runs", a[i].Path)
		}
	}
}

func TestFactsOnThePage(t *testing.T) {
	page := string(generate(t)[0].Content)
	for _, want := range []string{
		gen.GeneratedMarker,
		"| 2 | `port` | u32 | 4 | min 1; max 4095; `demoPolicy`: `NL_A_U16` (override: the driver stores ports in 16 bits) |",
		"| 1 | `name` | string | variable | max-len 15 (`DEMO_NAME_LEN - 1`); `demoPolicy`: `NL_A_STRING` maxLen `DEMO_NAME_LEN - 1 + 1` required |",
		"| 8 | 4 | `bytes` | u32 |",
		"| Windows handler | `DemoGetHandler` |",
		"| Windows devOps | read, write, transaction (0x7) |",
		"| Static family id | 18 = `OVS_WIN_NL_DEMO_FAMILY_ID` |",
		`\# This line is text, not a heading; &lt;b&gt;tags&lt;/b&gt;, \| pipes and \` + "`ticks\\`",
		"| 4 or 8 |",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestCodeSpansCannotBeClosedByNames(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "`plain`",
		"a`b":   "`` a`b ``",
		"a``b`": "``` a``b` ```",
		" lead": "`  lead `",
		"":      "",
		"A | B": "`A \\| B`",
	} {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cell("a|b\nc"); got != `a\|b c` {
		t.Errorf("cell = %q", got)
	}
}
