import type { LifecycleEventName } from '../../shared/model/lifecycle-event-name';
import { Limits, Remote, STRING_MAX } from './protocol';
import { readDomain, readString, type DomainRef } from './remote-types';
import type { XdrReader } from './xdr-reader';

/** virDomainEventID values of the events the console subscribes to. */
export const DomainEventId = {
  lifecycle: 0,
  reboot: 1,
  graphics: 5,
  'balloon-change': 13,
  'device-removed': 15,
} as const;

export type DomainEventKind = keyof typeof DomainEventId;

/** virDomainEventType, by its code. */
const LIFECYCLE_EVENTS = [
  'defined',
  'undefined',
  'started',
  'suspended',
  'resumed',
  'stopped',
  'shutdown',
  'pmsuspended',
  'crashed',
] as const satisfies readonly LifecycleEventName[];

const GRAPHICS_PHASES = ['connect', 'initialize', 'disconnect'] as const;
const ADDRESS_FAMILIES = ['ipv4', 'ipv6', 'unix'] as const;

export interface GraphicsAddress {
  family: (typeof ADDRESS_FAMILIES)[number] | 'unknown';
  /** Address (or socket path). */
  node: string;
  /** Port (or empty). */
  service: string;
}

interface EventBase {
  /** The subscription this event was sent for (the daemon's callbackID). */
  callbackId: number;
  domain: DomainRef;
}

export interface LifecycleEvent extends EventBase {
  kind: 'lifecycle';
  event: LifecycleEventName;
  /** virDomainEventType code. */
  eventCode: number;
  /** Event-specific detail code (virDomainEvent*DetailType). */
  detail: number;
}

export interface RebootEvent extends EventBase {
  kind: 'reboot';
}

export interface GraphicsEvent extends EventBase {
  kind: 'graphics';
  phase: (typeof GRAPHICS_PHASES)[number] | 'unknown';
  phaseCode: number;
  local: GraphicsAddress;
  remote: GraphicsAddress;
  authScheme: string;
  subject: { type: string; name: string }[];
}

export interface BalloonChangeEvent extends EventBase {
  kind: 'balloon-change';
  /** New balloon size, KiB. */
  actualKiB: bigint;
}

export interface DeviceRemovedEvent extends EventBase {
  kind: 'device-removed';
  devAlias: string;
}

export type DomainEvent =
  LifecycleEvent | RebootEvent | GraphicsEvent | BalloonChangeEvent | DeviceRemovedEvent;

export type DomainEventOf<K extends DomainEventKind> = Extract<DomainEvent, { kind: K }>;

function readAddress(r: XdrReader): GraphicsAddress {
  const familyCode = r.int();
  return {
    family: ADDRESS_FAMILIES[familyCode] ?? 'unknown',
    node: r.string(STRING_MAX),
    service: r.string(STRING_MAX),
  };
}

function readIdentity(r: XdrReader): { type: string; name: string } {
  return { type: readString(r), name: readString(r) };
}

type EventDecoder = (r: XdrReader, callbackId: number, domain: DomainRef) => DomainEvent;

const DECODERS: Record<DomainEventKind, EventDecoder> = {
  lifecycle: (r, callbackId, domain) => {
    const eventCode = r.int();
    const detail = r.int();
    const event = LIFECYCLE_EVENTS[eventCode] ?? 'unknown';
    return { kind: 'lifecycle', callbackId, domain, event, eventCode, detail };
  },
  reboot: (_r, callbackId, domain) => ({ kind: 'reboot', callbackId, domain }),
  graphics: (r, callbackId, domain) => {
    const phaseCode = r.int();
    const local = readAddress(r);
    const remote = readAddress(r);
    const authScheme = readString(r);
    const subject = r.array(Limits.DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX, readIdentity, 8);
    const phase = GRAPHICS_PHASES[phaseCode] ?? 'unknown';
    return {
      kind: 'graphics',
      callbackId,
      domain,
      phase,
      phaseCode,
      local,
      remote,
      authScheme,
      subject,
    };
  },
  'balloon-change': (r, callbackId, domain) => ({
    kind: 'balloon-change',
    callbackId,
    domain,
    actualKiB: r.uhyper(),
  }),
  'device-removed': (r, callbackId, domain) => ({
    kind: 'device-removed',
    callbackId,
    domain,
    devAlias: readString(r),
  }),
};

/** The REMOTE_PROC_DOMAIN_EVENT_CALLBACK_* message procedure of each event kind. */
export const EVENT_PROCEDURES: Record<DomainEventKind, number> = {
  lifecycle: Remote.DOMAIN_EVENT_CALLBACK_LIFECYCLE,
  reboot: Remote.DOMAIN_EVENT_CALLBACK_REBOOT,
  graphics: Remote.DOMAIN_EVENT_CALLBACK_GRAPHICS,
  'balloon-change': Remote.DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE,
  'device-removed': Remote.DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED,
};

/** Decodes a remote_domain_event_callback_*_msg body: callbackID, then the event. */
export function decodeDomainEvent(kind: DomainEventKind, r: XdrReader): DomainEvent {
  const callbackId = r.int();
  const domain = readDomain(r);
  const event = DECODERS[kind](r, callbackId, domain);
  r.done(`${kind} event`);
  return event;
}
