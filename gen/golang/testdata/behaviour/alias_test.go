package golang

import (
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovspacket"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// The OVS packages of out/go share ovs_flow's key and action types: an
// upcall's key is installed as a flow without conversion. These lines are
// the test; they would not compile if ovs_packet had its own copies.
var (
	_ *ovsflow.KeyAttrs   = (*ovspacket.KeyAttrs)(nil)
	_ ovsflow.ActionAttrs = ovspacket.ActionAttrs(nil)
	_ ovsflow.ActionAttr  = ovspacket.ActionAttr{}
	_ ovsflow.OvsKeyIpv4  = ovspacket.OvsKeyIpv4{}
	_ ovsflow.OvsFragType = ovspacket.OvsFragTypeFirst
)

func TestOVSPacketSharesFlowTypes(t *testing.T) {
	if reflect.TypeFor[ovspacket.KeyAttrs]() != reflect.TypeFor[ovsflow.KeyAttrs]() {
		t.Error("ovspacket.KeyAttrs is not ovsflow.KeyAttrs")
	}
	// The message set is each family's own: its header and methods are.
	if reflect.TypeFor[ovspacket.Packet]().PkgPath() != "github.com/nlgen/nlgen/out/go/ovspacket" {
		t.Error("ovspacket.Packet was aliased")
	}
	upcall := &ovspacket.Packet{Key: &ovspacket.KeyAttrs{InPort: nlattr.Some[uint32](3)}}
	flow := &ovsflow.FlowAttrs{Key: upcall.Key, Actions: ovspacket.ActionAttrs{ovsflow.ActionAttrOutput(1)}}
	if _, err := flow.MarshalBinary(); err != nil {
		t.Fatal(err)
	}
}
