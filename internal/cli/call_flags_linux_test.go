//go:build linux

package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/nlgen/nlgen/internal/livetest"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/nlgen/nlgen/runtime/genl"
)

// liveNetns creates a network namespace for the test (so nothing on the
// host changes), points call's connections (generic and classic netlink)
// into it and returns its name
// for `ip -n`. It skips where namespaces cannot be made.
func liveNetns(t *testing.T) string {
	t.Helper()
	name, fd := livetest.Netns(t, "nlgen-call")
	old, oldRaw := callDial, callDialRaw
	callDial = func() (genl.Conn, error) { return genl.Dial(&genl.Options{NetNS: fd}) }
	callDialRaw = func(p int) (genl.RawConn, error) { return genl.DialRaw(p, &genl.Options{NetNS: fd}) }
	t.Cleanup(func() { callDial, callDialRaw = old, oldRaw })
	return name
}

// ipv4BE is the value of a big-endian u32 attribute holding a.b.c.d, as
// call shows and takes it (the host-order integer of the wire bytes).
func ipv4BE(a, b, c, d byte) string {
	return strconv.FormatUint(uint64(a)<<24|uint64(b)<<16|uint64(c)<<8|uint64(d), 10)
}

// TestCallRequestFlagsLive drives mptcp_pm in a namespace of its own. The
// kernel accepts every flag on do requests; where its reaction shows the
// bits it read, the test checks it: genetlink treats NLM_F_REPLACE|
// NLM_F_EXCL as NLM_F_DUMP (the same bits as NLM_F_ROOT|NLM_F_MATCH in
// include/uapi/linux/netlink.h) and answers EOPNOTSUPP for get-limits,
// which has no dumpit, while either flag alone is a plain do.
func TestCallRequestFlagsLive(t *testing.T) {
	spec := liveSpec(t, "mptcp_pm.yaml")
	liveNetns(t)
	call := func(args ...string) result {
		return run(append([]string{"call", "--spec", spec}, args...)...)
	}
	addr := `{"addr": {"family": 2, "addr4": ` + ipv4BE(10, 1, 2, 3) + `, "id": 3, "flags": 1}}`
	if r := call("--create", "--excl", "--do", "add-addr", "--json", addr); r.code != ExitOK || r.stdout != "null\n" {
		t.Fatalf("add-addr --create --excl: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	dump := callJSON(t, "--spec", spec, "--dump", "get-addr").([]any)
	if len(dump) != 1 || strconv.FormatFloat(dump[0].(map[string]any)["addr"].(map[string]any)["addr4"].(float64), 'f', -1, 64) != ipv4BE(10, 1, 2, 3) {
		t.Fatalf("get-addr dump after add-addr: %v", dump)
	}
	if r := call("--create", "--excl", "--do", "add-addr", "--json", addr); r.code != ExitError || !strings.Contains(r.stderr, "netlink error") {
		t.Errorf("adding the same address again: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := call("--replace", "--do", "set-limits", "--json", `{"subflows": 3, "rcv-add-addrs": 4}`); r.code != ExitOK {
		t.Fatalf("set-limits --replace: exit %d, %s", r.code, r.stderr)
	}
	if r := call("--append", "--echo", "--do", "set-limits", "--json", `{"subflows": 5}`); r.code != ExitOK {
		t.Fatalf("set-limits --append --echo: exit %d, %s", r.code, r.stderr)
	}
	limits := callJSON(t, "--spec", spec, "--do", "get-limits").(map[string]any)
	if limits["subflows"] != float64(5) || limits["rcv-add-addrs"] != float64(4) {
		t.Errorf("get-limits after the sets: %v", limits)
	}
	for _, flags := range [][]string{{"--replace"}, {"--excl"}, {"--create"}, {"--append"}, {"--echo"}} {
		if r := call(append(flags, "--do", "get-limits")...); r.code != ExitOK {
			t.Errorf("get-limits %v: exit %d, %s", flags, r.code, r.stderr)
		}
	}
	if r := call("--replace", "--excl", "--do", "get-limits"); r.code != ExitError || !strings.Contains(r.stderr, "EOPNOTSUPP") {
		t.Errorf("get-limits --replace --excl (read by the kernel as a dump): exit %d, stderr %q", r.code, r.stderr)
	}
}

// syncBuffer is written by the command while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCallSubscribeLive watches netdev's mgmt group in a namespace of its
// own while the test adds veth pairs there with iproute2: the kernel sends
// dev-add-ntf for each new device (net/core/netdev-genl.c on
// NETDEV_REGISTER). Pairs are added until one is seen, since the first may
// come before the join.
func TestCallSubscribeLive(t *testing.T) {
	spec := liveSpec(t, "netdev.yaml")
	ns := liveNetns(t)
	var stdout, stderr syncBuffer
	code := make(chan int, 1)
	go func() {
		code <- Run([]string{"call", "--spec", spec, "--subscribe", "mgmt", "--duration", "3", "--output-json"}, &stdout, &stderr)
	}()
	var exit int
	for i := 0; ; i++ {
		select {
		case exit = <-code:
		case <-time.After(250 * time.Millisecond):
			if !strings.Contains(stdout.String(), "dev-add-ntf") {
				veth := fmt.Sprintf("veth%d", i)
				if out, err := exec.Command("ip", "-n", ns, "link", "add", veth, "type", "veth", "peer", "name", veth+"p").CombinedOutput(); err != nil {
					t.Skipf("cannot add a veth pair in the test's namespace: %v: %s", err, out)
				}
			}
			continue
		}
		break
	}
	if exit != ExitOK {
		t.Fatalf("exit %d: %s", exit, stderr.String())
	}
	out, err := exec.Command("ip", "-n", ns, "-j", "link", "show").Output()
	if err != nil {
		t.Fatal(err)
	}
	var links []struct {
		Ifindex int    `json:"ifindex"`
		Ifname  string `json:"ifname"`
	}
	if err := json.Unmarshal(out, &links); err != nil {
		t.Fatal(err)
	}
	names := map[int]string{}
	for _, l := range links {
		names[l.Ifindex] = l.Ifname
	}
	added := 0
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var n struct {
			Name string         `json:"name"`
			Msg  map[string]any `json:"msg"`
		}
		if err := json.Unmarshal([]byte(line), &n); err != nil {
			t.Fatalf("not one JSON document per line: %q: %v", line, err)
		}
		idx, _ := n.Msg["ifindex"].(float64)
		if _, ok := names[int(idx)]; !ok {
			t.Errorf("%s for ifindex %v, which ip does not list (%v)", n.Name, n.Msg["ifindex"], names)
		}
		if n.Name == "dev-add-ntf" {
			added++
		}
	}
	if added == 0 {
		t.Fatalf("no dev-add-ntf while veth pairs were added; stdout %q, stderr %q", stdout.String(), stderr.String())
	}
}

// TestCallMultiLive: two getfamily requests in one run, answered as
// iproute2's `genl ctrl list` reports those families.
func TestCallMultiLive(t *testing.T) {
	spec := liveSpec(t, "nlctrl.yaml")
	genl := genlCtrlList(t)
	got := callJSON(t, "--spec", spec, "--multi", "getfamily", `{"family-name": "netdev"}`, "--multi", "getfamily", `{"family-name": "nlctrl"}`).([]any)
	if len(got) != 2 {
		t.Fatalf("%d replies, want 2: %v", len(got), got)
	}
	for i, name := range []string{"netdev", "nlctrl"} {
		f := got[i].(map[string]any)
		if f["family-name"] != name || genl[name] == nil || f["family-id"] != float64(genl[name].id) {
			t.Errorf("reply %d: %v; genl ctrl list says %s has id %v", i, f, name, genl[name])
		}
	}
}

// TestCallFamilyLive: --family finds the upstream spec through
// --spec-dir and the dump is the kernel's.
func TestCallFamilyLive(t *testing.T) {
	liveSpec(t, "netdev.yaml")
	dump := callJSON(t, "--family", "netdev", "--spec-dir", upstreamSpecs, "--dump", "dev-get").([]any)
	if len(dump) == 0 || dump[0].(map[string]any)["ifindex"] == nil {
		t.Fatalf("dev-get dump: %v", dump)
	}
}

// openPty returns a pseudo-terminal's master and slave (posix_openpt,
// unlockpt, ptsname by hand).
func openPty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pts: %v", err)
	}
	return m, s
}

