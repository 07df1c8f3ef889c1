// Package gencache remembers what a generator produced for given inputs,
// the way Go's build cache remembers compiled packages: generators are
// pure functions of the model, so the same inputs give the same files and
// rendering them again (gofmt of the generated Go is most of a run) can be
// skipped. The key covers every spec and overlay byte, the target, its
// options and the nlgen executable itself, so a changed spec or a rebuilt
// nlgen never sees a stale entry. Entries are checked on read; a damaged
// one is a miss. The files are still compared with the disk as usual, so
// a hand-edited output is reported as drift whatever the cache holds.
package gencache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/ir"
)

// Env names the variable that moves the cache ("off" disables it).
const Env = "NLGEN_CACHE"

// Cache is a folder of entries; the zero Cache (nil) caches nothing.
type Cache struct {
	dir      string
	readOnly bool
}

// ReadOnly returns a cache that uses entries c holds but never writes:
// no new entries, no refreshed times, no trimming. Commands that promise
// to write nothing (nlgen diff) use it.
func (c *Cache) ReadOnly() *Cache {
	if c == nil {
		return nil
	}
	return &Cache{dir: c.dir, readOnly: true}
}

// Open returns the cache selected by NLGEN_CACHE (a folder, or "off"), by
// default a folder in the user's cache directory; nil when disabled or
// when there is no usable folder.
func Open() *Cache {
	dir := os.Getenv(Env)
	switch dir {
	case "off", "0", "false":
		return nil
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return nil
		}
		dir = filepath.Join(base, "nlgen")
	}
	return &Cache{dir: dir}
}

// Key identifies one generator run: the target, its options, the
// families it renders, every family's input hash (specs and overlay) and
// the running executable.
func Key(target string, opts gen.Options, m *ir.Model, fams []*ir.Family) string {
	h := sha256.New()
	fmt.Fprintf(h, "nlgen-cache-v1\x00%s\x00%s\x00%s\x00", gen.Version, executableID(), target)
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "opt %s=%s\x00", k, opts[k])
	}
	for _, f := range fams {
		fmt.Fprintf(h, "render %s\x00", f.Name)
	}
	for _, f := range m.Families {
		fmt.Fprintf(h, "model %s %s %s\x00", f.Name, f.SpecPath, f.SpecHash)
	}
	if m.Windows != nil {
		fmt.Fprintf(h, "windows %s %s\x00", m.Windows.SourcePath, m.Windows.Hash)
	}
	return hex.EncodeToString(h.Sum(nil))
}

var executableID = sync.OnceValue(func() string {
	// A rebuilt nlgen (or test binary) must not reuse entries of the old
	// one: the path, size and time of the executable change with every
	// build; the module version identifies a released one.
	id := "unknown"
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			id = fmt.Sprintf("%s %d %d", exe, st.Size(), st.ModTime().UnixNano())
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		id += " " + bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				id += " " + s.Value
			}
		}
	}
	return id
})

func (c *Cache) path(key string) string { return filepath.Join(c.dir, key[:2], key) }

// Get returns the files stored under key.
func (c *Cache) Get(key string) ([]gen.File, bool) {
	if c == nil {
		return nil, false
	}
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, false
	}
	files, err := decode(data)
	if err != nil {
		return nil, false
	}
	if !c.readOnly {
		markUsed(c.path(key))
	}
	return files, true
}

// Entries unused for this long are deleted, at most once a day, as Go's
// build cache does; a hit refreshes an entry's time.
const (
	maxUnused    = 7 * 24 * time.Hour
	trimInterval = 24 * time.Hour
)

func markUsed(p string) {
	if st, err := os.Stat(p); err == nil && time.Since(st.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(p, now, now)
	}
}

// trim removes stale entries when the last trim is a day old.
func (c *Cache) trim() {
	marker := filepath.Join(c.dir, "trim.txt")
	if st, err := os.Stat(marker); err == nil && time.Since(st.ModTime()) < trimInterval {
		return
	}
	os.WriteFile(marker, []byte("nlgen generator cache: last trimmed\n"), 0o644)
	filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == marker {
			return nil
		}
		if info, err := d.Info(); err == nil && time.Since(info.ModTime()) > maxUnused {
			os.Remove(p)
		}
		return nil
	})
}

// Put stores files under key. Failing to store is not an error: the cache
// only saves time.
func (c *Cache) Put(key string, files []gen.File) {
	if c == nil || c.readOnly {
		return
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(encode(files))
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
	c.trim()
}

// The entry format: a sha256 of the rest, then per file the path length,
// the path, the content length and the content (lengths as uvarints).
func encode(files []gen.File) []byte {
	var body []byte
	for _, f := range files {
		body = binary.AppendUvarint(body, uint64(len(f.Path)))
		body = append(body, f.Path...)
		body = binary.AppendUvarint(body, uint64(len(f.Content)))
		body = append(body, f.Content...)
	}
	sum := sha256.Sum256(body)
	return append(sum[:], body...)
}

var errDamaged = errors.New("damaged cache entry")

func decode(data []byte) ([]gen.File, error) {
	if len(data) < sha256.Size {
		return nil, errDamaged
	}
	sum, body := data[:sha256.Size], data[sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errDamaged
	}
	var files []gen.File
	for len(body) > 0 {
		var f gen.File
		var ok bool
		var raw []byte
		if raw, body, ok = chunk(body); !ok {
			return nil, errDamaged
		}
		f.Path = string(raw)
		if f.Content, body, ok = chunk(body); !ok {
			return nil, errDamaged
		}
		files = append(files, f)
	}
	return files, nil
}

func chunk(b []byte) ([]byte, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}
