//go:build linux

package genl

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

var testFamily = &Family{Name: "nlgen_test", Version: 1}

const testFamilyID = 0x33

// fakeKernel answers requests with datagrams built byte by byte the way
// the kernel builds them (af_netlink.c netlink_ack and netlink_dump_done,
// genetlink.c ctrl_getfamily), so the Linux transport's reading and
// parsing are tested without a live family. mdlayher's genltest only
// carries the send side.
type fakeKernel struct {
	t     *testing.T
	queue [][]byte
	// serve answers one request (nlmsghdr fields, genl cmd, payload) with
	// datagrams. nlctrl's getfamily for testFamily is answered before it.
	serve func(h netlink.Header, cmd uint8, payload []byte) [][]byte
	sent  []netlink.Header
}

func (k *fakeKernel) read(buf *[]byte) ([]byte, error) {
	if len(k.queue) == 0 {
		return nil, errors.New("fake kernel: nothing queued (the transport read past the end of the exchange)")
	}
	b := k.queue[0]
	k.queue = k.queue[1:]
	*buf = append((*buf)[:0], b...)
	return *buf, nil
}

// handle is the send side: mdlayher's nltest hands it each request the
// transport wrote.
func (k *fakeKernel) handle(reqs []netlink.Message) ([]netlink.Message, error) {
	for _, nreq := range reqs {
		cmd, _, payload, err := ParseGenl(nreq.Data)
		if err != nil {
			k.t.Errorf("request without a genlmsghdr: %x", nreq.Data)
			continue
		}
		k.handleGenl(nreq, cmd, payload)
	}
	return nil, nil
}

func (k *fakeKernel) handleGenl(nreq netlink.Message, cmd uint8, payload []byte) {
	k.sent = append(k.sent, nreq.Header)
	if nreq.Header.Type == genlIDCtrl && cmd == ctrlCmdGetFamily {
		name := ""
		it := nlattr.NewIter(payload)
		for it.Next() {
			if it.Type() == ctrlAttrFamilyName {
				name, _ = nlattr.String(it.Payload())
			}
		}
		if name != testFamily.Name {
			k.queue = append(k.queue, kernelAck(nreq.Header, -int32(syscall.ENOENT), nil))
			return
		}
		p := nlattr.AppendU16(nil, ctrlAttrFamilyID, testFamilyID)
		p = nlattr.AppendString(p, ctrlAttrFamilyName, testFamily.Name)
		grp := nlattr.AppendString(nil, ctrlAttrMcastGrpName, "events")
		grp = nlattr.AppendU32(grp, ctrlAttrMcastGrpID, 7)
		p = nest(p, ctrlAttrMcastGroups, nest(nil, 1, grp))
		k.queue = append(k.queue, concat(kernelMsg(nreq.Header, genlIDCtrl, 0, 1, p), kernelAck(nreq.Header, 0, nil)))
		return
	}
	k.queue = append(k.queue, k.serve(nreq.Header, cmd, payload)...)
}

func concat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// kernelMsg is one reply message (nlmsghdr, genlmsghdr, payload), padded.
func kernelMsg(req netlink.Header, typ, flags uint16, cmd uint8, payload []byte) []byte {
	b, _ := AppendRequest(nil, Header{Type: typ, Flags: flags, Seq: req.Sequence, PortID: req.PID}, cmd, 1, payload)
	return nlattr.Pad(b)
}

// kernelAck is netlink_ack with NETLINK_CAP_ACK|NETLINK_EXT_ACK set: errno,
// the request's nlmsghdr only (NLM_F_CAPPED), then the extended-ack TLVs
// (NLM_F_ACK_TLVS when there are any).
func kernelAck(req netlink.Header, errno int32, tlvs []byte) []byte {
	flags := uint16(FlagCapped)
	if len(tlvs) > 0 {
		flags |= FlagAckTLVs
	}
	body := binary.NativeEndian.AppendUint32(nil, uint32(errno))
	body = AppendHeader(body, Header{Length: req.Length, Type: uint16(req.Type), Flags: uint16(req.Flags), Seq: req.Sequence, PortID: req.PID})
	body = append(body, tlvs...)
	return append(AppendHeader(nil, Header{Length: uint32(HeaderLen + len(body)), Type: TypeError, Flags: flags, Seq: req.Sequence, PortID: req.PID}), body...)
}