// TestCallPrettyOnTerminal: on a terminal the output is indented for a
// person; --output-json keeps it to one line there too.
func TestCallPrettyOnTerminal(t *testing.T) {
	useFakeConn(t)
	for _, tc := range []struct {
		extra []string
		want  string
	}{
		{nil, "[\n  {\n    \"id\": 1,\n    \"label\": \"one\"\n  },\n  {\n    \"id\": 2,\n    \"label\": \"two\"\n  }\n]\n"},
		{[]string{"--output-json"}, `[{"id":1,"label":"one"},{"id":2,"label":"two"}]` + "\n"},
	} {
		m, s := openPty(t)
		read := make(chan string)
		go func() {
			var b bytes.Buffer
			_, err := io.Copy(&b, m)
			if err != nil && !errors.Is(err, unix.EIO) {
				b.WriteString("read error: " + err.Error())
			}
			read <- b.String()
		}()
		var stderr bytes.Buffer
		code := Run(append([]string{"call", "--spec", thingsSpec, "--dump", "get"}, tc.extra...), s, &stderr)
		s.Close()
		got := strings.ReplaceAll(<-read, "\r\n", "\n") // the terminal's ONLCR
		m.Close()
		if code != ExitOK || got != tc.want {
			t.Errorf("%v: exit %d, terminal shows %q, want %q (stderr %q)", tc.extra, code, got, tc.want, stderr.String())
		}
	}
}
