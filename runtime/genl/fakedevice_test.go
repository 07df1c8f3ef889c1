package genl

import (
	"encoding/binary"
	"errors"
	"sync"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

// Errors the fake returns where the driver fails the DeviceIoControl call.
var (
	errInvalidLength   = errors.New("fake: STATUS_NDIS_INVALID_LENGTH")
	errInvalidParam    = errors.New("fake: STATUS_INVALID_PARAMETER")
	errInvalidRequest  = errors.New("fake: STATUS_INVALID_DEVICE_REQUEST")
	errCancelled       = errors.New("fake: STATUS_CANCELLED")
	errDeviceIsClosed  = errors.New("fake: handle closed")
	fakePID            = uint32(0x4242)
	fakeDatapathFamily = &Family{Name: "ovs_datapath", Version: 2, HeaderLen: 4, StaticID: 18}
	fakeVportFamily    = &Family{Name: "ovs_vport", Version: 1, HeaderLen: 4, StaticID: 20,
		Groups: map[string]uint32{"ovs_vport": 101}}
)

// fakeHandler answers one command: body is ovs_header + attributes; it
// returns reply bodies (each becomes one message) or a positive MSVC errno.
type fakeHandler func(h Header, body []byte) (replies [][]byte, msvcErrno int)

// fakeDevice implements the OVS driver's side of the ioctl protocol as
// ovs-windows-interface.md §2–§8 describes it.
type fakeDevice struct {
	mu       sync.Mutex
	handlers map[uint16]map[uint8]fakeHandler
	versions map[uint16]uint8

	dumpQueue   [][]byte // pending dump replies (framed messages); nil = no dump state
	dumpErrno   int
	perRead     int // messages per READ
	events      [][]byte
	packets     [][]byte
	wake        chan struct{}
	closed      bool
	cancelled   bool
	corruptSeq  bool
	sockProto   uint32
	mcast       map[uint32]bool
	packetSub   bool
	packetPID   uint32
	ioctls      []uint32
	lastRequest Header
}

func newFakeDevice() *fakeDevice {
	return &fakeDevice{
		handlers: map[uint16]map[uint8]fakeHandler{},
		versions: map[uint16]uint8{ovsWinControlID: 1, 18: 2, 20: 1},
		perRead:  1,
		wake:     make(chan struct{}, 1),
		mcast:    map[uint32]bool{},
	}
}

func (d *fakeDevice) handle(family uint16, cmd uint8, h fakeHandler) {
	if d.handlers[family] == nil {
		d.handlers[family] = map[uint8]fakeHandler{}
	}
	d.handlers[family][cmd] = h
}

// frame builds one reply message echoing the request's header fields.
func (d *fakeDevice) frame(req Header, cmd, version uint8, body []byte) []byte {
	seq := req.Seq
	if d.corruptSeq {
		seq++
	}
	b, _ := AppendRequest(nil, Header{Type: req.Type, Seq: seq, PortID: req.PortID}, cmd, version, body)
	return b
}

// errorReply builds the 36-byte OVS_MESSAGE_ERROR with a negative errno.
func (d *fakeDevice) errorReply(req Header, msvcErrno int) []byte {
	b := AppendHeader(nil, Header{Length: ovsMessageErrorLen, Type: TypeError, Seq: req.Seq, PortID: req.PortID})
	b = binary.NativeEndian.AppendUint32(b, uint32(int32(-msvcErrno)))
	return AppendHeader(b, req)
}

// validate mirrors ValidateNetlinkCmd: size, known command, version, pid.
func (d *fakeDevice) validate(in []byte) (Header, uint8, []byte, fakeHandler, error) {
	if len(in) < ovsMessageLen {
		return Header{}, 0, nil, nil, errInvalidLength
	}
	h, _ := ParseHeader(in)
	if int(h.Length) > len(in) || h.Length < ovsMessageLen {
		return Header{}, 0, nil, nil, errInvalidParam
	}
	cmd, ver := in[HeaderLen], in[HeaderLen+1]
	fh := d.handlers[h.Type][cmd]
	isCtrl := h.Type == ovsWinControlID
	if (fh == nil && !isCtrl) || ver < d.versions[h.Type] || h.PortID != fakePID {
		return Header{}, 0, nil, nil, errInvalidParam
	}
	d.lastRequest = h
	return h, cmd, in[HeaderLen+GenlHeaderLen : h.Length], fh, nil
}

func (d *fakeDevice) Ioctl(code uint32, in, out []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ioctls = append(d.ioctls, code)
	if d.closed {
		return 0, errDeviceIsClosed
	}
	switch code {
	case IoctlGetPID:
		if len(out) < 4 {
			return 0, errInvalidLength
		}
		binary.NativeEndian.PutUint32(out, fakePID)
		return 4, nil
	case IoctlTransact:
		if len(out) < ovsMessageErrorLen {
			return 0, errInvalidLength
		}
		h, cmd, body, fh, err := d.validate(in)
		if err != nil {
			return 0, err
		}
		var replies [][]byte
		errno := 0
		if h.Type == ovsWinControlID && cmd == ctrlCmdSockProp {
			it := nlattr.NewIter(body[ovsHeaderLen:])
			for it.Next() {
				if it.Type() == ctrlAttrSockProto {
					d.sockProto, _ = nlattr.U32(it.Payload())
				}
			}
			replies = [][]byte{body} // echoes both attributes
		} else if fh == nil {
			return 0, errInvalidParam
		} else {
			replies, errno = fh(h, body)
		}
		var reply []byte
		if errno != 0 {
			reply = d.errorReply(h, errno)
		}
		for _, r := range replies {
			if errno == 0 {
				reply = append(reply, d.frame(h, cmd, d.versions[h.Type], r)...)
			}
		}
		if len(reply) > len(out) {
			return 0, errInvalidLength
		}
		return copy(out, reply), nil
	case IoctlWrite:
		h, cmd, body, fh, err := d.validate(in)
		if err != nil {
			return 0, err
		}
		if h.Type == ovsWinControlID {
			return 0, d.control(cmd, body[ovsHeaderLen:])
		}
		if h.Flags&FlagDump == 0 {
			_, errno := fh(h, body)
			if errno != 0 {
				return 0, errInvalidParam // WRITE errors go back to DeviceIoControl
			}
			return 0, nil
		}
		replies, errno := fh(h, body)
		d.dumpQueue, d.dumpErrno = [][]byte{}, errno
		if errno != 0 {
			d.dumpQueue = append(d.dumpQueue, d.errorReply(h, errno))
		}
		for _, r := range replies {
			if errno == 0 {
				d.dumpQueue = append(d.dumpQueue, d.frame(h, cmd, d.versions[h.Type], r))
			}
		}
		return 0, nil
	case IoctlRead:
		if len(out) < ovsMessageErrorLen {
			return 0, errInvalidLength
		}
		if d.dumpQueue == nil {
			return 0, nil
		}
		if len(d.dumpQueue) == 0 {
			d.dumpQueue = nil // dump finished: free state, report 0 bytes
			return 0, nil
		}
		var chunk []byte
		for i := 0; i < d.perRead && len(d.dumpQueue) > 0; i++ {
			if len(chunk)+len(d.dumpQueue[0]) > len(out) {
				break
			}
			chunk = append(chunk, d.dumpQueue[0]...)
			d.dumpQueue = d.dumpQueue[1:]
		}
		if chunk == nil {
			return 0, errInvalidLength
		}
		return copy(out, chunk), nil
	case IoctlReadEvent, IoctlReadPacket:
		if len(out) < ovsMessageErrorLen {
			return 0, errInvalidLength
		}
		q := &d.events
		if code == IoctlReadPacket {
			q = &d.packets
		}
		if len(*q) == 0 {
			return 0, nil
		}
		n := copy(out, (*q)[0])
		*q = (*q)[1:]
		return n, nil
	}
	return 0, errInvalidRequest
}

// control implements the ovs_win_control WRITE commands. PEND requests
// block (with d.mu released) until an event/packet is queued or the I/O
// is cancelled, as the driver keeps the IRP pending.
func (d *fakeDevice) control(cmd uint8, attrs []byte) error {
	vals := map[uint16][]byte{}
	it := nlattr.NewIter(attrs)
	for it.Next() {
		vals[it.Type()] = it.Payload()
	}
	if it.Err() != nil {
		return errInvalidParam
	}
	switch cmd {
	case ctrlCmdMcSubscribeReq:
		grp, err1 := nlattr.U32(vals[ctrlAttrMcastGrp])
		join, err2 := nlattr.U8(vals[ctrlAttrMcastJoin])
		if err1 != nil || err2 != nil { // both attributes are required
			return errInvalidParam
		}
		d.mcast[grp] = join == 1
	case ctrlCmdPacketSubscribe:
		sub, err1 := nlattr.U8(vals[ctrlAttrPacketSubscribe])
		pid, err2 := nlattr.U32(vals[ctrlAttrPacketPID])
		if err1 != nil || err2 != nil {
			return errInvalidParam
		}
		d.packetSub, d.packetPID = sub == 1, pid
	case ctrlCmdPendReq, ctrlCmdPendPacketReq:
		for {
			if (cmd == ctrlCmdPendReq && len(d.events) > 0) || (cmd == ctrlCmdPendPacketReq && len(d.packets) > 0) {
				return nil
			}
			d.mu.Unlock()
			_, ok := <-d.wake
			d.mu.Lock()
			if !ok || d.closed || d.cancelled {
				d.cancelled = false
				return errCancelled
			}
		}
	default:
		return errInvalidParam
	}
	return nil
}

// inject queues a notification and completes a pending PEND request.
func (d *fakeDevice) inject(packet bool, msg []byte) {
	d.mu.Lock()
	if packet {
		d.packets = append(d.packets, msg)
	} else {
		d.events = append(d.events, msg)
	}
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *fakeDevice) CancelIO() error {
	d.mu.Lock()
	d.cancelled = true
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
	return nil
}

func (d *fakeDevice) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	return nil
}

func (d *fakeDevice) count(code uint32) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, c := range d.ioctls {
		if c == code {
			n++
		}
	}
	return n
}
