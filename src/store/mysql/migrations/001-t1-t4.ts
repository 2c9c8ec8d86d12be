import type { MysqlMigration } from '../mysql-migration';

/**
 * The paper's four tables (§3.4), under its labels, with the detailed columns after the
 * paper's own. Units, fixed for every row:
 * - ts, lct, last_seen, updated_at: DATETIME(3) in UTC (ms precision). DATETIME, not
 *   TIMESTAMP: no session time-zone conversion and no 2038 limit; SQL users read it as is.
 * - cpu: percent. t2: busy % of all host CPUs (paper eq. 1, Δtotal corrected).
 *   t4: % of the host's CPUs used by the VM (virt-top, paper eq. 2); cpu_guest_percent
 *   is the same over the VM's vCPUs (virt-manager).
 * - memory: percent. t2: (MemTotal − MemAvailable) / MemTotal. t4: the guest's own
 *   (MemTotal − MemAvailable) / MemTotal from the balloon driver; NULL when the guest
 *   reports nothing (allocation is never shown as use).
 * - disk: bytes/s, read + write. network: bytes/s, received + sent (the VM's view).
 * - A NULL figure is one that could not be measured for that interval.
 * Usage rows are keyed (key, ts), so resending a sample, or a second console writing
 * the same one, changes nothing.
 */
export const mysqlMigration001: MysqlMigration = {
  version: 1,
  description: 't1_host, t2_host_usage, t3_vm, t4_vm_usage',
  statements: [
    `CREATE TABLE IF NOT EXISTS t1_host (
    host_ip VARCHAR(64) NOT NULL COMMENT 'primary IPv4 of the host; its host name when it has none',
    host_name VARCHAR(255) NOT NULL,
    vmc INT NOT NULL DEFAULT 0 COMMENT 'running VMs on the host',
    cpu_cores INT NULL COMMENT 'logical CPUs',
    memory_bytes BIGINT NULL COMMENT 'bytes (MemTotal)',
    updated_at DATETIME(3) NOT NULL COMMENT 'UTC',
    PRIMARY KEY (host_ip)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS t2_host_usage (
    host_ip VARCHAR(64) NOT NULL,
    ts DATETIME(3) NOT NULL COMMENT 'UTC, end of the measured interval',
    cpu DOUBLE NULL COMMENT '% busy, all CPUs',
    memory DOUBLE NULL COMMENT '% used: (MemTotal - MemAvailable) / MemTotal',
    disk DOUBLE NULL COMMENT 'bytes/s, read + write, whole disks',
    network DOUBLE NULL COMMENT 'bytes/s, rx + tx, physical interfaces',
    cpu_user_percent DOUBLE NULL COMMENT '% of CPU time',
    cpu_system_percent DOUBLE NULL COMMENT '% of CPU time',
    cpu_iowait_percent DOUBLE NULL COMMENT '% of CPU time',
    cpu_steal_percent DOUBLE NULL COMMENT '% of CPU time',
    mem_total_bytes BIGINT NULL COMMENT 'bytes (MemTotal)',
    mem_available_bytes BIGINT NULL COMMENT 'bytes (MemAvailable)',
    mem_free_bytes BIGINT NULL COMMENT 'bytes (MemFree)',
    mem_buffers_bytes BIGINT NULL COMMENT 'bytes (Buffers)',
    mem_cached_bytes BIGINT NULL COMMENT 'bytes (Cached)',
    disk_read_bytes_per_sec DOUBLE NULL COMMENT 'bytes/s',
    disk_write_bytes_per_sec DOUBLE NULL COMMENT 'bytes/s',
    disk_read_iops DOUBLE NULL COMMENT 'requests/s',
    disk_write_iops DOUBLE NULL COMMENT 'requests/s',
    net_rx_bytes_per_sec DOUBLE NULL COMMENT 'bytes/s',
    net_tx_bytes_per_sec DOUBLE NULL COMMENT 'bytes/s',
    net_rx_packets_per_sec DOUBLE NULL COMMENT 'packets/s',
    net_tx_packets_per_sec DOUBLE NULL COMMENT 'packets/s',
    net_wire_bits_per_sec DOUBLE NULL COMMENT 'bits/s on the wire: (bytes + 24 x packets) x 8',
    vm_count INT NULL COMMENT 'running VMs',
    PRIMARY KEY (host_ip, ts),
    CONSTRAINT t2_host_usage_host FOREIGN KEY (host_ip) REFERENCES t1_host (host_ip)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS t3_vm (
    uuid CHAR(36) CHARACTER SET ascii NOT NULL,
    host_ip VARCHAR(64) NOT NULL COMMENT 'host the VM runs on',
    name VARCHAR(255) NOT NULL,
    state VARCHAR(32) NOT NULL COMMENT 'libvirt state: running, paused, shutoff, ...',
    lct DATETIME(3) NULL COMMENT 'UTC, last connect to the VM display (VNC/SPICE); NULL if never seen',
    connected_now TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1 while a display client is attached',
    vcpus INT NULL,
    last_seen DATETIME(3) NULL COMMENT 'UTC, when the collector last saw the VM',
    updated_at DATETIME(3) NOT NULL COMMENT 'UTC',
    PRIMARY KEY (uuid),
    KEY t3_vm_host (host_ip),
    CONSTRAINT t3_vm_host FOREIGN KEY (host_ip) REFERENCES t1_host (host_ip)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    `CREATE TABLE IF NOT EXISTS t4_vm_usage (
    uuid CHAR(36) CHARACTER SET ascii NOT NULL,
    ts DATETIME(3) NOT NULL COMMENT 'UTC, end of the measured interval',
    cpu DOUBLE NULL COMMENT '% of the host CPUs (virt-top, paper eq. 2)',
    memory DOUBLE NULL COMMENT '% of guest memory used (guest MemTotal - MemAvailable); NULL if the guest reports nothing',
    disk DOUBLE NULL COMMENT 'bytes/s, read + write, all disks',
    network DOUBLE NULL COMMENT 'bytes/s, rx + tx, all interfaces',
    cpu_guest_percent DOUBLE NULL COMMENT '% of the VM vCPUs (virt-manager), 0-100',
    mem_allocated_bytes BIGINT NULL COMMENT 'bytes (balloon.current)',
    mem_guest_total_bytes BIGINT NULL COMMENT 'bytes (guest MemTotal, balloon.available)',
    mem_guest_used_bytes BIGINT NULL COMMENT 'bytes (guest MemTotal - MemAvailable)',
    mem_rss_bytes BIGINT NULL COMMENT 'bytes resident on the host (balloon.rss)',
    disk_read_bytes_per_sec DOUBLE NULL COMMENT 'bytes/s',
    disk_write_bytes_per_sec DOUBLE NULL COMMENT 'bytes/s',
    disk_read_iops DOUBLE NULL COMMENT 'requests/s',
    disk_write_iops DOUBLE NULL COMMENT 'requests/s',
    net_rx_bytes_per_sec DOUBLE NULL COMMENT 'bytes/s',
    net_tx_bytes_per_sec DOUBLE NULL COMMENT 'bytes/s',
    net_rx_packets_per_sec DOUBLE NULL COMMENT 'packets/s',
    net_tx_packets_per_sec DOUBLE NULL COMMENT 'packets/s',
    PRIMARY KEY (uuid, ts),
    CONSTRAINT t4_vm_usage_vm FOREIGN KEY (uuid) REFERENCES t3_vm (uuid)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  ],
};
