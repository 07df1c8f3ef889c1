package gencache

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
)

func TestRoundTripAndDamage(t *testing.T) {
	t.Setenv(Env, t.TempDir())
	c := Open()
	require.NotNil(t, c)
	files := []gen.File{{Path: "a/b.h", Content: []byte("x\x00y")}, {Path: "c.go", Content: nil}}
	key := Key("t", nil, &ir.Model{}, nil)
	_, ok := c.Get(key)
	assert.False(t, ok)
	c.Put(key, files)
	got, ok := c.Get(key)
	require.True(t, ok)
	assert.Equal(t, "a/b.h", got[0].Path)
	assert.Equal(t, []byte("x\x00y"), got[0].Content)
	assert.Equal(t, "c.go", got[1].Path)

	// A damaged entry is a miss, never wrong bytes.
	p := c.path(key)
	data, _ := os.ReadFile(p)
	data[len(data)-1] ^= 1
	require.NoError(t, os.WriteFile(p, data, 0o644))
	_, ok = c.Get(key)
	assert.False(t, ok)
	require.NoError(t, os.WriteFile(p, data[:10], 0o644))
	_, ok = c.Get(key)
	assert.False(t, ok)
}

func TestKeyCoversInputs(t *testing.T) {
	f := &ir.Family{Name: "f", SpecPath: "f.yaml", SpecHash: "1"}
	m := &ir.Model{Families: []*ir.Family{f}}
	base := Key("go", gen.Options{"a": "1"}, m, m.Families)
	assert.Equal(t, base, Key("go", gen.Options{"a": "1"}, m, m.Families), "stable")
	assert.NotEqual(t, base, Key("c-uapi", gen.Options{"a": "1"}, m, m.Families), "target")
	assert.NotEqual(t, base, Key("go", gen.Options{"a": "2"}, m, m.Families), "options")
	assert.NotEqual(t, base, Key("go", gen.Options{"a": "1"}, m, nil), "selected families")
	f2 := *f
	f2.SpecHash = "2"
	assert.NotEqual(t, base, Key("go", gen.Options{"a": "1"}, &ir.Model{Families: []*ir.Family{&f2}}, m.Families), "spec bytes")
	w := &ir.Model{Families: m.Families, Windows: &ir.Windows{Hash: "w"}}
	assert.NotEqual(t, base, Key("go", gen.Options{"a": "1"}, w, m.Families), "overlay")
}

func TestOff(t *testing.T) {
	t.Setenv(Env, "off")
	c := Open()
	assert.Nil(t, c)
	c.Put("k", nil) // a nil cache stores nothing and does not fail
	_, ok := c.Get("k")
	assert.False(t, ok)
}

func TestTrimRemovesStaleEntries(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(Env, dir)
	c := Open()
	old := Key("old", nil, &ir.Model{}, nil)
	c.Put(old, []gen.File{{Path: "x", Content: []byte("1")}})
	long := time.Now().Add(-maxUnused - time.Hour)
	require.NoError(t, os.Chtimes(c.path(old), long, long))
	require.NoError(t, os.Chtimes(filepath.Join(dir, "trim.txt"), long, long))
	fresh := Key("fresh", nil, &ir.Model{}, nil)
	c.Put(fresh, []gen.File{{Path: "y"}})
	_, ok := c.Get(old)
	assert.False(t, ok, "stale entry trimmed")
	_, ok = c.Get(fresh)
	assert.True(t, ok)
}
