import type { Database } from 'better-sqlite3';
import type { SqliteMigration } from '../sqlite-migration';

/**
 * The first schema. Metric columns hold `round(value × scale)` integers (see
 * src/store/metrics.ts for each scale): compact on disk. Sample ids only grow (pruning
 * never deletes the newest row, so SQLite never reuses an id without the cost of
 * AUTOINCREMENT): the MySQL sync's watermark is "last id sent".
 * Rollups keep min/avg/max per bucket in the same scaled units, with n = raw samples.
 */
export const migration001: SqliteMigration = {
  version: 1,
  description: 'hosts, vms, samples, events, rollups, sync watermarks',
  up(db: Database): void {
    db.exec(SQL);
  },
};

const SQL = `
  CREATE TABLE hosts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    ip TEXT,
    cores INTEGER,
    memory_bytes INTEGER,
    vm_count INTEGER,
    status TEXT,
    status_detail TEXT,
    status_ts INTEGER,
    seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE vms (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    host_id INTEGER REFERENCES hosts (id),
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    vcpus INTEGER,
    lct INTEGER,
    connected_now INTEGER NOT NULL DEFAULT 0,
    last_seen INTEGER,
    disk_devices TEXT,
    nics TEXT,
    seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE vm_events (
    id INTEGER PRIMARY KEY,
    vm_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT
  );
  CREATE INDEX vm_events_vm_ts ON vm_events (vm_id, ts);
  CREATE TABLE rollup_state (
    name TEXT PRIMARY KEY,
    done_until INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE sync_watermarks (
    target TEXT NOT NULL,
    stream TEXT NOT NULL,
    value INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (target, stream)
  ) WITHOUT ROWID;
  CREATE TABLE host_samples (
    id INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    cpu INTEGER,
    cpu_user INTEGER,
    cpu_system INTEGER,
    cpu_iowait INTEGER,
    cpu_steal INTEGER,
    mem_total INTEGER,
    mem_avail INTEGER,
    mem_free INTEGER,
    mem_buffers INTEGER,
    mem_cached INTEGER,
    mem_used_pct INTEGER,
    disk_rd INTEGER,
    disk_wr INTEGER,
    disk_rd_iops INTEGER,
    disk_wr_iops INTEGER,
    net_rx INTEGER,
    net_tx INTEGER,
    net_rx_pps INTEGER,
    net_tx_pps INTEGER,
    net_wire_bps INTEGER,
    vm_count INTEGER,
    detail TEXT
  );
  CREATE INDEX host_samples_host_ts ON host_samples (host_id, ts);
  CREATE TABLE host_rollup_1m (
    host_id INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    cpu_min REAL, cpu_avg REAL, cpu_max REAL,
    cpu_user_min REAL, cpu_user_avg REAL, cpu_user_max REAL,
    cpu_system_min REAL, cpu_system_avg REAL, cpu_system_max REAL,
    cpu_iowait_min REAL, cpu_iowait_avg REAL, cpu_iowait_max REAL,
    cpu_steal_min REAL, cpu_steal_avg REAL, cpu_steal_max REAL,
    mem_total_min REAL, mem_total_avg REAL, mem_total_max REAL,
    mem_avail_min REAL, mem_avail_avg REAL, mem_avail_max REAL,
    mem_free_min REAL, mem_free_avg REAL, mem_free_max REAL,
    mem_buffers_min REAL, mem_buffers_avg REAL, mem_buffers_max REAL,
    mem_cached_min REAL, mem_cached_avg REAL, mem_cached_max REAL,
    mem_used_pct_min REAL, mem_used_pct_avg REAL, mem_used_pct_max REAL,
    disk_rd_min REAL, disk_rd_avg REAL, disk_rd_max REAL,
    disk_wr_min REAL, disk_wr_avg REAL, disk_wr_max REAL,
    disk_rd_iops_min REAL, disk_rd_iops_avg REAL, disk_rd_iops_max REAL,
    disk_wr_iops_min REAL, disk_wr_iops_avg REAL, disk_wr_iops_max REAL,
    net_rx_min REAL, net_rx_avg REAL, net_rx_max REAL,
    net_tx_min REAL, net_tx_avg REAL, net_tx_max REAL,
    net_rx_pps_min REAL, net_rx_pps_avg REAL, net_rx_pps_max REAL,
    net_tx_pps_min REAL, net_tx_pps_avg REAL, net_tx_pps_max REAL,
    net_wire_bps_min REAL, net_wire_bps_avg REAL, net_wire_bps_max REAL,
    vm_count_min REAL, vm_count_avg REAL, vm_count_max REAL,
    PRIMARY KEY (host_id, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX host_rollup_1m_bucket ON host_rollup_1m (bucket);
  CREATE TABLE host_rollup_1h (
    host_id INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    cpu_min REAL, cpu_avg REAL, cpu_max REAL,
    cpu_user_min REAL, cpu_user_avg REAL, cpu_user_max REAL,
    cpu_system_min REAL, cpu_system_avg REAL, cpu_system_max REAL,
    cpu_iowait_min REAL, cpu_iowait_avg REAL, cpu_iowait_max REAL,
    cpu_steal_min REAL, cpu_steal_avg REAL, cpu_steal_max REAL,
    mem_total_min REAL, mem_total_avg REAL, mem_total_max REAL,
    mem_avail_min REAL, mem_avail_avg REAL, mem_avail_max REAL,
    mem_free_min REAL, mem_free_avg REAL, mem_free_max REAL,
    mem_buffers_min REAL, mem_buffers_avg REAL, mem_buffers_max REAL,
    mem_cached_min REAL, mem_cached_avg REAL, mem_cached_max REAL,
    mem_used_pct_min REAL, mem_used_pct_avg REAL, mem_used_pct_max REAL,
    disk_rd_min REAL, disk_rd_avg REAL, disk_rd_max REAL,
    disk_wr_min REAL, disk_wr_avg REAL, disk_wr_max REAL,
    disk_rd_iops_min REAL, disk_rd_iops_avg REAL, disk_rd_iops_max REAL,
    disk_wr_iops_min REAL, disk_wr_iops_avg REAL, disk_wr_iops_max REAL,
    net_rx_min REAL, net_rx_avg REAL, net_rx_max REAL,
    net_tx_min REAL, net_tx_avg REAL, net_tx_max REAL,
    net_rx_pps_min REAL, net_rx_pps_avg REAL, net_rx_pps_max REAL,
    net_tx_pps_min REAL, net_tx_pps_avg REAL, net_tx_pps_max REAL,
    net_wire_bps_min REAL, net_wire_bps_avg REAL, net_wire_bps_max REAL,
    vm_count_min REAL, vm_count_avg REAL, vm_count_max REAL,
    PRIMARY KEY (host_id, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX host_rollup_1h_bucket ON host_rollup_1h (bucket);
  CREATE TABLE vm_samples (
    id INTEGER PRIMARY KEY,
    vm_id INTEGER NOT NULL,
    ts INTEGER NOT NULL,
    cpu_host INTEGER,
    cpu_guest INTEGER,
    mem_alloc INTEGER,
    mem_total INTEGER,
    mem_used INTEGER,
    mem_rss INTEGER,
    disk_rd INTEGER,
    disk_wr INTEGER,
    disk_rd_iops INTEGER,
    disk_wr_iops INTEGER,
    net_rx INTEGER,
    net_tx INTEGER,
    net_rx_pps INTEGER,
    net_tx_pps INTEGER,
    detail TEXT
  );
  CREATE INDEX vm_samples_vm_ts ON vm_samples (vm_id, ts);
  CREATE TABLE vm_rollup_1m (
    vm_id INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    cpu_host_min REAL, cpu_host_avg REAL, cpu_host_max REAL,
    cpu_guest_min REAL, cpu_guest_avg REAL, cpu_guest_max REAL,
    mem_alloc_min REAL, mem_alloc_avg REAL, mem_alloc_max REAL,
    mem_total_min REAL, mem_total_avg REAL, mem_total_max REAL,
    mem_used_min REAL, mem_used_avg REAL, mem_used_max REAL,
    mem_rss_min REAL, mem_rss_avg REAL, mem_rss_max REAL,
    disk_rd_min REAL, disk_rd_avg REAL, disk_rd_max REAL,
    disk_wr_min REAL, disk_wr_avg REAL, disk_wr_max REAL,
    disk_rd_iops_min REAL, disk_rd_iops_avg REAL, disk_rd_iops_max REAL,
    disk_wr_iops_min REAL, disk_wr_iops_avg REAL, disk_wr_iops_max REAL,
    net_rx_min REAL, net_rx_avg REAL, net_rx_max REAL,
    net_tx_min REAL, net_tx_avg REAL, net_tx_max REAL,
    net_rx_pps_min REAL, net_rx_pps_avg REAL, net_rx_pps_max REAL,
    net_tx_pps_min REAL, net_tx_pps_avg REAL, net_tx_pps_max REAL,
    PRIMARY KEY (vm_id, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX vm_rollup_1m_bucket ON vm_rollup_1m (bucket);
  CREATE TABLE vm_rollup_1h (
    vm_id INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    cpu_host_min REAL, cpu_host_avg REAL, cpu_host_max REAL,
    cpu_guest_min REAL, cpu_guest_avg REAL, cpu_guest_max REAL,
    mem_alloc_min REAL, mem_alloc_avg REAL, mem_alloc_max REAL,
    mem_total_min REAL, mem_total_avg REAL, mem_total_max REAL,
    mem_used_min REAL, mem_used_avg REAL, mem_used_max REAL,
    mem_rss_min REAL, mem_rss_avg REAL, mem_rss_max REAL,
    disk_rd_min REAL, disk_rd_avg REAL, disk_rd_max REAL,
    disk_wr_min REAL, disk_wr_avg REAL, disk_wr_max REAL,
    disk_rd_iops_min REAL, disk_rd_iops_avg REAL, disk_rd_iops_max REAL,
    disk_wr_iops_min REAL, disk_wr_iops_avg REAL, disk_wr_iops_max REAL,
    net_rx_min REAL, net_rx_avg REAL, net_rx_max REAL,
    net_tx_min REAL, net_tx_avg REAL, net_tx_max REAL,
    net_rx_pps_min REAL, net_rx_pps_avg REAL, net_rx_pps_max REAL,
    net_tx_pps_min REAL, net_tx_pps_avg REAL, net_tx_pps_max REAL,
    PRIMARY KEY (vm_id, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX vm_rollup_1h_bucket ON vm_rollup_1h (bucket);`;
