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
		var nwf *ir.WinFamily
		for _, x := range nw.Families {
			if x.Family.Name == owf.Family.Name {
				nwf = x
			}
		}
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
		found := false
		for _, ng := range n.Groups {
			if ng.Name != og.Name {
				continue
			}
			found = true
			if ng.ID != og.ID {
				c.report(winGroupPos(nsrc, og.Name), "WIN_MCGRP_ID_CHANGED", "family %q: multicast group %q static id was %d, now %d", name, og.Name, og.ID, ng.ID)
			}
		}
		if !found {
			c.report(winGroupPos(osrc, og.Name), "WIN_MCGRP_ID_CHANGED", "family %q: multicast group %q (static id %d) has no static id any more", name, og.Name, og.ID)
		}
	}
	for _, oc := range o.Commands {
		found := false
		for _, nc := range n.Commands {
			found = found || nc.Op.Name == oc.Op.Name
		}
		if !found {
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
	for _, x := range w.Ioctls {
		if x.Name == name {
			return x
		}
	}
	return nil
}

func ioctlPos(w *schema.Windows, name string) schema.Pos {
	if w.Ioctls == nil {
		return w.Pos
	}
	for _, x := range w.Ioctls.List {
		if x.Name == name {
			return x.Pos
		}
	}
	return w.Ioctls.Pos
}

func winFamilySrc(w *schema.Windows, name string) *schema.WinFamily {
	for _, f := range w.Families {
		if f.Name == name {
			return f
		}
	}
	return &schema.WinFamily{Node: w.Node}
}

func winGroupPos(f *schema.WinFamily, name string) schema.Pos {
	for _, g := range f.McastGroups {
		if g.Name == name {
			return g.Pos
		}
	}
	return f.Pos
}

func winOpPos(f *schema.WinFamily, name string) schema.Pos {
	for _, o := range f.Operations {
		if o.Name == name {
			return o.Pos
		}
	}
	return f.Pos
}
