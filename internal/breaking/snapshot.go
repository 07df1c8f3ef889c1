// Package breaking compares two versions of a netlink interface and reports
// every change that breaks programs built against the old one: the ABI of a
// generic-netlink family is its numbers (attribute, command, enum and group
// ids), its payload layouts (scalar widths, byte order, struct members) and,
// on Windows, the device name, ioctl codes and static family ids. Names
// matter only where the wire uses them (family and multicast group names are
// resolved at run time). Additions at the end are compatible.
package breaking

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// Input is one file's bytes and the path findings show for it.
type Input struct {
	Path string
	Src  []byte
}

// Snapshot is one version of the interface: the resolved model plus the
// parsed specs, which keep positions the model does not carry (enum entries,
// struct members, multicast groups, overlay keys).
type Snapshot struct {
	Model   *ir.Model
	specs   map[string]*schema.Spec // by family name
	windows *schema.Windows
}

// Load parses and resolves spec files and an optional overlay. Errors are
// schema.Diagnostics with the inputs' paths.
func Load(specs []Input, windows *Input) (*Snapshot, error) {
	var diags schema.Diagnostics
	snap := &Snapshot{specs: map[string]*schema.Spec{}}
	var sources []ir.Source
	for _, in := range specs {
		s, err := schema.LoadSpec(in.Path, in.Src)
		if err != nil {
			diags = append(diags, asDiagnostics(err)...)
			continue
		}
		sources = append(sources, ir.Source{Spec: s, DisplayPath: in.Path})
		snap.specs[s.Name] = s
	}
	winPath := ""
	if windows != nil {
		w, err := schema.LoadWindows(windows.Path, windows.Src)
		if err != nil {
			diags = append(diags, asDiagnostics(err)...)
		}
		snap.windows, winPath = w, windows.Path
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	m, err := ir.Resolve(sources, snap.windows, winPath)
	if err != nil {
		return nil, err
	}
	snap.Model = m
	return snap, nil
}

func asDiagnostics(err error) schema.Diagnostics {
	if ds, ok := err.(schema.Diagnostics); ok {
		return ds
	}
	return schema.Diagnostics{{Rule: "error", Msg: err.Error()}}
}

// Split sorts inputs into specs and at most one overlay.
func Split(inputs []Input) (specs []Input, windows *Input, err error) {
	for i := range inputs {
		in := inputs[i]
		if !schema.IsWindowsOverlay(in.Src) {
			specs = append(specs, in)
			continue
		}
		if windows != nil {
			return nil, nil, fmt.Errorf("two Windows overlays: %s and %s", windows.Path, in.Path)
		}
		windows = &in
	}
	return specs, windows, nil
}

// ReadFiles reads files from disk, reporting each by its slash path.
func ReadFiles(paths []string) ([]Input, error) {
	out := make([]Input, 0, len(paths))
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, Input{Path: filepath.ToSlash(p), Src: src})
	}
	return out, nil
}

// ReadDir reads every *.yaml and *.yml file of a folder (not recursive), in
// name order so findings come out in the same order on every machine.
func ReadDir(dir string) ([]Input, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range entries {
		ext := filepath.Ext(e.Name())
		if !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(paths)
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no .yaml files", dir)
	}
	return ReadFiles(paths)
}

// ReadGitRef reads the given files as they are at a git revision. Paths are
// files of the working tree; each is read with `git show REF:./name` from
// its own folder so any path inside the repository works. Findings show
// them as REF:path. A file the revision does not have yet is skipped: a
// spec added since then is an addition, which is compatible.
func ReadGitRef(ref string, paths []string) ([]Input, error) {
	if strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("%q is not a git revision", ref)
	}
	out := make([]Input, 0, len(paths))
	for _, p := range paths {
		cmd := exec.Command("git", "-C", filepath.Dir(p), "show", ref+":./"+filepath.Base(p))
		cmd.Env = append(os.Environ(), "LC_ALL=C") // the messages below are matched in English
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		src, err := cmd.Output()
		if err != nil {
			msg := strings.TrimSpace(stderr.String())
			if strings.Contains(msg, "exists on disk, but not in") || strings.Contains(msg, "does not exist in") {
				continue
			}
			if msg == "" {
				msg = err.Error()
			}
			return nil, fmt.Errorf("git show %s:%s: %s", ref, filepath.ToSlash(p), msg)
		}
		out = append(out, Input{Path: ref + ":" + filepath.ToSlash(p), Src: src})
	}
	return out, nil
}

// ReadAny reads what an --against argument names: a spec or overlay file,
// a folder of them, or else a git revision of the files in gitPaths.
func ReadAny(arg string, gitPaths []string) ([]Input, error) {
	st, err := os.Stat(arg)
	switch {
	case err == nil && st.IsDir():
		return ReadDir(arg)
	case err == nil:
		return ReadFiles([]string{arg})
	case !os.IsNotExist(err):
		return nil, err
	}
	in, gerr := ReadGitRef(arg, gitPaths)
	if gerr != nil {
		return nil, fmt.Errorf("%s is neither a file, a folder nor a git revision: %v", arg, gerr)
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("git revision %s has none of the spec files", arg)
	}
	return in, nil
}
