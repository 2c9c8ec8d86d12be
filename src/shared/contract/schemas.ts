import { z } from 'zod';
import {
  hostId,
  hostName,
  libvirtUri,
  localPath,
  pollIntervalSec,
  sshHost,
  sshPort,
  sshUser,
} from './host-fields';
import { TOPIC_PATTERN } from './topics';
import type { Topic } from './topics';
import { METRIC_NAMES } from '../model/metric-names';

/**
 * The params of every request as zod schemas: the one place untrusted input is made
 * valid. Their inferred types are the params of RequestMap, so a handler never sees
 * anything a schema did not check. Objects are strict: an unknown field is refused,
 * not ignored, so a typo in a field name is an error the caller sees.
 */

/** A request without params: absent, null or {}. */
export const noParams = z
  .union([z.undefined(), z.null(), z.strictObject({})])
  .transform(() => undefined);

const sshAuth = z.discriminatedUnion('method', [
  z.strictObject({ method: z.literal('agent') }),
  z.strictObject({
    method: z.literal('key'),
    identityFile: localPath,
    /** Kept in the secret store, never in hosts.json, a reply or the history. */
    passphrase: z.string().max(1024).optional(),
  }),
  z.strictObject({
    method: z.literal('password'),
    /** Kept in the secret store, never in hosts.json, a reply or the history. */
    password: z.string().min(1).max(1024),
  }),
]);

const sshSettings = z.strictObject({
  host: sshHost,
  port: sshPort.default(22),
  username: sshUser,
  auth: sshAuth,
});

const hostSettings = z.strictObject({
  name: hostName,
  /** null or absent: this machine. */
  ssh: sshSettings.nullable().default(null),
  libvirtUri: libvirtUri.default('qemu:///system'),
  pollIntervalSec: pollIntervalSec.optional(),
});

const byId = z.strictObject({ id: hostId });

/**
 * A saved host's new settings, by its id: a new name renames it (its history stays); SSH
 * auth given anew replaces the old secrets.
 */
const hostUpdate = z.strictObject({
  id: hostId,
  name: hostName.optional(),
  ssh: sshSettings.nullable().optional(),
  libvirtUri: libvirtUri.optional(),
  pollIntervalSec: pollIntervalSec.optional(),
});

/** How long the history keeps each resolution, like an RRD. */
const retentionSchema = z.strictObject({
  /** Raw samples, hours (default 48). */
  rawHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 31),
  /** 1-minute rollups, days (default 30). */
  minuteDays: z.number().int().min(1).max(366),
  /** 1-hour rollups and VM events, days (default 365). */
  hourDays: z.number().int().min(1).max(3660),
});

export const settingsSchema = z.strictObject({
  /** The poll interval hosts added without one get, s. */
  defaultPollIntervalSec: pollIntervalSec,
  retention: retentionSchema,
  language: z.enum(['en', 'ko']),
  theme: z.enum(['system', 'light', 'dark']),
  /**
   * The recommender's settings that differ from its defaults, by name (docs/analysis.md);
   * each name and range is checked by the backend's analysis settings.
   */
  analysis: z.record(z.string().max(64), z.number()),
});

const entity = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('host'), id: hostId }),
  z.strictObject({ kind: z.literal('vm'), uuid: z.uuid() }),
]);

const history = z
  .strictObject({
    entity,
    /** Metric names of the store (shared/model/metric-names); the store checks the kind. */
    metrics: z.array(z.enum(METRIC_NAMES)).min(1).max(32),
    /** ms since the epoch, inclusive */
    fromMs: z.number().int().min(0),
    /** ms since the epoch, exclusive */
    toMs: z.number().int().min(0),
    maxPoints: z.number().int().min(1).max(10_000),
  })
  .refine((q) => q.toMs > q.fromMs, { message: 'toMs must be after fromMs' });

/** Each disk's and interface's traffic over a range (kept as long as the raw samples). */
const deviceHistory = z
  .strictObject({
    entity,
    fromMs: z.number().int().min(0),
    toMs: z.number().int().min(0),
    maxPoints: z.number().int().min(1).max(10_000),
  })
  .refine((q) => q.toMs > q.fromMs, { message: 'toMs must be after fromMs' });

const acceptKey = z.strictObject({
  id: hostId,
  /** The fingerprint hosts.test showed, `SHA256:...`: only that key is trusted. */
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256:... fingerprint'),
});

const subscribe = z.strictObject({
  /** Every topic the page wants from now on (topics.ts); [] for none. */
  topics: z
    .array(
      z
        .string()
        .regex(TOPIC_PATTERN, 'a topic is overview, sync, host:ID or vm:UUID')
        .transform((t) => (t.startsWith('vm:') ? t.toLowerCase() : t) as Topic),
    )
    .max(10_000),
});

