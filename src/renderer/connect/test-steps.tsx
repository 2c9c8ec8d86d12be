import type { HostTestFound, HostTestResult } from '../../shared/model/host-view';
import { formatBytes } from '../format';
import { StepList } from '../components/step-list';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';

interface Props {
  result: HostTestResult;
  /** host:port the test went to, as the hints name it. */
  address: string;
  onAccept: () => void;
  onReject: () => void;
  busy: boolean;
}

/** hosts.test's steps, each with its result and error, and what to do about the host key. */
export function TestSteps({ result, address, onAccept, onReject, busy }: Props) {
  const { t } = useI18n();
  const keyStep = result.steps.find((step) => step.step === 'host-key');
  const changed = keyStep?.result === 'failed' && /CHANGED/i.test(keyStep.error ?? '');
  const allOk = result.steps.every((step) => step.result === 'ok');
  return (
    <div className="test-result">
      <StepList
        steps={result.steps}
        label={t('connect.retest')}
        nameOf={(step) => t(`connect.step.${step}` as MessageKey)}
        hintOf={(step) => {
          const hint = result.steps.find((s) => s.step === step.step)?.hint;
          return hint ? t(`connect.hint.${hint}`, { address }) : null;
        }}
      />
      {result.unknownHostKey && (
        <div className="key-panel" role="group" aria-labelledby="unknown-key-title">
          <h3 id="unknown-key-title">{t('connect.unknownKey.title')}</h3>
          <p>
            {t('connect.unknownKey.body', { keyType: keyFileType(result.unknownHostKey.keyType) })}
          </p>
          <p className="fingerprint" data-testid="fingerprint">
            {result.unknownHostKey.keyType} {result.unknownHostKey.fingerprint}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button-primary" onClick={onAccept} disabled={busy}>
              {t('connect.accept')}
            </button>
            <button type="button" onClick={onReject} disabled={busy}>
              {t('connect.reject')}
            </button>
          </div>
        </div>
      )}
      {changed && (
        <div className="banner banner-error key-changed" role="alert">
          {t('connect.changedKey')}
        </div>
      )}
      <FoundFacts found={result.found} />
      {allOk && (
        <p className="test-all-ok" role="status">
          {t('connect.allOk')}
        </p>
      )}
    </div>
  );
}

/** What the test found on the host: the same facts `setmov hosts test` prints. */
function FoundFacts({ found }: { found: HostTestFound }) {
  const { t, locale } = useI18n();
  const { identity, vms, libvirtHostname } = found;
  if (!identity && !vms) return null;
  return (
    <ul className="test-found" aria-label={t('connect.found')} data-testid="test-found">
      {identity && (
        <li>
          {t('connect.found.host', {
            hostname: identity.hostname,
            ip: identity.primaryIp ?? t('connect.found.noIp'),
            cpus: identity.cpuCount,
            memory: formatBytes(locale, identity.memoryTotalBytes),
            kernel: identity.kernelRelease ?? '?',
          })}
        </li>
      )}
      {vms && (
        <li>
          {t('connect.found.vms', {
            name: libvirtHostname ?? identity?.hostname ?? '?',
            count: vms.total,
            running: vms.running,
          })}
        </li>
      )}
    </ul>
  );
}

/** ssh-ed25519 → ed25519, the name of the host key file it lives in. */
function keyFileType(keyType: string): string {
  return keyType.replace(/^ssh-/, '').replace(/^ecdsa-sha2-nistp\d+$/, 'ecdsa');
}
