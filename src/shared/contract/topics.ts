import type { EventMap, EventName } from './events';

/**
 * What a page subscribes to, so one page watching a fleet costs little:
 * - `overview`: one small message per host per poll (host.poll: its figures and VM counts);
 * - `host:ID`: that host's (by its id) per-device figures and its VMs' headline figures
 *   (host.detail);
 * - `vm:UUID`: that VM's per-device figures (vm.detail);
 * - `sync`: the MySQL sync's status.
 * Events without a topic go to every page: they are rare, and every view shows what
 * they change (app.stopping, host.status, and a VM added, gone or changed, or a display
 * client connecting: "connected now" is in the status bar of every view, so a page that
 * missed one while it showed no desktops would show a stale count until a reload).
 */
export type Topic = 'overview' | 'sync' | `host:${string}` | `vm:${string}`;

/** The grammar of a topic, as the subscribe request checks it. */
export const TOPIC_PATTERN = /^(overview|sync|host:[\w.-]{1,64}|vm:[0-9a-fA-F-]{36})$/;

export const hostTopic = (hostId: string): Topic => `host:${hostId}`;
export const vmTopic = (uuid: string): Topic => `vm:${uuid.toLowerCase()}`;

const topicOfEvent: { [E in EventName]: (payload: EventMap[E]) => Topic | null } = {
  'app.stopping': () => null,
  'connection.restored': () => null,
  'host.status': () => null,
  'host.poll': () => 'overview',
  'host.detail': (p) => hostTopic(p.hostId),
  'inventory.changed': () => null,
  'vm.display': () => null,
  'vm.detail': (p) => vmTopic(p.uuid),
  'sync.status': () => 'sync',
};

/** The topic an event belongs to; null: it goes to every page. */
export function topicOf<E extends EventName>(name: E, payload: EventMap[E]): Topic | null {
  return topicOfEvent[name](payload);
}
