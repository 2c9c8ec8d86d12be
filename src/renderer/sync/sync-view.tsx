import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { SyncView as SyncViewModel } from '../../shared/model/sync-status';
import { formatDateTime, formatRelative, numberFormat } from '../format';
import { useI18n } from '../i18n/i18n';
import { useIsAdmin } from '../use-role';
import type { MessageKey } from '../i18n/messages';
import { useNow } from '../use-now';
import { syncAdviceKey } from './sync-advice';
import { MysqlTargetFields, targetParams, type TargetFields } from './mysql-target-fields';
import { FormOutcome, messageOf, useFormActions } from './form-outcome';

function SyncStatusPanel({ view }: { view: SyncViewModel }) {
  const { t, locale } = useI18n();
  const now = useNow(5_000);
  const status = view.status;
  const state = view.target === null ? 'none' : (status?.state ?? 'stopped');
  const number = numberFormat(locale);
  const advice = status?.lastError && syncAdviceKey(status.lastError.code);
  const when = (ms: number | null | undefined) =>
    ms === null || ms === undefined ? (
      t('sync.never')
    ) : (
      <span title={formatDateTime(locale, ms)}>{formatRelative(locale, ms, now)}</span>
    );
  return (
    <dl className="facts" aria-label={t('sync.status')}>
      <dt>{t('sync.status')}</dt>
      <dd>
        <span className={`status-pill sync-${state}`} data-testid="sync-state">
          {t(`sync.state.${state}` as MessageKey)}
        </span>
      </dd>
      <dt>{t('sync.lastSuccess')}</dt>
      <dd>{when(status?.lastSuccessAt)}</dd>
      <dt>{t('sync.lag')}</dt>
      <dd>{status ? number.format(status.lagSamples) : '—'}</dd>
      <dt>{t('sync.sent')}</dt>
      <dd>{status ? number.format(status.sentRows) : '—'}</dd>
      <dt>{t('sync.parked')}</dt>
      <dd>
        {status ? number.format(status.parkedRows) : '—'}
        {status?.lastParked && <span className="muted"> · {status.lastParked.reason}</span>}
      </dd>
      {status?.node && (
        <>
          <dt>{t('sync.node')}</dt>
          <dd data-testid="sync-node">
            {status.node}
            {status.failovers > 0 && (
              <span className="muted">
                {' · '}
                {t('sync.node.moves', { count: number.format(status.failovers) })}
              </span>
            )}
            {status.conflictRetries > 0 && (
              <span className="muted">
                {' · '}
                {t('sync.node.resent', { count: number.format(status.conflictRetries) })}
              </span>
            )}
          </dd>
        </>
      )}
      {status?.lastError && (
        <>
          <dt>{t('sync.lastError')}</dt>
          <dd>
            <span className="error-text">
              {status.lastError.code}: {status.lastError.message} ({when(status.lastError.at)})
            </span>
            {advice && <div>{t(advice)}</div>}
          </dd>
        </>
      )}
    </dl>
  );
}

/**
 * The MySQL target: URL, TLS CA, password (kept by the backend, never shown back),
 * test, initialise, sync now, and its status live on the `sync` topic.
 */
export function SyncView({ client }: { client: ContractClient }) {
  const { t } = useI18n();
  const admin = useIsAdmin();
  const [view, setView] = useState<SyncViewModel | null>(null);
  const [fields, setFields] = useState<TargetFields>({ url: '', tlsCaFile: '', password: '' });
  const [enabled, setEnabled] = useState(true);
  const { busy, notice, setNotice, setTested, tested, act } = useFormActions();

  useEffect(() => {
    let current = true;
    client.request('sync.get').then(
      (got) => {
        if (!current) return;
        setView(got);
        setFields({
          url: got.target?.url ?? '',
          tlsCaFile: got.target?.tlsCaFile ?? '',
          password: '',
        });
        setEnabled(got.target?.enabled ?? true);
      },
      (error: unknown) => current && setNotice({ kind: 'error', text: messageOf(error) }),
    );
    const stopListening = client.subscribe('sync.status', (next) => current && setView(next));
    const stopWatching = client.watch('sync');
    return () => {
      current = false;
      stopWatching();
      stopListening();
    };
  }, [client]);

  const target = () => targetParams(fields);

  function save(event: FormEvent): void {
    event.preventDefault();
    void act(async () => {
      setView(await client.request('sync.set', { ...target(), enabled }));
      setFields((before) => ({ ...before, password: '' }));
      return t('sync.saved');
    });
  }

  const hasTarget = view?.target !== null && view?.target !== undefined;
  return (
    <section className="panel panel-narrow" aria-labelledby="sync-title">
      <header className="panel-header">
        <h1 id="sync-title">{t('sync.title')}</h1>
      </header>
      <p className="panel-caption muted">{t('sync.caption')}</p>
      {/* A viewer sees the status below; the target is the admin's to set. */}
      <form className="sync-form" onSubmit={save} hidden={!admin}>
        <MysqlTargetFields
          value={fields}
          onChange={setFields}
          hasPassword={view?.target?.hasPassword ?? false}
          placeholder="mysql://setmov@db.example:3306/setmov"
        />
        <label className="field-check">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(event) => setEnabled(event.target.checked)}
          />
          <span>{t('sync.enabled')}</span>
        </label>
        <div className="dialog-actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {t('sync.save')}
          </button>
          <button
            type="button"
            disabled={busy || !fields.url.trim()}
            onClick={() =>
              void act(async () => {
                setTested(await client.request('sync.test', target()));
                return null;
              })
            }
          >
            {t('sync.test')}
          </button>
          <button
            type="button"
            disabled={busy || !hasTarget}
            onClick={() =>
              void act(async () => {
                const done = await client.request('sync.init');
                return t('sync.initDone', { from: done.fromVersion, to: done.toVersion });
              })
            }
          >
            {t('sync.init')}
          </button>
          <button
            type="button"
            disabled={busy || !hasTarget}
            onClick={() =>
              void act(async () => {
                setView(await client.request('sync.now'));
                return null;
              })
            }
          >
            {t('sync.now')}
          </button>
          <span className="spacer" />
          <button
            type="button"
            className="button-danger"
            disabled={busy || !hasTarget}
            onClick={() =>
              void act(async () => {
                setView(await client.request('sync.remove'));
                setFields({ url: '', tlsCaFile: '', password: '' });
                return null;
              })
            }
          >
            {t('sync.remove')}
          </button>
        </div>
      </form>
      <FormOutcome notice={notice} tested={tested} testLabel={t('sync.test')} />
      {view && <SyncStatusPanel view={view} />}
    </section>
  );
}
