// Package loader is the first half of nlgen's road: config -> schema (YAML
// with positions, validated) -> IR. It imports no generator, so generator
// tests can load models the way the pipeline does without an import cycle
// (internal/pipeline, which registers the generators, calls it).
package loader

import (
	"errors"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/nlgen/nlgen/config"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// Specs loads spec files and an optional overlay and resolves them.
// display maps a file path to the path shown in generated files.
func Specs(specPaths []string, windowsPath string, display func(string) string) (*ir.Model, error) {
	return specs(specPaths, windowsPath, display, false)
}

// SpecsWithOverlay is Specs for tools that talk to some of a project's
// families (call): the overlay is the project's whole windows.yaml, so its
// entries for families not loaded are skipped instead of reported.
func SpecsWithOverlay(specPaths []string, windowsPath string, display func(string) string) (*ir.Model, error) {
	return specs(specPaths, windowsPath, display, true)
}

func specs(specPaths []string, windowsPath string, display func(string) string, partialOverlay bool) (*ir.Model, error) {
	// Files parse independently and YAML parsing is a good part of a
	// run, so they are read concurrently and gathered in the given order.
	type loaded struct {
		spec *schema.Spec
		err  error
	}
	results := make([]loaded, len(specPaths))
	var wg sync.WaitGroup
	for i, p := range specPaths {
		wg.Go(func() { results[i].spec, results[i].err = schema.LoadSpecFile(p) })
	}
	wg.Wait()
	var diags schema.Diagnostics
	var sources []ir.Source
	for i, p := range specPaths {
		s, err := results[i].spec, results[i].err
		if err != nil {
			diags = append(diags, AsDiagnostics(err)...)
		}
		if s == nil {
			continue
		}
		// A spec with schema errors is still resolved, so one run reports
		// its dangling references too.
		sources = append(sources, ir.Source{Spec: s, DisplayPath: display(p)})
	}
	var win *schema.Windows
	if windowsPath != "" {
		w, err := schema.LoadWindowsFile(windowsPath)
		if err != nil {
			diags = append(diags, AsDiagnostics(err)...)
		}
		win = w
	}
	if partialOverlay && win != nil {
		loaded := map[string]bool{}
		for _, src := range sources {
			loaded[src.Spec.Name] = true
		}
		var fams []*schema.WinFamily
		for _, wf := range win.Families {
			if loaded[wf.Name] {
				fams = append(fams, wf)
			}
		}
		w := *win
		w.Families = fams
		win = &w
	}
	winDisplay := ""
	if windowsPath != "" {
		winDisplay = display(windowsPath)
	}
	m, err := ir.Resolve(sources, win, winDisplay)
	if err != nil {
		diags = append(diags, AsDiagnostics(err)...)
	}
	// the resolver's finding about a node says more than the schema's
	diags = diags.DropShadowed()
	if err := diags.Err(); err != nil {
		return m, err
	}
	return m, nil
}

// AsDiagnostics turns an error into diagnostics, keeping a list as it is.
func AsDiagnostics(err error) schema.Diagnostics {
	if ds, ok := err.(schema.Diagnostics); ok {
		return ds
	}
	return schema.Diagnostics{{Rule: "error", Msg: err.Error()}}
}

// Config reads the config's specs and overlay into a model.
func Config(cfg *config.Config) (*ir.Model, error) {
	// A listed file that cannot be read is the config's mistake: point at
	// the line that names it.
	var diags schema.Diagnostics
	shown := map[string]string{}
	readable := func(ref config.Ref, what string) string {
		p := cfg.Abs(ref.Path)
		if _, err := os.Stat(p); err != nil {
			diags.Add(ref.Pos, "io", "%s %s cannot be read: %v", what, ref.Path, errors.Unwrap(err))
			return ""
		}
		shown[p] = displayRef(ref.Path)
		return p
	}
	var paths []string
	for _, s := range cfg.Specs {
		if p := readable(s, "spec"); p != "" {
			paths = append(paths, p)
		}
	}
	win := ""
	if cfg.Windows != nil {
		win = readable(*cfg.Windows, "windows overlay")
	}
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return Specs(paths, win, func(p string) string { return shown[p] })
}

// displayRef is how generated files name a spec or overlay: the path the
// config gives, cleaned, with forward slashes. It depends on the config's
// text alone, not on how -f was spelled, the working folder or symlinks
// on the way, so the same inputs give the same banners
// (a relative path stays relative to the config, "../shared/x.yaml"
// included).
func displayRef(p string) string {
	return path.Clean(filepath.ToSlash(p))
}
