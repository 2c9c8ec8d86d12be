import { ContractError } from '../../shared/contract/reply';
import type { RequestHandler } from '../../shared/contract/requests';
import type { CentralFleet } from './central-service';

/**
 * The history request, sent where the entity's history is: a host (or a VM on a host)
 * seen only through the central database is read from t2/t4 there; a host this console
 * polls, from its own SQLite history.
 */
export function routeHistory(
  central: () => CentralFleet | null,
  local: RequestHandler<'history'>,
): RequestHandler<'history'> {
  return (q) => {
    const fleet = central();
    if (!fleet) return local(q);
    const { entity } = q;
    const ref =
      entity.kind === 'host'
        ? ({ kind: 'host', key: entity.id } as const)
        : ({ kind: 'vm', uuid: entity.uuid.toLowerCase() } as const);
    const { source } = fleet;
    const centralOnly = ref.kind === 'host' ? source.shows(ref.key) : source.showsVm(ref.uuid);
    if (!centralOnly) return local(q);
    return fleet.history
      .query({
        entity: ref,
        metrics: q.metrics,
        from: q.fromMs,
        to: q.toMs,
        maxPoints: q.maxPoints,
      })
      .catch((error: unknown) => {
        throw new ContractError(
          'failed',
          `central database: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  };
}
