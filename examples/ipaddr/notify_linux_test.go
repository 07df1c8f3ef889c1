//go:build linux

package main

import (
	"context"
	"github.com/nlgen/nlgen/internal/livetest"
	"testing"
	"time"

	"github.com/nlgen/nlgen/examples/ipaddr/rtlink"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestLinkNotification: in a network namespace the test makes, the
// generated rt-link package's group constant joins RTNLGRP_LINK, and the
// RTM_NEWLINK the kernel multicasts (rtmsg_ifinfo, net/core/rtnetlink.c)
// when `ip link add` creates a link there decodes with DecodeNotification
// into the link's name, index and kind (linkinfo's kind selects the data
// sub-message: a bridge's attributes, a veth's kept raw, as rt_link.yaml
// 6.12 lists no veth format).
func TestLinkNotification(t *testing.T) {
	if testing.Short() {
		t.Skip("live kernel test; skipped with -short")
	}
	ns, fd := livetest.Netns(t, "nlgen-ipaddr")
	conn, err := genl.DialRaw(rtlink.Protocol, &genl.Options{NetNS: fd})
	if err != nil {
		t.Skipf("no rtnetlink socket in the namespace: %v", err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := conn.Join(ctx, rtlink.GroupRtnlgrpLink); err != nil {
		t.Fatal(err)
	}
	// This machine's kernel has no dummy driver; a bridge is always there.
	kind := livetest.AddLink(t, ns, "nl0", []string{"bridge"}, []string{"dummy"})
	for {
		m, err := conn.Receive(ctx)
		if err != nil {
			t.Fatalf("no RTM_NEWLINK for nl0: %v", err)
		}
		v, err := rtlink.DecodeNotification(m, nlattr.DecodeOptions{})
		if err != nil {
			t.Fatalf("type %d: %v", m.Header.Type, err)
		}
		l, ok := v.(*rtlink.LinkAttrs)
		if !ok || m.Header.Type != 16 || l.Ifname.Value != "nl0" {
			continue
		}
		if l.Header.Index <= 1 || l.Linkinfo == nil || l.Linkinfo.Kind.Value != kind {
			t.Fatalf("RTM_NEWLINK for nl0: index %d, linkinfo %+v", l.Header.Index, l.Linkinfo)
		}
		if br, ok := l.Linkinfo.Data.(*rtlink.LinkinfoDataMsgBridge); kind == "bridge" && (!ok || !br.Attrs.StpState.Present) {
			t.Fatalf("bridge data: %#v", l.Linkinfo.Data)
		}
		t.Logf("RTM_NEWLINK nl0 (%s), ifindex %d", kind, l.Header.Index)
		return
	}
}
