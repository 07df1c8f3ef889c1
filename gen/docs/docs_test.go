package docs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen"

	"github.com/nlgen/nlgen/internal/gentest"
)

func generate(t *testing.T) []gen.File {
	t.Helper()
	m := gentest.Specs(t, []string{"testdata/demo.yaml"}, "testdata/windows.yaml")
	files, err := Generate(&gen.Request{Model: m, Families: m.Families, Target: "docs"})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGolden(t *testing.T) {
	files := generate(t)
	want := map[string]bool{}
	for _, f := range files {
		want[f.Path] = true
		golden := filepath.Join("testdata", "golden", f.Path)
		if *gentest.Update {
			if err := os.WriteFile(golden, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		exp, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./gen/docs -update)", err)
		}
		if string(exp) != string(f.Content) {
			t.Errorf("%s differs from %s; run go test ./gen/docs -update and review the diff", f.Path, golden)
		}
	}
	entries, _ := os.ReadDir(filepath.Join("testdata", "golden"))
	for _, e := range entries {
		if !want[e.Name()] {
			t.Errorf("stale golden file %s", e.Name())
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := generate(t), generate(t)
	for i := range a {
		if string(a[i].Content) != string(b[i].Content) {
			t.Fatalf("%s differs between runs", a[i].Path)
		}
	}
}

func TestFactsOnThePage(t *testing.T) {
	page := string(generate(t)[0].Content)
	for _, want := range []string{
		gen.GeneratedMarker,
		"| 2 | `port` | u32 | 4 | min 1; max 4095; `demoPolicy`: `NL_A_U16` (override: the driver stores ports in 16 bits) |",
		"| 1 | `name` | string | variable | max-len 15 (`DEMO_NAME_LEN - 1`); `demoPolicy`: `NL_A_STRING` maxLen `DEMO_NAME_LEN - 1 + 1` required |",
		"| 8 | 4 | `bytes` | u32 |",
		"| Windows handler | `DemoGetHandler` |",
		"| Windows devOps | read, write, transaction (0x7) |",
		"| Static family id | 18 = `OVS_WIN_NL_DEMO_FAMILY_ID` |",
		`\# This line is text, not a heading; &lt;b&gt;tags&lt;/b&gt;, \| pipes and \` + "`ticks\\`",
		"| 4 or 8 |",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestCodeSpansCannotBeClosedByNames(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "`plain`",
		"a`b":   "`` a`b ``",
		"a``b`": "``` a``b` ```",
		" lead": "`  lead `",
		"":      "",
		"A | B": "`A \\| B`",
	} {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cell("a|b\nc"); got != `a\|b c` {
		t.Errorf("cell = %q", got)
	}
}

// TestDirectionalCommands: a directional family's page gives each message
// the id and C name of its direction, as the kernel's headers number them
// (ethtool's LINKINFO_SET and LINKINFO_NTF are both 3, in different enums;
// genetlink.h's CTRL_CMD_GETFAMILY is 3 and its reply 1).
func TestDirectionalCommands(t *testing.T) {
	const shared = "../../../shared/specs/linux/"
	if _, err := os.Stat(shared + "ethtool.yaml"); err != nil {
		t.Skip("../shared/specs/linux is absent: upstream spec tests need the shared folder beside the checkout")
	}
	m := gentest.Specs(t, []string{shared + "ethtool.yaml", shared + "nlctrl.yaml"}, "")
	files, err := Generate(&gen.Request{Model: m, Families: m.Families, Target: "docs"})
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, f := range files {
		pages[f.Path] = string(f.Content)
	}
	for page, wants := range map[string][]string{
		"ethtool.md": {
			"| Command | request 2 (`ETHTOOL_MSG_LINKINFO_GET`), reply 2 (`ETHTOOL_MSG_LINKINFO_GET_REPLY`) |",
			"| Command | request 3 (`ETHTOOL_MSG_LINKINFO_SET`) |",
			"| Command | notification 3 (`ETHTOOL_MSG_LINKINFO_NTF`) |",
			"| Command | request 12 (`ETHTOOL_MSG_FEATURES_SET`), reply 12 (`ETHTOOL_MSG_FEATURES_SET_REPLY`) |",
			"| Command | event 27 (`ETHTOOL_MSG_CABLE_TEST_NTF`) |",
			"`ETHTOOL_MSG_USER_MAX`", "`ETHTOOL_MSG_KERNEL_MAX`",
		},
		"nlctrl.md": {
			"| Command | request 3 (`CTRL_CMD_GETFAMILY`), reply 1 (`CTRL_CMD_GETFAMILY_REPLY`) |",
			"| Command | request 10 (`CTRL_CMD_GETPOLICY`), reply 10 (`CTRL_CMD_GETPOLICY_REPLY`) |",
		},
	} {
		for _, want := range wants {
			if !strings.Contains(pages[page], want) {
				t.Errorf("%s lacks %q", page, want)
			}
		}
	}
}

// TestRawGolden renders upstream rt_link (netlink-raw): message types
// instead of commands, the netlink protocol, fixed headers with their pad
// member, sub-messages and the sets they carry, multicast group numbers,
// and none of nlgen's C names, which classic netlink's hand-written
// headers do not use.
func TestRawGolden(t *testing.T) {
	spec := "../../../shared/specs/linux-6.12/rt_link.yaml"
	if _, err := os.Stat(spec); err != nil {
		t.Skipf("%s is absent: the netlink-raw golden needs ../shared beside the checkout", spec)
	}
	m := gentest.Specs(t, []string{spec}, "")
	files := gentest.Generate(t, Generator, m, nil)
	gentest.Golden(t, "testdata/golden-raw", files)
	page := string(files[0].Content)
	for _, want := range []string{
		"| Netlink protocol | 0 (`socket(AF_NETLINK, SOCK_RAW, 0)`) |",
		"| Message types | request 18, reply 16 |",      // RTM_GETLINK, RTM_NEWLINK
		"| `rtnlgrp-stats` | 36 |",                      // RTNLGRP_STATS
		"| 1 | 1 | `pad` | pad (carries nothing) |   |", // ifinfomsg's __ifi_pad
		"| `vlan` | none | [linkinfo-vlan-attrs](#attribute-set-linkinfo-vlan-attrs) |",
		"sub-message [linkinfo-data-msg](#sub-message-linkinfo-data-msg) selected by `kind`",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("rt-link.md lacks %q", want)
		}
	}
	if strings.Contains(page, "RT_LINK_") {
		t.Error("rt-link.md shows C names nlgen derived; classic netlink's headers are hand-written")
	}
}

// TestRawTextIsEscaped: sub-message format values are free text in YNL.
// nlgen's schema accepts only values that make identifiers, but docs do
// not rely on that: the value is set on the model here. In a table it
// must stay one cell (GFM splits a row at every pipe not escaped by a
// backslash, a backslash pair counting as one escape), and an HTML
// comment opener stays inside a code span, where it is text.
func TestRawTextIsEscaped(t *testing.T) {
	m := gentest.Specs(t, []string{"../../testdata/accepted/raw-demo.yaml"}, "")
	set := false
	for _, sm := range m.Families[0].SubMessages {
		for _, f := range sm.Formats {
			if f.Value == "noop" {
				f.Value, set = "a|b`c <!-- *d* | [e](f)", true
			}
		}
	}
	if !set {
		t.Fatal("raw-demo.yaml has no format noop any more")
	}
	page := string(gentest.Generate(t, Generator, m, nil)[0].Content)
	if !strings.Contains(page, "| `` a\\|b`c <!-- *d* \\| [e](f) `` |") {
		t.Error("the format value is not one code span")
	}
	found := false
	for _, line := range strings.Split(page, "\n") {
		if !strings.Contains(line, "a\\|b") {
			continue
		}
		found = true
		cells := 0
		for i := 0; i < len(line); i++ {
			if line[i] == '\\' {
				i++
				continue
			}
			if line[i] == '|' {
				cells++
			}
		}
		if cells != 4 {
			t.Errorf("row %q has %d unescaped pipes, want 4 (three cells)", line, cells)
		}
	}
	if !found {
		t.Error("the hostile format value is not in the page")
	}
}
