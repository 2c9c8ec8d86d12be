import type { Connection } from 'mysql2/promise';
import { targetAddresses } from './mysql-target';
import type { MysqlTarget } from './mysql-target';
import { openSyncSession, serverName } from './mysql-session';
import type { MysqlLogin } from './mysql-session';
import { SyncError, classifyMysqlError, isNodeGone } from './sync-error';

/** Every node of the target was tried (the one, or each): the caller backs off. */
export class NoNodeLeft extends SyncError {}

/**
 * One session to a target that may be a cluster (several addresses): opened on the node
 * in use or, when that one is gone, on the next node that answers, and kept there. The
 * sync writes through it and a console's fleet reader reads through it.
 */
export class ClusterSession {
  private conn: Connection | null = null;
  /** Which of the target's addresses is in use (modulo their count). */
  private nodeIndex = 0;
  /** Times the session moved to the next node because the one in use was gone. */
  failovers = 0;
  /** The node last connected to (host:port); null before the first connect. */
  connectedTo: string | null = null;
  private closed = false;
  private opening: Promise<Connection> | null = null;

  constructor(private readonly login: MysqlLogin) {}

  /** How many nodes the target names. */
  get nodeCount(): number {
    return targetAddresses(this.login.target).length;
  }

  /** The node in use as errors name it. */
  where(): string {
    return serverName(this.node());
  }

  /** The target as the node in use: its address in host and port. */
  node(): MysqlTarget {
    const addresses = targetAddresses(this.login.target);
    const { host, port } = addresses[this.nodeIndex % addresses.length]!;
    return { ...this.login.target, host, port, alsoAt: [] };
  }

  /** Moves to the next node of a cluster target (the one in use went away). */
  nextNode(): void {
    if (this.nodeCount < 2) return;
    this.nodeIndex++;
    this.failovers++;
  }

  /**
   * The open connection, or a new one (mysql-session.ts, with the schema checked when
   * asked) on the node in use or the next that answers. Throws a SyncError; NoNodeLeft
   * when no node answers.
   */
  connection(checkSchema: boolean): Promise<Connection> {
    if (this.conn) return Promise.resolve(this.conn);
    // Reads that come together (a page's graphs) share the one being opened: each
    // opening its own would leave all but the last open, and never closed.
    this.opening ??= this.open(checkSchema).finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private async open(checkSchema: boolean): Promise<Connection> {
    const count = this.nodeCount;
    const failures: string[] = [];
    for (let tried = 0; ; tried++) {
      if (this.closed) throw new SyncError('connection-lost', 'the session was closed');
      const node = this.node();
      try {
        const opened = await openSyncSession({ ...this.login, target: node }, checkSchema);
        // Closed while it was being opened (a console dropping the database it read): a
        // connection kept now would hold the process open and the server's slot for good.
        if (this.closed) {
          opened.destroy();
          throw new SyncError('connection-lost', 'the session was closed');
        }
        this.conn = opened;
        this.connectedTo = `${node.host}:${node.port}`;
        return this.conn;
      } catch (error) {
        const typed = classifyMysqlError(error, serverName(node));
        if (!isNodeGone(typed)) throw typed;
        if (count === 1) throw new NoNodeLeft(typed.code, typed.message);
        failures.push(typed.message);
        if (tried + 1 >= count)
          throw new NoNodeLeft(typed.code, `no node of the target answers: ${failures.join('; ')}`);
        this.nextNode();
      }
    }
  }

  /**
   * Runs a read on the node in use or, when that node goes away during it, again on the
   * next that answers (each node once). Throws the typed error of the last try.
   */
  async read<T>(work: (conn: Connection) => Promise<T>): Promise<T> {
    for (let tried = 0; ; tried++) {
      try {
        return await work(await this.connection(true));
      } catch (error) {
        const typed = classifyMysqlError(error, this.where());
        this.drop();
        const another = isNodeGone(typed) && !(typed instanceof NoNodeLeft);
        if (!another || tried + 1 >= this.nodeCount) throw typed;
        this.nextNode();
      }
    }
  }

  /** Ends the session for good: its connection now, and one still being opened when it is. */
  close(): void {
    this.closed = true;
    this.drop();
  }

  /** Closes the connection at once (the next call to connection() opens another). */
  drop(): void {
    const conn = this.conn;
    this.conn = null;
    conn?.destroy();
  }
}
