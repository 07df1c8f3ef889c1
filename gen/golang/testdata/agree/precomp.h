/*
 * Stand-in for the Windows driver's precomp.h, enough to compile the
 * generated NlPolicy.c on Linux: the driver's integer types, Netlink.h's
 * NL_ATTR_TYPE and NL_POLICY (ovs-windows-interface.md section 7), and the
 * generated OVS interface headers.
 */
#ifndef AGREE_PRECOMP_H
#define AGREE_PRECOMP_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t UINT8;
typedef uint16_t UINT16;
typedef uint32_t UINT32;
typedef uint64_t UINT64;
typedef uint8_t BOOLEAN;
#define TRUE 1
#define FALSE 0

#define IFNAMSIZ 256 /* netioapi.h IF_NAMESIZE on Windows */
#define CTL_CODE(type, fn, method, access) (((type) << 16) | ((access) << 14) | ((fn) << 2) | (method))
#define METHOD_BUFFERED 0
#define METHOD_IN_DIRECT 1
#define METHOD_OUT_DIRECT 2
#define METHOD_NEITHER 3
#define FILE_ANY_ACCESS 0
#define FILE_READ_ACCESS 1
#define FILE_WRITE_ACCESS 2

typedef enum {
	NL_A_NO_ATTR = 0,
	NL_A_VAR_LEN,
	NL_A_UNSPEC,
	NL_A_U8,
	NL_A_U16,
	NL_A_BE16 = NL_A_U16,
	NL_A_U32,
	NL_A_BE32 = NL_A_U32,
	NL_A_U64,
	NL_A_BE64 = NL_A_U64,
	NL_A_STRING,
	NL_A_FLAG,
	NL_A_NESTED,
	N_NL_ATTR_TYPES
} NL_ATTR_TYPE;

typedef struct _NL_POLICY {
	NL_ATTR_TYPE type;
	UINT32 minLen;
	UINT32 maxLen;
	BOOLEAN optional;
} NL_POLICY, *PNL_POLICY;

#include <linux/openvswitch.h>
#include <windows/openvswitch-windows.h>

/* The driver's full vport stats; the same 64 bytes as struct ovs_vport_stats. */
typedef struct ovs_vport_stats OVS_VPORT_FULL_STATS;

/* The driver's name for the ct tuple size (its Conntrack.h). */
#define OVS_TUPLE_IPV6 sizeof(struct ovs_key_ct_tuple_ipv6)

#endif
