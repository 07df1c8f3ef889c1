package main

import (
	"maps"
	"slices"
	"sync"

	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/genl/genltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// fakeKernel answers ovs_datapath, ovs_vport and ovs_flow requests the way
// net/openvswitch/datapath.c (Linux 6.12) does, for the commands the
// example uses:
//
//   - new, del and set build their reply only for NLM_F_ECHO or a listener
//     (ovs_must_notify) and send it through genl_notify: to the requester
//     when it asked for NLM_F_ECHO, to the family's multicast group always.
//     Without NLM_F_ECHO the requester sees a bare acknowledgement.
//   - get is answered with genlmsg_reply, whatever the flags.
//   - a missing required attribute is EINVAL; an unknown dp_ifindex or
//     datapath name ENODEV; a taken port EBUSY; an existing flow with
//     NLM_F_CREATE|NLM_F_EXCL EEXIST; get/del of an unknown flow ENOENT;
//     flow del without a key flushes the table and only acknowledges.
//   - a datapath's local port is an internal vport numbered 0 (OVSP_LOCAL)
//     named after the datapath, and dp_ifindex is that port's ifindex.
type fakeKernel struct {
	conn *genltest.Conn

	mu        sync.Mutex
	dps       []*fakeDP
	ifindexes uint32
}

type fakeDP struct {
	ifindex int32
	name    string
	pids    []uint32
	ports   map[uint32]*ovsvport.Vport
	flows   []*ovsflow.GetReply
	keys    []string // the encoded key of each flow: ovs_flow_tbl_lookup_exact compares whole keys
}

// newFakeKernel returns a genl.Conn served by a fresh fakeKernel.
func newFakeKernel() *genltest.Conn {
	k := &fakeKernel{ifindexes: 6}
	k.conn = genltest.New(k.handle)
	return k.conn
}

func (k *fakeKernel) handle(r genltest.Request) ([]genl.Message, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	switch r.Family.Name {
	case ovsdatapath.FamilyName:
		return k.datapath(r)
	case ovsvport.FamilyName:
		return k.vport(r)
	case ovsflow.FamilyName:
		return k.flow(r)
	}
	return nil, &genl.FamilyNotFoundError{Name: r.Family.Name}
}

// notify is ovs_notify: the reply goes to the multicast group, and back to
// the requester only when it set NLM_F_ECHO.
func (k *fakeKernel) notify(r genltest.Request, group string, v genltest.Appender) ([]genl.Message, error) {
	m, err := genltest.Message(r.Family, r.Cmd, v)
	if err != nil {
		return nil, err
	}
	k.conn.Notify(r.Family, group, m)
	if !r.Echo() {
		return nil, nil
	}
	return []genl.Message{m}, nil
}

func (k *fakeKernel) lookupDP(ifindex int32, name nlattr.Optional[string]) *fakeDP {
	for _, dp := range k.dps {
		if (ifindex != 0 && dp.ifindex == ifindex) || (ifindex == 0 && name.Present && dp.name == name.Value) {
			return dp
		}
	}
	return nil
}

func (dp *fakeDP) reply() *ovsdatapath.DatapathReply {
	flows := uint64(len(dp.flows))
	return &ovsdatapath.DatapathReply{
		Header:         ovsdatapath.OvsHeader{DpIfindex: dp.ifindex},
		Name:           nlattr.Some(dp.name),
		Stats:          nlattr.Some(ovsdatapath.OvsDpStats{NFlows: flows}),
		MegaflowStats:  nlattr.Some(ovsdatapath.OvsDpMegaflowStats{}),
		UserFeatures:   nlattr.Some(ovsdatapath.OvsDpF(0)),
		MasksCacheSize: nlattr.Some(uint32(256)), // PCPU_MIN_CACHE_ENTRIES default
	}
}

func (k *fakeKernel) datapath(r genltest.Request) ([]genl.Message, error) {
	switch ovsdatapath.Command(r.Cmd) {
	case ovsdatapath.CmdNew:
		var req ovsdatapath.NewRequest
		if err := r.DecodeWith(&req, linuxParse); err != nil {
			return nil, err
		}
		if !req.Name.Present || !req.UpcallPid.Present {
			return nil, genltest.Errorf(genl.EINVAL, "")
		}
		if k.lookupDP(0, req.Name) != nil {
			return nil, genltest.Errorf(genl.EEXIST, "")
		}
		k.ifindexes++
		dp := &fakeDP{ifindex: int32(k.ifindexes), name: req.Name.Value, pids: []uint32{req.UpcallPid.Value}, ports: map[uint32]*ovsvport.Vport{}}
		dp.ports[0] = &ovsvport.Vport{Header: ovsvport.OvsHeader{DpIfindex: dp.ifindex}, PortNo: nlattr.Some(uint32(0)),
			Type: nlattr.Some(ovsvport.OvsVportTypeInternal), Name: req.Name, UpcallPid: dp.pids, Ifindex: nlattr.Some(k.ifindexes)}
		k.dps = append(k.dps, dp)
		return k.notify(r, ovsdatapath.GroupOvsDatapath, dp.reply())
	case ovsdatapath.CmdDel, ovsdatapath.CmdGet:
		if r.IsDump() {
			var all []genltest.Appender
			for _, dp := range k.dps {
				all = append(all, dp.reply())
			}
			return genltest.Reply(r, all...)
		}
		var req ovsdatapath.GetRequest
		if err := r.DecodeWith(&req, linuxParse); err != nil {
			return nil, err
		}
		var hdr ovsdatapath.OvsHeader
		hdr.UnmarshalBinary(r.Payload[:ovsdatapath.SizeOvsHeader])
		dp := k.lookupDP(hdr.DpIfindex, req.Name)
		if dp == nil {
			return nil, genltest.Errorf(genl.ENODEV, "")
		}
		if ovsdatapath.Command(r.Cmd) == ovsdatapath.CmdGet {
			return genltest.Reply(r, dp.reply())
		}
		k.dps = slices.DeleteFunc(k.dps, func(d *fakeDP) bool { return d == dp })
		return k.notify(r, ovsdatapath.GroupOvsDatapath, dp.reply())
	}
	return nil, genltest.Errorf(genl.EOPNOTSUPP, "")
}

func (k *fakeKernel) vport(r genltest.Request) ([]genl.Message, error) {
	switch ovsvport.Command(r.Cmd) {
	case ovsvport.CmdNew:
		var req ovsvport.NewRequest
		if err := r.DecodeWith(&req, linuxParse); err != nil {
			return nil, err
		}
		if !req.Name.Present || !req.Type.Present || req.UpcallPid == nil {
			return nil, genltest.Errorf(genl.EINVAL, "")
		}
		if req.Ifindex.Present && req.Type.Value != ovsvport.OvsVportTypeInternal {
			return nil, genltest.Errorf(genl.EOPNOTSUPP, "")
		}
		const dpMaxPorts = 65536 // DP_MAX_PORTS
		if req.PortNo.Value >= dpMaxPorts {
			return nil, genltest.Errorf(genl.EFBIG, "")
		}
		dp := k.lookupDP(req.Header.DpIfindex, nlattr.Optional[string]{})
		if dp == nil {
			return nil, genltest.Errorf(genl.ENODEV, "")
		}
		port := req.PortNo.Value
		if port != 0 {
			if dp.ports[port] != nil {
				return nil, genltest.Errorf(genl.EBUSY, "")
			}
		} else {
			for port = 1; dp.ports[port] != nil; port++ {
			}
		}
		k.ifindexes++
		v := &ovsvport.Vport{Header: req.Header, PortNo: nlattr.Some(port), Type: req.Type, Name: req.Name,
			UpcallPid: req.UpcallPid, Stats: nlattr.Some(ovsvport.OvsVportStats{}), Ifindex: nlattr.Some(k.ifindexes)}
		dp.ports[port] = v
		return k.notify(r, ovsvport.GroupOvsVport, v)
	case ovsvport.CmdGet:
		if !r.IsDump() {
			return nil, genltest.Errorf(genl.EOPNOTSUPP, "not played by this fake")
		}
		var hdr ovsvport.OvsHeader
		hdr.UnmarshalBinary(r.Payload[:ovsvport.SizeOvsHeader])
		dp := k.lookupDP(hdr.DpIfindex, nlattr.Optional[string]{})
		if dp == nil {
			return nil, genltest.Errorf(genl.ENODEV, "")
		}
		var all []genltest.Appender
		for _, p := range slices.Sorted(maps.Keys(dp.ports)) {
			all = append(all, dp.ports[p])
		}
		return genltest.Reply(r, all...)
	}
	return nil, genltest.Errorf(genl.EOPNOTSUPP, "not played by this fake")
}

func (k *fakeKernel) flow(r genltest.Request) ([]genl.Message, error) {
	var hdr ovsflow.OvsHeader
	if len(r.Payload) < ovsflow.SizeOvsHeader {
		return nil, genltest.Errorf(genl.EINVAL, "")
	}
	hdr.UnmarshalBinary(r.Payload[:ovsflow.SizeOvsHeader])
	switch ovsflow.Command(r.Cmd) {
	case ovsflow.CmdNew:
		var req ovsflow.NewRequest
		if err := r.DecodeWith(&req, linuxParse); err != nil {
			return nil, err
		}
		// The kernel logs these two with OVS_NLERR; no extended ack.
		if req.Key == nil || req.Actions == nil {
			return nil, genltest.Errorf(genl.EINVAL, "")
		}
		dp := k.lookupDP(hdr.DpIfindex, nlattr.Optional[string]{})
		if dp == nil {
			return nil, genltest.Errorf(genl.ENODEV, "")
		}
		key, err := req.Key.MarshalBinary()
		if err != nil {
			return nil, err
		}
		f := &ovsflow.GetReply{Header: hdr, Key: req.Key, Mask: req.Mask, Actions: req.Actions}
		if f.Mask == nil {
			f.Mask = req.Key // an exact-match flow reports its key as the mask
		}
		if i := slices.Index(dp.keys, string(key)); i >= 0 {
			// NLM_F_CREATE stands in for NLM_F_EXCL, which genl reads as a dump.
			if r.Flags&(genl.FlagCreate|genl.FlagExcl) != 0 {
				return nil, genltest.Errorf(genl.EEXIST, "")
			}
			dp.flows[i].Actions = req.Actions
			f = dp.flows[i]
		} else {
			dp.flows, dp.keys = append(dp.flows, f), append(dp.keys, string(key))
		}
		return k.notify(r, ovsflow.GroupOvsFlow, f)
	case ovsflow.CmdGet, ovsflow.CmdDel:
		dp := k.lookupDP(hdr.DpIfindex, nlattr.Optional[string]{})
		if dp == nil {
			return nil, genltest.Errorf(genl.ENODEV, "")
		}
		if r.IsDump() {
			var all []genltest.Appender
			for _, f := range dp.flows {
				all = append(all, f)
			}
			return genltest.Reply(r, all...)
		}
		var req ovsflow.GetRequest
		if err := r.DecodeWith(&req, linuxParse); err != nil {
			return nil, err
		}
		if req.Key == nil && req.Ufid == nil {
			if ovsflow.Command(r.Cmd) == ovsflow.CmdDel {
				dp.flows, dp.keys = nil, nil // ovs_flow_tbl_flush; no reply
				return nil, nil
			}
			return nil, genltest.Errorf(genl.EINVAL, "")
		}
		key, err := req.Key.MarshalBinary()
		if err != nil {
			return nil, err
		}
		i := slices.Index(dp.keys, string(key))
		if i < 0 {
			return nil, genltest.Errorf(genl.ENOENT, "")
		}
		f := dp.flows[i]
		if ovsflow.Command(r.Cmd) == ovsflow.CmdGet {
			return genltest.Reply(r, f)
		}
		dp.flows, dp.keys = slices.Delete(dp.flows, i, i+1), slices.Delete(dp.keys, i, i+1)
		return k.notify(r, ovsflow.GroupOvsFlow, f)
	}
	return nil, genltest.Errorf(genl.EOPNOTSUPP, "command %d not played by this fake", r.Cmd)
}

// linuxParse is how net/openvswitch/datapath.c parses requests: its
// operations are registered with GENL_DONT_VALIDATE_STRICT, so unknown
// attributes are ignored, and nothing beyond what each handler checks is
// mandatory (a flow del without a key is a flush).
var linuxParse = nlattr.DecodeOptions{}
