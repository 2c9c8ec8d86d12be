/**
 * Numbers of libvirt's RPC protocol, from src/rpc/virnetprotocol.x, src/remote/remote_protocol.x,
 * src/remote/qemu_protocol.x and src/rpc/virkeepaliveprotocol.x. They are wire ABI: libvirt never
 * renumbers them. Keys are libvirt's names without their prefix (Remote.CONNECT_OPEN is
 * REMOTE_PROC_CONNECT_OPEN), so test/collector/libvirt/protocol-numbers.test.ts can check each.
 */

export const REMOTE_PROGRAM = 0x20008086;
export const QEMU_PROGRAM = 0x20008087;
export const KEEPALIVE_PROGRAM = 0x6b656570;
export const PROTOCOL_VERSION = 1;

export const MessageType = {
  Call: 0,
  Reply: 1,
  Message: 2,
  Stream: 3,
  CallWithFds: 4,
  ReplyWithFds: 5,
} as const;

export const MessageStatus = {
  Ok: 0,
  Error: 1,
  Continue: 2,
} as const;

/** The length word, which counts itself. */
export const LENGTH_BYTES = 4;
export const HEADER_BYTES = 24;
/**
 * Largest packet libvirt sends or accepts, not counting the length word. libvirt raised
 * VIR_NET_MESSAGE_MAX from 16 MiB to 32 MiB; we accept the larger so either daemon works.
 */
export const MESSAGE_MAX = 33554432;
export const STRING_MAX = 4194304;
export const UUID_BYTES = 16;

export const Remote = {
  CONNECT_OPEN: 1,
  CONNECT_CLOSE: 2,
  CONNECT_GET_VERSION: 4,
  NODE_GET_INFO: 6,
  CONNECT_GET_CAPABILITIES: 7,
  DOMAIN_GET_XML_DESC: 14,
  DOMAIN_GET_INFO: 16,
  DOMAIN_LOOKUP_BY_UUID: 24,
  CONNECT_GET_HOSTNAME: 59,
  AUTH_LIST: 66,
  DOMAIN_IS_PERSISTENT: 151,
  CONNECT_GET_LIB_VERSION: 157,
  DOMAIN_SET_VCPUS_FLAGS: 199,
  DOMAIN_GET_VCPUS_FLAGS: 200,
  DOMAIN_SET_MEMORY_FLAGS: 204,
  DOMAIN_GET_STATE: 212,
  NODE_GET_CPU_STATS: 227,
  NODE_GET_MEMORY_STATS: 228,
  CONNECT_LIST_ALL_DOMAINS: 273,
  DOMAIN_SET_MEMORY_STATS_PERIOD: 308,
  CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: 316,
  CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: 317,
  DOMAIN_EVENT_CALLBACK_LIFECYCLE: 318,
  DOMAIN_EVENT_CALLBACK_REBOOT: 319,
  DOMAIN_EVENT_CALLBACK_GRAPHICS: 323,
  DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE: 331,
  DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED: 333,
  CONNECT_GET_ALL_DOMAIN_STATS: 344,
} as const;

export const Qemu = {
  MONITOR_COMMAND: 1,
} as const;

export const Keepalive = {
  PING: 1,
  PONG: 2,
} as const;

/** Limits on variable-length items (remote_protocol.x REMOTE_*_MAX). */
export const Limits = {
  DOMAIN_LIST_MAX: 16384,
  AUTH_TYPE_LIST_MAX: 20,
  NODE_CPU_STATS_MAX: 16,
  NODE_MEMORY_STATS_MAX: 16,
  /** 4096 in older libvirt, 262144 in newer: accept the larger. */
  CONNECT_GET_ALL_DOMAIN_STATS_MAX: 262144,
  DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX: 20,
} as const;

export const AuthType = {
  None: 0,
  Sasl: 1,
  Polkit: 2,
} as const;
