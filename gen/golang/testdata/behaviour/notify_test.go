package golang

import (
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
