package golang

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestNarrowRequests: an operation whose request lists fewer attributes
// than its set gets a type with only those (datapath get reads the name
// alone), encoding exactly as the full set with the same values would.
func TestNarrowRequests(t *testing.T) {
	fields := func(v any) []string {
		var out []string
		for f := range reflect.TypeOf(v).Fields() {
			out = append(out, f.Name)
		}
		return out
	}
	if got := fields(ovsdatapath.GetRequest{}); !reflect.DeepEqual(got, []string{"Header", "Name", "Unknown"}) {
		t.Fatalf("GetRequest fields %v", got)
	}
	narrow := &ovsdatapath.GetRequest{Header: ovsdatapath.OvsHeader{DpIfindex: 7}, Name: nlattr.Some("ovs-system")}
	full := &ovsdatapath.Datapath{Header: ovsdatapath.OvsHeader{DpIfindex: 7}, Name: nlattr.Some("ovs-system")}
	a, err1 := narrow.AppendMessage(nil)
	b, err2 := full.AppendMessage(nil)
	if err1 != nil || err2 != nil || !bytes.Equal(a, b) || narrow.MessageLen() != len(a) {
		t.Fatalf("narrow %x (%v), full %x (%v)", a, err1, b, err2)
	}
	// The flow dump reads fewer attributes than a flow get, so it has its own type.
	if reflect.DeepEqual(fields(ovsflow.DumpGetRequest{}), fields(ovsflow.GetRequest{})) {
		t.Fatal("flow dump and get requests should differ")
	}
}

// TestNarrowReplies: replies narrow like requests. The datapath operations
// share one reply list (a YAML anchor in the spec), so they share one
// type, named after the set; the client and the notifications return it.
// An attribute of the set that the reply does not list (upcall-pid, which
// only requests carry) is kept in Unknown and re-encoded unchanged, and
// Strict rejects it: that is the spec and the kernel disagreeing.
func TestNarrowReplies(t *testing.T) {
	for _, name := range []string{"New", "Del", "Get", "Set"} {
		m, ok := reflect.TypeFor[*ovsdatapath.Client]().MethodByName(name)
		if !ok {
			t.Fatalf("no Client.%s", name)
		}
		if got := m.Type.Out(0); got != reflect.TypeFor[*ovsdatapath.DatapathReply]() {
			t.Errorf("Client.%s returns %v, want *DatapathReply", name, got)
		}
	}
	if _, ok := reflect.TypeFor[ovsdatapath.DatapathReply]().FieldByName("UpcallPid"); ok {
		t.Fatal("DatapathReply has UpcallPid, which no reply lists")
	}
	full := &ovsdatapath.Datapath{Header: ovsdatapath.OvsHeader{DpIfindex: 3}, Name: nlattr.Some("br0"),
		UpcallPid: nlattr.Some(uint32(99)), MasksCacheSize: nlattr.Some(uint32(256))}
	wire, err := full.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	var rsp ovsdatapath.DatapathReply
	if err := rsp.DecodeMessage(wire, nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if rsp.Name.Value != "br0" || rsp.MasksCacheSize.Value != 256 || len(rsp.Unknown) != 1 || rsp.Unknown[0].Type != ovsdatapath.AttrDatapathUpcallPid {
		t.Fatalf("decoded %+v", rsp)
	}
	// Unknowns are appended after the known attributes, so compare as sets of attributes.
	again, err := rsp.AppendMessage(nil)
	if err != nil || len(again) != len(wire) {
		t.Fatalf("re-encoded %x (%v), want the %d bytes of %x", again, err, len(wire), wire)
	}
	var back ovsdatapath.Datapath
	if err := back.DecodeMessage(again, nlattr.DecodeOptions{}); err != nil || !reflect.DeepEqual(&back, full) {
		t.Fatalf("round trip through the reply type: %+v (%v)", back, err)
	}
	if err := rsp.DecodeMessage(wire, nlattr.DecodeOptions{Strict: true}); !errors.Is(err, nlattr.ErrUnknown) {
		t.Fatalf("strict decode of an unlisted attribute: %v, want ErrUnknown", err)
	}
	n, err := ovsdatapath.DecodeNotification(genl.Message{Cmd: uint8(ovsdatapath.CmdNew), Data: wire}, nlattr.DecodeOptions{})
	if _, ok := n.(*ovsdatapath.DatapathReply); err != nil || !ok {
		t.Fatalf("notification decoded as %T (%v), want *DatapathReply", n, err)
	}
}
