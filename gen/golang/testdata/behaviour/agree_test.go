package golang

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"maps"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovsvport"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// TestBothSidesAgree checks the generated Go codec against the generated
// Windows NL_POLICY tables: testdata/agree/nlparse.c reimplements the
// driver's NlAttrParse and is linked with the NlPolicy.c TestBehaviour
// generates. Go-encoded messages must pass it, C-built messages must
// decode in Go to the same values, and malformed variants must be
// rejected by both.
func TestBothSidesAgree(t *testing.T) {
	bin := buildAgree(t)

	valid := ovsMessages()
	var lines []string
	for _, name := range sortedKeys(valid) {
		b, err := valid[name]().AppendMessage(nil)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, name+" "+hex.EncodeToString(b))
	}
	malformed := malformedMessages(t)
	for _, name := range sortedKeys(malformed) {
		lines = append(lines, "bad-"+name+" "+hex.EncodeToString(malformed[name].wire))
	}
	for name, verdict := range runAgree(t, bin, "check", strings.Join(lines, "\n")+"\n") {
		bad := strings.HasPrefix(name, "bad-")
		if !bad && verdict != "ok" {
			t.Errorf("C parser rejects Go-encoded %s: %s", name, verdict)
		}
		if bad && !strings.HasPrefix(verdict, "reject") {
			t.Errorf("C parser accepts malformed %s", name)
		}
	}
	for name, m := range malformed {
		err := m.decode(m.wire)
		if !errors.Is(err, m.wantErr) {
			t.Errorf("Go decodes malformed %s: %v, want %v", name, err, m.wantErr)
		}
	}

	built := runAgree(t, bin, "build", "")
	if len(built) != 4 {
		t.Fatalf("C built %d messages, want 4", len(built))
	}
	for name, hx := range built {
		wire, err := hex.DecodeString(hx)
		if err != nil {
			t.Fatal(err)
		}
		want := valid[name]()
		got := reflect.New(reflect.TypeOf(want).Elem()).Interface().(message)
		if err := got.DecodeMessage(wire, nlattr.DecodeOptions{Strict: true}); err != nil {
			t.Errorf("C-built %s does not decode: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("C-built %s decodes to\n%+v\nwant\n%+v", name, got, want)
		}
		if f, ok := got.(*ovsflow.FlowAttrs); ok {
			checkActionsReencode(t, wire, f.Actions)
		}
	}
}

// checkActionsReencode requires the action list decoded from C's flow to
// re-encode to C's bytes exactly: order and repeats (set, output 1,
// output 2) survive the round trip. (Whole messages differ legitimately:
// a record set is written in attribute-id order.)
func checkActionsReencode(t *testing.T, wire []byte, got ovsflow.ActionAttrs) {
	t.Helper()
	it := nlattr.NewIter(wire[ovsflow.SizeOvsHeader:])
	for it.Next() {
		if it.Type() != ovsflow.AttrFlowActions {
			continue
		}
		again, err := got.AppendBinary(nil)
		if err != nil || !bytes.Equal(again, it.Payload()) {
			t.Errorf("C-built action list re-encodes differently (%v):\nC  %x\nGo %x", err, it.Payload(), again)
		}
		return
	}
	t.Errorf("C-built flow has no action list (%v)", it.Err())
}

type malformedMessage struct {
	wire    []byte
	decode  func([]byte) error
	wantErr error
}

func malformedMessages(t *testing.T) map[string]malformedMessage {
	t.Helper()
	out := map[string]malformedMessage{}
	for name, mk := range ovsMessages() {
		b, _ := mk().AppendMessage(nil)
		decode := func(w []byte) error { return mk().DecodeMessage(w, nlattr.DecodeOptions{}) }
		long := append([]byte(nil), b...)
		long[4], long[5] = 0xff, 0x0f // first attribute claims more bytes than follow
		out[name+"-long-attr"] = malformedMessage{long, decode, nlattr.ErrTruncated}
		out[name+"-trailing"] = malformedMessage{append(append([]byte(nil), b...), 0, 0), decode, nlattr.ErrTruncated}
	}
	// A fixed struct of the wrong size inside a nest: 11-byte ovs_key_ethernet.
	f := flowPut()
	f.Key.Ethernet.Clear()
	f.Key.Unknown = []nlattr.Unknown{{Type: ovsflow.AttrKeyEthernet, Data: make([]byte, 11)}}
	b, _ := f.AppendMessage(nil)
	out["flow-put-short-ethernet"] = malformedMessage{b, func(w []byte) error {
		return new(ovsflow.FlowAttrs).DecodeMessage(w, nlattr.DecodeOptions{})
	}, nlattr.ErrLength}
	// A u32 with a 2-byte payload.
	v := vportNew()
	v.PortNo.Clear()
	v.Unknown = []nlattr.Unknown{{Type: ovsvport.AttrVportPortNo, Data: []byte{1, 0}}}
	b, _ = v.AppendMessage(nil)
	out["vport-new-short-port"] = malformedMessage{b, func(w []byte) error {
		return new(ovsvport.Vport).DecodeMessage(w, nlattr.DecodeOptions{})
	}, nlattr.ErrLength}
	return out
}

// buildAgree compiles the C side with the project's C flags.
func buildAgree(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "agree")
	if out, err := compileC(t, "-D_DEFAULT_SOURCE",
		"-I", testdataPath(t, "agree"), "-I", generatedC(t, "include"), "-I", generatedC(t, "datapath-windows/ovsext"),
		"-o", bin, testdataPath(t, "agree/nlparse.c"), generatedC(t, "datapath-windows/ovsext/NlPolicy.c")); err != nil {
		t.Fatalf("compile the C parser with the generated NL_POLICY tables: %v\n%s", err, out)
	}
	return bin
}

// runAgree runs the C side and returns its "name rest" lines as a map.
func runAgree(t *testing.T, bin, mode, input string) map[string]string {
	t.Helper()
	cmd := exec.Command(bin, mode)
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("agree %s: %v", mode, err)
	}
	res := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			t.Fatalf("agree %s: bad line %q", mode, sc.Text())
		}
		res[name] = rest
	}
	return res
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
