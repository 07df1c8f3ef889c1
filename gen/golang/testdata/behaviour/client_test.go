package golang

import (
	"context"
	"iter"
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/genl"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// cannedConn is a genl.Conn whose dumps replay canned replies.
type cannedConn struct {
	genl.Conn // methods the tests do not call panic through the nil interface
	replies   [][]byte
}

func (c *cannedConn) Dump(ctx context.Context, f *genl.Family, cmd uint8, flags uint16, payload []byte) iter.Seq2[genl.Message, error] {
	return func(yield func(genl.Message, error) bool) {
		for _, r := range c.replies {
			if !yield(genl.Message{Family: f.Name, Cmd: cmd, Data: r}, nil) {
				return
			}
		}
	}
}

func vportReplies(t *testing.T) ([][]byte, []*ovsvport.Vport) {
	var wires [][]byte
	var want []*ovsvport.Vport
	for i, name := range []string{"br0", "eth1", "vxlan_sys_4789"} {
		v := &ovsvport.Vport{Header: ovsvport.OvsHeader{DpIfindex: 7}, PortNo: nlattr.Some(uint32(i)),
			Type: nlattr.Some(ovsvport.OvsVportTypeNetdev), Name: nlattr.Some(name), UpcallPid: []uint32{uint32(100 + i)}}
		b, err := v.AppendMessage(nil)
		if err != nil {
			t.Fatal(err)
		}
		wires, want = append(wires, b), append(want, v)
	}
	return wires, want
}

// TestReusedDumps: by default every dumped message is a fresh value; with
// WithReusedDumps the client decodes each message into the same value
// (the same pointer is yielded, holding the current message), and the
// ...All method still returns distinct values.
func TestReusedDumps(t *testing.T) {
	wires, want := vportReplies(t)
	conn := &cannedConn{replies: wires}
	ctx := context.Background()

	fresh := ovsvport.NewClient(conn)
	var kept []*ovsvport.Vport
	for v, err := range fresh.DumpGet(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, v)
	}
	if !reflect.DeepEqual(kept, want) {
		t.Fatalf("fresh dump kept %+v", kept)
	}

	reused := fresh.WithReusedDumps()
	var first *ovsvport.Vport
	i := 0
	for v, err := range reused.DumpGet(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = v
		}
		if v != first {
			t.Fatalf("message %d yielded a new value with WithReusedDumps", i)
		}
		if !reflect.DeepEqual(v, want[i]) {
			t.Fatalf("message %d decoded as %+v, want %+v", i, v, want[i])
		}
		i++
	}
	if i != len(want) {
		t.Fatalf("dumped %d messages, want %d", i, len(want))
	}

	all, err := reused.DumpGetAll(ctx, nil)
	if err != nil || !reflect.DeepEqual(all, want) {
		t.Fatalf("DumpGetAll on a reusing client: %+v (%v)", all, err)
	}
	// Per message a fresh dump allocates the value, its name and its
	// upcall-pid array; a reused one allocates only the name after the
	// first message (strings are copies unless DecodeOptions.AliasStrings).
	dumpAllocs := func(c *ovsvport.Client) float64 {
		return testing.AllocsPerRun(50, func() {
			for range c.DumpGet(ctx, nil) {
			}
		})
	}
	if f, r := dumpAllocs(fresh), dumpAllocs(reused); f-r != 2*float64(len(want)-1) {
		t.Errorf("a dump of %d vports allocates %v times fresh and %v times reused; want %d fewer", len(want), f, r, 2*(len(want)-1))
	}
}
