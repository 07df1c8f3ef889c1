package hostile

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// repoRoot is the module root seen from this package's folder.
const repoRoot = "../.."

// corpusDir holds the committed malformed inputs, one folder per kind.
var corpusDir = filepath.Join(repoRoot, "testdata", "hostile")

// Kinds of hostile input; each is run in its own kind of workspace.
const (
	kindSpec    = "spec"    // a YNL family spec
	kindWindows = "windows" // a Windows overlay, loaded with the OVS specs
	kindConfig  = "config"  // an nlgen.yaml
)

// hostileCase is one malformed input and the diagnostic it must produce.
type hostileCase struct {
	Name string // kind/file-stem, for subtest names
	Kind string
	File string // committed path; "" for generated cases
	Src  []byte
	Want string // "line:col: rule" of a diagnostic that must be printed
}

// wantRE is the first line of every corpus file: the expected diagnostic.
var wantRE = regexp.MustCompile(`^# want: (\d+:\d+: [a-z-]+)\n`)

// loadCorpus reads every committed case. The expectation lives in the
// file itself so a case and its verdict cannot drift apart.
func loadCorpus(t testing.TB) []hostileCase {
	t.Helper()
	var cases []hostileCase
	for _, kind := range []string{kindSpec, kindWindows, kindConfig} {
		files, err := filepath.Glob(filepath.Join(corpusDir, kind, "*.yaml"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no corpus files under %s/%s (%v)", corpusDir, kind, err)
		}
		sort.Strings(files)
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			c := hostileCase{Name: kind + "/" + strings.TrimSuffix(filepath.Base(f), ".yaml"), Kind: kind, File: f, Src: src}
			if m := wantRE.FindSubmatch(src); m != nil {
				c.Want = string(m[1])
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// generatedCases are too big to commit; they are built on the fly.
func generatedCases() []hostileCase {
	huge := bytes.Repeat([]byte("# padding padding padding padding padding padding padding\n"), (20<<20)/58+1)
	deepBlock := new(bytes.Buffer)
	deepBlock.WriteString("name: hf\ndoc: d\nattribute-sets:\n")
	for i := 0; i < 5000; i++ {
		deepBlock.WriteString(strings.Repeat(" ", i+1) + "- \n")
	}
	return []hostileCase{
		{Name: "generated/20mb-spec", Kind: kindSpec, Src: huge, Want: "1:1: limit"},
		{Name: "generated/20mb-overlay", Kind: kindWindows, Src: huge, Want: "1:1: limit"},
		{Name: "generated/20mb-config", Kind: kindConfig, Src: huge, Want: "1:1: limit"},
		{Name: "generated/5000-deep-flow-mapping", Kind: kindSpec,
			Src: []byte("name: hf\ndoc: " + strings.Repeat("{a: ", 5000) + "b" + strings.Repeat("}", 5000) + "\n"), Want: "2:262: limit"},
		{Name: "generated/5000-deep-indented-sequences", Kind: kindSpec, Src: deepBlock.Bytes(), Want: "1:1: limit"},
	}
}
