package golang

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/nlgen/nlgen/ir"
)

// The client is thin on purpose: it encodes a set, hands the bytes to a
// genl.Conn and decodes the replies. Errors from the kernel or the Windows
// driver come back as *genl.Error (errno plus extended-ack message)
// untouched, so errors.Is(err, genl.ENOENT) works on the caller's side.

func (g *familyGen) renderClient(f *jen.File) {
	f.Comment("Client calls the " + g.fam.Name + " operations over any genl.Conn (Linux netlink")
	f.Comment("socket, OVS Windows device, or a test fake).")
	connType := jen.Qual(g.genl, "Conn")
	if g.raw() {
		connType = jen.Qual(g.genl, "RawConn")
		f.Comment("On Linux, genl.DialRaw(Protocol, nil) opens the socket; elsewhere classic netlink")
		f.Comment("does not exist and DialRaw fails with a clear error.")
	}
	fields := []jen.Code{
		jen.Id("conn").Add(connType.Clone()),
		jen.Id("flags").Uint16(),
		jen.Id("decode").Qual(g.nlattr, "DecodeOptions"),
		jen.Id("reuse").Bool(),
		jen.Id("echo").Bool(),
	}
	hdr := g.fam.FixedHeader
	if hdr != nil {
		// A pointer, so "no default" differs from a default of zeros.
		fields = append(fields, jen.Id("header").Op("*").Id(hdr.GoName))
	}
	f.Type().Id("Client").Struct(fields...)
	f.Comment("NewClient returns a client using conn; the caller keeps ownership of conn.")
	f.Func().Id("NewClient").Params(jen.Id("conn").Add(connType.Clone())).Op("*").Id("Client").Block(
		jen.Return(jen.Op("&").Id("Client").Values(jen.Dict{jen.Id("conn"): jen.Id("conn")})))
	f.Comment("WithFlags returns a copy of c that adds nlmsghdr flags (e.g. genl.FlagCreate|genl.FlagExcl)")
	f.Comment("to every request.")
	clientOption(f, "WithFlags", jen.Id("flags").Uint16(), "flags", jen.Id("flags"))
	f.Comment("WithDecodeOptions returns a copy of c that decodes replies with o (o.Strict rejects")
	f.Comment("attributes this package does not know; by default they are kept in Unknown).")
	clientOption(f, "WithDecodeOptions", jen.Id("o").Qual(g.nlattr, "DecodeOptions"), "decode", jen.Id("o"))

	f.Comment("WithEcho returns a copy of c that sends every do with NLM_F_ECHO. The Linux")
	f.Comment("kernel sends the reply of an operation that notifies a multicast group")
	f.Comment("(genl_notify: OVS datapath, vport and flow new, set and del) to the requester")
	f.Comment("only when the request carries NLM_F_ECHO; without it the do is acknowledged")
	f.Comment("alone and returns a nil reply.")
	clientOption(f, "WithEcho", nil, "echo", jen.True())
	f.Comment("doFlags are the extra nlmsghdr flags of a do request.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id("doFlags").Params().Uint16().Block(
		jen.If(jen.Id("c").Dot("echo")).Block(jen.Return(jen.Id("c").Dot("flags").Op("|").Qual(g.genl, "FlagEcho"))),
		jen.Return(jen.Id("c").Dot("flags")))

	f.Comment("WithReusedDumps returns a copy of c whose dumps decode every message into one")
	f.Comment("value and yield it again: the value, and the nests and slices it points to, are")
	f.Comment("valid only until the loop continues, and each message allocates only what Decode")
	f.Comment("into a used value does. The Dump...All methods still collect fresh values.")
	clientOption(f, "WithReusedDumps", nil, "reuse", jen.True())

	if hdr != nil {
		// The fixed header is the one part of a request a zero value
		// cannot leave out safely (OVS: dp_ifindex 0 names no datapath),
		// so the client can carry it for every request.
		f.Comment("WithHeader returns a copy of c that sends h as the fixed header (struct " + hdr.CName + ")")
		f.Comment("of every request whose own header is the zero value, including dumps with a nil")
		f.Comment("request. A request that sets any member of its header sends its own header.")
		clientOption(f, "WithHeader", jen.Id("h").Id(hdr.GoName), "header", jen.Op("&").Id("h"))
	}

	g.renderNotifications(f)
	for _, op := range g.fam.Ops {
		if op.AttrSet == nil || op.ReqValue < 0 {
			continue
		}
		si := g.setByName[op.AttrSet]
		if op.Do != nil {
			g.renderDo(f, op, si)
		}
		if op.Dump != nil {
			g.renderDump(f, op, si)
		}
	}
}

