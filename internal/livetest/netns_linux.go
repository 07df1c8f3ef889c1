package livetest

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

var netnsSeq atomic.Int32

// Netns makes a network namespace for the test through iproute2 (deleted
// when the test ends) and returns its name, for `ip -n`, and an open
// descriptor, for genl.Options.NetNS. It skips where namespaces cannot be
// made.
func Netns(t testing.TB, prefix string) (name string, fd int) {
	t.Helper()
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("iproute2's ip is not installed; cannot make a network namespace")
	}
	name = fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), netnsSeq.Add(1))
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Skipf("creating a network namespace is not permitted here: ip netns add: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	fd, err := unix.Open("/run/netns/"+name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("open netns %s: %v", name, err)
	}
	t.Cleanup(func() { unix.Close(fd) })
	return name, fd
}

// AddLink adds link name in namespace ns with the first of kinds (the
// words after `type`) the kernel has, and returns that kind. Kernels
// built without the dummy driver (this project's test machine) still
// have veth and bridge. It skips when none can be added.
func AddLink(t testing.TB, ns, name string, kinds ...[]string) string {
	t.Helper()
	var errs []string
	for _, kind := range kinds {
		out, err := exec.Command("ip", append(inNamespace(ns, "link", "add", name, "type"), kind...)...).CombinedOutput()
		if err == nil {
			return kind[0]
		}
		errs = append(errs, fmt.Sprintf("%s: %v: %s", kind[0], err, strings.TrimSpace(string(out))))
	}
	t.Skipf("cannot add a link in the namespace: %s", strings.Join(errs, "; "))
	return ""
}

// InNetns runs fn on an OS thread switched into the namespace fd, so the
// sockets fn opens belong to that namespace; the goroutine's other threads
// and the test's stay where they are.
func InNetns(fd int, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		self, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- err
			return
		}
		defer unix.Close(self)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns: %w", err)
			return
		}
		ferr := fn()
		if err := unix.Setns(self, unix.CLONE_NEWNET); err != nil {
			// The thread stays locked and dies with the goroutine.
			errc <- fmt.Errorf("setns back: %w", err)
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}
