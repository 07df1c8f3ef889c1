package golang

import (
	"os"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/internal/gentest"
)

// TestReplyTypeNames: operations sharing a reply list share a type, named
// after the set only when that is the set's one shared list, else after
// the first operation; a name already taken (operation info's reply, when
// set info's shared reply is InfoReply) falls back to operation and set
// together. Client methods always name <Op>Request and <Op>Reply, aliases
// of the shared types. The generated package must vet for linux and windows.
func TestReplyTypeNames(t *testing.T) {
	m := gentest.Specs(t, []string{"testdata/replies/names.yaml"}, "")
	dir := "testdata/replies/out"
	files := generate(t, m, "github.com/nlgen/nlgen/gen/golang/"+dir)
	var code string
	for _, f := range files {
		code += string(f.Content)
	}
	for _, want := range []string{
		"type NewReply struct",     // new and del share [id, name]
		"type GetReply struct",     // get (do and dump) and set share [id, name, count]
		"type InfoReply struct",    // list-a and list-b, the one shared list of set info
		"type InfoObjReply struct", // operation info's own reply
		// Every method says <Op>Request/<Op>Reply; a shared type is
		// reached through an alias of that name.
		"func (c *Client) ListB(ctx context.Context, req *ListBRequest) (*ListBReply, error)",
		"type ListBReply = InfoReply",
		"type ListAReply = InfoReply",
		// Operation info's <Op>Reply name is the shared InfoReply, so its
		// method falls back to the type's own name.
		"func (c *Client) Info(ctx context.Context, req *InfoRequest) (*InfoObjReply, error)",
		"type PortReply struct",    // port-add and port-del; port-get's do/dump pair is not shared across operations
		"type PortGetReply struct", // port-get, do and dump
		"func (c *Client) Del(ctx context.Context, req *DelRequest) (*DelReply, error)",
		"type DelReply = NewReply",
		"func (c *Client) Set(ctx context.Context, req *SetRequest) (*SetReply, error)",
		"type SetReply = GetReply",
		// get's dump replies with what its do replies, so it shares the
		// do's reply name; its request (none listed: the whole set) differs.
		"func (c *Client) DumpGet(ctx context.Context, req *DumpGetRequest) iter.Seq2[*GetReply, error]",
		"type DumpGetRequest = Obj",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	if strings.Contains(code, "type ObjReply struct") {
		t.Error("two shared reply lists were both named after the set")
	}
	writeFiles(t, dir, files)
	t.Cleanup(func() { os.RemoveAll(dir) })
	vetForLinuxAndWindows(t, dir, "reply naming fixture")
}
