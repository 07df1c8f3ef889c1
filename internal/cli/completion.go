package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() {
	extraCommands = append(extraCommands, func(a *app) *cobra.Command { return a.completionCommand() })
}

// completionCommand replaces cobra's default one (cobra adds its own only
// when no "completion" command exists) to give each shell install examples.
func (a *app) completionCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "completion SHELL",
		Short: "Print the shell completion script for bash, zsh, fish or powershell",
		Long: `Prints a script that completes nlgen's commands, flags and flag values
(--error-format, call's --do/--dump operations read from --spec). Load it
in the current shell or install it once, as the examples show.`,
		Example: `  source <(nlgen completion bash)
  nlgen completion bash > /etc/bash_completion.d/nlgen
  nlgen completion zsh > "${fpath[1]}/_nlgen"
  nlgen completion fish > ~/.config/fish/completions/nlgen.fish
  nlgen completion powershell | Out-String | Invoke-Expression`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usage("completion needs a shell: bash, zsh, fish or powershell")
		},
	}
	shells := []struct {
		name string
		gen  func(root *cobra.Command) error
	}{
		{"bash", func(root *cobra.Command) error { return root.GenBashCompletionV2(a.stdout, true) }},
		{"zsh", func(root *cobra.Command) error { return root.GenZshCompletion(a.stdout) }},
		{"fish", func(root *cobra.Command) error { return root.GenFishCompletion(a.stdout, true) }},
		{"powershell", func(root *cobra.Command) error { return root.GenPowerShellCompletionWithDesc(a.stdout) }},
	}
	for _, sh := range shells {
		cmd.AddCommand(&cobra.Command{
			Use:     sh.name,
			Short:   fmt.Sprintf("Print the %s completion script", sh.name),
			Example: fmt.Sprintf("  nlgen completion %s", sh.name),
			Args:    cobra.NoArgs,
			RunE: func(c *cobra.Command, _ []string) error {
				if err := sh.gen(c.Root()); err != nil {
					return fail(err)
				}
				return nil
			},
		})
	}
	return cmd
}
