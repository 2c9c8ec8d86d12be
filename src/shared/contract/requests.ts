import type { z } from 'zod';
import type { AppVersion } from '../app-version';
import type {
  AppStatus,
  CentralView,
  HostTestResult,
  HostView,
  InventoryHost,
  SshConfigHost,
  VmEventRecord,
  HostEventRecord,
} from '../model/host-view';
import type { SyncView } from '../model/sync-status';
import type { AnalysisResult, ApplyPreview, MemorySizePeriod } from '../model/analysis-view';
import type { AuditEntry } from '../model/audit-entry';
import type { Role } from './request-roles';
import type { Topic } from './topics';
import type { AssertNever, NotJsonSafe } from './json';
import type { requestSchemas, Settings } from './schemas';

/** What a history request answers: the store's buckets, per metric min/avg/max. */
export interface HistoryResult {
  resolution: 'raw' | '1m' | '1h';
  bucketMs: number;
  points: {
    ts: number;
    n: number;
    values: Record<string, { min: number; avg: number; max: number } | null>;
  }[];
}

/** What history.devices answers: one series per disk and per interface, bytes/s. */
export interface DeviceHistoryResult {
  bucketMs: number;
  /** Per-device figures exist from here on (the raw samples' retention). */
  keptFromMs: number;
  disks: DeviceHistorySeries[];
  nics: DeviceHistorySeries[];
}

export interface DeviceHistorySeries {
  name: string;
  /** Bucket start and the bucket's average read + write (rx + tx); null for a gap. */
  points: { ts: number; bytesPerSec: number | null }[];
}

/** The result of every request, by name; the params come from its schema. */
interface RequestResults {
  'app.getVersion': AppVersion;
  'app.status': AppStatus;
  'app.session': { role: Role };
  'hosts.list': HostView[];
  'hosts.add': HostView;
  'hosts.update': HostView;
  'hosts.remove': null;
  'hosts.test': HostTestResult;
  'hosts.acceptKey': null;
  /** The hosts of the user's ~/.ssh/config (on the backend's machine), to offer. */
  'hosts.sshConfig': SshConfigHost[];
  inventory: InventoryHost[];
  history: HistoryResult;
  'history.devices': DeviceHistoryResult;
  /** A VM's latest lifecycle and display events from the history, newest first. */
  'vm.events': VmEventRecord[];
  /** The latest events of every VM the history saw on a host, newest first. */
  'host.events': HostEventRecord[];
  'settings.get': Settings;
  'settings.set': Settings;
  'events.subscribe': { topics: Topic[] };
  'sync.get': SyncView;
  'sync.set': SyncView;
  'sync.remove': SyncView;
  'sync.test': SyncTestResult;
  'sync.init': { fromVersion: number; toVersion: number };
  'sync.now': SyncView;
  'central.get': CentralView;
  'central.set': CentralView;
  'central.remove': CentralView;
  'central.test': SyncTestResult;
  export: ExportResult;
  'analysis.run': AnalysisResult;
  'analysis.preview': ApplyPreview;
  'analysis.apply': AuditEntry;
  'analysis.memoryVsDisk': MemorySizePeriod[];
  'audit.list': AuditEntry[];
}

/** What sync.test found, step by step; later steps are skipped once one fails. */
export interface SyncTestResult {
  steps: {
    step: 'config' | 'connect' | 'schema';
    result: 'ok' | 'failed' | 'skipped';
    error: string | null;
  }[];
  /** The central schema's version; 0: not created yet (sync.init creates it). */
  schemaVersion: number | null;
  /** The version this SETMOV writes. */
  expectedSchemaVersion: number;
}

/** A host's or VM's raw samples over a range, as a file to save. */
export interface ExportResult {
  /** A name to save it under: entity, range and format. */
  fileName: string;
  mimeType: 'text/csv' | 'application/json';
  rows: number;
  content: string;
}

type Schemas = typeof requestSchemas;

/**
 * Every request the renderer may make, by name: its params and its result.
 * A new request is one schema in schemas.ts, one result here and one handler in the
 * backend; main, preload, server and renderer pick it up from the types.
 * Results reach the renderer, and through `setmov serve` a browser: never put a
 * secret (password, passphrase, key) in one; secrets stay in the backend.
 */
export type RequestMap = {
  [N in keyof RequestResults & keyof Schemas]: {
    params: z.output<Schemas[N]>;
    /** What a caller may send: defaults not filled in yet. */
    input: z.input<Schemas[N]>;
    result: RequestResults[N];
  };
};

export type RequestName = keyof RequestMap;
export type RequestParams<N extends RequestName> = RequestMap[N]['params'];
export type RequestInput<N extends RequestName> = RequestMap[N]['input'];
export type RequestResult<N extends RequestName> = RequestMap[N]['result'];

/** Params are optional in calls only where the request takes none. */
export type RequestArgs<N extends RequestName> =
  RequestParams<N> extends undefined ? [params?: undefined] : [params: RequestInput<N>];

export type RequestHandler<N extends RequestName> = (
  params: RequestParams<N>,
) => Promise<RequestResult<N>> | RequestResult<N>;

/**
 * What a transport serves: a handler per request it answers. The backend implements
 * every one (CompleteRequestHandlers); a transport tested alone may serve a few, and
 * dispatch answers the others as bad requests.
 */
export type RequestHandlers = { [N in RequestName]?: RequestHandler<N> };

/** Every request answered. */
export type CompleteRequestHandlers = { [N in RequestName]: RequestHandler<N> };

/**
 * Requests about the page that sends them, answered by its transport (which knows the
 * page and the token it came with), not by the backend.
 */
export type PageRequestName = 'events.subscribe' | 'app.session';

/** What the backend provides: every request but the page's own. */
export type BackendRequestHandlers = Omit<CompleteRequestHandlers, PageRequestName>;

/** A result that JSON cannot carry (a bigint, a Date) fails to compile here, naming its request. */
export type ResultsAreJson = AssertNever<NotJsonSafe<RequestMap, 'result'>>;
