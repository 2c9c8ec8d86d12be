import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface WorkerReport {
  cpuMs: number;
  wallMs: number;
  polls: number;
  up: number;
  /** The worker's event-loop delay since the last report: p99 and the longest, ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** The publish worker: one command a line on stdin, one JSON line back for each. */
export class PublishWorker {
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /** rendererDir: the built console to serve; a placeholder page when absent. */
  static async start(bundle: string, uri: string, hosts: number, rendererDir?: string) {
    const args = [bundle, uri, String(hosts), ...(rendererDir ? [rendererDir] : [])];
    const worker = new PublishWorker(
      spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }),
    );
    const ready = JSON.parse(await worker.nextLine()) as {
      port: number;
      token: string;
      up: number;
    };
    return { worker, ready };
  }

  private async nextLine(): Promise<string> {
    const next = await this.lines.next();
    if (next.done) {
      const why = this.stderr.trim().split('\n').at(-1) ?? '';
      throw new Error(`the publish worker exited${why ? `: ${why}` : ''}`);
    }
    return next.value;
  }

  async ask(command: 'collect' | 'publish' | 'cpu'): Promise<WorkerReport> {
    this.child.stdin.write(`${command}\n`);
    return JSON.parse(await this.nextLine()) as WorkerReport;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.write('stop\n');
    const late = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(late);
  }
}