// encodeRequest is the statements turning req into payload.
func encodeRequest(onErr ...jen.Code) []jen.Code {
	return []jen.Code{
		jen.List(jen.Id("payload"), jen.Id("err")).Op(":=").Id("req").Dot("AppendMessage").Call(
			jen.Make(jen.Index().Byte(), jen.Lit(0), jen.Id("req").Dot("MessageLen").Call())),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(onErr...),
	}
}

// defaultHeader is the statements giving req the client's default fixed
// header (WithHeader) when req leaves its own header zero. req is copied,
// never changed: the caller may reuse it with other clients.
func (g *familyGen) defaultHeader(rt *setInfo) []jen.Code {
	if g.fam.FixedHeader == nil || rt.header == "" || rt.hdr != g.fam.FixedHeader {
		return nil
	}
	return []jen.Code{
		jen.If(jen.Id("c").Dot("header").Op("!=").Nil().Op("&&").Parens(
			jen.Id("req").Op("==").Nil().Op("||").Id("req").Dot(rt.header).Op("==").Parens(jen.Id(g.fam.FixedHeader.GoName).Values()))).Block(
			jen.Var().Id("r").Id(rt.typeName),
			jen.If(jen.Id("req").Op("!=").Nil()).Block(jen.Id("r").Op("=").Op("*").Id("req")),
			jen.Id("r").Dot(rt.header).Op("=").Op("*").Id("c").Dot("header"),
			jen.Id("req").Op("=").Op("&").Id("r"),
		),
	}
}

func (g *familyGen) renderDo(f *jen.File, op *ir.Op, si *setInfo) {
	name := op.GoName
	ctx := jen.Id("ctx").Qual("context", "Context")
	rt := g.requestType(op.Do, si)
	req := jen.Id("req").Op("*").Id(g.opTypes.request[op.Do])
	doc := "sends the " + op.Name + " request"
	if d := oneLine(op.Doc); d != "" {
		doc += " (" + d + ")"
	}
	call := jen.List(jen.Id("msgs"), jen.Id("err")).Op(":=").Id("c").Dot("conn").Dot("Do").Call(
		jen.Id("ctx"), jen.Id("Family"), g.reqCmd(op, op.Do), jen.Id("c").Dot("doFlags").Call(), jen.Id("payload"))
	hasReply := op.Do.Reply != nil
	if !hasReply {
		f.Comment(name + " " + doc + " and waits for the acknowledgement.")
		f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(name).Params(ctx, req).Error().Block(
			append(append(g.defaultHeader(rt), encodeRequest(jen.Return(jen.Id("err")))...),
				jen.List(jen.Id("_"), jen.Id("err")).Op("=").Id("c").Dot("conn").Dot("Do").Call(
					jen.Id("ctx"), jen.Id("Family"), g.reqCmd(op, op.Do), jen.Id("c").Dot("doFlags").Call(), jen.Id("payload")),
				jen.Return(jen.Id("err")))...)
		return
	}
	rsp := g.opTypes.reply[op.Do]
	f.Comment(name + " " + doc + " and decodes the reply.")
	f.Comment("A nil reply with a nil error means the request succeeded and was")
	if op.Mcgrp != nil {
		// The kernel's genl_notify: the reply goes to the group, and to
		// the requester only when it asked with NLM_F_ECHO.
		f.Comment("acknowledged without a reply: the Linux kernel sends this reply to the")
		f.Comment("multicast group " + op.Mcgrp.Name + ", and to the requester only with NLM_F_ECHO")
		f.Comment("(WithEcho).")
	} else {
		f.Comment("acknowledged without a reply (WithEcho asks for one).")
	}
	body := append(append(g.defaultHeader(rt), encodeRequest(jen.Return(jen.Nil(), jen.Id("err")))...),
		call,
		jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err"))),
		jen.If(jen.Len(jen.Id("msgs")).Op("==").Lit(0)).Block(
			jen.Return(jen.Nil(), jen.Nil())),
		jen.Var().Id("rsp").Id(rsp),
		jen.If(jen.Id("err").Op(":=").Id("rsp").Dot("DecodeMessage").Call(jen.Id("msgs").Index(jen.Lit(0)).Dot("Data"), jen.Id("c").Dot("decode")),
			jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.fam.Name+" "+op.Name+" reply: %w"), jen.Id("err")))),
		jen.Return(jen.Op("&").Id("rsp"), jen.Nil()),
	)
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(name).Params(ctx, req).Params(jen.Op("*").Id(rsp), jen.Error()).Block(body...)
}

