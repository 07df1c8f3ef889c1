package golang

import (
	"context"
	"encoding/binary"
	"iter"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovspacket"
	"github.com/nlgen/nlgen/runtime/genl"
)

// recordingConn keeps every request's payload and answers a do with one
// empty reply (a zero ovs_header) and a dump with nothing.
type recordingConn struct {
	genl.Conn
	sent [][]byte
}

func (c *recordingConn) Do(_ context.Context, f *genl.Family, cmd uint8, _ uint16, payload []byte) ([]genl.Message, error) {
	c.sent = append(c.sent, append([]byte(nil), payload...))
	return []genl.Message{{Family: f.Name, Cmd: cmd, Data: make([]byte, 4)}}, nil
}

func (c *recordingConn) Dump(_ context.Context, _ *genl.Family, _ uint8, _ uint16, payload []byte) iter.Seq2[genl.Message, error] {
	c.sent = append(c.sent, append([]byte(nil), payload...))
	return func(func(genl.Message, error) bool) {}
}

// kernelDpIfindex reads dp_ifindex as the kernel's datapath code does:
// the whole request is nlmsghdr (16 bytes) + genlmsghdr (4 bytes) +
// user header, and genl_info_userhdr() points at the user header, a
// struct ovs_header whose only member is int dp_ifindex in host order
// (include/uapi/linux/openvswitch.h).
func kernelDpIfindex(t *testing.T, payload []byte) int32 {
	t.Helper()
	msg, err := genl.AppendRequest(nil, genl.Header{Type: 0x20, Flags: genl.FlagRequest | genl.FlagAck, Seq: 1}, 1, 1, payload)
	if err != nil {
		t.Fatal(err)
	}
	const nlmsghdrLen, genlmsghdrLen = 16, 4
	if len(msg) < nlmsghdrLen+genlmsghdrLen+4 {
		t.Fatalf("request of %d bytes has no room for struct ovs_header", len(msg))
	}
	return int32(binary.NativeEndian.Uint32(msg[nlmsghdrLen+genlmsghdrLen:]))
}

// TestWithHeader: a client-level ovs_header reaches every request that
// leaves its own header zero (do with and without a reply, dump with a nil
// request), a request's own header wins, the request value is not changed,
// and a client without the default still sends what the request holds.
func TestWithHeader(t *testing.T) {
	ctx := context.Background()
	conn := &recordingConn{}
	plain := ovsflow.NewClient(conn)
	dp7 := plain.WithHeader(ovsflow.OvsHeader{DpIfindex: 7})

	req := &ovsflow.GetRequest{Ufid: []byte{1, 2, 3, 4}}
	steps := []struct {
		name string
		run  func() error
		want int32
	}{
		{"no default, zero header", func() error { _, err := plain.Get(ctx, req); return err }, 0},
		{"default fills a zero header", func() error { _, err := dp7.Get(ctx, req); return err }, 7},
		{"request header overrides", func() error {
			_, err := dp7.Get(ctx, &ovsflow.GetRequest{Header: ovsflow.OvsHeader{DpIfindex: 9}})
			return err
		}, 9},
		{"negative request header overrides", func() error {
			_, err := dp7.Del(ctx, &ovsflow.DelRequest{Header: ovsflow.OvsHeader{DpIfindex: -2}})
			return err
		}, -2},
		{"dump with nil request", func() error { _, err := dp7.DumpGetAll(ctx, nil); return err }, 7},
		{"dump with a request", func() error {
			_, err := dp7.DumpGetAll(ctx, &ovsflow.DumpGetRequest{})
			return err
		}, 7},
		{"do without reply", func() error {
			pc := ovspacket.NewClient(conn).WithHeader(ovspacket.OvsHeader{DpIfindex: 7})
			return pc.Execute(ctx, &ovspacket.ExecuteRequest{Packet: []byte{0xff}})
		}, 7},
		{"do without reply, nil request", func() error {
			return ovspacket.NewClient(conn).WithHeader(ovspacket.OvsHeader{DpIfindex: 11}).Execute(ctx, nil)
		}, 11},
	}
	for _, s := range steps {
		conn.sent = nil
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if len(conn.sent) != 1 {
			t.Fatalf("%s: %d requests sent, want 1", s.name, len(conn.sent))
		}
		if got := kernelDpIfindex(t, conn.sent[0]); got != s.want {
			t.Errorf("%s: kernel reads dp_ifindex %d, want %d", s.name, got, s.want)
		}
	}
	if req.Header.DpIfindex != 0 {
		t.Errorf("the caller's request was changed: header %+v", req.Header)
	}
	// The attributes after the header are the request's own.
	conn.sent = nil
	if _, err := dp7.Get(ctx, req); err != nil {
		t.Fatal(err)
	}
	want, err := (&ovsflow.GetRequest{Header: ovsflow.OvsHeader{DpIfindex: 7}, Ufid: req.Ufid}).AppendMessage(nil)
	if err != nil {
		t.Fatal(err)
	}
	if string(conn.sent[0]) != string(want) {
		t.Errorf("payload % x, want % x", conn.sent[0], want)
	}
}
