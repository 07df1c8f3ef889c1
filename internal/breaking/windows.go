package breaking

import (
	"github.com/nlgen/nlgen/ir"
	"github.com/nlgen/nlgen/schema"
)

// windows compares the Windows overlays. It runs only when both sides have
// one: comparing a lone spec file against a config says nothing about the
// device.
func (c *comparer) windows() {
	ow, nw := c.old.Model.Windows, c.new.Model.Windows
	if ow == nil || nw == nil {
		return
	}
	osrc, nsrc := c.old.windows, c.new.windows
	if ow.Device != nil {
		nd := nw.Device
		if nd == nil {
			nd = &ir.Device{}
		}
		for _, n := range []struct{ key, was, now string }{
			{"nt-name", ow.Device.NTName, nd.NTName},
			{"dos-name", ow.Device.DOSName, nd.DOSName},
			{"user-name", ow.Device.UserName, nd.UserName},
		} {
			if n.was != n.now {
				c.report(deviceAt(nsrc, n.key), "DEVICE_NAME_CHANGED", "device %s was %q, now %q", n.key, n.was, n.now)
			}
		}
	}
	for _, oi := range ow.Ioctls {
		ni := ioctlByName(nw, oi.Name)
		if ni == nil {
			c.report(ioctlPos(osrc, oi.Name), "IOCTL_REMOVED", "ioctl %q (%#x) was removed", oi.Name, oi.Code)
			continue
		}
		if ni.Code != oi.Code {
			c.report(ioctlPos(nsrc, oi.Name), "IOCTL_CODE_CHANGED", "ioctl %q was %#x, now %#x", oi.Name, oi.Code, ni.Code)
		}
	}
	for _, owf := range ow.Families {
		nwf := find(nw.Families, owf.Family.Name, func(x *ir.WinFamily) string { return x.Family.Name })
		if nwf == nil {
			continue // the family itself is compared (and its removal reported) by name
		}
		c.winFamily(owf, nwf, winFamilySrc(osrc, owf.Family.Name), winFamilySrc(nsrc, nwf.Family.Name))
	}
}

func (c *comparer) winFamily(o, n *ir.WinFamily, osrc, nsrc *schema.WinFamily) {
	name := n.Family.Name
	if o.ID != n.ID {
		c.report(nsrc.At("id"), "WIN_FAMILY_ID_CHANGED", "family %q: static Windows id was %d, now %d", name, o.ID, n.ID)
	}
	for _, og := range o.Groups {
		switch ng := find(n.Groups, og.Name, func(g *ir.WinGroup) string { return g.Name }); {
		case ng == nil:
			c.report(winGroupPos(osrc, og.Name), "WIN_MCGRP_ID_CHANGED", "family %q: multicast group %q (static id %d) has no static id any more", name, og.Name, og.ID)
		case ng.ID != og.ID:
			c.report(winGroupPos(nsrc, og.Name), "WIN_MCGRP_ID_CHANGED", "family %q: multicast group %q static id was %d, now %d", name, og.Name, og.ID, ng.ID)
		}
	}
	for _, oc := range o.Commands {
		if find(n.Commands, oc.Op.Name, func(x *ir.WinCommand) string { return x.Op.Name }) == nil {
			c.report(winOpPos(osrc, oc.Op.Name), "WIN_COMMAND_REMOVED", "family %q: the driver no longer dispatches operation %q (%s)", name, oc.Op.Name, oc.Handler)
		}
	}
}

func deviceAt(w *schema.Windows, key string) schema.Pos {
	if w.Device == nil {
		return w.Pos
	}
	return w.Device.At(key)
}

func ioctlByName(w *ir.Windows, name string) *ir.Ioctl {
	return find(w.Ioctls, name, func(x *ir.Ioctl) string { return x.Name })
}

func ioctlPos(w *schema.Windows, name string) schema.Pos {
	if w.Ioctls == nil {
		return w.Pos
	}
	return findPos(w.Ioctls.List, name, func(x *schema.WinIoctl) string { return x.Name },
		func(x *schema.WinIoctl) schema.Pos { return x.Pos }, w.Ioctls.Pos)
}

func winFamilySrc(w *schema.Windows, name string) *schema.WinFamily {
	if f := find(w.Families, name, func(f *schema.WinFamily) string { return f.Name }); f != nil {
		return f
	}
	return &schema.WinFamily{Node: w.Node}
}

func winGroupPos(f *schema.WinFamily, name string) schema.Pos {
	return findPos(f.McastGroups, name, func(g *schema.WinMcastGroup) string { return g.Name },
		func(g *schema.WinMcastGroup) schema.Pos { return g.Pos }, f.Pos)
}

func winOpPos(f *schema.WinFamily, name string) schema.Pos {
	return findPos(f.Operations, name, func(o *schema.WinOperation) string { return o.Name },
		func(o *schema.WinOperation) schema.Pos { return o.Pos }, f.Pos)
}
