import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConnectHostDialog } from '../../../src/renderer/connect/connect-host-dialog';
import { I18nProvider } from '../../../src/renderer/i18n/i18n';
import type { ContractClient } from '../../../src/shared/contract/browser';
import type { HostTestResult, HostTestStep, HostView } from '../../../src/shared/model/host-view';

const fingerprint = `SHA256:${'x'.repeat(43)}`;
const steps = ['tcp', 'host-key', 'auth', 'proc', 'libvirt'] as const;

/** hosts.test's answer with the given step failing (and the later ones skipped). */
function failingAt(
  failed: HostTestStep['step'] | null,
  error = 'boom',
  hint: HostTestStep['hint'] = null,
): HostTestResult {
  const at = failed === null ? steps.length : steps.indexOf(failed);
  return {
    steps: steps.map((step, i) => ({
      step,
      result: i < at ? 'ok' : i === at ? 'failed' : 'skipped',
      error: i === at ? error : null,
      hint: i === at ? hint : null,
    })),
    found: { identity: null, libvirtHostname: null, vms: null },
    unknownHostKey: null,
  };
}

/**
 * The backend as the dialog sees it: what each request answers, in order, and what was
 * asked. The UI's states are the subject here; the real backend's are its own tests'.
 */
function backend(answers: Partial<Record<string, unknown[]>>) {
  const calls: [string, unknown][] = [];
  const client = {
    request: (name: string, params?: unknown) => {
      calls.push([name, params]);
      const queue = answers[name] ?? [];
      const answer = queue.length > 1 ? queue.shift() : queue[0];
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer ?? null);
    },
    subscribe: () => () => {},
    watch: () => () => {},
  } as unknown as ContractClient;
  return { client, calls };
}

function open(client: ContractClient, onClose = () => {}) {
  render(
    <I18nProvider language="en">
      <ConnectHostDialog client={client} onClose={onClose} />
    </I18nProvider>,
  );
}

async function fillSsh(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByRole('textbox', { name: /^Name/ }), 'kvm-a');
  await user.type(screen.getByRole('textbox', { name: 'Host or address' }), '10.0.0.11');
  await user.selectOptions(screen.getByRole('combobox', { name: 'Authentication' }), 'password');
  await user.type(screen.getByLabelText('Password'), 's3cret');
}

