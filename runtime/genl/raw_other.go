//go:build !linux

package genl

import (
	"fmt"
	"runtime"
)

// DialRaw fails outside Linux: classic netlink protocols are Linux kernel
// sockets. The OVS Windows driver carries only generic-netlink families
// over its device (see Dial), so rtnetlink, nfnetlink and the rest have no
// transport there.
func DialRaw(protocol int, _ *Options) (RawConn, error) {
	os := runtime.GOOS
	if os == "windows" {
		os = "Windows"
	}
	return nil, fmt.Errorf("genl: %s is not available on %s (classic netlink exists only in the Linux kernel): %w",
		ProtocolName(protocol), os, ErrUnsupported)
}
