package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/writer"
)

func (a *app) plan() ([]writer.Change, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	m, err := pipeline.Load(cfg)
	if err != nil {
		return nil, fail(err)
	}
	files, roots, err := pipeline.Generate(cfg, m)
	if err != nil {
		return nil, fail(err)
	}
	changes, err := writer.Plan(files, roots, gen.GeneratedMarker)
	if err != nil {
		return nil, fail(err)
	}
	return changes, nil
}

func (a *app) generateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "generate",
		Short: "Write the outputs of nlgen.yaml (only files whose bytes changed)",
		Long: `Loads the config's specs, resolves them and runs every output. Files are
replaced atomically and only when their bytes change; files nlgen generated
earlier that no output produces any more are removed. On any error nothing
is written.

Targets and their options (outputs[].target and outputs[].options):
` + pipeline.Describe(),
		Example: "  nlgen generate\n  nlgen generate -f examples/gogenerate/nlgen.yaml -v\n  NLGEN_CACHE=off nlgen generate   # render everything, bypassing the generator cache",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			changes, err := a.plan()
			if err != nil {
				return err
			}
			written, err := writer.Apply(changes)
			if err != nil {
				return fail(err)
			}
			if a.verbose {
				for _, c := range changes {
					fmt.Fprintln(a.stdout, writer.Describe(c))
				}
			}
			fmt.Fprintf(a.stdout, "nlgen: %d files, %d changed\n", countProduced(changes), len(written))
			return nil
		},
	}
}

func countProduced(changes []writer.Change) int {
	n := 0
	for _, c := range changes {
		if c.Kind != writer.Extra {
			n++
		}
	}
	return n
}

func (a *app) diffCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "diff",
		Short: "Compare the outputs with the disk; exit 1 on drift",
		Long: `Generates in memory and compares with the files on disk. Writes nothing.
Prints a unified diff to stderr, naming missing and extra files, and exits
1 when anything differs, 0 when every output is current. Use it in CI.`,
		Example: "  nlgen diff || { echo 'run make generate'; exit 1; }",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			changes, err := a.plan()
			if err != nil {
				return err
			}
			if err := writer.WriteDiff(a.stderr, changes); err != nil {
				return fail(err)
			}
			if writer.Drifted(changes) {
				n := 0
				for _, c := range changes {
					if c.Kind != writer.Same {
						n++
					}
				}
				fmt.Fprintf(a.stderr, "nlgen: %d files differ from what nlgen generates; run nlgen generate\n", n)
				return silent(ExitError)
			}
			if a.verbose {
				fmt.Fprintf(a.stderr, "nlgen: %d files up to date\n", len(changes))
			}
			return nil
		},
	}
}
