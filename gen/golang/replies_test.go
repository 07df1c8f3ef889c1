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
// together. The generated package must vet for linux and windows.
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
		"func (c *Client) ListB(ctx context.Context, req *ListBRequest) (*InfoReply, error)",
		"type PortReply struct",    // port-add and port-del; port-get's do/dump pair is not shared across operations
		"type PortGetReply struct", // port-get, do and dump
		"func (c *Client) Del(ctx context.Context, req *DelRequest) (*NewReply, error)",
		"func (c *Client) Set(ctx context.Context, req *SetRequest) (*GetReply, error)",
		"iter.Seq2[*GetReply, error]",
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
