/** libvirt's lifecycle events (virDomainEventType) by name; 'unknown' for a code newer than ours. */
export type LifecycleEventName =
  | 'defined'
  | 'undefined'
  | 'started'
  | 'suspended'
  | 'resumed'
  | 'stopped'
  | 'shutdown'
  | 'pmsuspended'
  | 'crashed'
  | 'unknown';
