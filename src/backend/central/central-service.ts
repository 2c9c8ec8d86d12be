import { z } from 'zod';
import type { EventSink } from '../../shared/contract/event-hub';
import { ContractError } from '../../shared/contract/reply';
import type { SyncTestResult } from '../../shared/contract/requests';
import type { CentralSetParams, SyncTargetInput } from '../../shared/contract/schemas';
import type { CentralReadStatus, CentralView } from '../../shared/model/host-view';
import { CentralFleetReader } from '../../store/mysql/central-fleet-reader';
import { CentralHistoryReader } from '../../store/mysql/central-history-reader';
import { latestMysqlVersion } from '../../store/mysql/mysql-migrations';
import type { MysqlLogin } from '../../store/mysql/mysql-session';
import { targetKey } from '../../store/mysql/mysql-target';
import { SyncError } from '../../store/mysql/sync-error';
import { mysqlSecretKey, type SecretStore } from '../../store/secret-store';
import { readJsonFile, writeJsonFile } from '../../collector/files/private-json-file';
import type { CentralFleetOptions } from '../backend-options';
import { formTarget, savedMysqlTargetSchema } from '../saved-mysql-target';
import {
  CentralFleetSource,
  DEFAULT_CENTRAL_REFRESH_MS,
  DEFAULT_CENTRAL_STALE_AFTER_MS,
  type LocalHostRef,
} from './central-fleet-source';

/** central.json: where the fleet is read from, without the password (in the secret store). */
const savedCentralSchema = savedMysqlTargetSchema.extend({
  refreshSec: z.number().int().min(1).max(3600),
  staleAfterSec: z
    .number()
    .int()
    .min(10)
    .max(7 * 86_400),
});
type SavedCentral = z.output<typeof savedCentralSchema>;

/** The fleet as read from one central database: its inventory and its history. */
export interface CentralFleet {
  source: CentralFleetSource;
  history: CentralHistoryReader;
}

export interface CentralServiceOptions {
  /** Where the console's choice is saved (central.json). */
  configPath: string;
  secrets: SecretStore;
  events: EventSink;
  /** The hosts this console polls itself: their central copies are not shown again. */
  localHosts: () => readonly LocalHostRef[];
  /** Given on the command line: read from it, and the saved choice is neither read nor changed. */
  fixed?: CentralFleetOptions;
  log?: (line: string) => void;
}

/** Where a saved choice is read from, as the source's options. */
async function fleetOptions(
  saved: SavedCentral,
  secrets: SecretStore,
): Promise<CentralFleetOptions> {
  const target = formTarget(saved.url, saved.tlsCaFile);
  return {
    login: { target, password: (await secrets.get(mysqlSecretKey(target))) ?? '' },
    refreshMs: saved.refreshSec * 1000,
    staleAfterMs: saved.staleAfterSec * 1000,
  };
}

/**
 * Where this console reads the fleet from: the central database given on the command
 * line (setmov serve --central), or the one chosen in the console's settings and saved
 * in central.json (its password in the secret store). While one is read, its hosts and
 * VMs are in the inventory beside the console's own, and their history comes from it;
 * a new choice replaces the source at once, and none (or a disabled one) removes it.
 */
