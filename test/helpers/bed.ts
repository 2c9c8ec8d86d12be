import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** What test/bed/up.sh brought up; written to test/bed/state/bed.json. */
export interface BedDomain {
  name: string;
  uuid: string;
  /** What the guest's /init runs: idle, cpu (busy loop), disk (dd to /dev/vda), net (ping the host side). */
  workload: 'idle' | 'cpu' | 'disk' | 'net';
  /** vCPUs it was given: 2 for the idle desktop (oversized on purpose), 1 for the others. */
  vcpus: number;
  /** qcow2 image behind the guest's virtio disk (vda). */
  diskImage: string;
  /** File the guest's serial console is written to. */
  serialLog: string;
  /** Host-side tap device of the guest's virtio NIC (e.g. vnet3). */
  tap: string;
  /** Address given to the host side of the tap; the net guest pings it. */
  tapHostIp: string;
  /** Address of the guest on that link. */
  guestIp: string;
}

/** One node of the bed's 3-node MariaDB Galera cluster (test/bed/galera.sh). */
export interface BedGaleraNode {
  /** node1, node2, node3 */
  name: string;
  /** 1, 2 or 3: the N of `galera.sh start-node N`. */
  index: number;
  /** 127.0.0.1 */
  host: string;
  /** SQL port: 4306, 4307, 4308. */
  port: number;
  /** pid file of its mariadbd (written when galera.sh started it). */
  pidFile: string;
  /** The only option file it reads (`mariadbd --defaults-file`). */
  cnf: string;
  /** Its data directory, owned by mysql. */
  dataDir: string;
  /** Its MariaDB error log (Galera's messages included). */
  errorLog: string;
  socket: string;
  /** Galera group communication (gcomm), incremental (IST) and rsync state transfer (SST) ports. */
  groupPort: number;
  istPort: number;
  sstPort: number;
}

/** The bed's Galera cluster beside the plain MariaDB on 3306: root with an empty password on every node. */
export interface BedGalera {
  /** setmov-bed */
  clusterName: string;
  user: string;
  password: string;
  /** `bash <controlScript> start|wait|stop|status|start-node N`. */
  controlScript: string;
  nodes: BedGaleraNode[];
}

export interface BedDescription {
  libvirt: {
    /** qemu:///system */
    uri: string;
    /** /var/run/libvirt/libvirt-sock */
    socket: string;
    /** /var/run/libvirt/libvirt-sock-ro */
    readOnlySocket: string;
    /** test+unix:///default: libvirt's test driver served through the daemon. */
    testUri: string;
    /** pid file of the libvirtd the bed started */
    libvirtdPidFile: string;
    /** pid file of the bed's virtlogd */
    virtlogdPidFile?: string;
    /** `bash <controlScript> start|stop|restart|status`: takes libvirtd away and back (domains keep running). */
    controlScript?: string;
    /** test+unix:///<abs>/fleet-50.xml: the test driver with `fleetSize` running fake domains (stats: state only). */
    fleetUri?: string;
    fleetSize?: number;
  };
  ssh: {
    host: string;
    port: number;
    user: string;
    /** Private key authorised for `user` (no passphrase). */
    identityFile: string;
    /** A known_hosts file holding the bed sshd's host key for [host]:port. */
    knownHostsFile: string;
    /** The sshd's private host key. */
    hostKeyFile: string;
    sshdPidFile: string;
    /** `bash <controlScript> start|stop|restart|status`: stops the sshd; start brings it back with the same host key. */
    controlScript?: string;
    /** A local user this sshd lets in by password (for password and wrong-password tests). */
    passwordUser?: string;
    password?: string;
  };
  mysql: { host: string; port: number; user: string; password: string; database: string };
  /** Absent in a bed.json written before the cluster was part of the bed. */
  galera?: BedGalera;
  chromium: string;
  domains: BedDomain[];
}

const bedFile =
  process.env.SETMOV_BED_FILE ?? fileURLToPath(new URL('../bed/state/bed.json', import.meta.url));

/** True where a missing bed must fail the run instead of skipping (CI). */
export const bedRequired = process.env.CI === 'true' || process.env.SETMOV_REQUIRE_BED === '1';

export const bedMissingMessage = `the test bed is not up (${bedFile} missing): run \`npm run testbed:up\` as root on Debian 12, then run the tests again`;

/** The bed, or null when it is not up. */
export function loadBed(): BedDescription | null {
  if (!existsSync(bedFile)) return null;
  return JSON.parse(readFileSync(bedFile, 'utf8')) as BedDescription;
}

/** The bed; throws with instructions when it is not up. */
export function requireBed(): BedDescription {
  const bed = loadBed();
  if (!bed) throw new Error(bedMissingMessage);
  return bed;
}

export function bedDomain(bed: BedDescription, workload: BedDomain['workload']): BedDomain {
  const domain = bed.domains.find((d) => d.workload === workload);
  if (!domain) throw new Error(`the bed has no ${workload} domain`);
  return domain;
}

/**
 * describe() for tests that need something of the bed (`missing` is null when it is
 * there). Without it they are skipped, saying why on stderr and counted by the bed-skip
 * reporter, except where bedRequired (CI): there the suite fails with the instructions.
 */
export function describeNeeding(name: string, missing: string | null, body: () => void): void {
  if (missing === null) {
    describe(name, body);
  } else if (bedRequired) {
    describe(name, () => {
      throw new Error(missing);
    });
  } else {
    console.warn(`skipping "${name}": ${missing}`);
    describe.skipIf(true)(name, body);
  }
}

/** describe() for tests that need the real bed (see describeNeeding). */
export function describeBed(name: string, body: (bed: BedDescription) => void): void {
  const bed = loadBed();
  describeNeeding(name, bed ? null : bedMissingMessage, () => body(bed as BedDescription));
}
