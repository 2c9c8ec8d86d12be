import { useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ContractClient } from '../../shared/contract/browser';
import type { HostTestResult, HostView, SshConfigHost } from '../../shared/model/host-view';
import { useI18n } from '../i18n/i18n';
import { ConfirmDialog } from '../components/confirm-dialog';
import { useModal } from '../components/use-modal';
import { addRequestOf, emptyForm, formFromConfig, formOf, updateRequestOf } from './host-form';
import type { HostForm, HostPrefill } from './host-form';
import { TestSteps } from './test-steps';

interface Props {
  client: ContractClient;
  /** The saved host to edit; absent: a new one. */
  editing?: HostView;
  /** A new host's name and address as the console already knows them (a central host). */
  initial?: HostPrefill;
  onClose: () => void;
}

type Phase =
  | { kind: 'form' }
  | { kind: 'busy' }
  | { kind: 'tested'; result: HostTestResult }
  | { kind: 'failed'; message: string };

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="form-field">
      <span className="form-label">{label}</span>
      {children}
      {hint && <span className="form-hint">{hint}</span>}
    </label>
  );
}

/**
 * Adds or edits a KVM host: this machine or SSH (agent, key file with passphrase, or
 * password; hosts of ~/.ssh/config offered), then tests it step by step. An unknown host
 * key is shown as its fingerprint to trust or not; a changed one is refused, loudly.
 */
