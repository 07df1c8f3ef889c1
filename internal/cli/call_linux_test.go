//go:build linux

package cli

import (
	"encoding/json"
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
		for _, o := range asList(g["ops"]) {
			op := o.(map[string]any)
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
		for _, x := range asList(g["mcast-groups"]) {
			mg := x.(map[string]any)
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
	if r.code != ExitError || !strings.Contains(r.stderr, "netlink error:") || !strings.Contains(r.stderr, "ERANGE: integer out of range (offset 20)") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	r = run("call", "--spec", spec, "--do", "dev-get", "--json", `{"ifindx": 1}`)
	if r.code != ExitError || !strings.Contains(r.stderr, `no attribute "ifindx"`) {
		t.Fatalf("typo: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := run("call", "--spec", spec); r.code != ExitUsage {
		t.Fatalf("no --do/--dump: exit %d", r.code)
	}
}
