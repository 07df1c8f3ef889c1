package golang

import (
	"github.com/nlgen/nlgen/internal/gentest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestByteOrderInDocs: go doc of a big-endian field says so, a host-order
// one says that, and a single byte says nothing (it has no order).
func TestByteOrderInDocs(t *testing.T) {
	code := ovsFile(t, "ovsflow/types.go")
	for _, want := range []string{
		"\t// Src: Big-endian on the wire (network order); the field holds the host value.\n\t// As a netip.Addr: SrcAddr and SetSrcAddr.\n\tSrc uint32\n",
		"\t// Src: As a net.HardwareAddr: SrcMAC and SetSrcMAC.\n\tSrc [6]byte\n",
		"\t// Ipv4Src: Big-endian on the wire (network order); the field holds the host value.\n\t// As a netip.Addr: Ipv4SrcAddr and SetIpv4SrcAddr.\n\tIpv4Src nlattr.Optional[uint32]\n",
		"\t// InPort: Input datapath port.\n\t// Host byte order on the wire.\n\tInPort ",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("ovsflow lacks %q", want)
		}
	}
	if strings.Contains(code, "\t// Proto: Big-endian") || strings.Contains(code, "\t// Proto: Host byte order") {
		t.Error("a one-byte member claims a byte order")
	}
}

// TestNamingFallbacks generates a spec built to collide under the
// naming rules of docs/go.md and checks each documented fallback; the
// package must vet, which is the "never a compile failure" half.
func TestNamingFallbacks(t *testing.T) {
	m := gentest.Specs(t, []string{"testdata/names/collide.yaml"}, "")
	dir := "testdata/names/out"
	files := generate(t, m, "github.com/nlgen/nlgen/gen/golang/"+dir)
	var code string
	for _, f := range files {
		code += string(f.Content)
	}
	for _, want := range []string{
		"\tSrc uint32\n", "\tDst uint32\n", // pair-ip: ip-src, ip-dst lose the struct's "ip"
		// pair-x: x-a would become A, as a is, so every member keeps its name.
		"\tXA ", "\tA ", "\tASrc ", "\tASrcAddr ",
		// a-src's helper would be the field ASrcAddr: the pair moves to As.
		"func (s *PairX) ASrcAsAddr() netip.Addr", "func (s *PairX) SetASrcAsAddr(a netip.Addr) error",
		"AttrFooId ", "AttrFooAttrsId ", // sets foo and foo-attrs keep full prefixes
		"AttrBarId ", // bar-attrs alone drops Attrs
		"func (c *Client) Get(ctx context.Context, req *GetRequest) (*GetReply, error)",
		"type GetRequest = BarAttrs", "type GetReply = BarAttrs",
		// PutRequest is set put-request: the narrowed request falls back
		// to operation and set, and the method names that type.
		"type PutBarAttrsRequest struct",
		"func (c *Client) Put(ctx context.Context, req *PutBarAttrsRequest) (*PutReply, error)",
		"func (c *Client) Other(ctx context.Context, req *OtherRequest) error",
	} {
		if !strings.Contains(code, want) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	writeFiles(t, dir, files)
	t.Cleanup(func() { os.RemoveAll(filepath.Clean(dir)) })
	vetForLinuxAndWindows(t, dir, "naming fallback fixture")
}
