import { ContractError } from '../../shared/contract/reply';
import type { RequestHandler } from '../../shared/contract/requests';
import type { CentralHost } from '../../store/mysql/central-fleet-reader';
import { ExportWriter } from '../../store/export-writer';
import { hostMetrics, vmMetrics } from '../../store/metrics';
import { ExportText } from '../history/export-file';
import { centralHostName } from './central-fleet-view';
import type { CentralFleet } from './central-service';

/** A failed read of the central tables, as the page is told it; a reply's own error as is. */
export function centralFailed(error: unknown): never {
  if (error instanceof ContractError) throw error;
  throw new ContractError(
    'failed',
    `central database: ${error instanceof Error ? error.message : String(error)}`,
  );
}

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
      .catch(centralFailed);
  };
}

/**
 * The export request, sent where the entity's history is, as routeHistory: a central-only
 * host's or VM's rows are read from t2/t4 into the same file layout (the same columns,
 * the central tables' resolution) as an export of this console's own history.
 */
export function routeExport(
  central: () => CentralFleet | null,
  local: RequestHandler<'export'>,
): RequestHandler<'export'> {
  return async (q) => {
    const fleet = central();
    const { entity } = q;
    const host = entity.kind === 'host' ? fleet?.source.shownHost(entity.id) : undefined;
    const vm = entity.kind === 'vm' ? fleet?.source.shownVm(entity.uuid.toLowerCase()) : undefined;
    if (!fleet || (!host && !vm)) return local(q);
    const vmHost = vm && fleet.source.shownHost(vm.hostKey);
    const hostName = (h: CentralHost | undefined) => (h ? centralHostName(h) : null);
    const subject: Record<string, string | null> = vm
      ? { vm: vm.name, uuid: vm.uuid, host: hostName(vmHost) }
      : { host: hostName(host) };
    const text = new ExportText();
    const writer = new ExportWriter(
      q.format,
      subject,
      (vm ? vmMetrics : hostMetrics).map((m) => m.name),
      text.write,
    );
    await fleet.history
      .eachRow(
        vm ? { kind: 'vm', uuid: vm.uuid } : { kind: 'host', key: (host as CentralHost).hostKey },
        q.fromMs,
        q.toMs,
        (ts, values) => writer.row(ts, values),
      )
      .catch(centralFailed);
    return text.reply(vm ? vm.name : (hostName(host) ?? ''), writer.end(), q);
  };
}