func nest(b []byte, typ uint16, inner []byte) []byte {
	return nlattr.AppendBytes(b, typ|nlattr.FlagNested, inner)
}

// kernelDone is netlink_dump_done: NLMSG_DONE|NLM_F_MULTI whose body is the
// dump's final status, followed by the extack message TLV if one was set.
func kernelDone(req netlink.Header, errno int32, tlvs []byte) []byte {
	flags := uint16(FlagMulti)
	if len(tlvs) > 0 {
		flags |= FlagAckTLVs
	}
	body := append(binary.NativeEndian.AppendUint32(nil, uint32(errno)), tlvs...)
	return append(AppendHeader(nil, Header{Length: uint32(HeaderLen + len(body)), Type: TypeDone, Flags: flags, Seq: req.Sequence, PortID: req.PID}), body...)
}

func fakeSocketConn(t *testing.T, serve func(h netlink.Header, cmd uint8, payload []byte) [][]byte) (*socketConn, *fakeKernel) {
	t.Helper()
	k := &fakeKernel{t: t, serve: serve}
	c := newSocketConn(newSocket(nltest.Dial(k.handle), k))
	t.Cleanup(func() { c.Close() })
	return c, k
}

func TestSocketConnDoFake(t *testing.T) {
	var seen netlink.Header
	c, k := fakeSocketConn(t, func(h netlink.Header, cmd uint8, payload []byte) [][]byte {
		seen = h
		if cmd != 2 || h.Type != testFamilyID {
			t.Errorf("request cmd %d type %#x", cmd, h.Type)
		}
		// A stale ACK of an older sequence number comes first and must be
		// skipped; the reply and the ACK share one datagram.
		stale := h
		stale.Sequence--
		return [][]byte{kernelAck(stale, 0, nil),
			concat(kernelMsg(h, testFamilyID, 0, 2, nlattr.AppendU32(nil, 1, 99)), kernelAck(h, 0, nil))}
	})
	msgs, err := c.Do(context.Background(), testFamily, 2, FlagCreate, nlattr.AppendU32(nil, 1, 5))
	if err != nil {
		t.Fatal(err)
	}
	if seen.Flags != netlink.HeaderFlags(FlagRequest|FlagAck|FlagCreate) {
		t.Fatalf("flags %v", seen.Flags)
	}
	if len(msgs) != 1 || msgs[0].Family != testFamily.Name || msgs[0].Cmd != 2 {
		t.Fatalf("%+v", msgs)
	}
	if v, _ := nlattr.U32(msgs[0].Data[4:]); v != 99 {
		t.Fatalf("payload %x", msgs[0].Data)
	}
	if len(k.queue) != 0 {
		t.Fatalf("%d datagrams left unread", len(k.queue))
	}
	// The family was resolved once, through nlctrl.
	if _, err := c.Do(context.Background(), testFamily, 2, 0, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(k.sent); n != 3 || k.sent[0].Type != genlIDCtrl {
		t.Fatalf("sent %d requests (%+v), want getfamily + 2", n, k.sent)
	}
}

func TestSocketConnErrorFake(t *testing.T) {
	c, _ := fakeSocketConn(t, func(h netlink.Header, _ uint8, _ []byte) [][]byte {
		return [][]byte{kernelAck(h, -int32(syscall.EEXIST), nil)}
	})
	_, err := c.Do(context.Background(), testFamily, 1, 0, nil)
	var ge *Error
	if !errors.As(err, &ge) || ge.Errno != EEXIST || ge.Family != testFamily.Name {
		t.Fatalf("err = %#v", err)
	}
	if !errors.Is(err, EEXIST) || !errors.Is(err, syscall.EEXIST) || !errors.Is(err, os.ErrExist) {
		t.Fatalf("errors.Is failed for %v", err)
	}
	if got := err.Error(); got != "genl nlgen_test cmd 1: EEXIST" {
		t.Fatalf("without a Schema errors name the command number: %q", got)
	}
}

func TestSocketConnDumpFake(t *testing.T) {
	var seen netlink.Header
	c, _ := fakeSocketConn(t, func(h netlink.Header, _ uint8, _ []byte) [][]byte {
		seen = h
		// Three replies over two datagrams, then NLMSG_DONE.
		m := func(i uint32) []byte { return kernelMsg(h, testFamilyID, FlagMulti, 3, nlattr.AppendU32(nil, 1, i)) }
		return [][]byte{concat(m(0), m(1)), concat(m(2), kernelDone(h, 0, nil))}
	})
	n := 0
	for m, err := range c.Dump(context.Background(), testFamily, 3, 0, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := nlattr.U32(m.Data[4:]); v != uint32(n) {
			t.Fatalf("message %d value %d", n, v)
		}
		n++
	}
	if n != 3 || seen.Flags != netlink.HeaderFlags(FlagRequest|FlagDump) {
		t.Fatalf("n=%d flags=%v", n, seen.Flags)
	}
}

// netdevLike is a family described the way nlgen's IR describes netdev
// and ethtool: dev-get takes ifindex at the top level, linkinfo-get a
// header nest holding dev-index and dev-name.
var netdevLike = &Family{Name: "nlgen_test", Version: 1, Schema: &Schema{
	Ops: map[uint8]OpSchema{1: {Name: "dev-get", Set: "dev"}, 2: {Name: "linkinfo-get", Set: "linkinfo"}},
	Sets: map[string]map[uint16]AttrSchema{
		"dev":      {1: {Name: "ifindex"}},
		"linkinfo": {1: {Name: "header", Nest: "header"}, 2: {Name: "port"}},
		"header":   {1: {Name: "dev-index"}, 2: {Name: "dev-name"}},
	},
}}

// TestExtendedAckNamesAttributes feeds extended acks as the kernel builds
// them (netlink_ack: NLMSGERR_ATTR_MSG, _OFFS counted from the request's
// nlmsghdr, _MISS_TYPE and _MISS_NEST, the offset of the nest lacking it)
// and checks that errors name the operation and the attributes.
func TestExtendedAckNamesAttributes(t *testing.T) {
	// linkinfo-get request: header{dev-name "eth0"}, port 1. Offsets from
	// the nlmsghdr: header nest at 20, dev-name at 24, port at 36.
	header := nlattr.AppendString(nil, 2, "eth0")
	linkinfo := nlattr.AppendU32(nest(nil, 1, header), 2, 1)
	cases := []struct {
		name    string
		cmd     uint8
		payload []byte
		tlvs    []byte
		want    string
		check   func(*Error) bool
	}{{
		name: "missing at the top level (GENL_REQ_ATTR_CHECK)",
		cmd:  1,
		tlvs: nlattr.AppendU32(nil, extAckMissType, 1),
		want: "nlgen_test dev-get: EINVAL (missing attribute: ifindex)",
		check: func(e *Error) bool {
			return e.HasMissing && e.MissingType == 1 && e.MissingNest == 0 && e.Missing == "ifindex" && e.Op == "dev-get"
		},
	}, {
		name:    "missing inside a nest (NL_SET_ERR_ATTR_MISS with the nest)",
		cmd:     2,
		payload: linkinfo,
		tlvs: nlattr.AppendU32(nlattr.AppendU32(nlattr.AppendString(nil, extAckMsg, "device not specified"),
			extAckMissType, 1), extAckMissNest, 20),
		want:  "nlgen_test linkinfo-get: EINVAL: device not specified (missing attribute: header.dev-index)",
		check: func(e *Error) bool { return e.Missing == "header.dev-index" && e.MissingNest == 20 },
	}, {
		name:    "offending attribute inside a nest",
		cmd:     2,
		payload: linkinfo,
		tlvs:    nlattr.AppendU32(nlattr.AppendString(nil, extAckMsg, "no device matches name"), extAckOffs, 24),
		want:    "nlgen_test linkinfo-get: EINVAL: no device matches name (attribute header.dev-name)",
		check:   func(e *Error) bool { return e.Attr == "header.dev-name" && e.Offset == 24 },
	}, {
		name:    "offending top-level attribute after a nest",
		cmd:     2,
		payload: linkinfo,
		tlvs:    nlattr.AppendU32(nil, extAckOffs, 36),
		want:    "nlgen_test linkinfo-get: EINVAL (attribute port)",
		check:   func(e *Error) bool { return e.Attr == "port" },
	}, {
		name:    "offset outside the request stays a number",
		cmd:     2,
		payload: linkinfo,
		tlvs:    nlattr.AppendU32(nil, extAckOffs, 400),
		want:    "nlgen_test linkinfo-get: EINVAL (offset 400)",
		check:   func(e *Error) bool { return e.Attr == "" },
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := fakeSocketConn(t, func(h netlink.Header, _ uint8, _ []byte) [][]byte {
				return [][]byte{kernelAck(h, -int32(syscall.EINVAL), tc.tlvs)}
			})
			_, err := c.Do(context.Background(), netdevLike, tc.cmd, 0, tc.payload)
			var ge *Error
			if !errors.As(err, &ge) || !errors.Is(err, EINVAL) {
				t.Fatalf("err = %v", err)
			}
			if err.Error() != tc.want || !tc.check(ge) {
				t.Fatalf("got %q (%+v)\nwant %q", err, ge, tc.want)
			}
		})
	}
}

