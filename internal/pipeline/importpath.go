package pipeline

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// GoImportPath derives the Go import path of dir (which need not exist
// yet) as the go command would see it: the module path of the nearest
// go.mod at or above dir, joined with dir's path below that go.mod. The go
// target uses it when its import-path option is not given, so a starter
// config generates Go that builds in the user's module unchanged.
func GoImportPath(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; {
		src, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod, err := modulePath(src)
			if err != nil {
				return "", fmt.Errorf("%s: %w", filepath.Join(d, "go.mod"), err)
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", err
			}
			if rel == "." {
				return mod, nil
			}
			return mod + "/" + filepath.ToSlash(rel), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod at or above %s", filepath.ToSlash(abs))
		}
		d = parent
	}
}

// modulePath reads the module directive of a go.mod: `module path`, the
// path possibly quoted, comments after //. It is the one line of go.mod
// this needs, so golang.org/x/mod is not worth its weight here.
func modulePath(src []byte) (string, error) {
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) != 2 || f[0] != "module" {
			continue
		}
		p := f[1]
		if strings.HasPrefix(p, `"`) || strings.HasPrefix(p, "`") {
			u, err := strconv.Unquote(p)
			if err != nil {
				return "", fmt.Errorf("malformed module path %s", p)
			}
			p = u
		}
		if p == "" {
			break
		}
		return p, nil
	}
	return "", errors.New("no module directive")
}
