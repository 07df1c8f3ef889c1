package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/internal/dyn"
	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/genl"
)

func init() {
	extraCommands = append(extraCommands, func(a *app) *cobra.Command { return a.callCommand() })
}

type callFlags struct {
	spec, windows, do, dump, input string
	listOps                        bool
	timeout                        time.Duration
}

func (a *app) callCommand() *cobra.Command {
	var fl callFlags
	cmd := &cobra.Command{
		Use:   "call --spec SPEC.yaml (--do OP | --dump OP) [--json '{...}']",
		Short: "Send one request described by a spec and print the replies as JSON",
		Long: `A dynamic client for debugging a kernel: it encodes the --json request from
the spec's attribute set, sends it over generic netlink (Linux) or the OVS
device (Windows, static ids from --windows), and prints the replies as JSON
in the conventions of the kernel's YNL CLI (--output-json): the spec's
dashed names, fixed-header members first, nests and structs as objects,
flags as lists of names, enums as names, binary as hex (or per display
hint), unknown attributes as "UnknownAttr(N)". No generated code is needed.

A do prints one object (null when the kernel only acknowledged); a dump
prints a list; indexed arrays of nests keep their index as a key, as the
CLI prints them. Kernel errors name the operation, the errno, the
extended-ack message and the attributes it points at ("netdev dev-get:
EINVAL (missing attribute: ifindex)"), and exit 1. Warnings the kernel
attaches to a successful request go to stderr.`,
		Example: `  nlgen call --spec ../shared/specs/linux/nlctrl.yaml --dump getfamily
  nlgen call --spec ../shared/specs/linux/nlctrl.yaml --do getfamily --json '{"family-name": "netdev"}'
  nlgen call --spec ../shared/specs/linux/netdev.yaml --dump dev-get
  nlgen call --spec schema/ovs/ovs_datapath.yaml --windows schema/ovs/windows.yaml --dump get
  nlgen call --spec ../shared/specs/linux/ethtool.yaml --list-ops`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.call(cmd.Context(), fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.spec, "spec", "", "YNL spec of the family (required)")
	f.StringVar(&fl.windows, "windows", "", "Windows overlay with the family's static id (needed on Windows)")
	f.StringVar(&fl.do, "do", "", "operation to send as a do request")
	f.StringVar(&fl.dump, "dump", "", "operation to send as a dump request")
	f.StringVar(&fl.input, "json", "", "request attributes (and fixed-header members) as a JSON object")
	f.BoolVar(&fl.listOps, "list-ops", false, "list the family's operations and exit")
	f.DurationVar(&fl.timeout, "timeout", 10*time.Second, "give up waiting for replies after this long")
	completeOps := func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return opNames(fl.spec), cobra.ShellCompDirectiveNoFileComp
	}
	_ = cmd.RegisterFlagCompletionFunc("do", completeOps)
	_ = cmd.RegisterFlagCompletionFunc("dump", completeOps)
	_ = cmd.RegisterFlagCompletionFunc("spec", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	})
	return cmd
}

// opNames lists the operations of a spec for shell completion; a spec that
// does not load completes nothing rather than printing errors into the
// user's prompt.
func opNames(spec string) []string {
	if spec == "" {
		return nil
	}
	m, err := pipeline.LoadSpecs([]string{spec}, "", filepath.ToSlash)
	if err != nil {
		return nil
	}
	var out []string
	for _, op := range m.Families[0].Ops {
		out = append(out, op.Name)
	}
	return out
}

func (a *app) call(ctx context.Context, fl callFlags) error {
	if fl.spec == "" {
		return usage("call needs --spec SPEC.yaml")
	}
	if !fl.listOps && (fl.do == "") == (fl.dump == "") {
		return usage("call needs exactly one of --do OP, --dump OP or --list-ops")
	}
	m, err := pipeline.LoadSpecs([]string{fl.spec}, fl.windows, filepath.ToSlash)
	if err != nil {
		return fail(err)
	}
	fam := m.Families[0]
	if fl.listOps {
		for _, line := range dyn.ListOps(fam) {
			fmt.Fprintln(a.stdout, line)
		}
		return nil
	}
	// Bad --json is bad input, like a bad spec (exit 1); usage errors
	// (exit 2) are about the command line's shape.
	in, err := dyn.ParseJSON(fl.input)
	if err != nil {
		return fail(err)
	}
	result, err := a.send(ctx, fam, fl, in)
	if err != nil {
		var ge *genl.Error
		if errors.As(err, &ge) {
			return fail(fmt.Errorf("netlink error: %w", err))
		}
		return fail(err)
	}
	out, err := json.Marshal(result)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintln(a.stdout, string(out))
	return nil
}

func (a *app) send(ctx context.Context, fam *ir.Family, fl callFlags, in map[string]any) (any, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, fl.timeout)
	defer cancel()
	// Warnings go to stderr, so stdout stays one JSON document.
	ctx = genl.WithWarningHandler(ctx, func(w *genl.Warning) {
		fmt.Fprintf(a.stderr, "nlgen: %s\n", w)
	})
	conn, err := genl.Dial(nil)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	client := dyn.NewClient(conn, fam)
	if fl.dump != "" {
		return client.Dump(ctx, fl.dump, in)
	}
	return client.Do(ctx, fl.do, in)
}
