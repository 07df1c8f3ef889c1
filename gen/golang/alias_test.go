package golang

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen"
	"github.com/nlgen/nlgen/internal/gentest"
	"github.com/nlgen/nlgen/ir"
)

const aliasImport = "github.com/nlgen/nlgen/gen/golang/testdata/alias/out"

// aliasFiles generates testdata/alias's two families as one output.
func aliasFiles(t *testing.T, req *gen.Request) map[string][]byte {
	t.Helper()
	req.Target, req.Options = "go", gen.Options{"import-path": aliasImport}
	files, err := Generate(req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Content
	}
	return out
}

func TestAliasIdenticalSetsOnly(t *testing.T) {
	m := gentest.Specs(t, []string{"testdata/alias/first.yaml", "testdata/alias/second.yaml"}, "")
	first, second := m.Families[0], m.Families[1]
	whole := aliasFiles(t, &gen.Request{Model: m, Families: m.Families})
	types := string(whole["second/types.go"])
	consts := strings.Join(strings.Fields(string(whole["second/consts.go"])), " ") // as if unaligned
	for _, want := range []string{
		"type Hdr = first.Hdr", "type Point = first.Point", "const SizePoint = first.SizePoint",
		"type Shared = first.Shared", "type StepAttrs = first.StepAttrs", "type StepAttr = first.StepAttr",
		// inner differs, so outer, which nests it, is not identical either.
		"type Inner struct", "type Outer struct",
		// The message set is never shared.
		"type Msg struct",
	} {
		if !strings.Contains(types, want) {
			t.Errorf("second/types.go lacks %q", want)
		}
	}
	for _, want := range []string{"type Color = first.Color", "ColorRed Color = 0", "AttrSharedId uint16 = 1"} {
		if !strings.Contains(consts, want) {
			t.Errorf("second/consts.go lacks %q", want)
		}
	}
	if strings.Contains(consts, "func (v Color) String") {
		t.Error("second declares a String method on an aliased enum")
	}

	// The earlier family is as it would be alone, and a family in an
	// output of its own has nothing to share.
	for p, b := range aliasFiles(t, &gen.Request{Model: m, Families: []*ir.Family{first}}) {
		if !bytes.Equal(b, whole[p]) {
			t.Errorf("%s differs between its own output and the shared one", p)
		}
	}
	for p, b := range aliasFiles(t, &gen.Request{Model: m, Families: []*ir.Family{second}}) {
		if bytes.Contains(b, []byte("first")) {
			t.Errorf("%s refers to package first in an output of its own", p)
		}
	}

	dir := "testdata/alias/out"
	var files []gen.File
	for p, b := range whole {
		files = append(files, gen.File{Path: p, Content: b})
	}
	writeFiles(t, dir, files)
	t.Cleanup(func() { os.RemoveAll(dir) })
	vetForLinuxAndWindows(t, dir, "generated packages")
}
