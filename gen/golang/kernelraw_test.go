package golang

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nlgen/nlgen/internal/gentest"
)

// TestKernelRawSpecsGenerateAndVet generates the go target, through a
// config as a user writes one, for every netlink-raw spec of a kernel
// tree (rt_addr, rt_link, rt_route, tc and nftables in 6.12) and vets the
// packages for linux and windows. NLGEN_KERNEL_SPECS names the kernel's
// Documentation/netlink/specs; the specs are read unchanged, including
// nftables' attribute "set id". The output is not committed.
func TestKernelRawSpecsGenerateAndVet(t *testing.T) {
	dir := os.Getenv("NLGEN_KERNEL_SPECS")
	if dir == "" {
		t.Skip("NLGEN_KERNEL_SPECS is unset: set it to a kernel's Documentation/netlink/specs to generate and vet Go for every netlink-raw spec there")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("NLGEN_KERNEL_SPECS=%s is absent (%v): it must name a kernel's Documentation/netlink/specs", dir, err)
	}
	if testing.Short() {
		t.Skip("vets a generated package per kernel netlink-raw spec; skipped with -short")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(abs, "*.yaml"))
	rawProtocol := regexp.MustCompile(`(?m)^protocol:\s*netlink-raw\s*$`)
	var specs []string
	for _, f := range files {
		if src, err := os.ReadFile(f); err == nil && rawProtocol.Match(src) {
			specs = append(specs, f)
		}
	}
	if len(specs) == 0 {
		t.Fatalf("no netlink-raw spec in %s", dir)
	}

	const out = "testdata/kernelraw"
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	var cfg strings.Builder
	cfg.WriteString("version: 1\nspecs:\n")
	for _, s := range specs {
		fmt.Fprintf(&cfg, "  - %q\n", filepath.ToSlash(s))
	}
	cfg.WriteString("outputs:\n  - {target: go, dir: go, options: {import-path: github.com/nlgen/nlgen/gen/golang/" + out + "/go}}\n")
	cfgPath := filepath.Join(out, "nlgen.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	m := gentest.Model(t, cfgPath)
	if len(m.Families) != len(specs) {
		t.Fatalf("%d families from %d specs", len(m.Families), len(specs))
	}
	var names []string
	for _, f := range m.Families {
		names = append(names, f.Name)
	}
	generated := generate(t, m, "github.com/nlgen/nlgen/gen/golang/"+out+"/go")
	gentest.WriteFiles(t, filepath.Join(out, "go"), generated)
	start := time.Now()
	vetForLinuxAndWindows(t, out, "packages generated from the kernel's netlink-raw specs")
	t.Logf("generated %d files for %s; go vet for linux and windows took %s", len(generated), strings.Join(names, ", "), time.Since(start).Round(time.Millisecond))
}
