package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/nlgen/nlgen/config"
	"github.com/nlgen/nlgen/internal/dyn"
	"github.com/nlgen/nlgen/internal/pipeline"
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/schema"
)

func init() {
	extraCommands = append(extraCommands, func(a *app) *cobra.Command { return a.callCommand() })
}

// SpecPathEnv names folders (separated as PATH is) where --family looks for
// NAME.yaml, after --spec-dir.
const SpecPathEnv = "NLGEN_SPEC_PATH"

// ynlSpecDir is where the kernel's YNL tools install their specs and where
// their --family looks; nlgen looks there last.
const ynlSpecDir = "/usr/share/ynl/specs"

// callDial opens the connections call uses; tests point it at a network
// namespace they own.
var callDial = func() (genl.Conn, error) { return genl.Dial(nil) }

// callDialRaw opens a classic-netlink socket of a netlink-raw family's
// protocol; tests point it at a network namespace or a fake.
var callDialRaw = func(protocol int) (genl.RawConn, error) { return genl.DialRaw(protocol, nil) }

// dialClient opens a client of fam over the transport its protocol needs.
func dialClient(fam *ir.Family) (*dyn.Client, error) {
	if fam.Protocol == "netlink-raw" {
		conn, err := callDialRaw(fam.Protonum)
		if err != nil {
			return nil, err
		}
		return dyn.NewRawClient(conn, fam), nil
	}
	conn, err := callDial()
	if err != nil {
		return nil, err
	}
	return dyn.NewClient(conn, fam), nil
}

// callStdin is what "--json -" reads.
var callStdin io.Reader = os.Stdin

type callFlags struct {
	spec, family, windows, do, dump, input string
	specDirs, multi                        []string
	listOps, outputJSON                    bool
	create, excl, replace, appendF, echo   bool
	subscribe                              string
	duration                               seconds
	timeout                                time.Duration
}

// seconds is a duration flag that also takes a bare number of seconds, as
// the YNL CLI's --sleep and --duration do.
type seconds struct {
	d   time.Duration
	set bool
}

func (s *seconds) String() string {
	if !s.set {
		return ""
	}
	return s.d.String()
}

func (s *seconds) Set(v string) error {
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		s.d, s.set = time.Duration(n*float64(time.Second)), true
	} else if d, err := time.ParseDuration(v); err == nil {
		s.d, s.set = d, true
	} else {
		return fmt.Errorf("%q is neither seconds nor a duration like 1.5s", v)
	}
	if s.d < 0 {
		return fmt.Errorf("%q is negative", v)
	}
	return nil
}

func (s *seconds) Type() string { return "seconds" }

