package golang

import (
	"strings"
	"testing"

	"github.com/nlgen/nlgen/internal/gentest"
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
// type DecodeNotification returns with the commands that carry it (that
// the list is true, TestDecodeNotificationIsAsDocumented in
// testdata/behaviour checks).
func TestDecodeNotificationDocumentsItsTypes(t *testing.T) {
	src := ovsFile(t, "ovsvport/client.go")
	const doc = "// DecodeNotification decodes a message the family sends unprompted (a multicast\n" +
		"// notification or an event) into the set its command carries. The value is one of:\n" +
		"//\n" +
		"//   - *Vport for CmdNew, CmdDel, CmdSet\n" +
		"//\n" +
		"// Other commands are an error.\n"
	if !strings.Contains(src, doc) {
		t.Fatalf("ovsvport's DecodeNotification doc does not list its types:\n%s", src[strings.Index(string(src), "// DecodeNotification"):][:400])
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

// TestCommandStringIsTheSpecNameInEveryFamily: Command.String gives the
// spec's operation name for notification commands and for a directional
// family's commands too (the OVS commands are checked in
// testdata/behaviour).
func TestCommandStringIsTheSpecNameInEveryFamily(t *testing.T) {
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
