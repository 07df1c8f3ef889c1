// Package pipeline is nlgen's one straight road: config -> schema (YAML
// with positions, validated) -> IR -> generators -> files for the writer.
// The CLI and tests drive it; nothing else strings the stages together.
package pipeline

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/nlgen/nlgen/config"
	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/gencache"
	"github.com/nlgen/nlgen/internal/loader"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
	"github.com/nlgen/nlgen/writer"
)

// Generators returns the registered targets by name.
func Generators() map[string]*gen.Generator {
	out := map[string]*gen.Generator{}
	for _, g := range registry {
		out[g.Name] = g
	}
	return out
}

// TargetNames lists the targets, sorted, for help texts and errors.
func TargetNames() []string {
	var names []string
	for _, g := range registry {
		names = append(names, g.Name)
	}
	sort.Strings(names)
	return names
}

// LoadSpecs loads spec files and an optional overlay and resolves them
// (see loader.Specs).
func LoadSpecs(specPaths []string, windowsPath string, display func(string) string) (*ir.Model, error) {
	return loader.Specs(specPaths, windowsPath, display)
}

// LoadSpecsWithOverlay is LoadSpecs for tools that talk to some of a
// project's families (call); see loader.SpecsWithOverlay.
func LoadSpecsWithOverlay(specPaths []string, windowsPath string, display func(string) string) (*ir.Model, error) {
	return loader.SpecsWithOverlay(specPaths, windowsPath, display)
}

// Load reads the config's specs and overlay into a model (see loader.Config).
func Load(cfg *config.Config) (*ir.Model, error) { return loader.Config(cfg) }

func asDiagnostics(err error) schema.Diagnostics { return loader.AsDiagnostics(err) }

// Generate runs every output of the config. It returns the files at their
// final paths and the output folders (for stale-file detection).
//
// Generators are pure functions of the model, so the outputs render
// concurrently (the go target alone is most of a run); results are
// gathered in config order, so the files and diagnostics do not depend on
// scheduling.
func Generate(cfg *config.Config, m *ir.Model) ([]writer.File, []string, error) {
	return generate(cfg, m, gencache.Open())
}

// GenerateReadOnly is Generate for commands that write nothing (nlgen
// diff): it uses the generator cache's entries but never adds to it.
func GenerateReadOnly(cfg *config.Config, m *ir.Model) ([]writer.File, []string, error) {
	return generate(cfg, m, gencache.Open().ReadOnly())
}

func generate(cfg *config.Config, m *ir.Model, cache *gencache.Cache) ([]writer.File, []string, error) {
	var diags schema.Diagnostics
	gens := Generators()
	type job struct {
		out   *config.Output
		g     *gen.Generator
		fams  []*ir.Family
		files []gen.File
		err   error
	}
	var jobs []*job
	for _, o := range cfg.Outputs {
		g := gens[o.Target]
		if g == nil {
			diags.Add(o.At("target"), "target", "unknown target %q; expected one of: %s", o.Target, strings.Join(TargetNames(), ", "))
			continue
		}
		for k := range o.Options {
			if _, ok := g.Options[k]; !ok {
				diags.Add(o.Pos, "option", "target %s has no option %q", g.Name, k)
			}
		}
		fams, err := selectFamilies(m, o)
		if err != nil {
			diags = append(diags, asDiagnostics(err)...)
			continue
		}
		if o.Target == "go" && o.Options["import-path"] == "" {
			ip, err := GoImportPath(cfg.Abs(o.Dir))
			if err != nil {
				// A failure of this output, reported with the generators'
				// (the other outputs still render, and nothing is written).
				jobs = append(jobs, &job{out: o, g: g, fams: fams, err: fmt.Errorf("option import-path is not set and cannot be derived: %v; set it or put the output inside a Go module", err)})
				continue
			}
			derived := *o
			derived.Options = maps.Clone(o.Options)
			if derived.Options == nil {
				derived.Options = map[string]string{}
			}
			derived.Options["import-path"] = ip
			o = &derived
		}
		jobs = append(jobs, &job{out: o, g: g, fams: fams})
	}
	if err := diags.Err(); err != nil {
		return nil, nil, err
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		if j.err != nil {
			continue
		}
		wg.Go(func() {
			key := gencache.Key(j.g.Name, j.out.Options, m, j.fams)
			if files, ok := cache.Get(key); ok {
				j.files = files
				return
			}
			j.files, j.err = j.g.Generate(&gen.Request{Model: m, Families: j.fams, Options: j.out.Options, Target: j.g.Name})
			if j.err == nil {
				cache.Put(key, j.files)
			}
		})
	}
	wg.Wait()
	var files []writer.File
	var roots []string
	// targets that refuse the same place of a spec for the same reason
	// (every C target refuses a family whose C names collide) are named
	// on one line
	refusals := map[schema.Diagnostic][]string{}
	var refused []schema.Diagnostic
	for _, j := range jobs {
		o, g := j.out, j.g
		if j.err != nil {
			// A target that refuses part of the spec (C names that
			// collide) says where in the spec; anything else is about
			// this output of the config.
			var ds schema.Diagnostics
			if errors.As(j.err, &ds) {
				for _, d := range ds {
					if refusals[d] == nil {
						refused = append(refused, d)
					}
					if !slices.Contains(refusals[d], g.Name) {
						refusals[d] = append(refusals[d], g.Name)
					}
				}
			} else {
				diags.Add(o.Pos, "generate", "%s: %v", g.Name, j.err)
			}
			continue
		}
		root := cfg.Abs(o.Dir)
		roots = append(roots, root)
		for _, f := range j.files {
			rel := path.Clean(f.Path)
			if path.IsAbs(rel) || strings.HasPrefix(rel, "../") || rel == ".." {
				diags.Add(o.Pos, "generate", "%s produced a path outside its folder: %s", g.Name, f.Path)
				continue
			}
			files = append(files, writer.File{Path: filepath.Join(root, filepath.FromSlash(rel)), Content: f.Content})
		}
	}
	for _, d := range refused {
		d.Msg = strings.Join(refusals[d], ", ") + ": " + d.Msg
		diags = append(diags, d)
	}
	if err := diags.Err(); err != nil {
		return nil, nil, err
	}
	return files, roots, nil
}

func selectFamilies(m *ir.Model, o *config.Output) ([]*ir.Family, error) {
	if len(o.Families) == 0 {
		return m.Families, nil
	}
	var diags schema.Diagnostics
	var out []*ir.Family
	for _, r := range o.Families {
		f := m.Family(r.Path)
		if f == nil {
			diags.Add(r.Pos, "reference", "no loaded spec defines family %q", r.Path)
			continue
		}
		out = append(out, f)
	}
	return out, diags.Err()
}

// Describe lists the registered targets and their options.
func Describe() string {
	var b strings.Builder
	gens := Generators()
	for _, name := range TargetNames() {
		g := gens[name]
		fmt.Fprintf(&b, "  %-18s %s\n", g.Name, g.Doc)
		var opts []string
		for k := range g.Options {
			opts = append(opts, k)
		}
		sort.Strings(opts)
		for _, k := range opts {
			fmt.Fprintf(&b, "      %-18s %s\n", k, g.Options[k])
		}
	}
	return b.String()
}
