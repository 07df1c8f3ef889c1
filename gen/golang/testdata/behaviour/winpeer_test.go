package golang

import (
	"encoding/hex"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovsmeter"
	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestWindowsVportReplies decodes vport replies that C builds as the
// driver's OvsCreateMsgFromVport does (NlMsgPutTailString of the adapter
// name, whole, with its NUL): Hyper-V adapter names are longer than
// Linux's IFNAMSIZ, and every name up to the Windows policies' IFNAMSIZ
// (256 with the NUL) must decode, on any GOOS. One byte more is refused.
func TestWindowsVportReplies(t *testing.T) {
	bin := buildAgree(t)
	replies := runAgree(t, bin, "replies", "")
	want := map[string]string{
		"vport-hyperv-adapter": "Microsoft Hyper-V Network Adapter #2",
		"vport-vethernet":      "vEthernet (Default Switch)",
		"vport-physical":       "Intel(R) Ethernet Connection (7) I219-LM",
		"vport-longest":        strings.Repeat("x", 255),
	}
	for kind, name := range want {
		wire, err := hex.DecodeString(replies[kind])
		if err != nil || len(wire) == 0 {
			t.Fatalf("C built no %s (%v)", kind, err)
		}
		for _, strict := range []bool{false, true} {
			var v ovsvport.Vport
			if err := v.DecodeMessage(wire, nlattr.DecodeOptions{Strict: strict}); err != nil {
				t.Errorf("%s (strict %v): %v", kind, strict, err)
				continue
			}
			if v.Name.Value != name || v.Header.DpIfindex != 2 || v.Type.Value != ovsvport.OvsVportTypeNetdev && kind != "vport-longest" ||
				len(v.UpcallPid) != 1 || v.UpcallPid[0] != 7 || v.Stats.Value.TxBytes != 2000 {
				t.Errorf("%s decodes to %+v", kind, v)
			}
		}
	}
	wire, _ := hex.DecodeString(replies["toolong-vport"])
	var v ovsvport.Vport
	if err := v.DecodeMessage(wire, nlattr.DecodeOptions{}); !errors.Is(err, nlattr.ErrLength) || !strings.Contains(err.Error(), "ovs_vport.vport.name") {
		t.Errorf("a 256-character name (beyond the Windows IFNAMSIZ) decodes: %v", err)
	}
}

// TestPlatformLimitsOnEncode: encoders check the limit of the platform the
// program is built for, the peer its Conn reaches: the Linux kernel's
// IFNAMSIZ - 1 from the spec, or the Windows driver's from the overlay.
func TestPlatformLimitsOnEncode(t *testing.T) {
	hyperv := "Microsoft Hyper-V Network Adapter #2"
	req := &ovsvport.NewRequest{Type: nlattr.Some(ovsvport.OvsVportTypeNetdev), Name: nlattr.Some(hyperv), UpcallPid: []uint32{7}}
	_, err := req.AppendMessage(nil)
	if runtime.GOOS == "windows" {
		if err != nil {
			t.Fatalf("a Hyper-V adapter name does not encode on Windows: %v", err)
		}
	} else if !errors.Is(err, nlattr.ErrLength) || !strings.Contains(err.Error(), "at most 15 characters") {
		t.Fatalf("a %d-byte vport name encodes for Linux (IFNAMSIZ 16): %v", len(hyperv), err)
	}
	if nlattr.PlatformLimit(15, 255) != map[bool]int{true: 255, false: 15}[runtime.GOOS == "windows"] {
		t.Fatalf("PlatformLimit picks the wrong platform on %s", runtime.GOOS)
	}
	req.Name = nlattr.Some(strings.Repeat("x", 256))
	if _, err := req.AppendMessage(nil); !errors.Is(err, nlattr.ErrLength) {
		t.Fatalf("a name longer than every platform allows encodes: %v", err)
	}
	req.Name = nlattr.Some("br\x00x")
	if _, err := req.AppendMessage(nil); !errors.Is(err, nlattr.ErrLength) || !strings.Contains(err.Error(), "embedded NUL") {
		t.Fatalf("a name with an embedded NUL encodes: %v", err)
	}
	dp := &ovsdatapath.NewRequest{Name: nlattr.Some("ovs-system")}
	if _, err := dp.AppendMessage(nil); err != nil {
		t.Fatal(err)
	}
}

// TestStrictRejectsWhatTheDriverRejects: C builds requests the way a
// client of the driver would, each missing a mandatory attribute or with a
// malformed NL_A_STRING, and its NlAttrParse (over the generated tables)
// refuses each. Go decodes them leniently by default; with Strict it
// refuses each too, naming the attribute.
func TestStrictRejectsWhatTheDriverRejects(t *testing.T) {
	bin := buildAgree(t)
	type decoder func([]byte, nlattr.DecodeOptions) error
	cases := map[string]struct {
		decode decoder
		path   string
		err    error
	}{
		"datapath-new-no-name": {func(b []byte, o nlattr.DecodeOptions) error {
			return new(ovsdatapath.NewRequest).DecodeMessage(b, o)
		}, "ovs_datapath.datapath.name", nlattr.ErrMissing},
		"vport-new-no-name": {func(b []byte, o nlattr.DecodeOptions) error {
			return new(ovsvport.NewRequest).DecodeMessage(b, o)
		}, "ovs_vport.vport.name", nlattr.ErrMissing},
		"flow-new-no-key": {func(b []byte, o nlattr.DecodeOptions) error {
			return new(ovsflow.NewRequest).DecodeMessage(b, o)
		}, "ovs_flow.flow-attrs.key", nlattr.ErrMissing},
		"meter-set-band-no-type": {func(b []byte, o nlattr.DecodeOptions) error {
			return new(ovsmeter.SetRequest).DecodeMessage(b, o)
		}, "ovs_meter.band.type", nlattr.ErrMissing},
		"vport-new-unterminated-name": {func(b []byte, o nlattr.DecodeOptions) error {
			return new(ovsvport.NewRequest).DecodeMessage(b, o)
		}, "ovs_vport.vport.name", nlattr.ErrLength},
		"vport-new-embedded-nul": {func(b []byte, o nlattr.DecodeOptions) error {
			return new(ovsvport.NewRequest).DecodeMessage(b, o)
		}, "ovs_vport.vport.name", nlattr.ErrLength},
		"vport-new-whole": {func(b []byte, o nlattr.DecodeOptions) error {
			return new(ovsvport.NewRequest).DecodeMessage(b, o)
		}, "", nil},
		"meter-set-whole": {func(b []byte, o nlattr.DecodeOptions) error {
			return new(ovsmeter.SetRequest).DecodeMessage(b, o)
		}, "", nil},
	}
	out := runAgree(t, bin, "rejected", "")
	if len(out) != len(cases) {
		t.Fatalf("C built %d requests, want %d", len(out), len(cases))
	}
	for kind, c := range cases {
		hx, verdict, _ := strings.Cut(out[kind], " ")
		wire, err := hex.DecodeString(hx)
		if err != nil || len(wire) == 0 {
			t.Fatalf("C built no %s (%v)", kind, err)
		}
		if wantC := map[bool]string{true: "ok", false: "reject"}[c.err == nil]; verdict != wantC {
			t.Fatalf("the C parser's verdict on %s is %q, want %q", kind, verdict, wantC)
		}
		if err := c.decode(wire, nlattr.DecodeOptions{}); err != nil {
			t.Errorf("lenient decode of %s: %v", kind, err)
		}
		err = c.decode(wire, nlattr.DecodeOptions{Strict: true})
		if c.err == nil {
			if err != nil {
				t.Errorf("strict decode of the driver-accepted %s: %v", kind, err)
			}
			continue
		}
		if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("strict decode of %s: %v, want %v naming %s", kind, err, c.err, c.path)
		}
	}
}