func (g *familyGen) renderDump(f *jen.File, op *ir.Op, si *setInfo) {
	name := "Dump" + op.GoName
	inner := "dump" + op.GoName
	rsp := g.opTypes.reply[op.Dump]
	typ := jen.Op("*").Id(rsp)
	rt := g.requestType(op.Dump, si)
	reqType := jen.Op("*").Id(g.opTypes.request[op.Dump])
	ctx := jen.Id("ctx").Qual("context", "Context")
	f.Comment(name + " dumps " + op.Name + " replies one by one. req may be nil when the dump")
	f.Comment("needs no filter or header. A failure is yielded once, as the last pair.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(name).Params(ctx.Clone(), jen.Id("req").Add(reqType.Clone())).
		Qual("iter", "Seq2").Types(typ.Clone(), jen.Error()).Block(
		jen.Return(jen.Id("c").Dot(inner).Call(jen.Id("ctx"), jen.Id("req"), jen.Id("c").Dot("reuse"))))
	f.Comment(inner + " is " + name + ", decoding every message into one value when reuse is set.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(inner).Params(ctx.Clone(), jen.Id("req").Add(reqType.Clone()), jen.Id("reuse").Bool()).
		Qual("iter", "Seq2").Types(typ.Clone(), jen.Error()).Block(
		jen.Return(jen.Func().Params(jen.Id("yield").Func().Params(typ.Clone(), jen.Error()).Bool()).Block(
			append(append(g.defaultHeader(rt), encodeRequest(jen.Id("yield").Call(jen.Nil(), jen.Id("err")), jen.Return())...),
				jen.Var().Id("rsp").Add(typ.Clone()),
				jen.For(jen.List(jen.Id("m"), jen.Id("err")).Op(":=").Range().Id("c").Dot("conn").Dot("Dump").Call(
					jen.Id("ctx"), jen.Id("Family"), g.reqCmd(op, op.Dump), jen.Id("c").Dot("flags"), jen.Id("payload"))).Block(
					jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Id("yield").Call(jen.Nil(), jen.Id("err")), jen.Return()),
					jen.If(jen.Id("rsp").Op("==").Nil().Op("||").Op("!").Id("reuse")).Block(
						jen.Id("rsp").Op("=").New(jen.Id(rsp))),
					jen.If(jen.Id("err").Op(":=").Id("rsp").Dot("DecodeMessage").Call(jen.Id("m").Dot("Data"), jen.Id("c").Dot("decode")),
						jen.Id("err").Op("!=").Nil()).Block(
						jen.Id("yield").Call(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.fam.Name+" "+op.Name+" dump: %w"), jen.Id("err"))),
						jen.Return()),
					jen.If(jen.Op("!").Id("yield").Call(jen.Id("rsp"), jen.Nil())).Block(jen.Return()),
				),
			)...,
		)),
	)
	f.Comment(name + "All collects " + name + " into a slice of fresh values.")
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(name+"All").Params(ctx.Clone(), jen.Id("req").Add(reqType.Clone())).
		Params(jen.Index().Add(typ.Clone()), jen.Error()).Block(
		jen.Var().Id("out").Index().Add(typ.Clone()),
		jen.For(jen.List(jen.Id("r"), jen.Id("err")).Op(":=").Range().Id("c").Dot(inner).Call(jen.Id("ctx"), jen.Id("req"), jen.False())).Block(
			jen.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("out"), jen.Id("err"))),
			jen.Id("out").Op("=").Append(jen.Id("out"), jen.Id("r")),
		),
		jen.Return(jen.Id("out"), jen.Nil()),
	)
}

