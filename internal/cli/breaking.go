package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/config"
	"github.com/nlgen/nlgen/internal/breaking"
	"github.com/nlgen/nlgen/schema"
)

func init() {
	extraCommands = append(extraCommands, func(a *app) *cobra.Command { return a.breakingCommand() })
}

func (a *app) breakingCommand() *cobra.Command {
	var against, format string
	cmd := &cobra.Command{
		Use:   "breaking --against OLD [NEW]",
		Short: "Report changes that break the ABI of the netlink interface; exit 100 if any",
		Long: `Compares two versions of the specs (and Windows overlay) and prints every
change that breaks programs built against OLD: removed or renumbered
attributes, operations, enum entries, flags and multicast groups; attribute
type, byte order or length changes; struct members removed, inserted,
reordered, resized or retyped; fixed headers; nests pointing at another set;
family names; and on Windows static family and group ids, the device name
and ioctl codes. Additions at the end are compatible.

OLD is a spec or overlay file, a folder of them, or a git revision (the
specs and overlay of nlgen.yaml as they were at that revision). NEW is a
file or folder and defaults to the specs and overlay of nlgen.yaml.

Each change prints as path:line:col: RULE_ID: message, pointing at NEW (at
OLD for removals). Exit status: 100 breaking changes, 1 error, 0 compatible.

Changes made on purpose are listed in the config, each with a reason, and
are not reported (-v lists them with their reasons):

  breaking:
    ignore:
      - rule: ATTR_TYPE_CHANGED           # a rule id, a path, or both
        path: specs/old_family.yaml       # a file or a folder, relative to the config
        reason: never released; no client was built against it`,
		Example: `  nlgen breaking --against main
  nlgen breaking --against HEAD~1 --error-format github-actions
  nlgen breaking --against old/ovs_flow.yaml schema/ovs/ovs_flow.yaml
  nlgen breaking --against v1-specs/ specs/ --error-format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkErrorFormat(format); err != nil {
				return err
			}
			a.errorFormat = format
			if against == "" {
				return usage("breaking needs --against OLD (a spec file, a folder or a git revision)")
			}
			newInputs, newPaths, err := a.breakingNew(args)
			if err != nil {
				return err
			}
			oldInputs, err := breaking.ReadAny(against, newPaths)
			if err != nil {
				return fail(err)
			}
			oldSnap, err := loadSnapshot(oldInputs)
			if err != nil {
				return err
			}
			newSnap, err := loadSnapshot(newInputs)
			if err != nil {
				return err
			}
			found := breaking.Compare(oldSnap, newSnap)
			cfg, err := a.breakingConfig(len(args) == 1)
			if err != nil {
				return err
			}
			found, ignored, err := applyIgnores(cfg, found)
			if err != nil {
				return fail(err)
			}
			if err := writeFindings(a.stdout, format, findings("error", found)); err != nil {
				return fail(err)
			}
			if len(ignored) > 0 && format == "text" {
				fmt.Fprintf(a.stderr, "nlgen: %d breaking changes ignored by breaking.ignore in %s\n", len(ignored), filepath.ToSlash(cfg.File))
				if a.verbose {
					for _, ig := range ignored {
						fmt.Fprintf(a.stderr, "  ignored %s: %s: %s\n    because: %s\n", ig.finding.Pos, ig.finding.Rule, ig.finding.Msg, ig.by.Reason)
					}
				}
			}
			if len(found) > 0 {
				if format == "text" {
					fmt.Fprintf(a.stderr, "nlgen: %d breaking changes against %s\n", len(found), against)
				}
				return silent(ExitBreaking)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&against, "against", "", "the old version: a spec file, a folder or a git revision")
	cmd.Flags().StringVar(&format, "error-format", "text", "text, json or github-actions")
	_ = cmd.RegisterFlagCompletionFunc("error-format", cobra.FixedCompletions(errorFormats, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// breakingNew reads the new side and returns the file paths a git revision
// of OLD is read at.
func (a *app) breakingNew(args []string) ([]breaking.Input, []string, error) {
	if len(args) == 1 {
		st, err := os.Stat(args[0])
		if err != nil {
			return nil, nil, fail(err)
		}
		var in []breaking.Input
		if st.IsDir() {
			in, err = breaking.ReadDir(args[0])
		} else {
			in, err = breaking.ReadFiles(args)
		}
		if err != nil {
			return nil, nil, fail(err)
		}
		paths := make([]string, len(in))
		for i, x := range in {
			paths[i] = filepath.FromSlash(x.Path)
		}
		return in, paths, nil
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	var paths []string
	for _, s := range cfg.Specs {
		paths = append(paths, cfg.Abs(s.Path))
	}
	if cfg.Windows != nil {
		paths = append(paths, cfg.Abs(cfg.Windows.Path))
	}
	in, err := breaking.ReadFiles(paths)
	if err != nil {
		return nil, nil, fail(err)
	}
	return in, paths, nil
}

func loadSnapshot(in []breaking.Input) (*breaking.Snapshot, error) {
	specs, win, err := breaking.Split(in)
	if err != nil {
		return nil, fail(err)
	}
	s, err := breaking.Load(specs, win)
	if err != nil {
		var ds schema.Diagnostics
		if errors.As(err, &ds) {
			return nil, fail(ds)
		}
		return nil, fail(err)
	}
	return s, nil
}

// breakingConfig is the config whose breaking.ignore applies: the one NEW
// was read from, or with NEW given explicitly the one -f names or that is
// found above the working folder, if any.
func (a *app) breakingConfig(explicitNew bool) (*config.Config, error) {
	if explicitNew && a.configFile == "" {
		if _, err := config.Find("."); err != nil {
			return nil, nil // no config: nothing is ignored
		}
	}
	return a.loadConfig()
}

type ignoredFinding struct {
	finding schema.Diagnostic
	by      config.Ignore
}

// applyIgnores drops the findings that an entry of cfg's breaking.ignore
// matches. An entry naming a rule nlgen does not have is an error (with a
// suggestion), so a typo cannot silently ignore nothing.
func applyIgnores(cfg *config.Config, found schema.Diagnostics) (schema.Diagnostics, []ignoredFinding, error) {
	if cfg == nil || len(cfg.Breaking.Ignore) == 0 {
		return found, nil, nil
	}
	var ids []string
	for _, r := range breaking.Rules {
		ids = append(ids, r.ID)
	}
	var diags schema.Diagnostics
	for _, ig := range cfg.Breaking.Ignore {
		if ig.Rule != "" && !slices.Contains(ids, ig.Rule) {
			diags.Add(ig.Pos, "value", "breaking.ignore: no rule %q%s (docs/tooling.md lists them)", ig.Rule, schema.Suggest(ig.Rule, ids))
		}
	}
	if err := diags.Err(); err != nil {
		return nil, nil, err
	}
	var kept schema.Diagnostics
	var ignored []ignoredFinding
	for _, f := range found {
		i := slices.IndexFunc(cfg.Breaking.Ignore, func(ig config.Ignore) bool {
			return (ig.Rule == "" || ig.Rule == f.Rule) && (ig.Path == "" || under(f.Pos.File, cfg.Abs(ig.Path)))
		})
		if i < 0 {
			kept = append(kept, f)
			continue
		}
		ignored = append(ignored, ignoredFinding{f, cfg.Breaking.Ignore[i]})
	}
	return kept, ignored, nil
}

// under reports whether file is path or inside folder path.
func under(file, path string) bool {
	f, err1 := filepath.Abs(filepath.FromSlash(file))
	p, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return false
	}
	return f == p || strings.HasPrefix(f, p+string(filepath.Separator))
}