// TestDumpDoneWarningAndError models netlink_dump_done: a dump that
// succeeded may carry the extack message a handler set (ethtool's
// linkinfo-get does for devices it cannot query); a failed one carries a
// negative status in NLMSG_DONE.
func TestDumpDoneWarningAndError(t *testing.T) {
	status := int32(0)
	c, _ := fakeSocketConn(t, func(h netlink.Header, _ uint8, _ []byte) [][]byte {
		msg := kernelMsg(h, testFamilyID, FlagMulti, 2, nlattr.AppendU32(nil, 2, 255))
		return [][]byte{concat(msg, kernelDone(h, status, nlattr.AppendString(nil, extAckMsg, "failed to retrieve link settings")))}
	})
	var warnings []*Warning
	ctx := WithWarningHandler(context.Background(), func(w *Warning) { warnings = append(warnings, w) })
	n := 0
	for _, err := range c.Dump(ctx, netdevLike, 2, 0, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 1 || len(warnings) != 1 {
		t.Fatalf("%d messages, warnings %+v", n, warnings)
	}
	if got := warnings[0].String(); got != "nlgen_test linkinfo-get: kernel warning: failed to retrieve link settings" {
		t.Fatalf("warning %q", got)
	}

	status = -int32(syscall.EOPNOTSUPP)
	var last error
	n = 0
	for _, err := range c.Dump(ctx, netdevLike, 2, 0, nil) {
		if err != nil {
			last = err
			continue
		}
		n++
	}
	var ge *Error
	if n != 1 || !errors.As(last, &ge) || ge.Errno != EOPNOTSUPP || ge.Message != "failed to retrieve link settings" || ge.Op != "linkinfo-get" {
		t.Fatalf("n=%d err=%v", n, last)
	}
}

func TestFamilyNotRegistered(t *testing.T) {
	c, _ := fakeSocketConn(t, nil)
	_, err := c.Do(context.Background(), &Family{Name: "ovs_datapath"}, 3, 0, nil)
	var nf *FamilyNotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, ENOENT) || !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("err = %v", err)
	}
	if got := err.Error(); got != `family "ovs_datapath" is not registered in this kernel (module not loaded?)` {
		t.Fatalf("%q", got)
	}
}

