import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type {
  AnalysisResult,
  HostAnalysis,
  Recommendation,
  RecommendationKind,
  VmAnalysis,
} from '../../shared/model/analysis-view';
import type { AuditChangeKind, AuditEntry } from '../../shared/model/audit-entry';
import { formatDateTime, formatPercent, formatTime } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useNow } from '../use-now';
import type { HostPrefill } from '../connect/host-form';
import { useFleet } from '../fleet/use-fleet';
import { ApplyDialog } from './apply-dialog';
import { useIsAdmin } from '../use-role';
import { AuditLog } from './audit-log';
import { MemoryDisk } from './memory-disk';
import { RecommendationChart } from './recommendation-chart';
import type { Translate } from '../i18n/i18n';
import {
  applicable,
  changeOf,
  changeText,
  durationText,
  reasonText,
  sizeText,
} from './recommendation-text';
import { DAY_MS } from '../../shared/time-ms';

type Analysed = Extract<VmAnalysis, { status: 'analysed' }>;
type Waiting = Extract<VmAnalysis, { status: 'not-enough-data' }>;

/**
 * The hosts the console reads from the central database and does not watch itself, by
 * the UUIDs of their VMs: nothing here may change those desktops until their host is
 * connected (the apply request says so too).
 */
function useCentralHostsByVm(): Map<string, HostPrefill> {
  const fleet = useFleet();
  const hosts = fleet.state === 'ready' ? fleet.hosts : null;
  const desktops = fleet.state === 'ready' ? fleet.desktops : null;
  return useMemo(() => {
    const byVm = new Map<string, HostPrefill>();
    if (!hosts || !desktops) return byVm;
    const central = new Map<string, HostPrefill>();
    for (const host of hosts) {
      if (host.source !== 'central') continue;
      central.set(host.id, { name: host.name, host: host.identity?.primaryIp ?? host.name });
    }
    for (const desktop of desktops) {
      const host = central.get(desktop.host);
      if (host) byVm.set(desktop.uuid.toLowerCase(), host);
    }
    return byVm;
  }, [hosts, desktops]);
}

/**
 * In place of Apply on a desktop whose host only the central database shows: what an
 * agent wrote there cannot be changed from a read-only account, so the console offers
 * to connect the host (SSH, its host key checked as for any host) and apply from there.
 */
function ApplyOrConnect({
  host,
  label,
  onConnect,
  children,
}: {
  /** The VM's host, when only the central database shows it. */
  host: HostPrefill | undefined;
  /** The button's accessible name, by the host's name. */
  label: (host: string) => string;
  onConnect: (prefill: HostPrefill) => void;
  /** The Apply button. */
  children: ReactNode;
}) {
  const { t } = useI18n();
  if (!host) return children;
  return (
    <button
      type="button"
      className="button-small"
      aria-label={label(host.name)}
      onClick={() => onConnect(host)}
    >
      {t('analysis.apply.connect')}
    </button>
  );
}

const kinds: RecommendationKind[] = [
  'less-memory',
  'fewer-vcpus',
  'idle-desktop',
  'never-connected',
  'more-memory',
  'more-vcpus',
];
const windows = [
  ['1h', 3_600_000],
  ['24h', DAY_MS],
  ['7d', 7 * DAY_MS],
  ['30d', 30 * DAY_MS],
] as const;

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

interface Row {
  vm: Analysed;
  recommendation: Recommendation;
  change: AuditChangeKind | null;
}

/** A time ahead: its clock time today, its date and time further off. */
function whenText(locale: string, ms: number, now: number): string {
  return ms - now < DAY_MS ? formatTime(locale, ms) : formatDateTime(locale, ms);
}

/**
 * What the advice changes on a host, as a change of what is given: "−2 vCPUs",
 * "+1 GiB", "0 vCPUs".
 */
function netText(locale: string, t: Translate, change: 'memory' | 'vcpus', net: number): string {
  const sign = net > 0 ? '+' : net < 0 ? '−' : '';
  return `${sign}${sizeText(locale, t, change, Math.abs(net))}`;
}

