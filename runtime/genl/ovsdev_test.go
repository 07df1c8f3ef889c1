package genl

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nlgen/nlgen/runtime/nlattr"
)

const (
	dpCmdNew = 1
	dpCmdGet = 3
)

func newTestConn(t *testing.T, d *fakeDevice, opts *Options) *DeviceConn {
	t.Helper()
	c, err := NewDeviceConn(d, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ovsPayload(attrs ...func([]byte) []byte) []byte {
	b := make([]byte, 4) // struct ovs_header{dp_ifindex: 0}
	for _, a := range attrs {
		b = a(b)
	}
	return b
}

func dpName(name string) func([]byte) []byte {
	return func(b []byte) []byte { return nlattr.AppendString(b, 1, name) }
}

// ctlCode is the Windows CTL_CODE macro (winioctl.h), and the METHOD_* and
// FILE_*_ACCESS values are winioctl.h's: the test recomputes the codes
// from OvsDpInterfaceExt.h's definitions, independently of the overlay
// the runtime's codes are generated from.
func ctlCode(deviceType, function, method, access uint32) uint32 {
	return deviceType<<16 | access<<14 | function<<2 | method
}

const (
	methodBuffered  = 0
	methodInDirect  = 1
	methodOutDirect = 2

	fileReadAccess  = 1
	fileWriteAccess = 2
)

func TestIoctlCodes(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uint32
		fn        uint32
		method    uint32
		access    uint32
	}{
		{"GET_PID", IoctlGetPID, 0xAFC88400, 0x100, methodBuffered, fileWriteAccess},
		{"READ", IoctlRead, 0xAFC84406, 0x101, methodOutDirect, fileReadAccess},
		{"READ_EVENT", IoctlReadEvent, 0xAFC8440A, 0x102, methodOutDirect, fileReadAccess},
		{"READ_PACKET", IoctlReadPacket, 0xAFC8440E, 0x103, methodOutDirect, fileReadAccess},
		{"WRITE", IoctlWrite, 0xAFC84411, 0x104, methodInDirect, fileReadAccess},
		{"TRANSACT", IoctlTransact, 0xAFC88416, 0x105, methodOutDirect, fileWriteAccess},
	} {
		if c.got != c.want || ctlCode(0xAFC8, c.fn, c.method, c.access) != c.want {
			t.Errorf("%s = %#x, CTL_CODE = %#x, want %#x", c.name, c.got, ctlCode(0xAFC8, c.fn, c.method, c.access), c.want)
		}
	}
}

func TestDeviceSetup(t *testing.T) {
	d := newFakeDevice()
	c := newTestConn(t, d, nil)
	if c.PortID() != fakePID {
		t.Fatalf("PortID = %#x, want %#x", c.PortID(), fakePID)
	}
	if d.sockProto != netlinkGeneric {
		t.Fatalf("SOCK_PROP announced protocol %d, want 16", d.sockProto)
	}
	if d.count(IoctlGetPID) != 1 || d.count(IoctlTransact) != 1 {
		t.Fatalf("setup ioctls: %x", d.ioctls)
	}
}

func TestDeviceDo(t *testing.T) {
	d := newFakeDevice()
	var gotBody []byte
	d.handle(18, dpCmdGet, func(h Header, body []byte) ([][]byte, int) {
		gotBody = append([]byte(nil), body...)
		return [][]byte{ovsPayload(dpName("ovs-system"), func(b []byte) []byte { return nlattr.AppendU32(b, 3, 7) })}, 0
	})
	c := newTestConn(t, d, nil)
	req := ovsPayload(dpName("ovs-system"))
	msgs, err := c.Do(context.Background(), fakeDatapathFamily, dpCmdGet, 0, req)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotBody, req) {
		t.Fatalf("driver saw payload %x, want %x", gotBody, req)
	}
	h := d.lastRequest
	if h.Type != 18 || h.Flags != FlagRequest|FlagAck || h.PortID != fakePID || h.Length != uint32(24+len(req)-4) {
		t.Fatalf("request header %+v", h)
	}
	if len(msgs) != 1 || msgs[0].Family != "ovs_datapath" || msgs[0].Cmd != dpCmdGet || msgs[0].Version != 2 {
		t.Fatalf("replies %+v", msgs)
	}
	it := nlattr.NewIter(msgs[0].Data[fakeDatapathFamily.HeaderLen:])
	var name string
	for it.Next() {
		if it.Type() == 1 {
			name, _ = nlattr.String(it.Payload())
		}
	}
	if name != "ovs-system" || it.Err() != nil {
		t.Fatalf("reply name %q, err %v", name, it.Err())
	}
	// The Data must not alias the Conn's reusable buffer.
	if &msgs[0].Data[0] == &c.buf[HeaderLen+GenlHeaderLen] {
		t.Fatal("reply aliases the reply buffer")
	}
}

