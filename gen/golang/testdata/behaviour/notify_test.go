package golang

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestDecodeNotification: a vport notification (the reply to new, del or
// set, multicast to the ovs_vport group) decodes to *Vport; a command that
// is never a notification is refused.
func TestDecodeNotification(t *testing.T) {
	want := vportNew()
	b, err := want.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ovsvport.DecodeNotification(genl.Message{Cmd: uint8(ovsvport.CmdDel), Data: b}, nlattr.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := got.(*ovsvport.Vport); !ok || !reflect.DeepEqual(v, want) {
		t.Fatalf("decoded %T %+v, want %+v", got, got, want)
	}
	if _, err := ovsvport.DecodeNotification(genl.Message{Cmd: uint8(ovsvport.CmdGet), Data: b}, nlattr.DecodeOptions{}); err == nil {
		t.Fatal("a get reply was taken for a notification")
	}
	if _, err := ovsvport.DecodeNotification(genl.Message{Cmd: uint8(ovsvport.CmdNew), Data: b[:2]}, nlattr.DecodeOptions{}); err == nil {
		t.Fatal("a truncated notification decoded")
	}
}

// TestReplyNotificationDecodesTheReply: operations that multicast their
// reply (OVS new/del/set) notify with it, so a datapath del notification
// decodes into the reply set.
func TestReplyNotificationDecodesTheReply(t *testing.T) {
	n, err := ovsdatapath.DecodeNotification(genl.Message{Cmd: uint8(ovsdatapath.CmdDel), Data: mustMessage(t, datapathGetReply())}, nlattr.DecodeOptions{})
	if _, ok := n.(*ovsdatapath.DatapathReply); err != nil || !ok {
		t.Fatalf("datapath del notification decoded as %T (%v), want *DatapathReply", n, err)
	}
}

// TestDecodeNotificationIsAsDocumented: each command ovsvport's
// DecodeNotification doc lists (CmdNew, CmdDel, CmdSet: *Vport) decodes to
// the listed type.
func TestDecodeNotificationIsAsDocumented(t *testing.T) {
	b := mustMessage(t, vportNew())
	for _, cmd := range []ovsvport.Command{ovsvport.CmdNew, ovsvport.CmdDel, ovsvport.CmdSet} {
		v, err := ovsvport.DecodeNotification(genl.Message{Cmd: uint8(cmd), Data: b}, nlattr.DecodeOptions{})
		if _, ok := v.(*ovsvport.Vport); err != nil || !ok {
			t.Errorf("%s notification decoded as %T (%v), the doc says *Vport", cmd, v, err)
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
}
