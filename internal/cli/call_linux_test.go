//go:build linux

package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/runtime/genl"
)

const upstreamSpecs = "../../../shared/specs/linux"

// liveSpec returns an upstream spec, skipping when the shared folder or
// netlink itself is absent (containers without generic netlink).
func liveSpec(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(upstreamSpecs, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("upstream spec %s absent (../shared not checked out): %v", p, err)
	}
	c, err := genl.Dial(nil)
	if err != nil {
		t.Skipf("no netlink: %v", err)
	}
	c.Close()
	return p
}

func callJSON(t *testing.T, args ...string) any {
	t.Helper()
	r := run(append([]string{"call"}, args...)...)
	if r.code != ExitOK {
		t.Fatalf("nlgen call %v: exit %d\n%s", args, r.code, r.stderr)
	}
	var v any
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, r.stdout)
	}
	return v
}

type genlFamily struct {
	id, version, hdrsize, maxattr int
	ops                           []int
	groups                        map[string]int
}

// genlCtrlList reads the families as iproute2's `genl ctrl list` prints
// them: an independent decoder of the same kernel answer.
func genlCtrlList(t *testing.T) map[string]*genlFamily {
	t.Helper()
	out, err := exec.Command("genl", "ctrl", "list").Output()
	if err != nil {
		t.Fatalf("genl ctrl list (iproute2; .ci/run installs it): %v", err)
	}
	num := func(s string) int {
		n, err := strconv.ParseInt(s, 0, 64)
		if err != nil {
			t.Fatalf("genl output: %q: %v", s, err)
		}
		return int(n)
	}
	head := regexp.MustCompile(`ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)`)
	op := regexp.MustCompile(`^#\d+:\s+ID-(0x[0-9a-f]+)\s*$`)
	group := regexp.MustCompile(`^#\d+:\s+ID-(0x[0-9a-f]+)\s+name: (\S+)`)
	fams := map[string]*genlFamily{}
	var cur *genlFamily
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "Name: "):
			cur = &genlFamily{groups: map[string]int{}}
			fams[strings.TrimPrefix(line, "Name: ")] = cur
		case cur == nil:
		case head.MatchString(line):
			m := head.FindStringSubmatch(line)
			cur.id, cur.version, cur.hdrsize, cur.maxattr = num(m[1]), num(m[2]), num(m[3]), num(m[4])
		case group.MatchString(line):
			m := group.FindStringSubmatch(line)
			cur.groups[m[2]] = num(m[1])
		case op.MatchString(line):
			cur.ops = append(cur.ops, num(op.FindStringSubmatch(line)[1]))
		}
	}
	if len(fams) == 0 {
		t.Fatalf("could not read genl ctrl list:\n%s", out)
	}
	return fams
}

func TestCallNlctrlGetfamilyDumpMatchesGenl(t *testing.T) {
	spec := liveSpec(t, "nlctrl.yaml")
	want := genlCtrlList(t)
	got := map[string]map[string]any{}
	for _, f := range callJSON(t, "--spec", spec, "--dump", "getfamily").([]any) {
		obj := f.(map[string]any)
		got[obj["family-name"].(string)] = obj
	}
	if len(got) != len(want) {
		t.Errorf("call found %d families, genl %d", len(got), len(want))
	}
	for name, w := range want {
		g := got[name]
		if g == nil {
			t.Errorf("family %s missing from the dump", name)
			continue
		}
		for key, v := range map[string]int{"family-id": w.id, "version": w.version, "hdrsize": w.hdrsize, "maxattr": w.maxattr} {
			if g[key] != float64(v) {
				t.Errorf("%s %s = %v, genl says %d", name, key, g[key], v)
			}
		}
		var ops []int
		for i, o := range asList(g["ops"]) {
			op := indexed(t, o, i+1)
			ops = append(ops, int(op["id"].(float64)))
			// Flags are lists of names, never raw numbers.
			for _, fl := range asList(op["flags"]) {
				if _, ok := fl.(string); !ok {
					t.Errorf("%s op flags %v: want names", name, op["flags"])
				}
			}
		}
		if !equalInts(ops, w.ops) {
			t.Errorf("%s ops %v, genl says %v", name, ops, w.ops)
		}
		groups := map[string]int{}
		for i, x := range asList(g["mcast-groups"]) {
			mg := indexed(t, x, i+1)
			groups[mg["name"].(string)] = int(mg["id"].(float64))
		}
		if len(groups) != len(w.groups) {
			t.Errorf("%s groups %v, genl says %v", name, groups, w.groups)
		}
		for n, id := range w.groups {
			if groups[n] != id {
				t.Errorf("%s group %s id %d, genl says %d", name, n, groups[n], id)
			}
		}
	}
}