func TestDeviceDoAckOnly(t *testing.T) {
	d := newFakeDevice()
	d.handle(18, dpCmdNew, func(Header, []byte) ([][]byte, int) { return nil, 0 })
	c := newTestConn(t, d, nil)
	msgs, err := c.Do(context.Background(), fakeDatapathFamily, dpCmdNew, FlagCreate, ovsPayload())
	if err != nil || msgs != nil {
		t.Fatalf("ack-only: %v %v", msgs, err)
	}
	if d.lastRequest.Flags != FlagRequest|FlagAck|FlagCreate {
		t.Fatalf("flags %#x", d.lastRequest.Flags)
	}
}

func TestDeviceErrorReplies(t *testing.T) {
	for _, c := range []struct {
		msvc int
		want Errno
	}{
		{22, EINVAL}, {129, ENOTSUP}, {130, EOPNOTSUPP}, {115, EMSGSIZE}, {122, ENOMSG},
		{2, ENOENT}, {17, EEXIST}, {19, ENODEV}, {12, ENOMEM}, {119, ENOBUFS}, {140, EAGAIN},
	} {
		d := newFakeDevice()
		d.handle(18, dpCmdGet, func(Header, []byte) ([][]byte, int) { return nil, c.msvc })
		conn := newTestConn(t, d, nil)
		_, err := conn.Do(context.Background(), fakeDatapathFamily, dpCmdGet, 0, ovsPayload())
		var ge *Error
		if !errors.As(err, &ge) || !errors.Is(err, c.want) || ge.Family != "ovs_datapath" || ge.Cmd != dpCmdGet {
			t.Errorf("MSVC %d: got %v, want %v", c.msvc, err, c.want)
		}
	}
}

func TestDeviceSequenceMismatch(t *testing.T) {
	d := newFakeDevice()
	d.handle(18, dpCmdGet, func(Header, []byte) ([][]byte, int) { return [][]byte{ovsPayload()}, 0 })
	c := newTestConn(t, d, nil)
	d.corruptSeq = true
	if _, err := c.Do(context.Background(), fakeDatapathFamily, dpCmdGet, 0, ovsPayload()); !errors.Is(err, ErrSequence) {
		t.Fatalf("err = %v, want ErrSequence", err)
	}
}

func TestDeviceShortBuffers(t *testing.T) {
	d := newFakeDevice()
	d.handle(18, dpCmdGet, func(Header, []byte) ([][]byte, int) { return [][]byte{make([]byte, 200)}, 0 })
	// A ReadBufferSize below the driver's 36-byte minimum is raised to it;
	// SOCK_PROP's 44-byte echo then does not fit and setup fails cleanly.
	if _, err := NewDeviceConn(newFakeDevice(), &Options{ReadBufferSize: 8}); !errors.Is(err, errInvalidLength) {
		t.Fatalf("tiny buffer: %v", err)
	}
	c := newTestConn(t, d, &Options{ReadBufferSize: 64})
	// A reply that does not fit fails the ioctl, surfaced as an error.
	if _, err := c.Do(context.Background(), fakeDatapathFamily, dpCmdGet, 0, ovsPayload()); !errors.Is(err, errInvalidLength) {
		t.Fatalf("err = %v, want the driver's invalid-length error", err)
	}
	// Requests shorter than OVS_MESSAGE are refused before the ioctl.
	if _, err := c.Do(context.Background(), fakeDatapathFamily, dpCmdGet, 0, nil); err == nil {
		t.Fatal("request without ovs_header accepted")
	}
}

func TestDeviceRejectsDynamicFamily(t *testing.T) {
	c := newTestConn(t, newFakeDevice(), nil)
	_, err := c.Do(context.Background(), &Family{Name: "nlctrl"}, 3, 0, ovsPayload())
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("err = %v", err)
	}
}

func dumpReplies(n int) [][]byte {
	var out [][]byte
	for i := range n {
		out = append(out, ovsPayload(func(b []byte) []byte { return nlattr.AppendU32(b, 3, uint32(i)) }))
	}
	return out
}

