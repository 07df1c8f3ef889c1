/*
 * agree: the C side of gen/golang's "both sides agree" test.
 *
 *   agree check  < "kind hex" lines  -> "kind ok" or "kind reject: why"
 *   agree build                      -> "kind hex" lines of messages built in C
 *   agree replies                    -> "kind hex" lines of replies built the
 *                                       way the driver's handlers build them
 *   agree rejected                   -> "kind hex verdict" lines of requests
 *                                       the driver's NlAttrParse must refuse
 *
 * check parses each message (struct ovs_header + attributes) the way the
 * Windows driver's handlers do, with a reimplementation of NlAttrParse
 * (ovs-windows-interface.md section 7) over the NL_POLICY tables nlgen
 * generated into out/datapath-windows/ovsext/NlPolicy.c.
 */
#include "precomp.h"
#include "NlPolicy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#define NLA_HDRLEN 4
#define NLA_ALIGN(n) (((n) + 3u) & ~3u)
#define NLA_TYPE_MASK 0x3fff
#define MAX_ATTRS 64

struct attr {
	const UINT8 *hdr; /* NULL when absent */
	UINT32 len;       /* payload length */
};

static UINT16 get16(const UINT8 *p) { UINT16 v; memcpy(&v, p, 2); return v; }

static UINT32 min_len(NL_ATTR_TYPE t)
{
	switch (t) {
	case NL_A_U8: return 1;
	case NL_A_U16: return 2;
	case NL_A_U32: return 4;
	case NL_A_U64: return 8;
	case NL_A_STRING: return 1;
	default: return 0;
	}
}

static UINT32 max_len(NL_ATTR_TYPE t)
{
	switch (t) {
	case NL_A_U8: return 1;
	case NL_A_U16: return 2;
	case NL_A_U32: return 4;
	case NL_A_U64: return 8;
	case NL_A_STRING: return 65535;
	default: return UINT32_MAX;
	}
}

/* NlAttrValidate: nests and var-len are not length-checked; 0 = type default. */
static BOOLEAN validate(const UINT8 *payload, UINT32 len, const NL_POLICY *p)
{
	if (p->type == NL_A_NO_ATTR || p->type == NL_A_VAR_LEN || p->type == NL_A_NESTED)
		return TRUE;
	UINT32 lo = p->minLen ? p->minLen : min_len(p->type);
	UINT32 hi = p->maxLen ? p->maxLen : max_len(p->type);
	if (len < lo || len > hi)
		return FALSE;
	if (p->type == NL_A_STRING) {
		if (payload[len - 1] != '\0' || memchr(payload, '\0', len - 1) != NULL)
			return FALSE;
	}
	return TRUE;
}

/* NlAttrParse: unknown and out-of-range types are ignored, the last
 * duplicate wins, leftover bytes and missing required attributes fail. */
static BOOLEAN parse(const UINT8 *b, UINT32 left, const NL_POLICY *policy, UINT32 n, struct attr *attrs)
{
	memset(attrs, 0, sizeof(struct attr) * MAX_ATTRS);
	if (n > MAX_ATTRS)
		n = MAX_ATTRS;
	while (left >= NLA_HDRLEN) {
		UINT16 nla_len = get16(b);
		if (nla_len < NLA_HDRLEN || nla_len > left)
			break;
		UINT16 type = get16(b + 2) & NLA_TYPE_MASK;
		if (type < n && policy[type].type != NL_A_NO_ATTR) {
			if (!validate(b + NLA_HDRLEN, nla_len - NLA_HDRLEN, &policy[type]))
				return FALSE;
			attrs[type].hdr = b;
			attrs[type].len = nla_len - NLA_HDRLEN;
		}
		UINT32 step = NLA_ALIGN(nla_len);
		if (step > left)
			step = left; /* the last attribute may be unpadded */
		b += step;
		left -= step;
	}
	if (left != 0)
		return FALSE; /* garbage */
	for (UINT32 i = 0; i < n; i++) {
		if (policy[i].type != NL_A_NO_ATTR && !policy[i].optional && attrs[i].hdr == NULL)
			return FALSE;
	}
	return TRUE;
}

