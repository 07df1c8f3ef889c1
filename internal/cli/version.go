package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/gen"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print nlgen's version",
		Example: "  nlgen version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(a.stdout, "nlgen %s (%s %s/%s)\n", gen.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
