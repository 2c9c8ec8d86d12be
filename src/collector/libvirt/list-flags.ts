/** virConnectListAllDomainsFlags (libvirt-domain.h): which domains CONNECT_LIST_ALL_DOMAINS returns. */
export const LIST_DOMAINS_PERSISTENT = 4;
export const LIST_DOMAINS_RUNNING = 16;
export const LIST_DOMAINS_AUTOSTART = 1024;
