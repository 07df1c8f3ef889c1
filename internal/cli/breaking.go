package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

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
OLD for removals). Exit status: 100 breaking changes, 1 error, 0 compatible.`,
		Example: `  nlgen breaking --against main
  nlgen breaking --against HEAD~1 --error-format github-actions
  nlgen breaking --against old/ovs_flow.yaml schema/ovs/ovs_flow.yaml
  nlgen breaking --against v1-specs/ specs/ --error-format json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkErrorFormat(format); err != nil {
				return err
			}
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
			if err := writeFindings(a.stdout, format, findings("error", found)); err != nil {
				return fail(err)
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