// notification is a command the family sends unprompted and the type
// DecodeNotification decodes it into.
type notification struct {
	cmd string
	si  *setInfo
}

// settleNotifications maps each notification command (a reply sent to a
// multicast group, a notify or an event op) to the type it carries, in op
// order; a command is listed once.
func (g *familyGen) settleNotifications() {
	seen := map[int]bool{}
	for _, op := range g.fam.Ops {
		if op.RspValue < 0 || seen[op.RspValue] || (op.Mcgrp == nil && op.Notify == nil && op.Event == nil) {
			continue
		}
		set := op.AttrSet
		if set == nil && op.Notify != nil {
			set = op.Notify.AttrSet
		}
		si := g.setByName[set]
		if si == nil || !si.topLevel {
			continue
		}
		// An operation that multicasts what it replies (OVS new/del/set)
		// notifies with its reply type. A notification of its own (notify:
		// accept, as handshake's ready) keeps the full set: what it carries
		// need not be the named operation's reply (ready sends accept's
		// request attribute handler-class).
		if op.Do != nil && g.replyOf[op.Do] != nil {
			si = g.replyOf[op.Do]
		}
		seen[op.RspValue] = true
		g.notify = append(g.notify, notification{cmd: g.rspCmdName(op), si: si})
	}
}

// renderNotifications emits DecodeNotification, which turns a message the
// family sends unprompted (a multicast notification, an event such as an
// OVS upcall) into its typed value.
func (g *familyGen) renderNotifications(f *jen.File) {
	if g.raw() {
		g.renderRawNotifications(f)
		return
	}
	if len(g.notify) == 0 {
		return
	}
	// One case per set, listing every command that carries it.
	var order []*setInfo
	cmdsOf := map[*setInfo][]jen.Code{}
	for _, n := range g.notify {
		if cmdsOf[n.si] == nil {
			order = append(order, n.si)
		}
		cmdsOf[n.si] = append(cmdsOf[n.si], jen.Id(n.cmd))
	}
	var cases []jen.Code
	var held []string
	for _, si := range order {
		var names []string
		for _, n := range g.notify {
			if n.si == si {
				names = append(names, n.cmd)
			}
		}
		held = append(held, "//   - *"+si.typeName+" for "+strings.Join(names, ", "))
		cases = append(cases, jen.Case(cmdsOf[si]...).Block(
			jen.Var().Id("v").Id(si.typeName),
			jen.If(jen.Id("err").Op(":=").Id("v").Dot("DecodeMessage").Call(jen.Id("m").Dot("Data"), jen.Id("o")), jen.Id("err").Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.fam.Name+" %s notification: %w"), jen.Id(g.rspCmdType()).Call(jen.Id("m").Dot("Cmd")), jen.Id("err")))),
			jen.Return(jen.Op("&").Id("v"), jen.Nil())))
	}
	// The list is the whole contract of the returned any: a type switch
	// over these cases is exhaustive.
	f.Comment("DecodeNotification decodes a message the family sends unprompted (a multicast")
	f.Comment("notification or an event) into the set its command carries. The value is one of:")
	f.Comment("")
	f.Comment(strings.Join(held, "\n"))
	f.Comment("")
	f.Comment("Other commands are an error.")
	f.Func().Id("DecodeNotification").Params(jen.Id("m").Qual(g.genl, "Message"), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Params(jen.Any(), jen.Error()).Block(
		jen.Switch(jen.Id(g.rspCmdType()).Call(jen.Id("m").Dot("Cmd"))).Block(cases...),
		jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.fam.Name+": %s is not a notification"), jen.Id(g.rspCmdType()).Call(jen.Id("m").Dot("Cmd")))))
}

// clientOption prints a Client option: a method name(param) that returns a
// copy of c whose field is set to value.
func clientOption(f *jen.File, name string, param jen.Code, field string, value jen.Code) {
	params := []jen.Code{}
	if param != nil {
		params = append(params, param)
	}
	f.Func().Params(jen.Id("c").Op("*").Id("Client")).Id(name).Params(params...).Op("*").Id("Client").Block(
		jen.Id("cc").Op(":=").Op("*").Id("c"),
		jen.Id("cc").Dot(field).Op("=").Add(value),
		jen.Return(jen.Op("&").Id("cc")))
}

