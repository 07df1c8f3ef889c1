// Package livetest holds what tests against the live kernel share: the
// iproute2 output they compare with, and network namespaces of their own
// so nothing on the host changes.
package livetest

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// IPJSON runs `ip [-n ns] -j args...` and decodes its output into v; ns ""
// is the host's namespace. It skips where iproute2 is not installed.
func IPJSON(t testing.TB, ns string, v any, args ...string) {
	t.Helper()
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("iproute2's ip is not installed; nothing to compare with")
	}
	full := append(inNamespace(ns, "-j"), args...)
	out, err := exec.Command("ip", full...).Output()
	if err != nil {
		t.Fatalf("ip %s: %v", strings.Join(full, " "), err)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(full, " "), err, out)
	}
}

// IP runs `ip -n ns args...` and fails the test when it fails.
func IP(t testing.TB, ns string, args ...string) {
	t.Helper()
	full := append(inNamespace(ns), args...)
	if out, err := exec.Command("ip", full...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(full, " "), err, out)
	}
}

func inNamespace(ns string, args ...string) []string {
	if ns == "" {
		return args
	}
	return append([]string{"-n", ns}, args...)
}