export class CentralService {
  private fleet: CentralFleet | null = null;
  private hasPassword = false;
  /** Changes one after the other: a source is closed before the next one starts. */
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly o: CentralServiceOptions,
    private saved: SavedCentral | null,
  ) {}

  /** The fixed or saved choice, read from once before this answers (if it answers). */
  static async open(options: CentralServiceOptions): Promise<CentralService> {
    const saved = options.fixed
      ? null
      : ((await readJsonFile(options.configPath, savedCentralSchema.nullable())) ?? null);
    const service = new CentralService(options, saved);
    await service.restart();
    return service;
  }

  /** The fleet read now; null when none is. */
  get current(): CentralFleet | null {
    return this.fleet;
  }

  /** For the status bar: how reading goes; null while nothing is read. */
  readStatus(): CentralReadStatus | null {
    return this.fleet?.source.readStatus() ?? null;
  }

  view(): CentralView {
    const { fixed } = this.o;
    const saved = this.saved;
    const target = fixed
      ? {
          url: targetKey(fixed.login.target),
          tlsCaFile: fixed.login.target.tlsCaFile ?? null,
          hasPassword: fixed.login.password !== '',
          enabled: true,
          refreshSec: (fixed.refreshMs ?? DEFAULT_CENTRAL_REFRESH_MS) / 1000,
          staleAfterSec: (fixed.staleAfterMs ?? DEFAULT_CENTRAL_STALE_AFTER_MS) / 1000,
        }
      : saved && { ...saved, hasPassword: this.hasPassword };
    return { target, fixed: fixed !== undefined, status: this.readStatus() };
  }

  set(params: CentralSetParams): Promise<CentralView> {
    return this.change(async () => {
      const target = formTarget(params.url, params.tlsCaFile);
      const key = mysqlSecretKey(target);
      if (params.password === null) await this.o.secrets.delete(key);
      else if (params.password !== undefined) await this.o.secrets.set(key, params.password);
      const saved: SavedCentral = {
        url: targetKey(target),
        tlsCaFile: params.tlsCaFile,
        enabled: params.enabled,
        refreshSec: params.refreshSec,
        staleAfterSec: params.staleAfterSec,
      };
      await writeJsonFile(this.o.configPath, savedCentralSchema, saved);
      this.saved = saved;
    });
  }

  /** Stops reading and forgets the choice and its password. */
  remove(): Promise<CentralView> {
    return this.change(async () => {
      const saved = this.saved;
      if (!saved) return;
      this.saved = null;
      await this.o.secrets.delete(mysqlSecretKey(formTarget(saved.url, null)));
      await writeJsonFile(this.o.configPath, savedCentralSchema.nullable(), null);
    });
  }

  /**
   * Reads the fleet once from the given target (or the one read now): whether this
   * account connects and can read t1/t3 of this SETMOV's schema. Nothing is written.
   */
  async test(input: SyncTargetInput | undefined): Promise<SyncTestResult> {
    const result: SyncTestResult = {
      steps: [],
      schemaVersion: null,
      expectedSchemaVersion: latestMysqlVersion,
    };
    let login: MysqlLogin;
    try {
      login = await this.loginFor(input);
      result.steps.push({ step: 'config', result: 'ok', error: null });
    } catch (error) {
      result.steps.push({ step: 'config', result: 'failed', error: (error as Error).message });
      result.steps.push({ step: 'connect', result: 'skipped', error: null });
      result.steps.push({ step: 'schema', result: 'skipped', error: null });
      return result;
    }
    const reader = new CentralFleetReader(login);
    try {
      await reader.refresh();
      result.schemaVersion = latestMysqlVersion;
      result.steps.push({ step: 'connect', result: 'ok', error: null });
      result.steps.push({ step: 'schema', result: 'ok', error: null });
    } catch (error) {
      const message =
        error instanceof SyncError ? `${error.code}: ${error.message}` : String(error);
      // Connected, but the tables are missing or of another version: the schema step's.
      const ofSchema = error instanceof SyncError && error.code.startsWith('schema-');
      result.steps.push(
        ofSchema
          ? { step: 'connect', result: 'ok', error: null }
          : { step: 'connect', result: 'failed', error: message },
        ofSchema
          ? { step: 'schema', result: 'failed', error: message }
          : { step: 'schema', result: 'skipped', error: null },
      );
    } finally {
      reader.close();
    }
    return result;
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.stop();
  }

  /** The login to test: the form's (its password, or the one kept), or the one read now. */
  private async loginFor(input: SyncTargetInput | undefined): Promise<MysqlLogin> {
    if (input) {
      const target = formTarget(input.url, input.tlsCaFile);
      const password =
        input.password === undefined
          ? ((await this.o.secrets.get(mysqlSecretKey(target))) ?? '')
          : (input.password ?? '');
      return { target, password };
    }
    if (this.o.fixed) return this.o.fixed.login;
    if (!this.saved) throw new ContractError('failed', 'no central database is set');
    return (await fleetOptions(this.saved, this.o.secrets)).login;
  }

  private change(work: () => Promise<void>): Promise<CentralView> {
    if (this.o.fixed) {
      return Promise.reject(
        new ContractError(
          'failed',
          'this console reads the central database given on its command line (--central)',
        ),
      );
    }
    const run = this.chain.then(async () => {
      await work();
      await this.restart();
      return this.view();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async stop(): Promise<void> {
    const fleet = this.fleet;
    this.fleet = null;
    if (!fleet) return;
    await fleet.source.close();
    fleet.history.close();
  }

  /** Ends the source read now and starts the chosen one's, after its first read. */
  private async restart(): Promise<void> {
    await this.stop();
    const chosen = this.o.fixed ?? (this.saved && (await fleetOptions(this.saved, this.o.secrets)));
    this.hasPassword = Boolean(chosen && chosen.login.password !== '');
    if (!chosen || (this.saved && !this.saved.enabled)) return;
    const source = new CentralFleetSource({
      reader: new CentralFleetReader(chosen.login),
      events: this.o.events,
      localHosts: this.o.localHosts,
      ...(chosen.refreshMs === undefined ? {} : { refreshMs: chosen.refreshMs }),
      ...(chosen.staleAfterMs === undefined ? {} : { staleAfterMs: chosen.staleAfterMs }),
      ...(this.o.log ? { log: this.o.log } : {}),
    });
    // The first read is waited for, so the first inventory a page asks for has the fleet;
    // a central database that does not answer leaves the console with its own hosts.
    await source.start();
    this.fleet = { source, history: new CentralHistoryReader(chosen.login) };
  }
}
