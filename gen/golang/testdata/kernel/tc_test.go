// Package kernel runs against Go generated from a kernel's tc.yaml by
// TestKernelTCSubMessages (gen/golang/kernel_test.go); the import path
// below is rewritten to the generated package.
package kernel

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/nlgen/nlgen/gen/golang/testdata/kernel/out/tc"
	"github.com/nlgen/nlgen/runtime/nlattr"
)

// redQdisc is an RTM_NEWQDISC reply for a red qdisc as the kernel writes
// it (net/sched/sch_api.c tc_fill_qdisc): struct tcmsg, TCA_KIND, then
// TCA_STATS2 whose TCA_STATS_APP is red_dump_stats' struct tc_red_xstats
// (include/uapi/linux/pkt_sched.h). Written out by hand.
func redQdisc() []byte {
	var b []byte
	b = append(b, 0, 0, 0, 0)                           // tcm_family, pad
	b = binary.NativeEndian.AppendUint32(b, 2)          // tcm_ifindex
	b = binary.NativeEndian.AppendUint32(b, 0x10000)    // tcm_handle 1:
	b = binary.NativeEndian.AppendUint32(b, 0xffffffff) // tcm_parent root
	b = binary.NativeEndian.AppendUint32(b, 1)          // tcm_info
	b = append(b, 8, 0, 1, 0, 'r', 'e', 'd', 0)         // TCA_KIND "red"
	b = append(b, 24, 0, 7, 0x80)                       // TCA_STATS2
	b = append(b, 20, 0, 4, 0)                          //   TCA_STATS_APP:
	for _, v := range []uint32{1, 2, 3, 4} {            //     early, pdrop, other, marked
		b = binary.NativeEndian.AppendUint32(b, v)
	}
	return b
}

func TestTCStatsAppDecodesByKind(t *testing.T) {
	var q tc.GetqdiscReply
	if err := q.DecodeMessage(redQdisc(), nlattr.DecodeOptions{Strict: true}); err != nil {
		t.Fatal(err)
	}
	red, ok := q.Stats2.App.(*tc.TcaStatsAppMsgRed)
	if !ok {
		t.Fatalf("stats2 app of a red qdisc decoded as %#v, want *tc.TcaStatsAppMsgRed", q.Stats2.App)
	}
	if want := (tc.TcRedXstats{Early: 1, Pdrop: 2, Other: 3, Marked: 4}); red.Header != want {
		t.Errorf("red xstats %+v, want %+v", red.Header, want)
	}
	// Re-encoded with the kind left to the value, the message is the same.
	q.Kind = nlattr.Optional[string]{}
	b, err := q.AppendMessage(nil)
	if err != nil || !bytes.Equal(b, redQdisc()) {
		t.Errorf("re-encoded\n% x (%v)\nwant\n% x", b, err, redQdisc())
	}
	// A kind naming another qdisc is refused rather than sent with red's stats.
	q.Kind = nlattr.Some("sfq")
	if _, err := q.AppendMessage(nil); err == nil || !strings.Contains(err.Error(), `selector "sfq", but the value is the "red" format`) {
		t.Errorf("kind sfq with red stats: %v", err)
	}
	// The same stats on their own know no kind: kept raw.
	var s tc.TcaStatsAttrs
	if err := s.Decode(redQdisc()[32:], nlattr.DecodeOptions{}); err != nil {
		t.Fatal(err)
	}
	if raw, ok := s.App.(*tc.TcaStatsAppMsgRaw); !ok || raw.Value != "" || len(raw.Data) != 16 {
		t.Errorf("stats alone: %#v", s.App)
	}
	if reflect.TypeOf(q.Options) != nil {
		t.Errorf("no TCA_OPTIONS was sent, decoded %#v", q.Options)
	}
}
