/** virDomainModificationImpact: which definition a change affects (0 = the current one). */
export const AffectFlag = { LIVE: 1, CONFIG: 2 } as const;

/** virDomainMemoryModFlags' and virDomainVcpuFlags' "the maximum, not the current size". */
export const MEM_MAXIMUM = 4;
export const VCPU_MAXIMUM = 4;
