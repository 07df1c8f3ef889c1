/*
 * masked: flow replies holding OVS_ACTION_ATTR_SET_MASKED, built the way
 * the Linux kernel's openvswitch module stores and dumps them
 * (net/openvswitch/flow_netlink.c, 6.12), against the kernel's own uapi
 * header <linux/openvswitch.h>, not nlgen's:
 *
 *   - validate_set() accepts a masked set of PRIORITY, SKB_MARK, CT_MARK,
 *     CT_LABELS, ETHERNET, IPV4, IPV6, TCP, UDP, MPLS and SCTP whose one
 *     nested key attribute is nla_len = 2 * ovs_key_lens[type] (value, then
 *     mask), and whose value has no bit outside the mask (validate_masked);
 *     copy_action() stores the attribute as userspace sent it, and
 *     ovs_nla_put_actions() dumps it with nla_put() unchanged.
 *   - A plain SET is stored as SET_TO_MASKED and dumped back by
 *     masked_set_action_to_set_action_attr() as SET with the value alone.
 *
 *   masked  -> "name hex" lines: one action list per maskable key type,
 *              and "flow-reply", a whole ovs_flow reply.
 */
#include <linux/openvswitch.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t out[4096];
static size_t pos;

static void nla_put(uint16_t type, const void *data, size_t len)
{
	uint16_t nla_len = (uint16_t)(4 + len);
	memcpy(out + pos, &nla_len, 2);
	memcpy(out + pos + 2, &type, 2);
	if (len)
		memcpy(out + pos + 4, data, len);
	memset(out + pos + 4 + len, 0, ((len + 3) & ~(size_t)3) - len);
	pos += 4 + ((len + 3) & ~(size_t)3);
}

/* nla_nest_start_noflag, as the kernel and OVS userspace write nests. */
static size_t nest_start(uint16_t type)
{
	size_t start = pos;
	nla_put(type, NULL, 0);
	return start;
}

static void nest_end(size_t start)
{
	uint16_t nla_len = (uint16_t)(pos - start);
	memcpy(out + start, &nla_len, 2);
}

/* OVS_ACTION_ATTR_SET_MASKED { key_type: value[len] mask[len] } */
static void set_masked(uint16_t key_type, const void *value, const void *mask, size_t len)
{
	uint8_t both[256];
	memcpy(both, value, len);
	memcpy(both + len, mask, len);
	size_t n = nest_start(OVS_ACTION_ATTR_SET_MASKED);
	nla_put(key_type, both, 2 * len);
	nest_end(n);
}

static void emit(const char *name)
{
	printf("%s ", name);
	for (size_t i = 0; i < pos; i++)
		printf("%02x", out[i]);
	printf("\n");
	pos = 0;
}

/* A value/mask pair of len bytes: some mask bytes partial, value within the mask. */
static void pattern(uint8_t *value, uint8_t *mask, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		mask[i] = (i % 3 == 1) ? 0x0f : 0xff;
		value[i] = (uint8_t)(i * 37 + 1) & mask[i];
	}
}

static const struct {
	const char *name;
	uint16_t type;
	size_t len; /* ovs_key_lens[type].len */
} maskable[] = {
	{"priority", OVS_KEY_ATTR_PRIORITY, sizeof(uint32_t)},
	{"skb-mark", OVS_KEY_ATTR_SKB_MARK, sizeof(uint32_t)},
	{"ct-mark", OVS_KEY_ATTR_CT_MARK, sizeof(uint32_t)},
	{"ct-labels", OVS_KEY_ATTR_CT_LABELS, sizeof(struct ovs_key_ct_labels)},
	{"ethernet", OVS_KEY_ATTR_ETHERNET, sizeof(struct ovs_key_ethernet)},
	{"ipv4", OVS_KEY_ATTR_IPV4, sizeof(struct ovs_key_ipv4)},
	{"ipv6", OVS_KEY_ATTR_IPV6, sizeof(struct ovs_key_ipv6)},
	{"tcp", OVS_KEY_ATTR_TCP, sizeof(struct ovs_key_tcp)},
	{"udp", OVS_KEY_ATTR_UDP, sizeof(struct ovs_key_udp)},
	{"mpls", OVS_KEY_ATTR_MPLS, sizeof(struct ovs_key_mpls)},
	{"sctp", OVS_KEY_ATTR_SCTP, sizeof(struct ovs_key_sctp)},
};

/* validate_set: masks may not touch the non-writeable fields. */
static void writeable_only(uint16_t type, uint8_t *value, uint8_t *mask)
{
	if (type == OVS_KEY_ATTR_IPV4) {
		struct ovs_key_ipv4 *m = (struct ovs_key_ipv4 *)mask;
		m->ipv4_proto = 0;
		m->ipv4_frag = 0;
	}
	if (type == OVS_KEY_ATTR_IPV6) {
		struct ovs_key_ipv6 *m = (struct ovs_key_ipv6 *)mask;
		m->ipv6_proto = 0;
		m->ipv6_frag = 0;
		m->ipv6_label &= htonl(0x000FFFFF);
	}
	for (size_t i = 0; i < 64; i++)
		value[i] &= mask[i];
}

int main(void)
{
	/* 8-byte aligned, so the key structs can be laid over them. */
	static uint64_t value_buf[8], mask_buf[8];
	uint8_t *value = (uint8_t *)value_buf, *mask = (uint8_t *)mask_buf;
	for (size_t i = 0; i < sizeof maskable / sizeof maskable[0]; i++) {
		memset(value_buf, 0, sizeof value_buf);
		memset(mask_buf, 0, sizeof mask_buf);
		pattern(value, mask, maskable[i].len);
		writeable_only(maskable[i].type, value, mask);
		set_masked(maskable[i].type, value, mask, maskable[i].len);
		emit(maskable[i].name);
	}

	/* ovs_flow_cmd_fill_info: ovs_header, KEY, MASK, STATS, ACTIONS. */
	struct ovs_header h = {.dp_ifindex = 3};
	memcpy(out, &h, sizeof h);
	pos = sizeof h;
	size_t n = nest_start(OVS_FLOW_ATTR_KEY);
	uint32_t in_port = 1;
	nla_put(OVS_KEY_ATTR_IN_PORT, &in_port, 4);
	uint16_t ethertype = htons(0x0800);
	nla_put(OVS_KEY_ATTR_ETHERTYPE, &ethertype, 2);
	nest_end(n);
	struct ovs_flow_stats st = {.n_packets = 7, .n_bytes = 700};
	nla_put(OVS_FLOW_ATTR_STATS, &st, sizeof st);
	n = nest_start(OVS_FLOW_ATTR_ACTIONS);
	/* set_masked(ipv4(dst=10.0.0.9/255.255.255.0, tos=0x08/0xfc)) */
	struct ovs_key_ipv4 v4 = {.ipv4_dst = htonl(0x0a000000), .ipv4_tos = 0x08};
	struct ovs_key_ipv4 m4 = {.ipv4_dst = htonl(0xffffff00), .ipv4_tos = 0xfc};
	set_masked(OVS_KEY_ATTR_IPV4, &v4, &m4, sizeof v4);
	/* set(skb_mark(5)), stored as SET_TO_MASKED, dumped as SET with the value. */
	size_t s = nest_start(OVS_ACTION_ATTR_SET);
	uint32_t mark = 5;
	nla_put(OVS_KEY_ATTR_SKB_MARK, &mark, 4);
	nest_end(s);
	uint32_t port = 2;
	nla_put(OVS_ACTION_ATTR_OUTPUT, &port, 4);
	nest_end(n);
	emit("flow-reply");
	return 0;
}
