package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A list entry of the wrong type is a schema error and a dangling
// reference at once; one diagnostic is printed, the resolver's.
func TestSchemaAndResolverReportOnce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f.yaml")
	src := `name: f
doc: d
attribute-sets:
  - name: s
    attributes:
      - {name: a, type: u32}
operations:
  list:
    - {name: get, doc: x, attribute-set: s, do: {request: {attributes: [a, 42]}}}
`
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadSpecs([]string{p}, "", filepath.ToSlash)
	if err == nil {
		t.Fatal("accepted")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `f.yaml:9:76: reference: operation "get" do request: set "s" has no attribute "42"`) {
		t.Fatalf("want one reference diagnostic, got:\n%s", err)
	}
}
