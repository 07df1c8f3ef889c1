package golang

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nlgen/nlgen/gen/golang/testdata/golden/out/rawkinds"
	"github.com/nlgen/nlgen/out/go/ovsdatapath"
	"github.com/nlgen/nlgen/out/go/ovsflow"
	"github.com/nlgen/nlgen/out/go/ovsmeter"
	"github.com/nlgen/nlgen/runtime/nlattr"

	"github.com/nlgen/nlgen/internal/gentest"
)

// The fuzz targets feed arbitrary bytes to generated decoders, seeded with
// the OVS test messages (testdata/fuzz holds found inputs). A decoder must
// never panic, decoding into a value that held another message must give
// what a fresh decode gives, and whatever it accepts must re-encode to
// bytes that decode to the same length again.

func fuzzDecoder(f *testing.F, seeds []message, mk func() message) {
	for _, s := range seeds {
		b, err := s.AppendMessage(nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	reused := mk() // decoded into again and again: stale contents must never show
	f.Fuzz(func(t *testing.T, b []byte) {
		m := mk()
		err := m.DecodeMessage(b, nlattr.DecodeOptions{})
		if errReused := reused.DecodeMessage(b, nlattr.DecodeOptions{}); (err == nil) != (errReused == nil) {
			t.Fatalf("fresh decode: %v, decode into a reused value: %v", err, errReused)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(m, reused) {
			t.Fatalf("decode into a reused value differs:\n%+v\nfresh\n%+v", reused, m)
		}
		again, err := m.AppendMessage(nil)
		if err != nil {
			return // e.g. a kept unknown attribute no longer fits once re-nested
		}
		if len(again) != m.MessageLen() {
			t.Fatalf("re-encoded %d bytes, MessageLen %d", len(again), m.MessageLen())
		}
		if err := mk().DecodeMessage(again, nlattr.DecodeOptions{}); err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
	})
}

// FuzzRawDecode: the netlink-raw decode paths (fixed header with pad
// members, sub-messages by string and integer selector, a selector one
// nest up, unknown selectors kept raw), on the every-kind raw package.
func FuzzRawDecode(f *testing.F) {
	tbf := rawkinds.TbfXstats{Tokens: 5, Burst: 6}
	fuzzDecoder(f, []message{
		&rawkinds.Main{Header: rawkinds.Hdr{Family: 2, Index: 7}, Options: &rawkinds.OptsRed{Attrs: rawkinds.RedAttrs{Limit: nlattr.SomeU32(9)}}},
		&rawkinds.Main{Options: &rawkinds.OptsBoth{Header: tbf, Attrs: rawkinds.RedAttrs{Limit: nlattr.SomeU32(1)}},
			Stats: &rawkinds.Stats{Bytes: nlattr.SomeU64(1), App: &rawkinds.OptsRaw{Data: []byte{1, 2, 3, 4}}}},
		&rawkinds.Main{Options: &rawkinds.OptsTbf{Header: tbf}, Type: nlattr.Some(rawkinds.ObjTypeCounter),
			Data: &rawkinds.ObjsCounter{Attrs: rawkinds.CounterAttrs{Packets: nlattr.SomeU64(3)}}},
		&rawkinds.Main{Options: &rawkinds.OptsRaw{Value: "sfq", Data: []byte{9}}, Data: &rawkinds.ObjsRaw{Value: "quota"}},
		&rawkinds.Main{Options: &rawkinds.OptsNoop{}},
		&rawkinds.Main{Kind: nlattr.Some("red"), Extra: &rawkinds.ExtraStats{Obj: &rawkinds.ObjsCounter{}},
			Type:     nlattr.Some(rawkinds.ObjTypeCounter),
			WideType: nlattr.SomeU64(1), WideData: &rawkinds.ObjsCounter{Attrs: rawkinds.CounterAttrs{Packets: nlattr.SomeU64(2)}},
			AliasData: &rawkinds.AliasObjsCounter{}},
	}, func() message { return new(rawkinds.Main) })
}

func FuzzFlowDecode(f *testing.F) {
	fuzzDecoder(f, []message{flowPut()}, func() message { return new(ovsflow.FlowAttrs) })
}

func FuzzDatapathDecode(f *testing.F) {
	fuzzDecoder(f, []message{datapathNew(), datapathGetReply()}, func() message { return new(ovsdatapath.Datapath) })
}

func FuzzMeterDecode(f *testing.F) {
	fuzzDecoder(f, []message{meterSet()}, func() message { return new(ovsmeter.Meter) })
}

// TestFuzzSeedsCommitted keeps testdata/fuzz in step with the fixtures:
// the corpus holds the OVS messages so plain `go test` replays them too.
func TestFuzzSeedsCommitted(t *testing.T) {
	targets := map[string][]string{
		"FuzzFlowDecode":     {"flow-put"},
		"FuzzDatapathDecode": {"datapath-new", "datapath-get-reply"},
		"FuzzMeterDecode":    {"meter-set"},
	}
	msgs := ovsMessages()
	for target, names := range targets {
		for _, name := range names {
			b, _ := msgs[name]().AppendMessage(nil)
			content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
			path := filepath.Join("testdata", "fuzz", target, "seed-"+name)
			if *gentest.Update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(path)
			if err != nil || string(got) != content {
				t.Errorf("%s is missing or stale; run go test ./gen/golang -update", path)
			}
		}
	}
}
