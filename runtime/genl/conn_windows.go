//go:build windows

package genl

import "fmt"

// Dial opens the Open vSwitch kernel device (Options.DevicePath, default
// DefaultDevicePath) and runs the OVS netlink-over-ioctl protocol on it.
func Dial(opts *Options) (Conn, error) {
	path := DefaultDevicePath
	if opts != nil && opts.DevicePath != "" {
		path = opts.DevicePath
	}
	dev, err := openDevice(path)
	if err != nil {
		return nil, fmt.Errorf("genl: open %s (is the OVS driver loaded?): %w", path, err)
	}
	c, err := NewDeviceConn(dev, opts)
	if err != nil {
		return nil, err
	}
	return c, nil
}
