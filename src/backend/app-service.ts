import { stat } from 'node:fs/promises';
import type { RequestHandler } from '../shared/contract/requests';
import type { AppVersion } from '../shared/app-version';
import type { EngineEvent } from '../shared/model/engine-events';
import type { CentralReadStatus } from '../shared/model/host-view';
import { SampleRate } from './sample-rate';
import type { SyncService } from './sync-service';

/** The history file and its write-ahead log on disk, bytes (a missing one counts 0). */
async function historyBytes(dbPath: string): Promise<number> {
  const sizes = await Promise.all(
    [dbPath, `${dbPath}-wal`].map((path) =>
      stat(path).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  return sizes.reduce((a, b) => a + b, 0);
}

/** The app's version and the status bar's figures: samples/s, history size, sync lag. */
export class AppService {
  private readonly sampleRate = new SampleRate();

  constructor(
    private readonly appVersion: AppVersion,
    private readonly dbPath: string,
    private readonly sync: SyncService,
    /** The central fleet source's state; null when the fleet is not read from there. */
    private readonly central: () => CentralReadStatus | null = () => null,
  ) {}

  /** Counts the engine's samples. */
  observe(event: EngineEvent): void {
    if (event.type === 'host-sample' || event.type === 'vm-sample') this.sampleRate.count();
  }

  readonly version: RequestHandler<'app.getVersion'> = () => ({ ...this.appVersion });

  readonly status: RequestHandler<'app.status'> = async () => ({
    samplesPerSec: this.sampleRate.perSecond(),
    historyBytes: await historyBytes(this.dbPath),
    syncLagSamples: this.sync.view().status?.lagSamples ?? null,
    central: this.central(),
  });
}