function HostSummary({ host }: { host: HostAnalysis }) {
  const { t, locale } = useI18n();
  const ratio = (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}×`);
  const vcpus = (n: number) => sizeText(locale, t, 'vcpus', n);
  const memory = (n: number) => sizeText(locale, t, 'memory', n);
  const frees = host.freedVcpus > 0 || host.freedMemoryBytes > 0;
  const adds = host.addedVcpus > 0 || host.addedMemoryBytes > 0;
  const freed = { freedVcpus: vcpus(host.freedVcpus), freedMemory: memory(host.freedMemoryBytes) };
  const added = { addedVcpus: vcpus(host.addedVcpus), addedMemory: memory(host.addedMemoryBytes) };
  // Each way the advice moves resources is said only when it does; the net when both.
  const advice =
    frees && adds
      ? t('analysis.host.advice', {
          ...freed,
          ...added,
          netVcpus: netText(locale, t, 'vcpus', host.addedVcpus - host.freedVcpus),
          netMemory: netText(locale, t, 'memory', host.addedMemoryBytes - host.freedMemoryBytes),
        })
      : frees
        ? t('analysis.host.advice.frees', freed)
        : adds
          ? t('analysis.host.advice.adds', added)
          : null;
  return (
    <p className="host-summary">
      <span className={`status-pill temperature-${host.temperature}`}>
        {t(`analysis.temperature.${host.temperature}` as MessageKey)}
      </span>{' '}
      {t('analysis.host.load', {
        cpu: formatPercent(locale, host.cpuPercentP95),
        memory: formatPercent(locale, host.memUsedPercentP95),
      })}{' '}
      ·{' '}
      {t('analysis.host.given', {
        count: host.runningVms,
        vcpus: vcpus(host.allocatedVcpus),
        cpus: host.cpuCount === null ? '?' : t('count.cpus', { count: host.cpuCount }),
        ratio: ratio(host.vcpuRatio),
      })}
      {advice && ` · ${advice}`}
    </p>
  );
}

/**
 * What to change, per host: the recommendations of the analysis with their numbers, a
 * chart of the history behind each, and the apply action with its preview; the VMs
 * without enough history; the audit log of what was changed.
 */
export function AnalysisView({
  client,
  onConnect,
}: {
  client: ContractClient;
  onConnect: (prefill: HostPrefill) => void;
}) {
  const { t, locale } = useI18n();
  const admin = useIsAdmin();
  const centralHosts = useCentralHostsByVm();
  const now = useNow(30_000);
  const [windowMs, setWindowMs] = useState<number>(7 * DAY_MS);
  const [kind, setKind] = useState<RecommendationKind | 'all'>('all');
  const [result, setResult] = useState<AnalysisResult | null>(null);
  const [audit, setAudit] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [applying, setApplying] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    Promise.all([
      client.request('analysis.run', { windowMs }),
      client.request('audit.list', {}),
    ]).then(
      ([analysis, entries]) => {
        setResult(analysis);
        setAudit(entries);
        setLoading(false);
      },
      (e: unknown) => {
        setError(messageOf(e));
        setLoading(false);
      },
    );
  }, [client, windowMs]);
  useEffect(load, [load]);

  const byHost = useMemo(() => {
    const groups = new Map<string, Row[]>();
    for (const vm of result?.vms ?? []) {
      if (vm.status !== 'analysed') continue;
      for (const recommendation of vm.recommendations) {
        if (kind !== 'all' && recommendation.kind !== kind) continue;
        const rows = groups.get(vm.host) ?? [];
        rows.push({ vm, recommendation, change: changeOf(recommendation) });
        groups.set(vm.host, rows);
      }
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [result, kind]);
  const waiting = (result?.vms ?? []).filter(
    (vm): vm is Waiting => vm.status === 'not-enough-data',
  );
  const analysed = (result?.vms.length ?? 0) - waiting.length;
  const firstReady = Math.min(...waiting.map((vm) => vm.readyAtMs));
  // A window no longer than the history the analysis needs could never give it that.
  const offered = windows.filter(([, ms]) => ms > (result?.minHistoryMs ?? 0) || ms === windowMs);
  const hostOf = (name: string) => result?.hosts.find((h) => h.name === name);
  const count = byHost.reduce((n, [, rows]) => n + rows.length, 0);

  return (
    <div className="analysis-view">
      <section className="panel" aria-labelledby="analysis-title">
        <header className="panel-header">
          <h1 id="analysis-title">{t('analysis.title')}</h1>
          <span className="muted">{t('analysis.caption')}</span>
        </header>
        <div className="toolbar">
          <label className="field">
            <span>{t('analysis.window')}</span>
            <select value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
              {offered.map(([label, ms]) => (
                <option key={label} value={ms}>
                  {t(`analysis.window.${label}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          {result && (
            <span className="muted" data-testid="analysis-needs">
              {t('analysis.window.needs', {
                duration: durationText(locale, result.minHistoryMs),
              })}
            </span>
          )}
          <label className="field">
            <span>{t('analysis.kind')}</span>
            <select
              value={kind}
              onChange={(e) => setKind(e.target.value as RecommendationKind | 'all')}
            >
              <option value="all">{t('analysis.kind.all')}</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`analysis.kind.${k}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
          <span className="spacer" />
          <span className="muted" role="status" data-testid="analysis-count">
            {loading ? t('analysis.loading') : t('analysis.count', { count })}
          </span>
          <button type="button" onClick={load} disabled={loading}>
            {t('analysis.refresh')}
          </button>
        </div>
        {error && (
          <div className="banner banner-error" role="alert">
            {t('analysis.failed', { message: error })}
          </div>
        )}
        {result && count === 0 && !loading && (
          <p className="table-empty">
            {result.vms.length === 0
              ? t('analysis.noHistory')
              : analysed === 0
                ? t('analysis.noneAnalysed', {
                    count: waiting.length,
                    needs: durationText(locale, result.minHistoryMs),
                    when: whenText(locale, firstReady, result.at),
                  })
                : t('analysis.none', { count: analysed })}
          </p>
        )}
        {byHost.map(([hostName, rows]) => {
          const host = hostOf(hostName);
          return (
            <section
              key={hostName}
              className="analysis-host"
              aria-label={t('analysis.host', { name: hostName })}
            >
              <h2 className="host-name">{hostName || t('analysis.host.unknown')}</h2>
              {host && <HostSummary host={host} />}
              {admin && rows.some(({ vm }) => centralHosts.has(vm.uuid.toLowerCase())) && (
                <p className="analysis-central-note" data-testid="analysis-central-note">
                  {t('analysis.apply.central', { host: hostName })}
                </p>
              )}
              <div className="table-scroll">
                <table
                  className="data-table analysis-table"
                  aria-label={t('analysis.host', { name: hostName })}
                >
                  <thead>
                    <tr>
                      <th>{t('analysis.col.vm')}</th>
                      <th>{t('analysis.col.kind')}</th>
                      <th>{t('analysis.col.change')}</th>
                      <th>{t('analysis.col.why')}</th>
                      <th>
                        <span className="visually-hidden">{t('analysis.col.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(({ vm, recommendation: r, change }) => (
                      <Fragment key={r.id}>
                        <tr data-recommendation={r.id}>
                          <td>
                            <span className="vm-name">{vm.name}</span>
                          </td>
                          <td>
                            <span className={`status-pill kind-${r.kind}`}>
                              {t(`analysis.kind.${r.kind}` as MessageKey)}
                            </span>
                          </td>
                          <td className="num">
                            {change && changeText(locale, t, change, r.from ?? null, r.to ?? null)}
                          </td>
                          <td className="wrap-cell">{reasonText(locale, t, vm, r)}</td>
                          <td className="row-actions">
                            <div>
                              <button
                                type="button"
                                className="button-small"
                                aria-expanded={open === r.id}
                                aria-label={t('analysis.history.for', {
                                  name: vm.name,
                                  kind: t(`analysis.kind.${r.kind}` as MessageKey),
                                })}
                                onClick={() => setOpen(open === r.id ? null : r.id)}
                              >
                                {t('analysis.history')}
                              </button>
                              {admin && applicable(r) && (
                                <ApplyOrConnect
                                  host={centralHosts.get(vm.uuid.toLowerCase())}
                                  label={(host) =>
                                    t('analysis.apply.connectFor', {
                                      host,
                                      name: vm.name,
                                      kind: t(`analysis.kind.${r.kind}` as MessageKey),
                                    })
                                  }
                                  onConnect={onConnect}
                                >
                                  <button
                                    type="button"
                                    className="button-small button-primary"
                                    aria-label={t('analysis.apply.for', {
                                      name: vm.name,
                                      kind: t(`analysis.kind.${r.kind}` as MessageKey),
                                    })}
                                    onClick={() => setApplying(r.id)}
                                  >
                                    {t('analysis.apply')}
                                  </button>
                                </ApplyOrConnect>
                              )}
                            </div>
                          </td>
                        </tr>
                        {open === r.id && result && (
                          <tr className="analysis-detail">
                            <td colSpan={5}>
                              <RecommendationChart
                                client={client}
                                vm={vm}
                                recommendation={r}
                                fromMs={Math.max(
                                  result.at - result.windowMs,
                                  vm.figures.historyFromMs,
                                )}
                                toMs={result.at}
                              />
                              {(r.kind === 'less-memory' || r.kind === 'more-memory') && (
                                <MemoryDisk
                                  client={client}
                                  uuid={vm.uuid}
                                  windowMs={result.windowMs}
                                />
                              )}
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          );
        })}
        {waiting.length > 0 && (
          <details className="analysis-waiting">
            <summary>{t('analysis.waiting', { count: waiting.length })}</summary>
            <ul>
              {waiting.map((vm) => (
                <li key={vm.uuid}>
                  <span className="vm-name">{vm.name}</span>{' '}
                  <span className="muted">
                    {t('analysis.waiting.vm', {
                      have: durationText(locale, vm.historyMs),
                      needs: durationText(locale, vm.minHistoryMs),
                    })}
                    {' · '}
                    {t('analysis.waiting.ready', {
                      when: whenText(locale, vm.readyAtMs, result?.at ?? now),
                    })}
                  </span>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
      <AuditLog entries={audit} now={now} />
      {applying && (
        <ApplyDialog
          client={client}
          id={applying}
          windowMs={windowMs}
          onClose={(applied) => {
            setApplying(null);
            if (applied) load();
          }}
        />
      )}
    </div>
  );
}