export function ConnectHostDialog({ client, editing, initial, onClose }: Props) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [form, setForm] = useState<HostForm>(
    editing ? formOf(editing) : { ...emptyForm, ...initial },
  );
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const [configHosts, setConfigHosts] = useState<SshConfigHost[]>([]);
  /** The id of the host this dialog saved or edits, once there is one. */
  const [savedId, setSavedId] = useState<string | null>(editing?.id ?? null);
  const addedHere = useRef(false);
  const [confirmingRemove, setConfirmingRemove] = useState(false);

  useModal(dialog);
  useEffect(() => {
    client.request('hosts.sshConfig').then(setConfigHosts, () => setConfigHosts([]));
  }, [client]);

  const set = (change: Partial<HostForm>) => setForm((old) => ({ ...old, ...change }));
  const busy = phase.kind === 'busy';

  async function run(work: () => Promise<void>): Promise<void> {
    setPhase({ kind: 'busy' });
    try {
      await work();
    } catch (error) {
      setPhase({ kind: 'failed', message: messageOf(error) });
    }
  }

  const test = async (id: string) =>
    setPhase({ kind: 'tested', result: await client.request('hosts.test', { id }) });

  function save(event: FormEvent): void {
    event.preventDefault();
    void run(async () => {
      if (savedId === null) {
        const added = await client.request('hosts.add', addRequestOf(form));
        addedHere.current = true;
        setSavedId(added.id);
        await test(added.id);
      } else {
        const saved = editing ?? (await client.request('hosts.list')).find((h) => h.id === savedId);
        if (!saved) throw new Error(savedId);
        await client.request('hosts.update', updateRequestOf(form, saved));
        await test(savedId);
      }
      // Secrets leave the page once sent: the backend keeps them.
      set({ password: '', passphrase: '' });
    });
  }

  function accept(): void {
    if (phase.kind !== 'tested' || !phase.result.unknownHostKey || savedId === null) return;
    const { fingerprint } = phase.result.unknownHostKey;
    void run(async () => {
      await client.request('hosts.acceptKey', { id: savedId, fingerprint });
      await test(savedId);
    });
  }

  function reject(): void {
    void run(async () => {
      if (addedHere.current && savedId !== null) {
        await client.request('hosts.remove', { id: savedId });
      }
      onClose();
    });
  }

  function remove(): void {
    setConfirmingRemove(false);
    if (!editing) return;
    void run(async () => {
      await client.request('hosts.remove', { id: editing.id });
      onClose();
    });
  }

  const title = editing ? t('connect.title.edit', { name: editing.name }) : t('connect.title.add');
  return (
    <dialog
      ref={dialog}
      className="connect-dialog"
      aria-labelledby="connect-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={save} className="connect-form">
        <h2 id="connect-title">{title}</h2>
        <div className="form-grid">
          <Field label={t('connect.name')} hint={t('connect.name.hint')}>
            <input
              required
              value={form.name}
              maxLength={64}
              onChange={(event) => set({ name: event.target.value })}
            />
          </Field>
          <fieldset className="form-field">
            <legend className="form-label">{t('connect.where')}</legend>
            <div className="segmented">
              {(['ssh', 'local'] as const).map((where) => (
                <label key={where}>
                  <input
                    type="radio"
                    name="where"
                    checked={form.where === where}
                    onChange={() => set({ where })}
                  />
                  {t(where === 'ssh' ? 'connect.ssh' : 'connect.local')}
                </label>
              ))}
            </div>
          </fieldset>
          {form.where === 'ssh' && (
            <>
              {configHosts.length > 0 && (
                <Field label={t('connect.fromConfig')}>
                  <select
                    value=""
                    onChange={(event) => {
                      const entry = configHosts.find((h) => h.alias === event.target.value);
                      if (entry) setForm((old) => formFromConfig(old, entry));
                    }}
                  >
                    <option value="">{t('connect.fromConfig.none')}</option>
                    {configHosts.map((entry) => (
                      <option key={entry.alias} value={entry.alias}>
                        {entry.alias} ({entry.user ? `${entry.user}@` : ''}
                        {entry.hostName}:{entry.port})
                      </option>
                    ))}
                  </select>
                </Field>
              )}
              <div className="form-row">
                <Field label={t('connect.address')}>
                  <input
                    required
                    value={form.host}
                    onChange={(event) => set({ host: event.target.value })}
                  />
                </Field>
                <Field label={t('connect.port')}>
                  <input
                    required
                    type="number"
                    min={1}
                    max={65535}
                    className="input-port"
                    value={form.port}
                    onChange={(event) => set({ port: event.target.value })}
                  />
                </Field>
              </div>
              <Field label={t('connect.user')}>
                <input
                  required
                  value={form.username}
                  onChange={(event) => set({ username: event.target.value })}
                />
              </Field>
              <Field label={t('connect.auth')}>
                <select
                  value={form.auth}
                  onChange={(event) => set({ auth: event.target.value as HostForm['auth'] })}
                >
                  <option value="agent">{t('connect.auth.agent')}</option>
                  <option value="key">{t('connect.auth.key')}</option>
                  <option value="password">{t('connect.auth.password')}</option>
                </select>
              </Field>
              {form.auth === 'key' && (
                <>
                  <Field label={t('connect.keyFile')}>
                    <input
                      required
                      value={form.identityFile}
                      onChange={(event) => set({ identityFile: event.target.value })}
                    />
                  </Field>
                  <Field
                    label={t('connect.passphrase')}
                    {...(editing?.ssh?.auth === 'key' && editing.hasSecret
                      ? { hint: t('connect.secretKept') }
                      : {})}
                  >
                    <input
                      type="password"
                      autoComplete="off"
                      value={form.passphrase}
                      onChange={(event) => set({ passphrase: event.target.value })}
                    />
                  </Field>
                </>
              )}
              {form.auth === 'password' && (
                <Field
                  label={t('connect.password')}
                  {...(editing?.ssh?.auth === 'password' && editing.hasSecret
                    ? { hint: t('connect.secretKept') }
                    : {})}
                >
                  <input
                    type="password"
                    autoComplete="off"
                    required={!(editing?.ssh?.auth === 'password' && editing.hasSecret)}
                    value={form.password}
                    onChange={(event) => set({ password: event.target.value })}
                  />
                </Field>
              )}
            </>
          )}
          <div className="form-row">
            <Field label={t('connect.libvirtUri')}>
              <input
                required
                value={form.libvirtUri}
                onChange={(event) => set({ libvirtUri: event.target.value })}
              />
            </Field>
            <Field label={t('connect.pollInterval')}>
              <input
                type="number"
                min={1}
                max={60}
                className="input-port"
                value={form.pollIntervalSec}
                onChange={(event) => set({ pollIntervalSec: event.target.value })}
              />
            </Field>
          </div>
        </div>

        {busy && (
          <p className="muted" role="status">
            {t('connect.testing')}
          </p>
        )}
        {phase.kind === 'failed' && (
          <div className="banner banner-error" role="alert">
            {phase.message}
          </div>
        )}
        {phase.kind === 'tested' && (
          <TestSteps
            result={phase.result}
            address={`${form.host}:${form.port}`}
            onAccept={accept}
            onReject={reject}
            busy={busy}
          />
        )}
        {phase.kind === 'tested' &&
          savedId !== null &&
          !phase.result.unknownHostKey &&
          phase.result.steps.some((step) => step.result === 'failed') && (
            <div className="banner banner-error" role="alert">
              {t('connect.savedButFails', { name: form.name.trim() })}
            </div>
          )}

        <div className="dialog-actions">
          {editing && (
            <button
              type="button"
              className="button-danger"
              onClick={() => setConfirmingRemove(true)}
              disabled={busy}
            >
              {t('connect.remove')}
            </button>
          )}
          <span className="spacer" />
          <button type="button" onClick={onClose} disabled={busy}>
            {savedId !== null && !editing ? t('connect.close') : t('connect.cancel')}
          </button>
          <button type="submit" className="button-primary" disabled={busy}>
            {savedId !== null && phase.kind !== 'form' ? t('connect.retest') : t('connect.save')}
          </button>
        </div>
      </form>
      {confirmingRemove && editing && (
        <ConfirmDialog
          question={t('connect.removeConfirm', { name: editing.name })}
          action={t('connect.removeConfirm.yes')}
          onConfirm={remove}
          onCancel={() => setConfirmingRemove(false)}
        />
      )}
    </dialog>
  );
}