// Live tests against the running kernel's nlctrl.

var nlctrl = &Family{Name: "nlctrl", Version: 2}

func dialLive(t *testing.T) Conn {
	t.Helper()
	c, err := Dial(nil)
	if err != nil {
		if errors.Is(err, syscall.EPROTONOSUPPORT) || errors.Is(err, syscall.EAFNOSUPPORT) || errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) {
			t.Skipf("netlink sockets unavailable here: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func familyName(t *testing.T, m Message) string {
	it := nlattr.NewIter(m.Data)
	for it.Next() {
		if it.Type() == ctrlAttrFamilyName {
			s, _ := nlattr.String(it.Payload())
			return s
		}
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	return ""
}

func TestLiveNlctrl(t *testing.T) {
	c := dialLive(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if c.PortID() == 0 {
		t.Error("PortID is 0")
	}

	msgs, err := c.Do(ctx, nlctrl, ctrlCmdGetFamily, 0, nlattr.AppendString(nil, ctrlAttrFamilyName, "nlctrl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || familyName(t, msgs[0]) != "nlctrl" {
		t.Fatalf("GETFAMILY nlctrl: %+v", msgs)
	}

	seen := map[string]bool{}
	for m, err := range c.Dump(ctx, nlctrl, ctrlCmdGetFamily, 0, nil) {
		if err != nil {
			t.Fatal(err)
		}
		seen[familyName(t, m)] = true
	}
	for _, want := range []string{"nlctrl", "netdev"} {
		if !seen[want] {
			t.Errorf("dump lacks %q; saw %v", want, seen)
		}
	}

	// A second Do on the same Conn must not see the first one's ACK.
	if _, err := c.Do(ctx, nlctrl, ctrlCmdGetFamily, 0, nlattr.AppendString(nil, ctrlAttrFamilyName, "netdev")); err != nil {
		t.Fatal(err)
	}

	// Unknown family: the kernel answers ENOENT, with an extack message on
	// recent kernels.
	_, err = c.Do(ctx, nlctrl, ctrlCmdGetFamily, 0, nlattr.AppendString(nil, ctrlAttrFamilyName, "nosuchfam"))
	var ge *Error
	if !errors.As(err, &ge) || !errors.Is(err, ENOENT) || !errors.Is(err, syscall.ENOENT) {
		t.Fatalf("err = %v, want *Error ENOENT", err)
	}
	t.Logf("kernel error: %v", err)

	// A family nlctrl does not know fails resolution with ENOENT.
	if _, err := c.Do(ctx, &Family{Name: "nosuchfam"}, 1, 0, nil); !errors.Is(err, ENOENT) {
		t.Fatalf("unresolvable family: %v", err)
	}

	// A name longer than GENL_NAMSIZ fails policy validation with EINVAL;
	// recent kernels attach an extack offset/message, which we log.
	_, err = c.Do(ctx, nlctrl, ctrlCmdGetFamily, 0, nlattr.AppendString(nil, ctrlAttrFamilyName, "a-name-longer-than-16"))
	if !errors.As(err, &ge) || !errors.Is(err, EINVAL) {
		t.Fatalf("err = %v, want *Error EINVAL", err)
	}
	t.Logf("kernel error: %v (message %q, offset %d)", err, ge.Message, ge.Offset)

	// netdev validates strictly: a u64 where NETDEV_A_DEV_IFINDEX (u32) is
	// expected is EINVAL with an extended-ack message and offset.
	netdev := &Family{Name: "netdev", Version: 1}
	_, err = c.Do(ctx, netdev, 1 /* NETDEV_CMD_DEV_GET */, 0, nlattr.AppendU64(nil, 1, 1))
	if !errors.As(err, &ge) || !errors.Is(err, EINVAL) {
		t.Fatalf("netdev: err = %v, want *Error EINVAL", err)
	}
	if ge.Message == "" || ge.Offset != HeaderLen+GenlHeaderLen {
		t.Errorf("netdev: extack not parsed: message %q offset %d", ge.Message, ge.Offset)
	}
	t.Logf("kernel error: %v", err)
}

func TestLiveJoinAndCancel(t *testing.T) {
	c := dialLive(t)
	if err := c.Join(context.Background(), nlctrl, "notify"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Receive(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Receive err = %v, want deadline exceeded", err)
	}
	if err := c.Leave(context.Background(), nlctrl, "notify"); err != nil {
		t.Fatal(err)
	}
	if err := c.Join(context.Background(), nlctrl, "no-such-group"); !errors.Is(err, ENOENT) {
		t.Fatalf("unknown group: %v", err)
	}
}

// TestLiveDumpMessagesLargerThanAPage dumps ethtool's features-get, whose
// messages (four bitsets with every feature name) exceed the kernel's
// default page-sized dump batch. The kernel builds the next batch as large
// as the largest buffer the socket read into (af_netlink.c
// max_recvmsg_len); a reader sized to the datagram it peeked never raises
// that, and the dump fails with EMSGSIZE.
func TestLiveDumpMessagesLargerThanAPage(t *testing.T) {
	c := dialLive(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ethtool := &Family{Name: "ethtool", Version: 1}
	const (
		featuresGet    = 11 // ETHTOOL_MSG_FEATURES_GET
		featuresHeader = 1  // ETHTOOL_A_FEATURES_HEADER
	)
	largest, n := 0, 0
	for m, err := range c.Dump(ctx, ethtool, featuresGet, 0, nest(nil, featuresHeader, nil)) {
		var nf *FamilyNotFoundError
		if errors.As(err, &nf) {
			t.Skip("no ethtool family in this kernel")
		}
		if err != nil {
			t.Fatalf("features-get dump: %v", err)
		}
		n++
		largest = max(largest, HeaderLen+GenlHeaderLen+len(m.Data))
	}
	if n == 0 {
		t.Fatal("features-get dump returned no device")
	}
	if largest <= 4096-320 {
		t.Logf("largest message %d bytes fits a page here; the big-batch path is not exercised", largest)
	} else {
		t.Logf("%d devices, largest message %d bytes", n, largest)
	}
}
