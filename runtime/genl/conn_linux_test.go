//go:build linux

package genl

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/genetlink/genltest"
	"github.com/mdlayher/netlink"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

var testFamily = &Family{Name: "nlgen_test", Version: 1}

func fakeSocketConn(t *testing.T, fn genltest.Func) *socketConn {
	t.Helper()
	gf := genetlink.Family{ID: 0x33, Version: 1, Name: testFamily.Name,
		Groups: []genetlink.MulticastGroup{{ID: 7, Name: "events"}}}
	c := newSocketConn(genltest.Dial(genltest.ServeFamily(gf, fn)))
	t.Cleanup(func() { c.Close() })
	return c
}

func TestSocketConnDoFake(t *testing.T) {
	var seenFlags netlink.HeaderFlags
	c := fakeSocketConn(t, func(greq genetlink.Message, nreq netlink.Message) ([]genetlink.Message, error) {
		if nreq.Header.Type == 0 {
			return nil, nil // a poll after the replies: nothing more queued
		}
		seenFlags = nreq.Header.Flags
		if greq.Header.Command != 2 || greq.Header.Version != 1 {
			t.Errorf("request header %+v", greq.Header)
		}
		return []genetlink.Message{{Header: genetlink.Header{Command: 2, Version: 1}, Data: nlattr.AppendU32(nil, 1, 99)}}, nil
	})
	msgs, err := c.Do(context.Background(), testFamily, 2, FlagCreate, nlattr.AppendU32(nil, 1, 5))
	if err != nil {
		t.Fatal(err)
	}
	if seenFlags != netlink.HeaderFlags(FlagRequest|FlagAck|FlagCreate) {
		t.Fatalf("flags %v", seenFlags)
	}
	if len(msgs) != 1 || msgs[0].Family != testFamily.Name || msgs[0].Cmd != 2 {
		t.Fatalf("%+v", msgs)
	}
	if v, _ := nlattr.U32(msgs[0].Data[4:]); v != 99 {
		t.Fatalf("payload %x", msgs[0].Data)
	}
}

func TestSocketConnErrorFake(t *testing.T) {
	c := fakeSocketConn(t, func(genetlink.Message, netlink.Message) ([]genetlink.Message, error) {
		return nil, genltest.Error(int(syscall.EEXIST))
	})
	_, err := c.Do(context.Background(), testFamily, 1, 0, nil)
	var ge *Error
	if !errors.As(err, &ge) || ge.Errno != EEXIST || ge.Family != testFamily.Name {
		t.Fatalf("err = %#v", err)
	}
	if !errors.Is(err, EEXIST) || !errors.Is(err, syscall.EEXIST) || !errors.Is(err, os.ErrExist) {
		t.Fatalf("errors.Is failed for %v", err)
	}
}

func TestSocketConnDumpFake(t *testing.T) {
	var seenFlags netlink.HeaderFlags
	c := fakeSocketConn(t, func(greq genetlink.Message, nreq netlink.Message) ([]genetlink.Message, error) {
		seenFlags = nreq.Header.Flags
		var out []genetlink.Message
		for i := range 3 {
			out = append(out, genetlink.Message{Header: genetlink.Header{Command: 3}, Data: nlattr.AppendU32(nil, 1, uint32(i))})
		}
		return out, nil
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
	if n != 3 || seenFlags != netlink.HeaderFlags(FlagRequest|FlagDump) {
		t.Fatalf("n=%d flags=%v", n, seenFlags)
	}
}

// Live tests against the running kernel's nlctrl.

var nlctrl = &Family{Name: "nlctrl", Version: 2}

const (
	ctrlCmdGetFamily   = 3 // CTRL_CMD_GETFAMILY
	ctrlAttrFamilyID   = 1 // CTRL_ATTR_FAMILY_ID
	ctrlAttrFamilyName = 2 // CTRL_ATTR_FAMILY_NAME
)

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