// indexed unwraps one element of an indexed array of nests, which the YNL
// CLI prints as {"<index>": {...}}; the kernel numbers elements from 1
// (ctrl_fill_info).
func indexed(t *testing.T, v any, want int) map[string]any {
	t.Helper()
	o, ok := v.(map[string]any)
	if !ok || len(o) != 1 {
		t.Fatalf("indexed-array element %v: want one index key", v)
	}
	inner, ok := o[strconv.Itoa(want)].(map[string]any)
	if !ok {
		t.Fatalf("indexed-array element %v: want key %q", v, strconv.Itoa(want))
	}
	return inner
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// equalInts reports whether a and b hold the same numbers, sorting both.
func equalInts(a, b []int) bool {
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestCallNetdevDevGetMatchesSysfs(t *testing.T) {
	spec := liveSpec(t, "netdev.yaml")
	if r := run("call", "--spec", spec, "--list-ops"); r.code != ExitOK || !strings.Contains(r.stdout, "dev-get") {
		t.Fatalf("--list-ops: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// Every interface of this namespace, from sysfs.
	var want []int
	links, err := filepath.Glob("/sys/class/net/*/ifindex")
	if err != nil || len(links) == 0 {
		t.Fatalf("no /sys/class/net: %v", err)
	}
	for _, p := range links {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, n)
	}
	dump := callJSON(t, "--spec", spec, "--dump", "dev-get").([]any)
	var got []int
	for _, d := range dump {
		dev := d.(map[string]any)
		got = append(got, int(dev["ifindex"].(float64)))
		if _, ok := dev["xdp-features"].([]any); !ok {
			t.Errorf("xdp-features %v: want a list of flag names", dev["xdp-features"])
		}
	}
	if !equalInts(got, want) {
		t.Fatalf("dev-get dump ifindexes %v, /sys/class/net has %v", got, want)
	}
	one := callJSON(t, "--spec", spec, "--do", "dev-get", "--json", `{"ifindex": `+strconv.Itoa(want[0])+`}`).(map[string]any)
	if one["ifindex"] != float64(want[0]) {
		t.Fatalf("do dev-get: %v", one)
	}
}

func TestCallPrintsExtendedAck(t *testing.T) {
	spec := liveSpec(t, "netdev.yaml")
	// The kernel's policy says ifindex >= 1; its extended ack names the
	// problem and the offset of the attribute.
	r := run("call", "--spec", spec, "--do", "dev-get", "--json", `{"ifindex": 0}`)
	if r.code != ExitError || !strings.Contains(r.stderr, "netlink error: netdev dev-get: ERANGE: integer out of range (attribute ifindex)") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	// dev-get's do requires ifindex (GENL_REQ_ATTR_CHECK): the kernel
	// names it in NLMSGERR_ATTR_MISS_TYPE.
	r = run("call", "--spec", spec, "--do", "dev-get")
	if r.code != ExitError || !strings.Contains(r.stderr, "netdev dev-get: EINVAL (missing attribute: ifindex)") {
		t.Fatalf("missing ifindex: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run("call", "--spec", spec, "--do", "dev-get", "--json", `{"ifindx": 1}`)
	if r.code != ExitError || !strings.Contains(r.stderr, `no attribute "ifindx"`) {
		t.Fatalf("typo: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := run("call", "--spec", spec); r.code != ExitUsage {
		t.Fatalf("no --do/--dump: exit %d", r.code)
	}
}

// TestCallEthtoolDumpsWithBigMessages runs ethtool dumps whose single
// messages exceed a page (features-get carries every feature name of a
// device four times): with a receive buffer only as large as the first
// datagram the kernel fails such dumps with EMSGSIZE. Every device sysfs
// lists must come back.
func TestCallEthtoolDumpsWithBigMessages(t *testing.T) {
	spec := liveSpec(t, "ethtool.yaml")
	var want []int
	links, _ := filepath.Glob("/sys/class/net/*/ifindex")
	for _, p := range links {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		want = append(want, n)
	}
	for _, op := range []string{"features-get", "strset-get"} {
		r := run("call", "--spec", spec, "--dump", op, "--json", `{"header": {}}`)
		if r.code != ExitOK {
			t.Fatalf("%s dump: exit %d\n%s", op, r.code, r.stderr)
		}
		var dump []map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &dump); err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, d := range dump {
			h, _ := d["header"].(map[string]any)
			got = append(got, int(h["dev-index"].(float64)))
		}
		if op == "features-get" && !equalInts(got, slices.Clone(want)) {
			t.Errorf("features-get dump devices %v, sysfs %v", got, want)
		}
	}
}

// TestCallDumpWarning: ethtool's linkinfo-get dump skips devices without
// link settings (the loopback device has none) and reports that in the
// extended ack of NLMSG_DONE; call prints it to stderr as a warning, and
// stdout stays JSON.
func TestCallDumpWarning(t *testing.T) {
	spec := liveSpec(t, "ethtool.yaml")
	r := run("call", "--spec", spec, "--dump", "linkinfo-get", "--json", `{"header": {}}`)
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var dump []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &dump); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
	}
	for _, d := range dump {
		if d["header"].(map[string]any)["dev-index"] == float64(1) {
			t.Skip("this kernel reports link settings for lo: no warning to check")
		}
	}
	if !strings.Contains(r.stderr, "ethtool linkinfo-get: kernel warning: ") {
		t.Fatalf("lo is missing from the dump but no warning was printed: stderr %q", r.stderr)
	}
}

// TestCallGetpolicyMatchesGenl decodes nlctrl's policy dump for netdev
// (nest-type-value, two levels) and checks every (policy, attribute)
// pair against iproute2's independent reading, `genl ctrl policy`.
func TestCallGetpolicyMatchesGenl(t *testing.T) {
	spec := liveSpec(t, "nlctrl.yaml")
	out, err := exec.Command("genl", "ctrl", "policy", "name", "netdev").Output()
	if err != nil {
		t.Skipf("genl ctrl policy (iproute2) not usable here: %v", err)
	}
	re := regexp.MustCompile(`policy\[(\d+)\]:attr\[(\d+)\]`)
	want := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		want[m[1]+":"+m[2]] = true
	}
	got := map[string]bool{}
	for _, x := range callJSON(t, "--spec", spec, "--dump", "getpolicy", "--json", `{"family-name": "netdev"}`).([]any) {
		p, ok := x.(map[string]any)["policy"].(map[string]any)
		if !ok {
			continue
		}
		if _, ok := p["type"].(string); !ok {
			t.Errorf("policy entry %v lacks a named type", p)
		}
		got[fmt.Sprintf("%v:%v", p["policy-id"], p["attr-id"])] = true
	}
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Fatalf("policy entries %v, genl ctrl policy %v", got, want)
	}
}

// TestCallUnregisteredFamily: a family nlctrl does not know is named as
// such, not reported as a bare ENOENT of some command number.
func TestCallUnregisteredFamily(t *testing.T) {
	liveSpec(t, "nlctrl.yaml")
	if _, ok := genlCtrlList(t)["ovs_datapath"]; ok {
		t.Skip("openvswitch is loaded here")
	}
	r := run("call", "--spec", "../../schema/ovs/ovs_datapath.yaml", "--dump", "get")
	if r.code != ExitError || !strings.Contains(r.stderr, `family "ovs_datapath" is not registered in this kernel (module not loaded?)`) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}
