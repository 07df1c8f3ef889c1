package golang

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/internal/gentest"
	"github.com/nlgen/nlgen/ir"
)

// TestDirectionalCommands generates Go from the upstream directional specs
// (ethtool, nlctrl) and builds a program that pins every command id of the
// kernel's own headers (testdata/uapi/directional_commands.txt): requests
// are Commands, replies and notifications KernelCommands, each with its
// value, and String names each by its own direction with the spec's
// operation name, so ethtool's notification 3 reads linkinfo-ntf, not the
// request linkinfo-set (a reply, STRSET_GET_REPLY, is its operation's,
// strset-get).
func TestDirectionalCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program; skipped with -short")
	}
	requireShared(t)
	m := gentest.Specs(t, []string{filepath.Join(sharedSpecs, "ethtool.yaml"), filepath.Join(sharedSpecs, "nlctrl.yaml")}, "")
	const dir = "testdata/directional"
	pkg := "github.com/nlgen/nlgen/gen/golang/" + dir
	writeFiles(t, dir, generate(t, m, pkg))

	facts, err := os.Open("../../testdata/uapi/directional_commands.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer facts.Close()
	var decls, checks strings.Builder
	n := 0
	sc := bufio.NewScanner(facts)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var dir, cname string
		var value int
		if _, err := fmt.Sscan(line, &dir, &cname, &value); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if dir == "bound" {
			continue // NONE and MAX are C enum bounds, not Go constants
		}
		pkgName, rest, ok := strings.Cut(cname, "_MSG_")
		if ok {
			pkgName = strings.ToLower(pkgName)
		} else {
			pkgName, rest = "nlctrl", strings.TrimPrefix(cname, "CTRL_CMD_")
		}
		typ := map[string]string{"user": "Command", "kernel": "KernelCommand"}[dir]
		name := "Cmd" + ir.GoExported(strings.ToLower(rest))
		// Assigning to a variable of the direction's type fails to
		// compile when the constant has the other type.
		fmt.Fprintf(&decls, "var _ %s.%s = %s.%s\n", pkgName, typ, pkgName, name)
		spec := strings.ReplaceAll(strings.ToLower(strings.TrimSuffix(rest, "_REPLY")), "_", "-")
		fmt.Fprintf(&checks, "\tcheck(%q, int(%s.%s), %d, %s.%s.String(), %q)\n", cname, pkgName, name, value, pkgName, name, spec)
		n++
	}
	if n < 90 {
		t.Fatalf("only %d commands in the facts table", n)
	}
	main := fmt.Sprintf(`package main

import (
	"fmt"
	"os"

	%q
	%q
)

%s
func main() {
	bad := 0
	check := func(cname string, got, want int, str, wantStr string) {
		if got != want || str != wantStr {
			fmt.Printf("%%s: Go constant is %%d (%%s), kernel header %%d (%%s)\n", cname, got, str, want, wantStr)
			bad++
		}
	}
%s	if bad > 0 {
		os.Exit(1)
	}
}
`, pkg+"/ethtool", pkg+"/nlctrl", decls.String(), checks.String())
	if err := os.MkdirAll(dir+"/cmd", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/cmd/main.go", []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := goCmd(t, nil, "run", "./gen/golang/"+dir+"/cmd"); err != nil {
		t.Fatalf("generated directional commands disagree with the kernel's headers: %v\n%s", err, out)
	}
}
