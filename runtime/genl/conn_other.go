//go:build !linux && !windows

package genl

import (
	"fmt"
	"runtime"
)

// Dial fails: generic netlink exists only on Linux, and the OVS device
// protocol only on Windows. NewDeviceConn still works over a custom Device.
func Dial(*Options) (Conn, error) {
	return nil, fmt.Errorf("genl: no generic-netlink transport on %s/%s: %w", runtime.GOOS, runtime.GOARCH, ErrUnsupported)
}
