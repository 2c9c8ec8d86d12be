import type { RequestHandler } from '../../shared/contract/requests';
import type { HistoryParams } from '../../shared/contract/schemas';
import type { EntityRef } from '../../store/entity-ref';
import type { Store } from '../../store/store';
import { storeCall } from '../store-call';
import { exportFile } from './export-file';

/** A history entity of the contract as the store names it: a host by its id, its key there. */
function storeRef(entity: HistoryParams['entity']): EntityRef {
  return entity.kind === 'vm' ? entity : { kind: 'host', key: entity.id };
}

/**
 * What the history holds, as the console asks for it: a host's or VM's metrics over a
 * range, each device's traffic, an export, and recent events.
 */
export class HistoryService {
  constructor(
    private readonly store: Store,
    /** A saved host's name, for the file an export of it is saved as; undefined: unknown. */
    private readonly hostNameOf: (hostId: string) => string | undefined,
  ) {}

  readonly history: RequestHandler<'history'> = (q) =>
    storeCall(() =>
      this.store.query({
        entity: storeRef(q.entity),
        metrics: q.metrics,
        from: q.fromMs,
        to: q.toMs,
        maxPoints: q.maxPoints,
      }),
    );

  readonly devices: RequestHandler<'history.devices'> = (q) =>
    storeCall(() =>
      this.store.devices({
        entity: storeRef(q.entity),
        from: q.fromMs,
        to: q.toMs,
        maxPoints: q.maxPoints,
      }),
    );

  readonly export: RequestHandler<'export'> = (q) =>
    storeCall(() =>
      exportFile(
        this.store,
        storeRef(q.entity),
        q.fromMs,
        q.toMs,
        q.format,
        q.utcOffsetMinutes,
        // A host's file is named as the console shows it now, not by its hostname.
        q.entity.kind === 'host' ? this.hostNameOf(q.entity.id) : undefined,
      ),
    );

  readonly vmEvents: RequestHandler<'vm.events'> = ({ uuid, limit }) =>
    storeCall(() => this.store.vmEvents(uuid.toLowerCase(), limit));

  readonly hostEvents: RequestHandler<'host.events'> = ({ id, limit }) =>
    storeCall(() => this.store.hostEvents(id, limit));
}