// reqCmd is the command (genlmsghdr.cmd) or message type (nlmsg_type) a
// do or dump request of op is sent with: netlink-raw gives each its own
// value (a dump may differ from the do).
func (g *familyGen) reqCmd(op *ir.Op, m *ir.OpMode) jen.Code {
	if !g.raw() {
		return jen.Id("uint8").Call(jen.Id("Cmd" + op.GoName))
	}
	if m.Request != nil && m.Request.Value >= 0 && m.Request.Value != op.ReqValue {
		return jen.Lit(m.Request.Value)
	}
	return jen.Id("uint16").Call(jen.Id("Cmd" + op.GoName))
}

// rawNotification is a message type a classic netlink family sends to its
// groups and the set it carries.
type rawNotification struct {
	value int
	names []string
	si    *setInfo
}

// rawNotifications: classic netlink multicasts the messages its replies
// are made of (rtnetlink's RTM_NEWLINK to RTNLGRP_LINK is the getlink
// reply's type) and the deletions (RTM_DELLINK, the dellink request's
// type, carries the same ifinfomsg and attributes, rtnl_notify in
// net/core/rtnetlink.c); the spec ties no operation to a group. Every
// reply type decodes into its operation's full set, and so does every
// request type of a do without a reply that no reply uses.
func (g *familyGen) rawNotifications() []*rawNotification {
	byValue := map[int]*rawNotification{}
	var out []*rawNotification
	add := func(v int, op *ir.Op) {
		si := g.setByName[op.AttrSet]
		if v < 0 || si == nil || !si.topLevel {
			return
		}
		if n := byValue[v]; n != nil {
			if n.si == si && !slices.Contains(n.names, op.Name) {
				n.names = append(n.names, op.Name)
			}
			return
		}
		n := &rawNotification{value: v, names: []string{op.Name}, si: si}
		byValue[v] = n
		out = append(out, n)
	}
	for _, op := range g.fam.Ops {
		if op.AttrSet == nil {
			continue
		}
		for _, m := range []*ir.OpMode{op.Do, op.Dump} {
			if m != nil && m.Reply != nil {
				add(m.Reply.Value, op)
			}
		}
	}
	for _, op := range g.fam.Ops {
		if op.AttrSet != nil && op.Do != nil && op.Do.Reply == nil && op.Do.Request != nil {
			add(op.Do.Request.Value, op)
		}
	}
	return out
}

func (g *familyGen) renderRawNotifications(f *jen.File) {
	ns := g.rawNotifications()
	if len(ns) == 0 {
		return
	}
	var cases []jen.Code
	var lines []string
	for _, n := range ns {
		lines = append(lines, fmt.Sprintf("//   - *%s for message type %d (%s)", n.si.typeName, n.value, strings.Join(n.names, ", ")))
		cases = append(cases, jen.Case(jen.Lit(n.value)).Block(
			jen.Var().Id("v").Id(n.si.typeName),
			jen.If(jen.Id("err").Op(":=").Id("v").Dot("DecodeMessage").Call(jen.Id("m").Dot("Data"), jen.Id("o")), jen.Id("err").Op("!=").Nil()).Block(
				jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.fam.Name+" message type %d: %w"), jen.Id("m").Dot("Header").Dot("Type"), jen.Id("err")))),
			jen.Return(jen.Op("&").Id("v"), jen.Nil())))
	}
	f.Comment("DecodeNotification decodes a message the family multicasts to its groups (join them")
	f.Comment("with genl.RawConn.Join and a Group constant) by its nlmsg_type, which tells a new")
	f.Comment("object from a deleted one. The value is one of:")
	f.Comment("")
	f.Comment(strings.Join(lines, "\n"))
	f.Comment("")
	f.Comment("Other message types are an error.")
	f.Func().Id("DecodeNotification").Params(jen.Id("m").Qual(g.genl, "RawMessage"), jen.Id("o").Qual(g.nlattr, "DecodeOptions")).Params(jen.Any(), jen.Error()).Block(
		jen.Switch(jen.Id("m").Dot("Header").Dot("Type")).Block(cases...),
		jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit(g.fam.Name+": message type %d is not a notification"), jen.Id("m").Dot("Header").Dot("Type"))))
}
