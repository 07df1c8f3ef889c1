//go:build linux

package genl

import (
	"testing"

	vnl "github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// RTNewlinkBaselines hands the external test package (where the rt-link
// package generated from the kernel's spec can be imported) the two
// baselines of BenchmarkRTNewlinkDecode for the captured message
// newlink-<name>.bin, for the ratios of BenchmarkRTNewlinkRatio.
func RTNewlinkBaselines(tb testing.TB, name string) (mdlayher, vishvananda func() error) {
	h, data := readRTNewlink(tb, "newlink-"+name+".bin")
	hdr := &unix.NlMsghdr{Len: h.Length, Type: h.Type, Flags: h.Flags}
	return func() error {
			var l mdLink
			return decodeMdlayher(data, &l)
		}, func() error {
			_, err := vnl.LinkDeserialize(hdr, data)
			return err
		}
}
