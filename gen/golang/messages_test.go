package golang

import (
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovsmeter"
	"github.com/nlgen/nlgen/out/go/ovspacket"
	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// The OVS messages the tests, fuzz seeds and benchmarks share. In this
// package they are built with the committed packages under out/go (the
// fuzz seeds and benchmarks measure what is committed); TestBehaviour
// copies this file beside testdata/behaviour's tests into a temporary
// module where the same imports name freshly generated packages.

// message is what every generated top-level set offers.
type message interface {
	MessageLen() int
	AppendMessage([]byte) ([]byte, error)
	DecodeMessage([]byte, nlattr.DecodeOptions) error
}

func flowKey() *ovsflow.KeyAttrs {
	return &ovsflow.KeyAttrs{
		InPort:    nlattr.Some[uint32](0), // port 0 is OVSP_LOCAL: present, not absent
		Ethernet:  nlattr.Some(ovsflow.OvsKeyEthernet{Src: [6]byte{0, 1, 2, 3, 4, 5}, Dst: [6]byte{6, 7, 8, 9, 10, 11}}),
		Ethertype: nlattr.Some[uint16](0x0800),
		Ipv4:      nlattr.Some(ovsflow.OvsKeyIpv4{Src: 0x0a000001, Dst: 0x0a000002, Proto: 6, Ttl: 64}),
		Tcp:       nlattr.Some(ovsflow.OvsKeyTcp{Src: 40000, Dst: 443}),
	}
}

func flowMask() *ovsflow.KeyAttrs {
	return &ovsflow.KeyAttrs{
		InPort:    nlattr.Some[uint32](0xffffffff),
		Ethernet:  nlattr.Some(ovsflow.OvsKeyEthernet{Src: [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, Dst: [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}),
		Ethertype: nlattr.Some[uint16](0xffff),
		Ipv4:      nlattr.Some(ovsflow.OvsKeyIpv4{Src: 0xffffffff, Dst: 0xffffffff, Proto: 0xff}),
		Tcp:       nlattr.Some(ovsflow.OvsKeyTcp{Dst: 0xffff}),
	}
}

// flowPut is OVS_FLOW_CMD_NEW with key, mask and an ordered action list
// with a repeat: set the tunnel key, then output to ports 1 and 2.
func flowPut() *ovsflow.FlowAttrs {
	return &ovsflow.FlowAttrs{
		Header: ovsflow.OvsHeader{DpIfindex: 3},
		Key:    flowKey(),
		Mask:   flowMask(),
		Actions: ovsflow.ActionAttrs{
			ovsflow.ActionAttrSet(&ovsflow.KeyAttrs{Tunnel: &ovsflow.TunnelKeyAttrs{
				Id: nlattr.Some[uint64](42), Ipv4Dst: nlattr.Some[uint32](0xc0a80001), Ttl: nlattr.Some[uint8](64), Csum: true}}),
			ovsflow.ActionAttrOutput(1),
			ovsflow.ActionAttrOutput(2),
		},
		Ufid:      []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
		UfidFlags: nlattr.Some(ovsflow.OvsUfidFOmitKey),
	}
}

func datapathNew() *ovsdatapath.Datapath {
	return &ovsdatapath.Datapath{Name: nlattr.Some("ovs-system"), UpcallPid: nlattr.Some[uint32](0),
		UserFeatures: nlattr.Some(ovsdatapath.OvsDpFUnaligned | ovsdatapath.OvsDpFVportPids)}
}

func datapathGetRequest() *ovsdatapath.Datapath {
	return &ovsdatapath.Datapath{Name: nlattr.Some("ovs-system")}
}

// datapathGetReply is what the kernel answers to OVS_DP_CMD_GET.
func datapathGetReply() *ovsdatapath.Datapath {
	return &ovsdatapath.Datapath{
		Header:         ovsdatapath.OvsHeader{DpIfindex: 7},
		Name:           nlattr.Some("ovs-system"),
		Stats:          nlattr.Some(ovsdatapath.OvsDpStats{NHit: 1000, NMissed: 20, NLost: 1, NFlows: 12}),
		MegaflowStats:  nlattr.Some(ovsdatapath.OvsDpMegaflowStats{NMaskHit: 3000, NMasks: 4, NCacheHit: 900}),
		UserFeatures:   nlattr.Some(ovsdatapath.OvsDpFUnaligned | ovsdatapath.OvsDpFVportPids),
		MasksCacheSize: nlattr.Some[uint32](256),
	}
}

func vportNew() *ovsvport.Vport {
	return &ovsvport.Vport{Header: ovsvport.OvsHeader{DpIfindex: 7}, PortNo: nlattr.Some[uint32](0),
		Type: nlattr.Some(ovsvport.OvsVportTypeInternal), Name: nlattr.Some("br0"), UpcallPid: []uint32{1234}}
}

func packetExecute() *ovspacket.Packet {
	// The action list type is ovs_flow's (shared), and so are its constructors.
	return &ovspacket.Packet{Header: ovspacket.OvsHeader{DpIfindex: 7},
		Packet:  []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 4, 5, 0x08, 0x06},
		Key:     &ovspacket.KeyAttrs{InPort: nlattr.Some[uint32](1)},
		Actions: ovspacket.ActionAttrs{ovsflow.ActionAttrOutput(2)}}
}

func meterSet() *ovsmeter.Meter {
	return &ovsmeter.Meter{Header: ovsmeter.OvsHeader{DpIfindex: 7}, Id: nlattr.Some[uint32](5), Kbps: true,
		Bands: []ovsmeter.Band{
			{Type: nlattr.Some(ovsmeter.OvsMeterBandTypeDrop), Rate: nlattr.Some[uint32](1000), Burst: nlattr.Some[uint32](100)},
			{Type: nlattr.Some(ovsmeter.OvsMeterBandTypeDrop), Rate: nlattr.Some[uint32](5000)},
		}}
}

func ovsMessages() map[string]func() message {
	return map[string]func() message{
		"datapath-new":       func() message { return datapathNew() },
		"datapath-get":       func() message { return datapathGetRequest() },
		"datapath-get-reply": func() message { return datapathGetReply() },
		"vport-new":          func() message { return vportNew() },
		"flow-put":           func() message { return flowPut() },
		"packet-execute":     func() message { return packetExecute() },
		"meter-set":          func() message { return meterSet() },
	}
}

func mustMessage(t *testing.T, m interface{ AppendMessage([]byte) ([]byte, error) }) []byte {
	t.Helper()
	b, err := m.AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
