package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/gen"
)

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print nlgen's version, module version and VCS revision",
		Long: `Prints nlgen's version, then what the Go build recorded: the module version
(v1.2.3 when installed with go install ...@v1.2.3, (devel) in a checkout)
and, for binaries built in a git checkout, the revision, its time and
whether the tree had uncommitted changes. nlgen --version prints the same.`,
		Example: "  nlgen version\n  nlgen --version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprint(a.stdout, versionText())
			return nil
		},
	}
}

// versionText is the output of version and --version.
func versionText() string {
	return versionFrom(debug.ReadBuildInfo())
}

func versionFrom(bi *debug.BuildInfo, ok bool) string {
	s := fmt.Sprintf("nlgen %s (%s %s/%s)\n", gen.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if !ok || bi == nil {
		return s + "build info: not recorded\n"
	}
	mod := bi.Main.Version
	if mod == "" {
		mod = "(unknown)"
	}
	s += fmt.Sprintf("module: %s %s\n", bi.Main.Path, mod)
	var rev, at, modified string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			at = kv.Value
		case "vcs.modified":
			modified = kv.Value
		}
	}
	if rev == "" {
		return s + "revision: not recorded (built outside a VCS checkout, or by go test/go run)\n"
	}
	s += "revision: " + rev
	if at != "" {
		s += " (" + at + ")"
	}
	if modified == "true" {
		s += " with uncommitted changes"
	}
	return s + "\n"
}
