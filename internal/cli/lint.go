package cli

import (
	"errors"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/gen/cheader"
	"github.com/nlgen/nlgen/gen/golang"
	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

func (a *app) lintCommand() *cobra.Command {
	var format, windows string
	cmd := &cobra.Command{
		Use:   "lint [spec.yaml...]",
		Short: "Validate specs and print every problem as path:line:col: rule: message",
		Long: `Loads and resolves the given specs (default: the specs and Windows overlay of
nlgen.yaml) and prints every problem found, not just the first. Exits 1 when
there are errors; warnings alone exit 0. Names that collide only in C (or only
in Go) do not stop a spec: linting spec files reports them as warnings, while
linting nlgen.yaml reports them as errors when one of its outputs is a target
that would refuse them, since generate would fail.`,
		Example: "  nlgen lint\n  nlgen lint ../shared/specs/linux/*.yaml\n  nlgen lint --error-format github-actions",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkErrorFormat(format); err != nil {
				return err
			}
			a.errorFormat = format // a config that does not load is reported in it too
			var specs []string
			win := windows
			for _, p := range args {
				if src, err := os.ReadFile(p); err == nil && schema.IsWindowsOverlay(src) && win == "" {
					win = p
				} else {
					specs = append(specs, p)
				}
			}
			display := func(p string) string { return filepath.ToSlash(p) }
			// Targets the config asks for: their refusals are errors, as
			// generate would fail on them.
			targets := map[string]bool{}
			// the families each target renders: the union of its outputs'
			// families lists, empty for all
			targetFams := map[string]map[string]bool{}
			if len(specs) == 0 {
				cfg, err := a.loadConfig()
				if err != nil {
					return err
				}
				for _, s := range cfg.Specs {
					specs = append(specs, cfg.Abs(s.Path))
				}
				for _, o := range cfg.Outputs {
					targets[o.Target] = true
					// an empty selection means every family
					switch sel, seen := targetFams[o.Target]; {
					case len(o.Families) == 0:
						targetFams[o.Target] = map[string]bool{}
					case seen && len(sel) == 0:
					default:
						if !seen {
							sel = map[string]bool{}
							targetFams[o.Target] = sel
						}
						for _, f := range o.Families {
							sel[f.Path] = true
						}
					}
				}
				if cfg.Windows != nil && win == "" {
					win = cfg.Abs(cfg.Windows.Path)
				}
			}
			m, err := pipeline.LoadSpecs(specs, win, display)
			var out []Finding
			var ds schema.Diagnostics
			if err != nil && !errors.As(err, &ds) {
				return fail(err)
			}
			out = append(out, findings("error", ds)...)
			if m != nil {
				out = append(out, findings("warning", m.Warnings)...)
				// C-only problems do not stop the spec, but every C target
				// will refuse the family; say so before a build does.
				var cds, gds schema.Diagnostics
				loaded := len(ds) == 0
				if loaded && errors.As(cheader.Check(m.Families), &cds) {
					if targets["c-uapi"] || targets["c-policy"] || targets["c-dispatch"] || targets["c-windows-header"] {
						ds = append(ds, cds...)
						out = append(out, findings("error", cds)...)
					} else {
						out = append(out, findings("warning", notRefusals(cds))...)
					}
				}
				// A target that does not render a netlink-raw family
				// says so before a build; linting spec files alone, the
				// spec is fine.
				if loaded {
					var rds schema.Diagnostics
					if targets["c-uapi"] && errors.As(gen.RawRefusal(selected(m.Families, targetFams, "c-uapi"), func(*ir.Family) string { return cheader.RawWhy }, gen.InOverlay), &rds) {
						ds = append(ds, rds...)
						out = append(out, findings("error", rds)...)
					}
					rds = nil
					if (targets["c-policy"] || targets["c-dispatch"] || targets["c-windows-header"]) &&
						errors.As(gen.RawRefusal(selected(m.Families, targetFams, "c-policy", "c-dispatch", "c-windows-header"), gen.WindowsRawWhy, gen.InOverlay), &rds) {
						ds = append(ds, rds...)
						out = append(out, findings("error", rds)...)
					}
				}
				if loaded && targets["go"] {
					// the go outputs' families are errors, the rest warnings
					in, rest := *m, *m
					in.Families = selected(m.Families, targetFams, "go")
					rest.Families = nil
					for _, f := range m.Families {
						if !slices.Contains(in.Families, f) {
							rest.Families = append(rest.Families, f)
						}
					}
					if errors.As(golang.Check(&in), &gds) {
						ds = append(ds, gds...)
						out = append(out, findings("error", gds)...)
					}
					gds = nil
					if errors.As(golang.Check(&rest), &gds) {
						out = append(out, findings("warning", notRefusals(gds))...)
					}
				} else if loaded && errors.As(golang.Check(m), &gds) {
					out = append(out, findings("warning", notRefusals(gds))...)
				}
			}
			if werr := writeFindings(a.stdout, format, out); werr != nil {
				return fail(werr)
			}
			if len(ds) > 0 {
				return silent(ExitError)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "error-format", "text", "text, json or github-actions")
	cmd.Flags().StringVar(&windows, "windows", "", "Windows overlay to check with the specs")
	return cmd
}

// selected are the families the outputs of the targets render.
func selected(fams []*ir.Family, targetFams map[string]map[string]bool, targets ...string) []*ir.Family {
	var out []*ir.Family
	for _, f := range fams {
		for _, t := range targets {
			sel, ok := targetFams[t]
			if ok && (len(sel) == 0 || sel[f.Name]) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// notRefusals leaves out a target's refusal of a whole protocol
// (gen.RefusalRule: c-uapi and go for netlink-raw): linting a spec file
// names no target, and the spec is fine; with a config whose outputs
// include the target the refusal is an error.
func notRefusals(ds schema.Diagnostics) schema.Diagnostics {
	var out schema.Diagnostics
	for _, d := range ds {
		if d.Rule != gen.RefusalRule {
			out = append(out, d)
		}
	}
	return out
}
