package hostile

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen"

	"github.com/nlgen/nlgen/internal/pipeline"
)

// targets lists every registered generator, so the hostile and escaping
// tests cover generators added after they were written.
func targets(t testing.TB) []string {
	t.Helper()
	names := pipeline.TargetNames()
	if len(names) == 0 {
		t.Fatal("no generators are registered")
	}
	return names
}

// yamlOptions renders options as a YAML flow mapping for a test config.
func yamlOptions(opts gen.Options) string {
	var kv []string
	for k, v := range opts {
		kv = append(kv, fmt.Sprintf("%s: %q", k, v))
	}
	sort.Strings(kv)
	return "{" + strings.Join(kv, ", ") + "}"
}
