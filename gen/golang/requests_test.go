package golang

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
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
