import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

export interface PrivateMariadbOptions {
  /** The server's global sql_mode (mariadbd --sql-mode), e.g. NO_BACKSLASH_ESCAPES. */
  sqlMode?: string;
}

/**
 * A MariaDB server of the test's own (temp data directory, its own port and socket), so
 * a test can stop and restart it without disturbing the machine's shared server.
 */
export class PrivateMariadb {
  readonly dir: string;
  readonly port: number;
  private child: ChildProcess | null = null;

  private constructor(
    port: number,
    private readonly options: PrivateMariadbOptions,
  ) {
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), 'setmov-mariadb-'));
  }

  static async create(options: PrivateMariadbOptions = {}): Promise<PrivateMariadb> {
    const server = new PrivateMariadb(33_100 + Math.floor(Math.random() * 800), options);
    const install = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${join(server.dir, 'data')}`,
        '--user=root',
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ],
      { encoding: 'utf8' },
    );
    if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    this.child = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        `--port=${this.port}`,
        `--socket=${join(this.dir, 'sock')}`,
        '--bind-address=127.0.0.1',
        '--user=root',
        `--pid-file=${join(this.dir, 'pid')}`,
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
        `--log-error=${join(this.dir, 'err.log')}`,
        ...(this.options.sqlMode === undefined ? [] : [`--sql-mode=${this.options.sqlMode}`]),
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 120; i++) {
      try {
        const conn = await mysql.createConnection({
          host: '127.0.0.1',
          port: this.port,
          user: 'root',
        });
        await conn.end();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    throw new Error(`the private MariaDB on port ${this.port} did not start`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
