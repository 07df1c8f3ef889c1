package golang

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/internal/gentest"
	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestNotificationOfItsOwnKeepsTheFullSet: handshake's ready notification
// says "notify: accept" but carries accept's request attribute
// handler-class, not accept's reply, so it decodes into the full set.
func TestNotificationOfItsOwnKeepsTheFullSet(t *testing.T) {
	requireShared(t)
	m := gentest.Specs(t, []string{sharedSpecs + "/handshake.yaml"}, "")
	var client string
	for _, f := range generate(t, m, "example.com/handshake") {
		if strings.HasSuffix(f.Path, "client.go") {
			client = string(f.Content)
		}
	}
	ready := client[strings.Index(client, "case CmdReady"):]
	if i := strings.Index(ready, "var v "); i < 0 || !strings.HasPrefix(ready[i:], "var v Accept\n") {
		t.Fatalf("the ready notification does not decode into the full accept set:\n%.200s", ready)
	}
}

// TestDecodeNotificationDocumentsItsTypes: the doc comment lists every
// type DecodeNotification returns with the commands that carry it, and
// the list is true: each listed command decodes to the listed type.
func TestDecodeNotificationDocumentsItsTypes(t *testing.T) {
	src, err := os.ReadFile("../../out/go/ovsvport/client.go")
	if err != nil {
		t.Fatal(err)
	}
	const doc = "// DecodeNotification decodes a message the family sends unprompted (a multicast\n" +
		"// notification or an event) into the set its command carries. The value is one of:\n" +
		"//\n" +
		"//   - *Vport for CmdNew, CmdDel, CmdSet\n" +
		"//\n" +
		"// Other commands are an error.\n"
	if !strings.Contains(string(src), doc) {
		t.Fatalf("ovsvport's DecodeNotification doc does not list its types:\n%s", src[strings.Index(string(src), "// DecodeNotification"):][:400])
	}
	b := mustMessage(t, vportNew())
	for _, cmd := range []ovsvport.Command{ovsvport.CmdNew, ovsvport.CmdDel, ovsvport.CmdSet} {
		v, err := ovsvport.DecodeNotification(genl.Message{Cmd: uint8(cmd), Data: b}, nlattr.DecodeOptions{})
		if _, ok := v.(*ovsvport.Vport); err != nil || !ok {
			t.Errorf("%s notification decoded as %T (%v), the doc says *Vport", cmd, v, err)
		}
	}
	// A family whose notifications carry different sets lists each.
	requireShared(t)
	m := gentest.Specs(t, []string{sharedSpecs + "/netdev.yaml"}, "")
	for _, f := range generate(t, m, "example.com/netdev") {
		if strings.HasSuffix(f.Path, "client.go") {
			for _, want := range []string{"//   - *Dev for CmdDevAddNtf, CmdDevDelNtf, CmdDevChangeNtf\n", "//   - *Page"} {
				if !strings.Contains(string(f.Content), want) {
					t.Errorf("netdev's DecodeNotification doc lacks %q", want)
				}
			}
		}
	}
}

// TestCommandStringIsTheSpecName: Command.String says what its comment
// promises, the spec's operation name, as enums do.
func TestCommandStringIsTheSpecName(t *testing.T) {
	for cmd, want := range map[fmt.Stringer]string{
		ovsvport.CmdNew: "new", ovsvport.CmdGet: "get", ovsdatapath.CmdSet: "set",
		ovsvport.Command(99): "Command(99)",
	} {
		if got := cmd.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", cmd, got, want)
		}
	}
	requireShared(t)
	m := gentest.Specs(t, []string{sharedSpecs + "/netdev.yaml", sharedSpecs + "/nlctrl.yaml"}, "")
	want := map[string]string{
		"netdev/consts.go": "case CmdDevAddNtf:\n\t\treturn \"dev-add-ntf\"\n",
		// nlctrl is directional: request 3 and reply 1 are both getfamily.
		"nlctrl/consts.go": "case CmdGetfamily:\n\t\treturn \"getfamily\"\n",
	}
	for _, f := range generate(t, m, "example.com/x") {
		if w, ok := want[f.Path]; ok {
			if !strings.Contains(string(f.Content), w) {
				t.Errorf("%s: Command.String lacks %q", f.Path, w)
			}
			delete(want, f.Path)
		}
	}
	if len(want) > 0 {
		t.Errorf("not generated: %v", want)
	}
}
