package goruntime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/internal/gentest"
)

// TestRuntimeFileIsCurrent: runtime/genl/ovswin_gen.go is what the
// built-in spec and overlay give (make generate runs this with -update).
// runtime/genl's own tests pin the values against the driver's headers.
func TestRuntimeFileIsCurrent(t *testing.T) {
	f, err := File(gentest.Model(t, "../../nlgen.yaml"))
	require.NoError(t, err)
	p := filepath.Join("..", "..", filepath.FromSlash(f.Path))
	if *gentest.Update {
		require.NoError(t, os.WriteFile(p, f.Content, 0o644))
	}
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, string(f.Content), string(got), "%s is stale: run make generate (go test ./gen/goruntime -update)", f.Path)
}
