/*
 * Project-written stand-in for the OVS Windows driver's precomp.h: the
 * declarations the generated NlPolicy.c / NlDispatch.c need, with the
 * values of datapath-windows/ovsext/Netlink/Netlink.h and Datapath.h
 * (docs: ovs-windows-interface.md sections 7 and 8). With mingw it uses the
 * real <windows.h> and <winioctl.h>; with a Linux compiler it defines the
 * few Windows names itself.
 */
#ifndef NLGEN_TEST_PRECOMP_H
#define NLGEN_TEST_PRECOMP_H

#include <stddef.h>
#include <stdint.h>

#ifdef _WIN32
#include <windows.h>
#include <winioctl.h>
typedef LONG NTSTATUS;
#else
typedef uint8_t UINT8;
typedef uint16_t UINT16;
typedef uint32_t UINT32;
typedef uint64_t UINT64;
typedef int32_t INT32;
typedef unsigned char BOOLEAN;
typedef char CHAR;
typedef int32_t NTSTATUS;
#define TRUE 1
#define FALSE 0
#define TEXT(s) s
/* winioctl.h */
#define CTL_CODE(DeviceType, Function, Method, Access) \
	(((DeviceType) << 16) | ((Access) << 14) | ((Function) << 2) | (Method))
#define METHOD_BUFFERED 0
#define METHOD_IN_DIRECT 1
#define METHOD_OUT_DIRECT 2
#define METHOD_NEITHER 3
#define FILE_ANY_ACCESS 0
#define FILE_READ_ACCESS 0x0001
#define FILE_WRITE_ACCESS 0x0002
#endif

/* Netlink.h */
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

/* Datapath.h */
typedef struct _OVS_USER_PARAMS_CONTEXT *POVS_USER_PARAMS_CONTEXT;
typedef NTSTATUS(NetlinkCmdHandler)(POVS_USER_PARAMS_CONTEXT usrParamsCtx, UINT32 *replyLen);

typedef struct _NETLINK_CMD {
	UINT16 cmd;
	NetlinkCmdHandler *handler;
	UINT32 supportedDevOp;
	BOOLEAN validateDpIndex;
} NETLINK_CMD, *PNETLINK_CMD;

typedef struct _NETLINK_FAMILY {
	CHAR *name;
	UINT16 id;
	UINT8 version;
	UINT8 pad1;
	UINT16 maxAttr;
	UINT16 pad2;
	NETLINK_CMD *cmds;
	UINT16 opsCount;
} NETLINK_FAMILY, *PNETLINK_FAMILY;

#define OVS_READ_DEV_OP (1 << 0)
#define OVS_WRITE_DEV_OP (1 << 1)
#define OVS_TRANSACTION_DEV_OP (1 << 2)

/* Names the upstream tables use for lengths. */
#define IFNAMSIZ 256
typedef struct _OVS_VPORT_FULL_STATS {
	UINT64 rxPackets, txPackets, rxBytes, txBytes, rxErrors, txErrors, rxDropped, txDropped;
} OVS_VPORT_FULL_STATS;
#define NLMSG_MIN_TYPE 0x10

#include <linux/openvswitch.h>
#include "windows/openvswitch-windows.h"

#define OVS_TUPLE_IPV6 sizeof(struct ovs_key_ct_tuple_ipv6)

#endif /* NLGEN_TEST_PRECOMP_H */