// TestStrictRepliesNeedNoRequestAttributes: what the driver requires in
// requests is not required in replies. The Linux kernel's meter replies
// (ovs_meter_cmd_reply_stats) carry each band as OVS_BAND_ATTR_STATS only,
// and a flow dump with OVS_UFID_F_OMIT_KEY carries no key; both decode
// strictly.
func TestStrictRepliesNeedNoRequestAttributes(t *testing.T) {
	band := &ovsmeter.Band{Stats: nlattr.Some(ovsmeter.OvsFlowStats{NPackets: 4, NBytes: 400})}
	reply := &ovsmeter.MeterReply{Id: nlattr.Some(uint32(5)), Bands: []ovsmeter.Band{*band}}
	wire, err := reply.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := new(ovsmeter.MeterReply).DecodeMessage(wire, nlattr.DecodeOptions{Strict: true}); err != nil {
		t.Errorf("strict decode of a kernel meter reply: %v", err)
	}
	flow := &ovsflow.FlowAttrsReply{Ufid: []byte{1, 2, 3, 4}}
	wire, err = flow.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := new(ovsflow.FlowAttrsReply).DecodeMessage(wire, nlattr.DecodeOptions{Strict: true}); err != nil {
		t.Errorf("strict decode of a key-less flow reply: %v", err)
	}
}
