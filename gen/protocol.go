package gen

import (
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// RefusalRule is the rule of a target's refusal to render a family of a
// protocol it does not apply to: the spec is valid and other targets
// render it.
const RefusalRule = "unsupported"

// RawRefusal is what a target that does not render netlink-raw families
// returns when asked to, with why; nil when no family is netlink-raw.
// skip tells which raw families the target renders after all (nil: none).
// Each diagnostic points at the spec's protocol key (the pipeline adds the
// target's name).
func RawRefusal(fams []*ir.Family, why func(*ir.Family) string, skip func(*ir.Family) bool) error {
	var ds schema.Diagnostics
	for _, f := range fams {
		if f.Protocol != "netlink-raw" || skip != nil && skip(f) {
			continue
		}
		ds.Add(f.ProtocolPos, RefusalRule, "family %s (protocol netlink-raw): %s", f.Name, why(f))
	}
	return ds.Err()
}

// WindowsRawWhy is why the Windows targets refuse a netlink-raw family
// whose carriage the overlay does not describe: the OVS driver's netlink
// is generic netlink over its device (OvsDpInterfaceExt.h); a classic
// netlink family exists there only as the driver maps it into its own
// tables (a placeholder family, commands from the message type's low
// bits, its own bytes after the fixed header), which only the overlay's
// netlink-raw key can say.
func WindowsRawWhy(f *ir.Family) string {
	where := "the Windows overlay does not describe it"
	if f.Win != nil {
		where = "the Windows overlay's entry for it has no netlink-raw key"
	}
	return where + ", and the OVS Windows driver speaks generic netlink over its device; a classic netlink family renders for Windows " +
		"only as the overlay says the driver carries it (netlink-raw: family, command-bits, header-extension; docs/windows-extension.md), " +
		"or leave this spec out of the Windows outputs"
}

// InOverlay tells the netlink-raw families whose carriage the Windows
// overlay describes (its netlink-raw key), which the Windows targets
// render.
func InOverlay(f *ir.Family) bool { return f.Win != nil && f.Win.Raw != nil }
