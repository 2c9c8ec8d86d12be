import { useContext, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { CentralView } from '../../shared/model/host-view';
import { FleetContext } from '../fleet/use-fleet';
import { formatDateTime, formatRelative, numberFormat } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { useNow } from '../use-now';
import { useIsAdmin } from '../use-role';
import { MysqlTargetFields, targetParams, type TargetFields } from './mysql-target-fields';
import { FormOutcome, messageOf, useFormActions } from './form-outcome';

/** How often the view asks how reading goes while it is shown, ms. */
const STATUS_EVERY_MS = 5_000;

/** A whole number of seconds, within the contract's bounds. */
function SecondsField(props: {
  label: string;
  min: number;
  max: number;
  value: number;
  onChange: (seconds: number) => void;
}) {
  return (
    <label className="form-field">
      <span className="form-label">{props.label}</span>
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={1}
        required
        // Emptied while typing: NaN until a number is typed (the form is not sent so).
        value={Number.isNaN(props.value) ? '' : props.value}
        onChange={(event) => props.onChange(event.target.valueAsNumber)}
      />
    </label>
  );
}

/** How reading the fleet goes: from which node, when last, and why not. */
function CentralReadFacts({ view }: { view: CentralView }) {
  const { t, locale } = useI18n();
  const now = useNow(STATUS_EVERY_MS);
  const number = numberFormat(locale);
  const status = view.status;
  const state =
    view.target === null
      ? 'none'
      : !view.target.enabled || !status
        ? 'stopped'
        : status.error
          ? 'error'
          : 'reading';
  const when = (ms: number | null) =>
    ms === null ? (
      t('sync.never')
    ) : (
      <span title={formatDateTime(locale, ms)}>{formatRelative(locale, ms, now)}</span>
    );
  return (
    <dl className="facts" aria-label={t('central.status')}>
      <dt>{t('central.status')}</dt>
      <dd>
        <span
          className={`status-pill ${state === 'reading' ? 'sync-idle' : `sync-${state}`}`}
          data-testid="central-state"
        >
          {t(`central.state.${state}` as MessageKey)}
        </span>
      </dd>
      {status && (
        <>
          <dt>{t('central.lastRead')}</dt>
          <dd>{when(status.lastReadAt)}</dd>
          <dt>{t('sync.node')}</dt>
          <dd data-testid="central-node">{status.node ?? '—'}</dd>
          {status.rejectedRows > 0 && (
            <>
              <dt>{t('central.rejected')}</dt>
              <dd>{number.format(status.rejectedRows)}</dd>
            </>
          )}
          {status.error && (
            <>
              <dt>{t('sync.lastError')}</dt>
              <dd>
                <span className="error-text">
                  {status.error} ({when(status.failingSince)})
                </span>
              </dd>
            </>
          )}
        </>
      )}
    </dl>
  );
}

/**
 * Where the console reads the fleet from: a central database that agents and other
 * consoles write to, read with a read-only account, its hosts and desktops shown beside
 * the ones this console polls. Given on serve's command line, it is shown, not edited.
 */
export function CentralReadView({ client }: { client: ContractClient }) {
  const { t } = useI18n();
  const admin = useIsAdmin();
  const fleet = useContext(FleetContext);
  const [view, setView] = useState<CentralView | null>(null);
  const [fields, setFields] = useState<TargetFields>({ url: '', tlsCaFile: '', password: '' });
  const [enabled, setEnabled] = useState(true);
  const [refreshSec, setRefreshSec] = useState(2);
  const [staleAfterSec, setStaleAfterSec] = useState(60);
  const { busy, notice, setNotice, setTested, tested, act } = useFormActions();

  useEffect(() => {
    let current = true;
    const read = (fill: boolean) =>
      client.request('central.get').then(
        (got) => {
          if (!current) return;
          setView(got);
          if (!fill || !got.target) return;
          setFields({ url: got.target.url, tlsCaFile: got.target.tlsCaFile ?? '', password: '' });
          setEnabled(got.target.enabled);
          setRefreshSec(got.target.refreshSec);
          setStaleAfterSec(got.target.staleAfterSec);
        },
        (error: unknown) => current && setNotice({ kind: 'error', text: messageOf(error) }),
      );
    void read(true);
    const timer = setInterval(() => void read(false), STATUS_EVERY_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [client]);

  function save(event: FormEvent): void {
    event.preventDefault();
    void act(async () => {
      const params = { ...targetParams(fields), enabled, refreshSec, staleAfterSec };
      setView(await client.request('central.set', params));
      setFields((before) => ({ ...before, password: '' }));
      // Its hosts join (or leave) the lists now, not at the next reload.
      fleet?.reload();
      return t('sync.saved');
    });
  }

  const fixed = view?.fixed ?? false;
  const hasTarget = Boolean(view?.target);
  return (
    <section className="panel panel-narrow" aria-labelledby="central-title">
      <header className="panel-header">
        <h2 id="central-title">{t('central.title')}</h2>
      </header>
      <p className="panel-caption muted">{t('central.caption')}</p>
      {fixed && view?.target && (
        <p className="notice-ok" data-testid="central-fixed">
          {t('central.fixed', { url: view.target.url })}
        </p>
      )}
      <form
        className="sync-form"
        onSubmit={save}
        hidden={!admin || fixed}
        aria-label={t('central.title')}
      >
        <MysqlTargetFields
          value={fields}
          onChange={setFields}
          hasPassword={view?.target?.hasPassword ?? false}
          placeholder="mysql://setmov_console@db1,db2,db3/setmov"
        />
        <div className="form-row form-row-even">
          <SecondsField
            label={t('central.refresh')}
            min={1}
            max={3600}
            value={refreshSec}
            onChange={setRefreshSec}
          />
          <SecondsField
            label={t('central.staleAfter')}
            min={10}
            max={604800}
            value={staleAfterSec}
            onChange={setStaleAfterSec}
          />
        </div>
        <label className="field-check">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(event) => setEnabled(event.target.checked)}
          />
          <span>{t('central.enabled')}</span>
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
                setTested(await client.request('central.test', targetParams(fields)));
                return null;
              })
            }
          >
            {t('central.test')}
          </button>
          <span className="spacer" />
          <button
            type="button"
            className="button-danger"
            disabled={busy || !hasTarget}
            onClick={() =>
              void act(async () => {
                setView(await client.request('central.remove'));
                setFields({ url: '', tlsCaFile: '', password: '' });
                fleet?.reload();
                return null;
              })
            }
          >
            {t('central.remove')}
          </button>
        </div>
      </form>
      <FormOutcome notice={notice} tested={tested} testLabel={t('central.test')} />
      {view && <CentralReadFacts view={view} />}
    </section>
  );
}
