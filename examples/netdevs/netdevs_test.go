package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const spec = "../../../shared/specs/linux/netdev.yaml"

// TestGeneratedIsCurrent: the committed netdev package is what nlgen
// generates from the upstream spec today.
func TestGeneratedIsCurrent(t *testing.T) {
	if _, err := os.Stat(spec); err != nil {
		t.Skipf("upstream netdev spec not found at %s (the shared specs folder is not next to the repository)", spec)
	}
	out, err := exec.Command("go", "run", "github.com/nlgen/nlgen/cmd/nlgen", "diff", "-f", "nlgen.yaml").CombinedOutput()
	if err != nil {
		t.Fatalf("examples/netdevs/netdev is stale; run go generate ./examples/netdevs: %v\n%s", err, out)
	}
}

// TestListsThisMachinesDevices runs the example as a user would and checks
// its ifindexes against /sys/class/net.
func TestListsThisMachinesDevices(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the example against the kernel; skipped with -short")
	}
	entries, err := os.ReadDir("/sys/class/net")
	if err != nil {
		t.Skipf("no /sys/class/net: %v", err)
	}
	var want []int
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("/sys/class/net", e.Name(), "ifindex"))
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, n)
	}
	cmd := exec.Command("go", "run", ".")
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(string(out)+err.Error(), `"netdev" is not registered`) {
			t.Skip("kernel without the netdev family")
		}
		t.Fatalf("go run ./examples/netdevs: %v\n%s", err, out)
	}
	var got []int
	for _, m := range regexp.MustCompile(`(?m)^ifindex (\d+) `).FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		got = append(got, n)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("example listed ifindexes %v, /sys/class/net has %v\n%s", got, want, out)
	}
}