func (a *app) callCommand() *cobra.Command {
	var fl callFlags
	cmd := &cobra.Command{
		Use:   "call (--spec SPEC.yaml | --family NAME) (--do OP | --dump OP | --multi OP JSON... | --list-ops | --subscribe GROUP) [flags]",
		Short: "Send requests described by a spec and print the replies as JSON",
		Long: `A dynamic client for debugging a kernel, with the flags of the kernel's YNL
CLI (tools/net/ynl/cli.py): it encodes the --json request from the spec's
attribute set, sends it over generic netlink (Linux) or the OVS device
(Windows, static ids from --windows), and prints the replies in the CLI's
conventions: the spec's dashed names, the fixed header's members after the
attributes, nests, structs and sub-messages as objects, flags as lists of
names, enums as names, binary as hex (or per display hint), unknown
attributes as "UnknownAttr(N)". No generated code is needed.

netlink-raw specs (rt_link, rt_addr, rt_route ...) go over a socket of the
spec's protonum (NETLINK_ROUTE ...), each request with its message type
from the spec (RTM_GETLINK); fixed-header members are top-level keys of
--json ({"ifi-index": 1}); a sub-message takes the format its selector
sibling names ({"linkinfo": {"kind": "bridge", "data": {...}}}); groups
are joined by the spec's number.

The spec is --spec FILE, or --family NAME: NAME.yaml in each --spec-dir, then
in each folder of $NLGEN_SPEC_PATH, then the spec of that family listed in
nlgen.yaml (-f, or the nearest nlgen.yaml from the working folder up, whose
windows overlay then applies too), then /usr/share/ynl/specs.

A do prints one object (null when the kernel only acknowledged); a dump
prints a list. --multi OP JSON (repeatable) sends several do requests in
one run and prints the list of their replies; they go one after another on
one socket, where the YNL CLI packs them into one datagram. --create, --excl,
--replace, --append and --echo add NLM_F_CREATE, _EXCL, _REPLACE, _APPEND and
_ECHO to do and --multi requests; families that do not look at them ignore
them. --json takes the text itself, @FILE, or - for stdin.

--subscribe GROUP joins the family's multicast group before any request
and then prints each notification as {"name": OP, "msg": {...}} as it
arrives, for --duration (--sleep is the CLI's other name for it), or until
interrupted. A request is optional with --subscribe.

Indexed arrays of nests keep their index as a key, as the CLI prints them.
Output is indented on a terminal; --output-json, or any stdout that is not
a terminal, prints one JSON document per line. Kernel errors name the
operation, the errno, the extended-ack message and the attributes it points
at ("netdev dev-get: EINVAL (missing attribute: ifindex)"), and exit 1.
Warnings the kernel attaches to a successful request go to stderr.`,
		Example: `  nlgen call --spec ../shared/specs/linux/nlctrl.yaml --dump getfamily
  nlgen call --family nlctrl --spec-dir ../shared/specs/linux --do getfamily --json '{"family-name": "netdev"}'
  NLGEN_SPEC_PATH=../shared/specs/linux nlgen call --family netdev --dump dev-get --output-json
  nlgen call --family mptcp_pm --create --do add-addr --json @addr.json
  nlgen call --family nlctrl --multi getfamily '{"family-name": "netdev"}' --multi getfamily '{"family-name": "nlctrl"}'
  nlgen call --family ethtool --subscribe monitor --duration 10
  nlgen call --spec schema/ovs/ovs_datapath.yaml --windows schema/ovs/windows.yaml --dump get
  nlgen call --spec ../shared/specs/linux/ethtool.yaml --list-ops
  nlgen call --spec ../shared/specs/linux-6.12/rt_addr.yaml --dump getaddr --json '{"ifa-family": 2}'
  nlgen call --spec ../shared/specs/linux-6.12/rt_link.yaml --do getlink --json '{"ifi-index": 1}'
  nlgen call --spec ../shared/specs/linux-6.12/rt_link.yaml --subscribe rtnlgrp-link`,
		// --multi's JSON texts are the positional arguments, in order.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return a.call(cmd.Context(), fl, args) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.spec, "spec", "", "YNL spec of the family")
	f.StringVar(&fl.family, "family", "", "family name; its spec is NAME.yaml in --spec-dir, $"+SpecPathEnv+", nlgen.yaml's specs or "+ynlSpecDir)
	f.StringArrayVar(&fl.specDirs, "spec-dir", nil, "folder where --family looks for NAME.yaml first (repeatable)")
	f.StringVar(&fl.windows, "windows", "", "Windows overlay with the family's static id (needed on Windows)")
	f.StringVar(&fl.do, "do", "", "operation to send as a do request")
	f.StringVar(&fl.dump, "dump", "", "operation to send as a dump request")
	f.StringArrayVar(&fl.multi, "multi", nil, "send `DO-OPERATION JSON_TEXT` as one of several do requests in one run (repeatable)")
	f.StringVar(&fl.input, "json", "", "request attributes (and fixed-header members) as a JSON object, @FILE, or - for stdin")
	f.BoolVar(&fl.listOps, "list-ops", false, "list the family's operations and exit")
	f.BoolVar(&fl.create, "create", false, "set NLM_F_CREATE (create the object if it does not exist)")
	f.BoolVar(&fl.excl, "excl", false, "set NLM_F_EXCL (fail if the object exists)")
	f.BoolVar(&fl.replace, "replace", false, "set NLM_F_REPLACE (replace an existing object)")
	f.BoolVar(&fl.appendF, "append", false, "set NLM_F_APPEND (add to the end of a list)")
	f.BoolVar(&fl.echo, "echo", false, "set NLM_F_ECHO (send the resulting notification back to this socket too)")
	f.StringVar(&fl.subscribe, "subscribe", "", "multicast group to join and print notifications of")
	f.Var(&fl.duration, "duration", "with --subscribe: watch this long (seconds or a duration like 500ms); default until interrupted")
	f.Var(&fl.duration, "sleep", "alias of --duration, as the YNL CLI names it")
	f.BoolVar(&fl.outputJSON, "output-json", false, "print one JSON document per line, also on a terminal")
	f.DurationVar(&fl.timeout, "timeout", 10*time.Second, "give up waiting for a request's replies after this long")
	completeOps := func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		return opNames(fl.spec), cobra.ShellCompDirectiveNoFileComp
	}
	_ = cmd.RegisterFlagCompletionFunc("do", completeOps)
	_ = cmd.RegisterFlagCompletionFunc("dump", completeOps)
	_ = cmd.RegisterFlagCompletionFunc("multi", completeOps)
	_ = cmd.RegisterFlagCompletionFunc("spec", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
	})
	_ = cmd.RegisterFlagCompletionFunc("spec-dir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
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

// requestFlags are the nlmsghdr flags the user asked for.
func (fl *callFlags) requestFlags() (flags uint16, names []string) {
	for _, f := range []struct {
		on   bool
		name string
		bit  uint16
	}{
		{fl.replace, "--replace", genl.FlagReplace},
		{fl.excl, "--excl", genl.FlagExcl},
		{fl.create, "--create", genl.FlagCreate},
		{fl.appendF, "--append", genl.FlagAppend},
		{fl.echo, "--echo", genl.FlagEcho},
	} {
		if f.on {
			flags |= f.bit
			names = append(names, f.name)
		}
	}
	return flags, names
}

// multiReq is one --multi pair.
type multiReq struct {
	op string
	in map[string]any
}

// check rejects flag combinations the YNL CLI rejects or would ignore.
func (fl *callFlags) check(args []string) error {
	if (fl.spec == "") == (fl.family == "") {
		return usage("call needs exactly one of --spec SPEC.yaml or --family NAME")
	}
	if len(fl.specDirs) > 0 && fl.family == "" {
		return usage("--spec-dir is where --family looks; it needs --family")
	}
	modes := 0
	for _, on := range []bool{fl.do != "", fl.dump != "", len(fl.multi) > 0, fl.listOps} {
		if on {
			modes++
		}
	}
	switch {
	case modes > 1:
		return usage("--do, --dump, --multi and --list-ops exclude each other")
	case modes == 0 && fl.subscribe == "":
		return usage("call needs one of --do OP, --dump OP, --multi OP JSON, --list-ops or --subscribe GROUP")
	}
	if len(args) != len(fl.multi) {
		if len(fl.multi) == 0 {
			return usage("unexpected argument %q (JSON goes in --json, or after the operation of --multi OP JSON)", args[0])
		}
		return usage("--multi takes DO-OPERATION JSON_TEXT: %d operations, %d JSON texts", len(fl.multi), len(args))
	}
	if len(fl.multi) > 0 && fl.input != "" {
		return usage("--multi carries each request's JSON; --json does not apply")
	}
	if _, names := fl.requestFlags(); len(names) > 0 && fl.do == "" && len(fl.multi) == 0 {
		return usage("%s only set flags of --do and --multi requests", strings.Join(names, ", "))
	}
	if fl.duration.set && fl.subscribe == "" {
		return usage("--duration and --sleep say how long to watch --subscribe's notifications; they need --subscribe")
	}
	if fl.input != "" && fl.do == "" && fl.dump == "" {
		return usage("--json is the request of --do or --dump")
	}
	return nil
}

func (a *app) call(ctx context.Context, fl callFlags, args []string) error {
	if err := fl.check(args); err != nil {
		return err
	}
	spec, windows := fl.spec, fl.windows
	var with []string
	if fl.family != "" {
		var err error
		if spec, windows, with, err = a.findFamilySpec(fl.family, fl.specDirs, windows); err != nil {
			return fail(err)
		}
	}
	m, err := pipeline.LoadSpecsWithOverlay(append([]string{spec}, with...), windows, filepath.ToSlash)
	if err != nil {
		return fail(err)
	}
	fam := m.Families[0]
	for _, f := range m.Families {
		if f.Name == fl.family {
			fam = f
		}
	}
	if fl.listOps {
		for _, line := range dyn.ListOps(fam) {
			fmt.Fprintln(a.stdout, line)
		}
		return nil
	}
	// Bad --json is bad input, like a bad spec (exit 1); usage errors
	// (exit 2) are about the command line's shape.
	in, err := readRequest(fl.input)
	if err != nil {
		return fail(err)
	}
	var multi []multiReq
	for i, op := range fl.multi {
		in, err := readRequest(args[i])
		if err != nil {
			// ParseJSON names --json; here the text is --multi's.
			return fail(fmt.Errorf("--multi %s JSON_TEXT: %s", op, strings.Replace(err.Error(), "--json: ", "", 1)))
		}
		multi = append(multi, multiReq{op, in})
	}
	if ctx == nil {
		ctx = context.Background()
	}
	pretty := !fl.outputJSON && isTerminal(a.stdout)

	// Notifications get a socket of their own, joined before any request
	// is sent, so an event the request causes is not missed; the request
	// socket reads only its own replies.
	var sub *dyn.Client
	if fl.subscribe != "" {
		var err error
		if sub, err = dialClient(fam); err != nil {
			return fail(err)
		}
		defer sub.Close()
		jctx, cancel := context.WithTimeout(ctx, fl.timeout)
		err = sub.Join(jctx, fl.subscribe)
		cancel()
		if err != nil {
			return fail(err)
		}
	}
	if fl.do != "" || fl.dump != "" || len(multi) > 0 {
		result, err := a.send(ctx, fam, fl, in, multi)
		if err != nil {
			var ge *genl.Error
			if errors.As(err, &ge) {
				return fail(fmt.Errorf("netlink error: %w", err))
			}
			return fail(err)
		}
		if err := a.output(result, pretty); err != nil {
			return fail(err)
		}
	}
	if sub != nil {
		return a.watch(ctx, sub, fl, pretty)
	}
	return nil
}

// readRequest parses a request's JSON from the text itself, @FILE or -
// (stdin), as the YNL CLI's --json text.
func readRequest(arg string) (map[string]any, error) {
	text, src := arg, ""
	switch {
	case arg == "-":
		b, err := io.ReadAll(callStdin)
		if err != nil {
			return nil, fmt.Errorf("reading the request from stdin: %w", err)
		}
		text, src = string(b), "stdin"
	case strings.HasPrefix(arg, "@"):
		b, err := os.ReadFile(arg[1:])
		if err != nil {
			return nil, fmt.Errorf("reading the request: %w", err)
		}
		text, src = string(b), arg[1:]
	}
	in, err := dyn.ParseJSON(text)
	if err != nil && src != "" {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	return in, err
}

func (a *app) send(ctx context.Context, fam *ir.Family, fl callFlags, in map[string]any, multi []multiReq) (any, error) {
	client, err := dialClient(fam)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	flags, _ := fl.requestFlags()
	// Warnings go to stderr, so stdout stays JSON.
	ctx = genl.WithWarningHandler(ctx, func(w *genl.Warning) {
		fmt.Fprintf(a.stderr, "nlgen: %s\n", w)
	})
	// Each request gets the whole timeout: a slow first reply does not
	// cut the next one short.
	one := func(f func(context.Context) (any, error)) (any, error) {
		ctx, cancel := context.WithTimeout(ctx, fl.timeout)
		defer cancel()
		return f(ctx)
	}
	switch {
	case fl.dump != "":
		return one(func(ctx context.Context) (any, error) { return client.Dump(ctx, fl.dump, in) })
	case fl.do != "":
		return one(func(ctx context.Context) (any, error) { return client.DoFlags(ctx, fl.do, in, flags) })
	}
	// The YNL CLI stops at the first error and prints nothing else.
	out := []any{}
	for _, r := range multi {
		res, err := one(func(ctx context.Context) (any, error) { return client.DoFlags(ctx, r.op, r.in, flags) })
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// watch prints notifications as they arrive until --duration has passed
// or the user interrupts.
func (a *app) watch(ctx context.Context, sub *dyn.Client, fl callFlags, pretty bool) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	defer stop()
	if fl.duration.set {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, fl.duration.d)
		defer cancel()
	}
	for {
		n, decodeErr, err := sub.Receive(ctx)
		if err != nil && !decodeErr {
			if ctx.Err() != nil {
				return nil // the watch is over, not failed
			}
			return fail(err)
		}
		if err != nil {
			// One message the spec cannot describe does not end the
			// watch; the YNL CLI also reports and goes on.
			fmt.Fprintf(a.stderr, "nlgen: %v\n", err)
			continue
		}
		if err := a.output(n, pretty); err != nil {
			return fail(err)
		}
	}
}

// output prints one JSON document: indented for a person, on one line
// for a program.
func (a *app) output(v any, pretty bool) error {
	var b []byte
	var err error
	if pretty {
		b, err = json.MarshalIndent(v, "", "  ")
	} else {
		b, err = json.Marshal(v)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(a.stdout, string(b))
	return err
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// findFamilySpec finds the spec of family name. When it comes from
// nlgen.yaml the config's windows overlay comes with it, unless --windows
// named one, and so do the config's other specs (with), which the overlay
// may refer to (ovs_ct's header extension is ovs_datapath's ovs_header).
// The error lists every place looked at.
func (a *app) findFamilySpec(name string, specDirs []string, windows string) (spec, win string, with []string, err error) {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return "", "", nil, fmt.Errorf("--family %q is not a family name", name)
	}
	var looked []string
	inDir := func(dir, from string) string {
		p := filepath.Join(dir, name+".yaml")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
		looked = append(looked, fmt.Sprintf("%s (%s)", filepath.ToSlash(p), from))
		return ""
	}
	for _, d := range specDirs {
		if p := inDir(d, "--spec-dir"); p != "" {
			return p, windows, nil, nil
		}
	}
	if env := os.Getenv(SpecPathEnv); env != "" {
		for _, d := range filepath.SplitList(env) {
			if d == "" {
				continue
			}
			if p := inDir(d, "$"+SpecPathEnv); p != "" {
				return p, windows, nil, nil
			}
		}
	} else {
		looked = append(looked, "$"+SpecPathEnv+" (not set)")
	}
	file, where := a.callConfigFile()
	if file == "" {
		looked = append(looked, "nlgen.yaml (none in "+where+" or any folder above)")
	} else if cfg, err := config.Load(file); err != nil {
		looked = append(looked, filepath.ToSlash(file)+" (does not load: "+firstLine(err.Error())+")")
	} else {
		if a.verbose {
			fmt.Fprintf(a.stderr, "nlgen: using %s\n", filepath.ToSlash(file))
		}
		var names []string
		found := ""
		for _, ref := range cfg.Specs {
			p := cfg.Abs(ref.Path)
			fam, err := specFamilyName(p)
			if err != nil {
				continue
			}
			if fam == name && found == "" {
				found = p
				continue
			}
			names = append(names, fam)
			with = append(with, p)
		}
		if found != "" {
			if windows == "" && cfg.Windows != nil {
				windows = cfg.Abs(cfg.Windows.Path)
			}
			return found, windows, with, nil
		}
		with = nil
		looked = append(looked, fmt.Sprintf("%s (specs of families: %s)", filepath.ToSlash(file), strings.Join(names, ", ")))
	}
	if p := inDir(ynlSpecDir, "the YNL CLI's spec folder"); p != "" {
		return p, windows, nil, nil
	}
	return "", "", nil, fmt.Errorf("no spec for family %q; looked in:\n  %s\nname the file with --spec, or add its folder with --spec-dir or $%s", name, strings.Join(looked, "\n  "), SpecPathEnv)
}

// callConfigFile is the config --family reads: -f when given, otherwise
// the nearest nlgen.yaml from the working folder up ("" and the folder
// searched from when there is none).
func (a *app) callConfigFile() (file, from string) {
	if a.configFile != "" && a.configFile != config.DefaultFile {
		return a.configFile, ""
	}
	from = "."
	if dir, err := filepath.Abs("."); err == nil {
		from = filepath.ToSlash(dir)
	}
	file, err := config.Find(".")
	if err != nil {
		return "", from
	}
	if abs, err := filepath.Abs(file); err == nil {
		file = abs
	}
	return file, from
}

// specFamilyName is the family a spec describes: its name as loaded,
// without resolving it (only the name is compared).
func specFamilyName(path string) (string, error) {
	spec, err := schema.LoadSpecFile(path)
	if spec == nil {
		return "", err
	}
	return spec.Name, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
