// Package cli is nlgen's command line. Run is the whole program, testable
// without os.Exit: it returns the exit status (0 ok, 1 error or drift,
// 2 usage, 100 breaking changes found).
package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/config"
	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/schema"
)

// Exit statuses.
const (
	ExitOK       = 0
	ExitError    = 1
	ExitUsage    = 2
	ExitBreaking = 100
)

// exitError carries an exit status through cobra.
type exitError struct {
	code int
	err  error // printed when not nil
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func fail(err error) error  { return &exitError{code: ExitError, err: err} }
func silent(code int) error { return &exitError{code: code} }
func usage(format string, a ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, a...)}
}

type app struct {
	stdout, stderr io.Writer
	configFile     string
	verbose        bool
	// errorFormat is how errors print (text unless a command's
	// --error-format says otherwise).
	errorFormat string
	cfg         *config.Config // loaded once per run
}

// Run executes nlgen with args (without the program name).
func Run(args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			a.printError(ee.err)
		}
		return ee.code
	}
	// Anything cobra itself rejected (unknown command or flag, wrong
	// argument count) is a usage error.
	fmt.Fprintf(stderr, "nlgen: %v\nRun 'nlgen --help' for usage.\n", err)
	return ExitUsage
}

// printError prints diagnostics one per line, other errors prefixed.
func (a *app) printError(err error) {
	var ds schema.Diagnostics
	if errors.As(err, &ds) && a.errorFormat != "" && a.errorFormat != "text" {
		// Machine formats go to stdout, where lint writes them too.
		if werr := writeFindings(a.stdout, a.errorFormat, findings("error", ds)); werr == nil {
			return
		}
	}
	if errors.As(err, &ds) {
		for _, d := range ds {
			fmt.Fprintln(a.stderr, d.Error())
		}
		return
	}
	fmt.Fprintf(a.stderr, "nlgen: %v\n", err)
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "nlgen",
		Short: "Generate both sides of a netlink interface from YNL specs",
		Long: `nlgen reads Linux YNL netlink family specs (genetlink, genetlink-c,
genetlink-legacy, netlink-raw) plus an optional Windows overlay, and generates C uapi
headers, the OVS Windows driver's header, NL_POLICY and dispatch tables,
typed Go packages and docs, as configured in nlgen.yaml.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       gen.Version,
	}
	// --version prints what the version command prints.
	root.SetVersionTemplate(versionText())
	root.PersistentFlags().StringVarP(&a.configFile, "file", "f", "", "config file (default: "+config.DefaultFile+" in the working folder or the nearest folder above it)")
	root.PersistentFlags().BoolVarP(&a.verbose, "verbose", "v", false, "say which config is used and what happens to each file")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usage("%v\nRun '%s --help' for usage.", err, c.CommandPath())
	})
	root.AddCommand(
		a.generateCommand(),
		a.diffCommand(),
		a.lintCommand(),
		a.versionCommand(),
	)
	for _, extra := range extraCommands {
		root.AddCommand(extra(a))
	}
	return root
}

// extraCommands lets commands in other files of this package register
// themselves without editing the list above.
var extraCommands []func(*app) *cobra.Command

func (a *app) loadConfig() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	file := a.configFile
	if file == "" {
		found, err := config.Find(".")
		if err != nil {
			return nil, fail(err)
		}
		file = found
	}
	if a.verbose {
		fmt.Fprintf(a.stderr, "nlgen: using %s\n", filepath.ToSlash(file))
	}
	cfg, err := config.Load(file)
	if err != nil {
		return nil, fail(err)
	}
	a.cfg = cfg
	return cfg, nil
}
