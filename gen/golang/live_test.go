package golang

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/internal/gentest"
)

// TestLiveKernel generates Go from the upstream nlctrl and netdev specs,
// builds a program on the generated clients, runs it against this
// machine's kernel, and checks its answers against independent readings:
// `genl ctrl list` (iproute2) and /sys/class/net.
func TestLiveKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("live kernel test builds and runs a program; skipped with -short")
	}
	requireShared(t)
	m := gentest.Specs(t, []string{filepath.Join(sharedSpecs, "nlctrl.yaml"), filepath.Join(sharedSpecs, "netdev.yaml")}, "")
	const dir = "testdata/live"
	writeFiles(t, dir, generate(t, m, "github.com/nlgen/nlgen/gen/golang/"+dir))
	main, err := os.ReadFile("testdata/livecheck.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir+"/cmd", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/cmd/main.go", main, 0o644); err != nil {
		t.Fatal(err)
	}
	vetForLinuxAndWindows(t, dir, "generated nlctrl/netdev packages")
	out, err := goCmd(t, nil, "run", "./gen/golang/"+dir+"/cmd")
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		t.Skip("no generic netlink on this machine")
	}
	if err != nil {
		t.Fatalf("livecheck failed: %v", err)
	}
	var got struct {
		Families []struct {
			Name    string
			ID      uint16
			Version uint32
			Groups  []string
		}
		Devices        []uint32
		Loopback       *struct{ Ifindex struct{ Value uint32 } }
		Policies       []string
		MissingIfindex string
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("livecheck output %q: %v", out, err)
	}

	want := genlCtrlList(t)
	gotFams := map[string]uint16{}
	for _, f := range got.Families {
		gotFams[f.Name] = f.ID
	}
	if len(gotFams) != len(want) {
		t.Errorf("generated nlctrl client saw %d families, genl ctrl list %d: %v vs %v", len(gotFams), len(want), gotFams, want)
	}
	for name, id := range want {
		if gotFams[name] != id {
			t.Errorf("family %s: generated client says id %#x, genl ctrl list %#x", name, gotFams[name], id)
		}
	}
	if _, ok := gotFams["nlctrl"]; !ok {
		t.Errorf("nlctrl itself missing from the dump: %v", gotFams)
	}

	// netdev's dev-get dump walks every net_device of the namespace, so it
	// must list exactly the ifindexes sysfs shows.
	sys := sysfsIfindexes(t)
	slices.Sort(got.Devices)
	if !slices.Equal(got.Devices, sys) {
		t.Errorf("netdev dump ifindexes %v, /sys/class/net %v", got.Devices, sys)
	}
	if got.Loopback == nil || got.Loopback.Ifindex.Value != 1 {
		t.Errorf("dev-get do for ifindex 1 returned %+v", got.Loopback)
	}
	// The kernel's extended ack names the missing attribute; the generated
	// Family's schema turns its number into the spec's name.
	if want := "netdev dev-get: EINVAL (missing attribute: ifindex)"; got.MissingIfindex != want {
		t.Errorf("dev-get without ifindex: %q, want %q", got.MissingIfindex, want)
	}

	// nlctrl's policy dump nests policy-idx, then attr-idx, then the
	// policy attributes; every pair must match iproute2's reading, and
	// the type must be the one genl prints.
	wantPol := genlCtrlPolicy(t, "netdev")
	gotPol := map[string]string{}
	for _, p := range got.Policies {
		i := strings.LastIndex(p, ":")
		gotPol[p[:i]] = p[i+1:]
	}
	if len(wantPol) == 0 || len(gotPol) != len(wantPol) {
		t.Errorf("policy dump entries %v, genl ctrl policy %v", gotPol, wantPol)
	}
	for k, typ := range wantPol {
		if n, ok := nlAttrTypes[typ]; ok && gotPol[k] != n {
			t.Errorf("policy %s: type %s, genl says %s (%s)", k, gotPol[k], typ, n)
		}
	}
	t.Logf("%d families, devices %v, %d policy entries", len(gotFams), got.Devices, len(gotPol))
}

// nlAttrTypes maps genl's names of enum netlink_attribute_type
// (include/uapi/linux/netlink.h) to their values.
var nlAttrTypes = map[string]string{"FLAG": "1", "U8": "2", "U16": "3", "U32": "4", "U64": "5",
	"S8": "6", "S16": "7", "S32": "8", "S64": "9", "BINARY": "10", "STRING": "11", "NUL_STRING": "12",
	"NESTED": "13", "NESTED_ARRAY": "14", "BITFIELD32": "15"}

// genlCtrlPolicy reads `genl ctrl policy name FAMILY`: "policy:attr" ->
// the type name genl prints.
func genlCtrlPolicy(t *testing.T, family string) map[string]string {
	t.Helper()
	out, err := exec.Command("genl", "ctrl", "policy", "name", family).Output()
	if err != nil {
		t.Skipf("genl ctrl policy (iproute2) is not usable here: %v", err)
	}
	re := regexp.MustCompile(`policy\[(\d+)\]:attr\[(\d+)\]: type=(\S+)`)
	pol := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		pol[m[1]+":"+m[2]] = m[3]
	}
	return pol
}

// genlCtrlList reads family names and ids from iproute2's genl.
func genlCtrlList(t *testing.T) map[string]uint16 {
	t.Helper()
	out, err := exec.Command("genl", "ctrl", "list").Output()
	if err != nil {
		t.Skipf("genl (iproute2) is not usable here: %v", err)
	}
	re := regexp.MustCompile(`(?m)^Name: (\S+)\s*\n\s*ID: (0x[0-9a-f]+)`)
	fams := map[string]uint16{}
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		id, err := strconv.ParseUint(m[2], 0, 16)
		if err != nil {
			t.Fatal(err)
		}
		fams[m[1]] = uint16(id)
	}
	if len(fams) == 0 {
		t.Fatalf("could not parse genl ctrl list output:\n%s", out)
	}
	return fams
}

func sysfsIfindexes(t *testing.T) []uint32 {
	t.Helper()
	paths, err := filepath.Glob("/sys/class/net/*/ifindex")
	if err != nil || len(paths) == 0 {
		t.Skipf("/sys/class/net is not readable: %v", err)
	}
	var out []uint32
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, uint32(v))
	}
	slices.Sort(out)
	return out
}