describe('ConnectHostDialog', () => {
  it('names a host in Korean with a space, and shows what the test found there', async () => {
    const user = userEvent.setup();
    const { client, calls } = backend({
      'hosts.sshConfig': [[]],
      'hosts.add': [{ id: 'h-1', name: '가상 서버 1' }],
      'hosts.test': [
        {
          ...failingAt(null),
          found: {
            identity: {
              hostname: 'kvm-7',
              primaryIp: '10.0.0.11',
              cpuCount: 16,
              cpuModel: null,
              memoryTotalBytes: 64 * 1024 ** 3,
              kernelRelease: '6.1.0-28-amd64',
            },
            libvirtHostname: 'kvm-7',
            vms: { total: 40, running: 31 },
          },
        },
      ],
    });
    open(client);
    await user.type(screen.getByRole('textbox', { name: /^Name/ }), '가상 서버 1');
    await user.type(screen.getByRole('textbox', { name: 'Host or address' }), '10.0.0.11');
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    const found = await screen.findByRole('list', { name: 'Found on the host' });
    expect(found.textContent).toContain('Found kvm-7 (10.0.0.11): 16 CPUs, 64');
    expect(found.textContent).toContain('libvirt on kvm-7: 40 VMs, 31 running');
    expect(calls.find(([name]) => name === 'hosts.add')?.[1]).toMatchObject({
      name: '가상 서버 1',
    });
    expect(calls.find(([name]) => name === 'hosts.test')?.[1]).toEqual({ id: 'h-1' });
  });

  it.each(steps)('shows the %s step failing on its own, with its error', async (step) => {
    const user = userEvent.setup();
    const { client, calls } = backend({
      'hosts.sshConfig': [[]],
      'hosts.add': [{ id: 'kvm-a', name: 'kvm-a' }],
      'hosts.test': [failingAt(step, `${step} went wrong`)],
    });
    open(client);
    await fillSsh(user);
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    const list = await screen.findByRole('list', { name: 'Test connection' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.className.replace('test-step test-', ''))).toEqual(
      steps.map((s, i) => (i < steps.indexOf(step) ? 'ok' : s === step ? 'failed' : 'skipped')),
    );
    expect(within(list).getByText(`${step} went wrong`)).toBeTruthy();
    expect(calls.find(([name]) => name === 'hosts.add')?.[1]).toEqual({
      name: 'kvm-a',
      ssh: {
        host: '10.0.0.11',
        port: 22,
        username: 'root',
        auth: { method: 'password', password: 's3cret' },
      },
      libvirtUri: 'qemu:///system',
      pollIntervalSec: 2,
    });
    // The password left the page with the request.
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it('shows an unknown key as its fingerprint, trusts only on request, then tests again', async () => {
    const user = userEvent.setup();
    const unknown: HostTestResult = {
      ...failingAt('host-key', 'host key not known'),
      unknownHostKey: { keyType: 'ssh-ed25519', fingerprint },
    };
    const { client, calls } = backend({
      'hosts.sshConfig': [[]],
      'hosts.add': [{ id: 'kvm-a', name: 'kvm-a' }],
      'hosts.test': [unknown, failingAt(null)],
    });
    open(client);
    await fillSsh(user);
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    expect((await screen.findByTestId('fingerprint')).textContent).toBe(
      `ssh-ed25519 ${fingerprint}`,
    );
    expect(screen.getByText(/ssh_host_ed25519_key\.pub/)).toBeTruthy();
    expect(calls.some(([name]) => name === 'hosts.acceptKey')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Trust this key' }));
    expect(await screen.findByText('Connected: the host is being watched.')).toBeTruthy();
    expect(calls.find(([name]) => name === 'hosts.acceptKey')?.[1]).toEqual({
      id: 'kvm-a',
      fingerprint,
    });
  });

  it('removes the host it added when the key is not trusted', async () => {
    const user = userEvent.setup();
    let closed = false;
    const { client, calls } = backend({
      'hosts.sshConfig': [[]],
      'hosts.add': [{ id: 'kvm-a', name: 'kvm-a' }],
      'hosts.test': [
        { ...failingAt('host-key'), unknownHostKey: { keyType: 'ssh-rsa', fingerprint } },
      ],
    });
    open(client, () => (closed = true));
    await fillSsh(user);
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    await user.click(await screen.findByRole('button', { name: 'Do not trust' }));
    await waitFor(() => expect(closed).toBe(true));
    expect(calls.find(([name]) => name === 'hosts.remove')?.[1]).toEqual({ id: 'kvm-a' });
  });

  it('refuses a changed key loudly, with nothing to accept', async () => {
    const user = userEvent.setup();
    const { client } = backend({
      'hosts.sshConfig': [[]],
      'hosts.add': [{ id: 'kvm-a', name: 'kvm-a' }],
      'hosts.test': [
        failingAt(
          'host-key',
          'HOST KEY CHANGED: known_hosts has SHA256:aaa, the host presented SHA256:bbb',
        ),
      ],
    });
    open(client);
    await fillSsh(user);
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent).join('\n')).toMatch(
      /WARNING: the host key has changed/,
    );
    expect(screen.queryByRole('button', { name: 'Trust this key' })).toBeNull();
  });

  it("fills the fields from ~/.ssh/config, and shows the backend's refusal where it happened", async () => {
    const user = userEvent.setup();
    const { client } = backend({
      'hosts.sshConfig': [
        [
          {
            alias: 'lab-7',
            hostName: '10.7.0.7',
            port: 2222,
            user: 'ops',
            identityFile: '/home/u/.ssh/id_lab',
          },
        ],
      ],
      'hosts.add': [new Error("a host named 'lab-7' exists already")],
    });
    open(client);
    await user.selectOptions(
      await screen.findByRole('combobox', { name: 'From ~/.ssh/config' }),
      'lab-7',
    );
    expect((screen.getByRole('textbox', { name: /^Name/ }) as HTMLInputElement).value).toBe(
      'lab-7',
    );
    expect(
      (screen.getByRole('textbox', { name: 'Host or address' }) as HTMLInputElement).value,
    ).toBe('10.7.0.7');
    expect((screen.getByRole('spinbutton', { name: 'Port' }) as HTMLInputElement).value).toBe(
      '2222',
    );
    expect(
      (screen.getByRole('textbox', { name: 'Private key file' }) as HTMLInputElement).value,
    ).toBe('/home/u/.ssh/id_lab');
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      "a host named 'lab-7' exists already",
    );
  });

  it('says what to check for a common failure, with the raw error beneath', async () => {
    const user = userEvent.setup();
    const { client } = backend({
      'hosts.sshConfig': [[]],
      'hosts.add': [{ id: 'kvm-a', name: 'kvm-a' }],
      'hosts.test': [failingAt('tcp', 'connect ECONNREFUSED 10.0.0.11:22', 'refused')],
    });
    open(client);
    await fillSsh(user);
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    const list = await screen.findByRole('list', { name: 'Test connection' });
    expect(
      within(list).getByText(
        'Nothing listens on 10.0.0.11:22: is sshd running, is the port right?',
      ),
    ).toBeTruthy();
    expect(within(list).getByText('connect ECONNREFUSED 10.0.0.11:22')).toBeTruthy();
  });

  it('says a host that fails its test was saved, and what to do', async () => {
    const user = userEvent.setup();
    const { client } = backend({
      'hosts.sshConfig': [[]],
      'hosts.add': [{ id: 'kvm-a', name: 'kvm-a' }],
      'hosts.test': [failingAt('auth', 'authentication failed', 'auth-failed')],
    });
    open(client);
    await fillSsh(user);
    await user.click(screen.getByRole('button', { name: 'Save and test' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'kvm-a is saved, but its test fails: fix the settings above and test again, or remove the host.',
    );
  });

  it.each([
    [true, true],
    [false, false],
  ])('says a secret is kept only when one is (stored: %s)', (hasSecret, shown) => {
    const { client } = backend({ 'hosts.sshConfig': [[]] });
    openEditing(client, { ...keyHost, hasSecret });
    expect(screen.queryByText(/A secret is kept for this host/) !== null).toBe(shown);
  });

  it("asks before removing in the app's own dialog, not the browser's", async () => {
    const user = userEvent.setup();
    const browserConfirm = vi.spyOn(window, 'confirm');
    let closed = false;
    const { client, calls } = backend({ 'hosts.sshConfig': [[]] });
    openEditing(client, keyHost, () => (closed = true));
    await user.click(screen.getByRole('button', { name: 'Remove host' }));
    const ask = await screen.findByRole('alertdialog');
    expect(ask.textContent).toMatch('Remove kvm-b? Its history stays.');
    await user.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.some(([name]) => name === 'hosts.remove')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Remove host' }));
    await user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Remove' }),
    );
    await waitFor(() => expect(closed).toBe(true));
    expect(calls.find(([name]) => name === 'hosts.remove')?.[1]).toEqual({ id: 'kvm-b' });
    expect(browserConfirm).not.toHaveBeenCalled();
  });
});

const keyHost: HostView = {
  id: 'kvm-b',
  name: 'kvm-b',
  ssh: { host: '10.0.0.12', port: 22, username: 'root', auth: 'key', identityFile: '/k/id' },
  libvirtUri: 'qemu:///system',
  pollIntervalSec: 2,
  hasSecret: false,
  status: {
    status: 'up',
    reason: null,
    procError: null,
    libvirtError: null,
    retryAt: null,
    failedAttempts: 0,
  },
};

function openEditing(client: ContractClient, editing: HostView, onClose = () => {}) {
  render(
    <I18nProvider language="en">
      <ConnectHostDialog client={client} editing={editing} onClose={onClose} />
    </I18nProvider>,
  );
}
