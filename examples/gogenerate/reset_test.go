package gogenerate

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/nlgen/nlgen/examples/gogenerate/out/go/counters"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/genl/genltest"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// fakeCounters plays the counters family: a dump of three counters, and a
// reset that needs CAP_NET_ADMIN (the spec's admin-perm) for counter 3.
func fakeCounters(r genltest.Request) ([]genl.Message, error) {
	switch counters.Command(r.Cmd) {
	case counters.CmdGet:
		return genltest.Reply(r,
			&counters.Counter{Id: nlattr.SomeU32(1), Name: nlattr.Some("rx"), Value: nlattr.SomeU64(10)},
			&counters.Counter{Id: nlattr.SomeU32(2), Name: nlattr.Some("tx"), Value: nlattr.SomeU64(500)},
			&counters.Counter{Id: nlattr.SomeU32(3), Name: nlattr.Some("drops"), Value: nlattr.SomeU64(7)},
			&counters.Counter{Id: nlattr.SomeU32(4), Name: nlattr.Some("new")}) // no value yet
	case counters.CmdReset:
		var req counters.ResetRequest
		if err := r.Decode(&req); err != nil {
			return nil, err
		}
		if req.Id.Value == 3 {
			return nil, genltest.Errorf(genl.EPERM, "counter %d is locked", req.Id.Value)
		}
		return nil, nil // a bare acknowledgement
	}
	return nil, genltest.Errorf(genl.EOPNOTSUPP, "")
}

func TestResetAbove(t *testing.T) {
	conn := genltest.New(fakeCounters)
	ids, err := ResetAbove(context.Background(), counters.NewClient(conn), 100)
	if err != nil || !slices.Equal(ids, []uint32{2}) {
		t.Fatalf("reset %v, %v; want [2]", ids, err)
	}
	reqs := conn.Requests()
	if len(reqs) != 2 || !reqs[0].IsDump() || counters.Command(reqs[1].Cmd) != counters.CmdReset {
		t.Fatalf("requests %+v", reqs)
	}
	var sent counters.ResetRequest
	if err := reqs[1].Decode(&sent); err != nil || sent.Id != nlattr.SomeU32(2) {
		t.Fatalf("reset request %+v (%v)", sent, err)
	}
}

func TestResetAboveReportsKernelErrors(t *testing.T) {
	ids, err := ResetAbove(context.Background(), counters.NewClient(genltest.New(fakeCounters)), 0)
	var ge *genl.Error
	if !errors.As(err, &ge) || !errors.Is(err, genl.EPERM) || ge.Message != "counter 3 is locked" {
		t.Fatalf("error %v", err)
	}
	if !slices.Equal(ids, []uint32{1, 2}) {
		t.Fatalf("reset before the failure: %v", ids)
	}
}