static BOOLEAN parse_nested(const struct attr *a, const NL_POLICY *policy, UINT32 n, struct attr *out)
{
	return parse(a->hdr + NLA_HDRLEN, a->len, policy, n, out);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *check_key(const struct attr *nest)
{
	struct attr key[MAX_ATTRS], tun[MAX_ATTRS];
	if (!parse_nested(nest, nlFlowKeyPolicy, nlFlowKeyPolicyLen, key))
		return "key";
	if (key[OVS_KEY_ATTR_TUNNEL].hdr != NULL &&
	    !parse_nested(&key[OVS_KEY_ATTR_TUNNEL], nlFlowTunnelKeyPolicy, nlFlowTunnelKeyPolicyLen, tun))
		return "tunnel key";
	return NULL;
}

/* NlAttrParse keeps only the last of repeated attributes, so it checks the
 * action list as a whole (framing, each attribute's length); the driver then
 * executes every action in wire order, which is walked here: each set action
 * must carry a valid key. */
static const char *check_actions(const struct attr *nest)
{
	struct attr act[MAX_ATTRS];
	if (!parse_nested(nest, nlFlowActionPolicy, nlFlowActionPolicyLen, act))
		return "actions";
	const UINT8 *b = nest->hdr + NLA_HDRLEN;
	UINT32 left = nest->len;
	while (left >= NLA_HDRLEN) {
		UINT16 nla_len = get16(b); /* framing already checked by parse */
		if ((get16(b + 2) & NLA_TYPE_MASK) == OVS_ACTION_ATTR_SET) {
			struct attr one = {b, (UINT32)nla_len - NLA_HDRLEN};
			const char *why = check_key(&one);
			if (why != NULL)
				return why;
		}
		UINT32 step = NLA_ALIGN(nla_len);
		if (step > left)
			step = left;
		b += step;
		left -= step;
	}
	return NULL;
}

static const char *check(const char *kind, const UINT8 *msg, UINT32 len)
{
	struct attr a[MAX_ATTRS], band[MAX_ATTRS];
	const char *why;
	if (len < sizeof(struct ovs_header))
		return "short ovs_header";
	msg += sizeof(struct ovs_header);
	len -= sizeof(struct ovs_header);
	if (strncmp(kind, "datapath", 8) == 0) {
		DEFINE_NL_POLICY_HandleDpTransactionCommon_ovsDatapathSetPolicy;
		return parse(msg, len, ovsDatapathSetPolicy, COUNT(ovsDatapathSetPolicy), a) ? NULL : "datapath";
	}
	if (strncmp(kind, "vport", 5) == 0) {
		DEFINE_NL_POLICY_OvsNewVportCmdHandler_ovsVportPolicy;
		return parse(msg, len, ovsVportPolicy, COUNT(ovsVportPolicy), a) ? NULL : "vport";
	}
	if (strncmp(kind, "flow", 4) == 0) {
		if (!parse(msg, len, nlFlowPolicy, nlFlowPolicyLen, a))
			return "flow";
		if ((why = check_key(&a[OVS_FLOW_ATTR_KEY])) != NULL)
			return why;
		if (a[OVS_FLOW_ATTR_MASK].hdr != NULL && (why = check_key(&a[OVS_FLOW_ATTR_MASK])) != NULL)
			return why;
		if (a[OVS_FLOW_ATTR_ACTIONS].hdr != NULL)
			return check_actions(&a[OVS_FLOW_ATTR_ACTIONS]);
		return NULL;
	}
	if (strncmp(kind, "packet", 6) == 0) {
		DEFINE_NL_POLICY_OvsNlExecuteCmdHandler_nlPktExecPolicy;
		if (!parse(msg, len, nlPktExecPolicy, COUNT(nlPktExecPolicy), a))
			return "packet";
		if ((why = check_key(&a[OVS_PACKET_ATTR_KEY])) != NULL)
			return why;
		return check_actions(&a[OVS_PACKET_ATTR_ACTIONS]);
	}
	if (strncmp(kind, "meter", 5) == 0) {
		if (!parse(msg, len, nlMeterPolicy, nlMeterPolicyLen, a))
			return "meter";
		if (a[OVS_METER_ATTR_BANDS].hdr == NULL)
			return NULL;
		/* Meter.c walks the bands with NL_ATTR_FOR_EACH and parses each. */
		const UINT8 *b = a[OVS_METER_ATTR_BANDS].hdr + NLA_HDRLEN;
		UINT32 left = a[OVS_METER_ATTR_BANDS].len;
		while (left >= NLA_HDRLEN) {
			UINT16 nla_len = get16(b);
			if (nla_len < NLA_HDRLEN || nla_len > left)
				return "band framing";
			struct attr one = {b, (UINT32)nla_len - NLA_HDRLEN};
			if (!parse_nested(&one, bandPolicy, bandPolicyLen, band))
				return "band";
			UINT32 step = NLA_ALIGN(nla_len) < left ? NLA_ALIGN(nla_len) : left;
			b += step;
			left -= step;
		}
		return left == 0 ? NULL : "band garbage";
	}
	return "unknown kind";
}

static int run_check(void)
{
	static char line[1 << 16];
	static UINT8 msg[1 << 15];
	while (fgets(line, sizeof line, stdin) != NULL) {
		char *kind = strtok(line, " \n"), *hex = strtok(NULL, " \n");
		if (kind == NULL)
			continue;
		UINT32 n = 0;
		for (; hex != NULL && hex[0] != '\0' && hex[1] != '\0' && n < sizeof msg; hex += 2) {
			unsigned v;
			if (sscanf(hex, "%2x", &v) != 1)
				return 2;
			msg[n++] = (UINT8)v;
		}
		const char *why = check(kind, msg, n);
		if (why == NULL)
			printf("%s ok\n", kind);
		else
			printf("%s reject: %s\n", kind, why);
	}
	return 0;
}

/* Building: a tiny nla_put, as a C client of the driver would write it. */
static UINT8 out[4096];
static UINT32 pos;

static void put(UINT16 type, const void *data, UINT32 len)
{
	UINT16 nla_len = (UINT16)(NLA_HDRLEN + len);
	memcpy(out + pos, &nla_len, 2);
	memcpy(out + pos + 2, &type, 2);
	memcpy(out + pos + NLA_HDRLEN, data, len);
	memset(out + pos + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
	pos += NLA_HDRLEN + NLA_ALIGN(len);
}

static void put_u32(UINT16 type, UINT32 v) { put(type, &v, 4); }
static void put_str(UINT16 type, const char *s) { put(type, s, (UINT32)strlen(s) + 1); }

static UINT32 nest_start(UINT16 type)
{
	UINT32 start = pos;
	put(type | 0x8000, NULL, 0);
	return start;
}

static void nest_end(UINT32 start)
{
	UINT16 nla_len = (UINT16)(pos - start);
	memcpy(out + start, &nla_len, 2);
}

static void begin(int dp_ifindex)
{
	struct ovs_header h = {.dp_ifindex = dp_ifindex};
	memcpy(out, &h, sizeof h);
	pos = sizeof h;
}

static void emit(const char *kind)
{
	printf("%s ", kind);
	for (UINT32 i = 0; i < pos; i++)
		printf("%02x", out[i]);
	printf("\n");
}

static void put_key(int mask)
{
	struct ovs_key_ethernet eth = {.eth_src = {0, 1, 2, 3, 4, 5}, .eth_dst = {6, 7, 8, 9, 10, 11}};
	struct ovs_key_ipv4 ip = {.ipv4_src = htonl(0x0a000001), .ipv4_dst = htonl(0x0a000002), .ipv4_proto = 6, .ipv4_ttl = 64};
	struct ovs_key_tcp tcp = {.tcp_src = htons(40000), .tcp_dst = htons(443)};
	UINT16 ethertype = htons(0x0800);
	if (mask) {
		memset(&eth, 0xff, sizeof eth);
		ip = (struct ovs_key_ipv4){.ipv4_src = 0xffffffff, .ipv4_dst = 0xffffffff, .ipv4_proto = 0xff};
		tcp = (struct ovs_key_tcp){.tcp_dst = 0xffff};
		ethertype = 0xffff;
	}
	put_u32(OVS_KEY_ATTR_IN_PORT, mask ? 0xffffffff : 0);
	put(OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	put(OVS_KEY_ATTR_ETHERTYPE, &ethertype, 2);
	put(OVS_KEY_ATTR_IPV4, &ip, sizeof ip);
	put(OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
}

/* The same values as the Go fixtures in messages_test.go. */
static int run_build(void)
{
	UINT32 n, m;

	begin(7);
	put_str(OVS_DP_ATTR_NAME, "ovs-system");
	struct ovs_dp_stats st = {.n_hit = 1000, .n_missed = 20, .n_lost = 1, .n_flows = 12};
	put(OVS_DP_ATTR_STATS, &st, sizeof st);
	struct ovs_dp_megaflow_stats mf = {.n_mask_hit = 3000, .n_masks = 4, .n_cache_hit = 900};
	put(OVS_DP_ATTR_MEGAFLOW_STATS, &mf, sizeof mf);
	put_u32(OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS);
	put_u32(OVS_DP_ATTR_MASKS_CACHE_SIZE, 256);
	emit("datapath-get-reply");

	begin(7);
	put_u32(OVS_VPORT_ATTR_PORT_NO, 0);
	put_u32(OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_INTERNAL);
	put_str(OVS_VPORT_ATTR_NAME, "br0");
	put_u32(OVS_VPORT_ATTR_UPCALL_PID, 1234);
	emit("vport-new");

	begin(3);
	n = nest_start(OVS_FLOW_ATTR_KEY);
	put_key(0);
	nest_end(n);
	n = nest_start(OVS_FLOW_ATTR_MASK);
	put_key(1);
	nest_end(n);
	n = nest_start(OVS_FLOW_ATTR_ACTIONS);
	m = nest_start(OVS_ACTION_ATTR_SET);
	UINT32 t = nest_start(OVS_KEY_ATTR_TUNNEL);
	UINT64 id = (UINT64)htonl(42) << 32; /* __be64 42 */
	put(OVS_TUNNEL_KEY_ATTR_ID, &id, 8);
	put_u32(OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(0xc0a80001));
	UINT8 ttl = 64;
	put(OVS_TUNNEL_KEY_ATTR_TTL, &ttl, 1);
	put(OVS_TUNNEL_KEY_ATTR_CSUM, NULL, 0);
	nest_end(t);
	nest_end(m);
	put_u32(OVS_ACTION_ATTR_OUTPUT, 1); /* an ordered list: set, then two outputs */
	put_u32(OVS_ACTION_ATTR_OUTPUT, 2);
	nest_end(n);
	UINT8 ufid[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	put(OVS_FLOW_ATTR_UFID, ufid, sizeof ufid);
	put_u32(OVS_FLOW_ATTR_UFID_FLAGS, OVS_UFID_F_OMIT_KEY);
	emit("flow-put");

	begin(7);
	put_u32(OVS_METER_ATTR_ID, 5);
	put(OVS_METER_ATTR_KBPS, NULL, 0);
	n = nest_start(OVS_METER_ATTR_BANDS);
	m = nest_start(OVS_BAND_ATTR_UNSPEC); /* Meter.c ignores the band's nest type */
	put_u32(OVS_BAND_ATTR_TYPE, OVS_METER_BAND_TYPE_DROP);
	put_u32(OVS_BAND_ATTR_RATE, 1000);
	put_u32(OVS_BAND_ATTR_BURST, 100);
	nest_end(m);
	m = nest_start(OVS_BAND_ATTR_UNSPEC);
	put_u32(OVS_BAND_ATTR_TYPE, OVS_METER_BAND_TYPE_DROP);
	put_u32(OVS_BAND_ATTR_RATE, 5000);
	nest_end(m);
	nest_end(n);
	emit("meter-set");
	return 0;
}

/*
 * The driver's reply side (Netlink/Netlink.c): NlMsgPutTailUnspec appends an
 * attribute header, the data and zero padding to NLA_ALIGN;
 * NlMsgPutTailString is NlMsgPutTailUnspec of strlen(str) + 1 bytes, so the
 * name goes out whole, however long, with its NUL.
 */
static void NlMsgPutTailUnspec(UINT16 type, const void *data, UINT32 len) { put(type, data, len); }
static void NlMsgPutTailU32(UINT16 type, UINT32 v) { NlMsgPutTailUnspec(type, &v, sizeof v); }
static void NlMsgPutTailString(UINT16 type, const char *str)
{
	NlMsgPutTailUnspec(type, str, (UINT32)strlen(str) + 1);
}

/* Vport.c OvsCreateMsgFromVport: PORT_NO, TYPE, NAME, one UPCALL_PID, STATS. */
static void create_msg_from_vport(int dp_ifindex, UINT32 port_no, UINT32 type, const char *name, UINT32 upcall_pid)
{
	OVS_VPORT_FULL_STATS stats = {.rx_packets = 10, .tx_packets = 20, .rx_bytes = 1000, .tx_bytes = 2000};
	begin(dp_ifindex);
	NlMsgPutTailU32(OVS_VPORT_ATTR_PORT_NO, port_no);
	NlMsgPutTailU32(OVS_VPORT_ATTR_TYPE, type);
	NlMsgPutTailString(OVS_VPORT_ATTR_NAME, name);
	NlMsgPutTailU32(OVS_VPORT_ATTR_UPCALL_PID, upcall_pid);
	NlMsgPutTailUnspec(OVS_VPORT_ATTR_STATS, &stats, sizeof stats);
}

/* Names of Hyper-V adapters as the driver reports them (vport->ovsName). */
static int run_replies(void)
{
	static char longest[IFNAMSIZ], too_long[IFNAMSIZ + 1];
	create_msg_from_vport(2, 2, OVS_VPORT_TYPE_NETDEV, "Microsoft Hyper-V Network Adapter #2", 7);
	emit("vport-hyperv-adapter");
	create_msg_from_vport(2, 3, OVS_VPORT_TYPE_NETDEV, "vEthernet (Default Switch)", 7);
	emit("vport-vethernet");
	create_msg_from_vport(2, 4, OVS_VPORT_TYPE_NETDEV, "Intel(R) Ethernet Connection (7) I219-LM", 7);
	emit("vport-physical");
	/* The policies' bound: IFNAMSIZ bytes with the NUL. */
	memset(longest, 'x', IFNAMSIZ - 1);
	create_msg_from_vport(2, 5, OVS_VPORT_TYPE_INTERNAL, longest, 7);
	emit("vport-longest");
	memset(too_long, 'x', IFNAMSIZ);
	create_msg_from_vport(2, 6, OVS_VPORT_TYPE_INTERNAL, too_long, 7);
	emit("toolong-vport");
	return 0;
}

/* Requests each with one thing the driver's NlAttrParse refuses. */
static void emit_checked(const char *kind, const char *as)
{
	const char *why = check(as, out, pos);
	printf("%s ", kind);
	for (UINT32 i = 0; i < pos; i++)
		printf("%02x", out[i]);
	printf(" %s\n", why == NULL ? "ok" : "reject");
}

static int run_rejected(void)
{
	UINT32 n, m;
	/* Mandatory attributes missing (non-optional NL_POLICY entries). */
	begin(0);
	NlMsgPutTailU32(OVS_DP_ATTR_UPCALL_PID, 1);
	emit_checked("datapath-new-no-name", "datapath");
	begin(2);
	NlMsgPutTailU32(OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_INTERNAL);
	NlMsgPutTailU32(OVS_VPORT_ATTR_UPCALL_PID, 7);
	emit_checked("vport-new-no-name", "vport");
	begin(2);
	n = nest_start(OVS_FLOW_ATTR_ACTIONS);
	put_u32(OVS_ACTION_ATTR_OUTPUT, 1);
	nest_end(n);
	emit_checked("flow-new-no-key", "flow");
	begin(0);
	put_u32(OVS_METER_ATTR_ID, 5);
	n = nest_start(OVS_METER_ATTR_BANDS);
	m = nest_start(OVS_BAND_ATTR_UNSPEC);
	put_u32(OVS_BAND_ATTR_RATE, 1000);
	nest_end(m);
	nest_end(n);
	emit_checked("meter-set-band-no-type", "meter");
	/* NL_A_STRING: the last byte must be the NUL, and the only one. */
	begin(2);
	NlMsgPutTailU32(OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_INTERNAL);
	NlMsgPutTailUnspec(OVS_VPORT_ATTR_NAME, "br0", 3);
	NlMsgPutTailU32(OVS_VPORT_ATTR_UPCALL_PID, 7);
	emit_checked("vport-new-unterminated-name", "vport");
	begin(2);
	NlMsgPutTailU32(OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_INTERNAL);
	NlMsgPutTailUnspec(OVS_VPORT_ATTR_NAME, "br\0x", 5);
	NlMsgPutTailU32(OVS_VPORT_ATTR_UPCALL_PID, 7);
	emit_checked("vport-new-embedded-nul", "vport");
	/* The same requests made whole are accepted. */
	begin(2);
	NlMsgPutTailU32(OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_INTERNAL);
	NlMsgPutTailString(OVS_VPORT_ATTR_NAME, "Microsoft Hyper-V Network Adapter #2");
	NlMsgPutTailU32(OVS_VPORT_ATTR_UPCALL_PID, 7);
	emit_checked("vport-new-whole", "vport");
	begin(0);
	put_u32(OVS_METER_ATTR_ID, 5);
	n = nest_start(OVS_METER_ATTR_BANDS);
	m = nest_start(OVS_BAND_ATTR_UNSPEC);
	put_u32(OVS_BAND_ATTR_TYPE, OVS_METER_BAND_TYPE_DROP);
	put_u32(OVS_BAND_ATTR_RATE, 1000);
	nest_end(m);
	nest_end(n);
	emit_checked("meter-set-whole", "meter");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "replies") == 0)
		return run_replies();
	if (argc == 2 && strcmp(argv[1], "rejected") == 0)
		return run_rejected();
	if (argc == 2 && strcmp(argv[1], "check") == 0)
		return run_check();
	if (argc == 2 && strcmp(argv[1], "build") == 0)
		return run_build();
	fprintf(stderr, "usage: agree check|build|replies|rejected\n");
	return 2;
}
