package golang

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/netip"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovspacket"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// kernelMasked builds and runs testdata/masked/kernel.c, which writes
// set_masked actions and a flow reply as the kernel's flow_netlink.c
// stores and dumps them, against the kernel's own <linux/openvswitch.h>.
func kernelMasked(t *testing.T) map[string][]byte {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "masked")
	if out, err := compileC(t, "-D_DEFAULT_SOURCE", "-o", bin, testdataPath(t, "masked/kernel.c")); err != nil {
		t.Fatalf("compile testdata/masked/kernel.c against the kernel's <linux/openvswitch.h> (linux-libc-dev): %v\n%s", err, out)
	}
	res := map[string][]byte{}
	for name, hx := range runAgree(t, bin, "", "") {
		b, err := hex.DecodeString(hx)
		if err != nil {
			t.Fatal(err)
		}
		res[name] = b
	}
	return res
}

// clearNested drops NLA_F_NESTED from the first attribute header: the
// kernel dumps a set_masked nest as userspace sent it, and OVS userspace
// (like the C builder) does not set the flag, where nlattr.BeginNest does.
func clearNested(b []byte) []byte {
	b = bytes.Clone(b)
	binary.NativeEndian.PutUint16(b[2:], binary.NativeEndian.Uint16(b[2:])&^nlattr.FlagNested)
	return b
}

// TestMaskedSetsAsTheKernelDumpsThem: every key attribute validate_set
// accepts in a masked set decodes from the kernel's bytes into the typed
// value and mask, and re-encodes to the same bytes; a whole flow reply
// with set_masked(ipv4) decodes (it used to end the dump with a length
// error); a Go-built set_masked(ipv4) is the kernel's bytes.
func TestMaskedSetsAsTheKernelDumpsThem(t *testing.T) {
	built := kernelMasked(t)
	fields := map[string]string{"priority": "Priority", "skb-mark": "SkbMark", "ct-mark": "CtMark", "ct-labels": "CtLabels",
		"ethernet": "Ethernet", "ipv4": "Ipv4", "ipv6": "Ipv6", "tcp": "Tcp", "udp": "Udp", "mpls": "Mpls", "sctp": "Sctp"}
	if n := reflect.TypeOf(ovsflow.KeyAttrsMasked{}).NumField() - 1; n != len(fields) {
		t.Fatalf("KeyAttrsMasked has %d maskable attributes, the kernel's validate_set %d", n, len(fields))
	}
	for name, field := range fields {
		wire := built[name]
		if wire == nil {
			t.Fatalf("C built no %s", name)
		}
		var list ovsflow.ActionAttrs
		if err := list.Decode(wire, nlattr.DecodeOptions{Strict: true}); err != nil {
			t.Errorf("set_masked(%s): %v", name, err)
			continue
		}
		if len(list) != 1 || list[0].Type != ovsflow.AttrActionSetMasked || list[0].SetMasked == nil {
			t.Errorf("set_masked(%s) decodes to %+v", name, list)
			continue
		}
		f := reflect.ValueOf(*list[0].SetMasked).FieldByName(field)
		if !f.FieldByName("Present").Bool() {
			t.Errorf("set_masked(%s) decodes without its %s field: %+v", name, field, *list[0].SetMasked)
		}
		if again, err := list.AppendBinary(nil); err != nil || !bytes.Equal(clearNested(again), wire) {
			t.Errorf("set_masked(%s) re-encodes differently (%v):\nkernel %x\nGo     %x", name, err, wire, again)
		}
	}

	var reply ovsflow.FlowAttrsReply
	if err := reply.DecodeMessage(built["flow-reply"], nlattr.DecodeOptions{Strict: true}); err != nil {
		t.Fatalf("a flow reply holding set_masked(ipv4): %v", err)
	}
	if len(reply.Actions) != 3 || reply.Actions[0].SetMasked == nil || reply.Actions[1].Set == nil || reply.Actions[2].Output != 2 {
		t.Fatalf("flow reply actions: %+v", reply.Actions)
	}
	m := reply.Actions[0].SetMasked.Ipv4.Value
	if m.Value.DstAddr() != netip.MustParseAddr("10.0.0.0") || m.Mask.DstAddr() != netip.MustParseAddr("255.255.255.0") ||
		m.Value.Tos != 0x08 || m.Mask.Tos != 0xfc {
		t.Errorf("set_masked(ipv4) decodes to value %+v mask %+v", m.Value, m.Mask)
	}
	if reply.Actions[1].Set.SkbMark.Value != 5 {
		t.Errorf("the plain set dumps as %+v", reply.Actions[1].Set)
	}

	// Built in Go: the same action as the kernel's bytes.
	act := ovsflow.ActionAttrs{ovsflow.ActionAttrSetMasked(&ovsflow.KeyAttrsMasked{Ipv4: nlattr.Some(m)})}
	b, err := act.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := clearNested(b), actionsPayload(t, built["flow-reply"])[:len(b)]; !bytes.Equal(got, want) {
		t.Errorf("Go's set_masked(ipv4) is\n%x\nthe kernel's\n%x", got, want)
	}
	// An upcall's actions are the same type: ovspacket shares it.
	var _ ovspacket.KeyAttrsMasked = ovsflow.KeyAttrsMasked{}
}

func actionsPayload(t *testing.T, msg []byte) []byte {
	t.Helper()
	it := nlattr.NewIter(msg[ovsflow.SizeOvsHeader:])
	for it.Next() {
		if it.Type() == ovsflow.AttrFlowActions {
			return it.Payload()
		}
	}
	t.Fatal("no actions in the C-built flow reply")
	return nil
}

// TestMaskedSetsRefuseWhatTheKernelRefuses: a value bit outside the mask
// (validate_masked), no key or two keys in one masked set (validate_set:
// "There can be only one key in a action"), and a payload that is not
// twice the key's size (check_attr_len of key_len / 2).
func TestMaskedSetsRefuseWhatTheKernelRefuses(t *testing.T) {
	outside := &ovsflow.KeyAttrsMasked{SkbMark: nlattr.Some(nlattr.Masked[uint32]{Value: 0x11, Mask: 0x0f})}
	if _, err := outside.AppendBinary(nil); !errors.Is(err, nlattr.ErrRange) {
		t.Errorf("a value bit outside the mask encodes: %v", err)
	}
	two := &ovsflow.KeyAttrsMasked{SkbMark: nlattr.Some(nlattr.Masked[uint32]{Value: 1, Mask: 1}),
		CtMark: nlattr.Some(nlattr.Masked[uint32]{Value: 1, Mask: 1})}
	if _, err := two.AppendBinary(nil); !errors.Is(err, nlattr.ErrLength) {
		t.Errorf("two keys in one masked set encode: %v", err)
	}
	if _, err := (&ovsflow.KeyAttrsMasked{}).AppendBinary(nil); !errors.Is(err, nlattr.ErrLength) {
		t.Errorf("an empty masked set encodes: %v", err)
	}
	// set_masked(ipv4) with the 12-byte value alone, as the plain set would carry it.
	short := nlattr.AppendBytes(nil, ovsflow.AttrKeyIpv4, make([]byte, ovsflow.SizeOvsKeyIpv4))
	var m ovsflow.KeyAttrsMasked
	if err := m.Decode(short, nlattr.DecodeOptions{}); !errors.Is(err, nlattr.ErrLength) {
		t.Errorf("a masked ipv4 without its mask decodes: %v", err)
	}
}