/** A MySQL target as a form gives it; the password goes to the secret store only. */
const syncTarget = z.strictObject({
  /** mysql://user@host[:port][,host[:port]…]/database (several: one Galera cluster's nodes), no password in it */
  url: z.string().trim().min(1).max(2048),
  /** CA file (PEM) to verify the server with; null or absent: no TLS. */
  tlsCaFile: z.string().trim().min(1).max(4096).nullable().default(null),
  /** Absent: keep the one kept for this target; null: forget it; '': none. */
  password: z.string().max(1024).nullable().optional(),
});

const syncSet = syncTarget.extend({
  /** Send the history to it continuously (default), or keep it set but idle. */
  enabled: z.boolean().default(true),
});

/** Where to read the fleet from, as the console's settings give it. */
const centralSet = syncTarget.extend({
  /** Read the fleet from it (default), or keep it set but unread. */
  enabled: z.boolean().default(true),
  /** How often to read it, s. */
  refreshSec: z.number().int().min(1).max(3600).default(2),
  /** A host with no newer sample than this is shown stale, s. */
  staleAfterSec: z
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(60),
});

const exportRange = z
  .strictObject({
    entity,
    /** ms since the epoch, inclusive */
    fromMs: z.number().int().min(0),
    /** ms since the epoch, exclusive */
    toMs: z.number().int().min(0),
    format: z.enum(['csv', 'json']),
    /** The page's offset from UTC at fromMs, minutes: the file name's times are its. */
    utcOffsetMinutes: z.number().int().min(-840).max(840).default(0),
  })
  .refine((q) => q.toMs > q.fromMs, { message: 'toMs must be after fromMs' });

const vmEvents = z.strictObject({
  uuid: z.uuid(),
  limit: z.number().int().min(1).max(500).default(50),
});

const hostEvents = z.strictObject({
  id: hostId,
  limit: z.number().int().min(1).max(500).default(50),
});

/** The analysis window: a minute to 90 days, default 7 days. */
const windowMs = z
  .number()
  .int()
  .min(60_000)
  .max(90 * 86_400_000)
  .default(7 * 86_400_000);

/** `<uuid>:<kind>`, as the analysis names a recommendation. */
const recommendationId = z
  .string()
  .max(80)
  .regex(/^[0-9a-f-]{36}:[a-z-]+$/, 'a recommendation id is <uuid>:<kind>');

const applyRequest = z.strictObject({
  id: recommendationId,
  windowMs,
  scope: z.enum(['live', 'config', 'live+config']).default('live+config'),
});

export const requestSchemas = {
  'app.getVersion': noParams,
  'app.status': noParams,
  /** Who the page is (admin or viewer): what it may show. */
  'app.session': noParams,
  'hosts.list': noParams,
  'hosts.add': hostSettings,
  'hosts.update': hostUpdate,
  'hosts.remove': byId,
  'hosts.test': byId,
  'hosts.acceptKey': acceptKey,
  'hosts.sshConfig': noParams,
  inventory: noParams,
  history,
  'history.devices': deviceHistory,
  'vm.events': vmEvents,
  'host.events': hostEvents,
  'settings.get': noParams,
  'settings.set': settingsSchema.partial(),
  'events.subscribe': subscribe,
  'sync.get': noParams,
  'sync.set': syncSet,
  'sync.remove': noParams,
  /** The target given, or the saved one when none is given. */
  'sync.test': syncTarget.optional(),
  'sync.init': noParams,
  'sync.now': noParams,
  'central.get': noParams,
  'central.set': centralSet,
  'central.remove': noParams,
  /** Reads the fleet once from the target given, or the saved one when none is given. */
  'central.test': syncTarget.optional(),
  export: exportRange,
  'analysis.run': z
    .strictObject({ windowMs })
    .optional()
    .transform((p) => p ?? { windowMs: 7 * 86_400_000 }),
  /** What applying would do, read from libvirt now; changes nothing. */
  'analysis.preview': applyRequest,
  /** Applies it and writes the audit entry. */
  'analysis.apply': applyRequest,
  'analysis.memoryVsDisk': z.strictObject({ uuid: z.uuid(), windowMs }),
  'audit.list': z.strictObject({
    uuid: z.uuid().optional(),
    limit: z.number().int().min(1).max(10_000).default(200),
  }),
};

export type HostSettings = z.output<typeof hostSettings>;
export type HistoryParams = z.output<typeof history>;
export type DeviceHistoryParams = z.output<typeof deviceHistory>;
export type HostUpdate = z.output<typeof hostUpdate>;
export type Settings = z.output<typeof settingsSchema>;
export type RetentionSettings = z.output<typeof retentionSchema>;
export type SyncTargetInput = z.output<typeof syncTarget>;
export type SyncSetParams = z.output<typeof syncSet>;
export type CentralSetParams = z.output<typeof centralSet>;
export type ExportParams = z.output<typeof exportRange>;
export type ApplyParams = z.output<typeof applyRequest>;