func TestDeviceDump(t *testing.T) {
	for _, perRead := range []int{1, 2, 5} {
		d := newFakeDevice()
		d.perRead = perRead
		d.handle(18, dpCmdGet, func(Header, []byte) ([][]byte, int) { return dumpReplies(5), 0 })
		c := newTestConn(t, d, nil)
		var got []uint32
		for m, err := range c.Dump(context.Background(), fakeDatapathFamily, dpCmdGet, 0, ovsPayload()) {
			if err != nil {
				t.Fatal(err)
			}
			it := nlattr.NewIter(m.Data[4:])
			it.Next()
			v, _ := nlattr.U32(it.Payload())
			got = append(got, v)
		}
		if len(got) != 5 || got[4] != 4 {
			t.Fatalf("perRead %d: got %v", perRead, got)
		}
		if d.lastRequest.Flags != FlagRequest|FlagDump {
			t.Fatalf("dump flags %#x", d.lastRequest.Flags)
		}
		if d.count(IoctlWrite) != 1 || d.dumpQueue != nil {
			t.Fatalf("perRead %d: writes %d, dump state left: %v", perRead, d.count(IoctlWrite), d.dumpQueue != nil)
		}
	}
}

func TestDeviceDumpEarlyBreakDrains(t *testing.T) {
	d := newFakeDevice()
	d.handle(18, dpCmdGet, func(Header, []byte) ([][]byte, int) { return dumpReplies(4), 0 })
	c := newTestConn(t, d, nil)
	for _, err := range c.Dump(context.Background(), fakeDatapathFamily, dpCmdGet, 0, ovsPayload()) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if d.dumpQueue != nil {
		t.Fatal("dump state not drained after early break")
	}
	n := 0
	for _, err := range c.Dump(context.Background(), fakeDatapathFamily, dpCmdGet, 0, ovsPayload()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 4 {
		t.Fatalf("second dump got %d messages", n)
	}
}

func TestDeviceDumpError(t *testing.T) {
	d := newFakeDevice()
	d.handle(18, dpCmdGet, func(Header, []byte) ([][]byte, int) { return nil, 19 })
	c := newTestConn(t, d, nil)
	var last error
	n := 0
	for _, err := range c.Dump(context.Background(), fakeDatapathFamily, dpCmdGet, 0, ovsPayload()) {
		last = err
		n++
	}
	if n != 1 || !errors.Is(last, ENODEV) {
		t.Fatalf("got %d pairs, last err %v", n, last)
	}
}

func vportEvent(cmd uint8, name string) []byte {
	b, _ := AppendRequest(nil, Header{Type: 20}, cmd, 1, ovsPayload(func(b []byte) []byte { return nlattr.AppendString(b, 3, name) }))
	return b
}

func TestDeviceJoinReceive(t *testing.T) {
	d := newFakeDevice()
	c := newTestConn(t, d, nil)
	if _, err := c.Receive(context.Background()); err == nil {
		t.Fatal("Receive before Join succeeded")
	}
	if err := c.Join(context.Background(), fakeVportFamily, "ovs_vport"); err != nil {
		t.Fatal(err)
	}
	if !d.mcast[101] {
		t.Fatalf("MC_SUBSCRIBE did not join group 101: %v", d.mcast)
	}
	go func() {
		time.Sleep(20 * time.Millisecond) // let Receive block in PEND_REQ
		d.inject(false, vportEvent(1, "eth0"))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := c.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Family != "ovs_vport" || m.Cmd != 1 {
		t.Fatalf("event %+v", m)
	}
	if d.count(IoctlReadEvent) < 2 {
		t.Fatalf("expected an empty READ_EVENT before PEND_REQ: %x", d.ioctls)
	}
	if err := c.Join(context.Background(), fakeVportFamily, "nope"); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("unknown group: %v", err)
	}
	if err := c.Leave(context.Background(), fakeVportFamily, "ovs_vport"); err != nil || d.mcast[101] {
		t.Fatalf("leave: %v", err)
	}
}

func TestDeviceReceiveCancel(t *testing.T) {
	d := newFakeDevice()
	c := newTestConn(t, d, nil)
	if err := c.Join(context.Background(), fakeVportFamily, "ovs_vport"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := c.Receive(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	// Close interrupts a blocked Receive.
	done := make(chan error, 1)
	go func() { _, err := c.Receive(context.Background()); done <- err }()
	time.Sleep(20 * time.Millisecond)
	c.Close()
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Fatalf("err = %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not interrupt Receive")
	}
}

func TestDevicePackets(t *testing.T) {
	d := newFakeDevice()
	c := newTestConn(t, d, nil)
	if err := c.SubscribePackets(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	if !d.packetSub || d.packetPID != fakePID {
		t.Fatalf("PACKET_SUBSCRIBE: sub=%v pid=%#x", d.packetSub, d.packetPID)
	}
	if err := c.Join(context.Background(), fakeVportFamily, "ovs_vport"); err == nil {
		t.Fatal("Join on a packet handle accepted")
	}
	d.inject(true, vportEvent(1, "upcall"))
	m, err := c.Receive(context.Background())
	if err != nil || m.Cmd != 1 {
		t.Fatalf("packet %+v %v", m, err)
	}
}

// TestDevicePacketLargerThanBuffer models OvsReadDpIoctl, which copies
// min(queued packet, output buffer) bytes of an upcall: the message's own
// nlmsg_len then exceeds what arrived. The transport reports the loss,
// grows its buffer to the size the message claims, and reads the next
// such packet whole.
func TestDevicePacketLargerThanBuffer(t *testing.T) {
	d := newFakeDevice()
	c := newTestConn(t, d, &Options{ReadBufferSize: 4096})
	if err := c.SubscribePackets(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	big := func() []byte {
		h := Header{Type: ovsWinControlID, Seq: 0, PortID: fakePID}
		b, _ := AppendRequest(nil, h, 5, 1, append(make([]byte, ovsHeaderLen), nlattr.AppendBytes(nil, 1, make([]byte, 9000))...))
		return b
	}
	d.inject(true, big())
	_, err := c.Receive(context.Background())
	if !errors.Is(err, ErrShortMessage) || !strings.Contains(err.Error(), "was cut to the 4096-byte read buffer") {
		t.Fatalf("cut packet: %v", err)
	}
	d.inject(true, big())
	m, err := c.Receive(context.Background())
	if err != nil || m.Cmd != 5 || len(m.Data) != ovsHeaderLen+4+9000 {
		t.Fatalf("after growing: %d bytes, %v", len(m.Data), err)
	}
}

// TestControlFamilyValues pins the generated ovs_win_control numbers to
// the driver's OvsDpInterfaceExt.h: OVS_WIN_NL_CTRL_FAMILY_ID is
// NLMSG_MIN_TYPE + 1, the OVS_CTRL_CMD_* and OVS_NL_ATTR_* enums count
// from 0, and OVS_DEVICE_NAME_USER is the device's Win32 path.
func TestControlFamilyValues(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"OVS_WIN_NL_CTRL_FAMILY_ID", ovsWinControlID, 0x10 + 1},
		{"OVS_WIN_CONTROL_VERSION", ovsWinControlVersion, 1},
		{"OVS_CTRL_CMD_WIN_PEND_REQ", ctrlCmdPendReq, 0},
		{"OVS_CTRL_CMD_WIN_PEND_PACKET_REQ", ctrlCmdPendPacketReq, 1},
		{"OVS_CTRL_CMD_MC_SUBSCRIBE_REQ", ctrlCmdMcSubscribeReq, 2},
		{"OVS_CTRL_CMD_PACKET_SUBSCRIBE_REQ", ctrlCmdPacketSubscribe, 3},
		{"OVS_CTRL_CMD_SOCK_PROP", ctrlCmdSockProp, 6},
		{"OVS_NL_ATTR_MCAST_GRP", ctrlAttrMcastGrp, 0},
		{"OVS_NL_ATTR_MCAST_JOIN", ctrlAttrMcastJoin, 1},
		{"OVS_NL_ATTR_PACKET_SUBSCRIBE", ctrlAttrPacketSubscribe, 2},
		{"OVS_NL_ATTR_PACKET_PID", ctrlAttrPacketPID, 3},
		{"OVS_NL_ATTR_SOCK_PROTO", ctrlAttrSockProto, 0},
		{"OVS_NL_ATTR_SOCK_PID", ctrlAttrSockPID, 1},
		{"sizeof(struct ovs_header)", ovsHeaderLen, 4},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if DefaultDevicePath != `\\.\OpenvSwitchDevice` {
		t.Errorf("DefaultDevicePath = %q", DefaultDevicePath)
	}
}
