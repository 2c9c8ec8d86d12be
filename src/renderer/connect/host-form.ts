import type { HostView } from '../../shared/model/host-view';
import type { SshConfigHost } from '../../shared/model/host-view';
import type { RequestInput } from '../../shared/contract/requests';

/** What the connect dialog's fields hold; secrets only while the dialog is open. */
export interface HostForm {
  name: string;
  where: 'local' | 'ssh';
  host: string;
  port: string;
  username: string;
  auth: 'agent' | 'key' | 'password';
  identityFile: string;
  passphrase: string;
  password: string;
  libvirtUri: string;
  pollIntervalSec: string;
}

/**
 * What the console knows of a host it has not saved (one read from the central
 * database): its name and address, to connect it over SSH from the dialog.
 */
export type HostPrefill = Pick<HostForm, 'name' | 'host'>;

export const emptyForm: HostForm = {
  name: '',
  where: 'ssh',
  host: '',
  port: '22',
  username: 'root',
  auth: 'agent',
  identityFile: '',
  passphrase: '',
  password: '',
  libvirtUri: 'qemu:///system',
  pollIntervalSec: '2',
};

/** A saved host in the fields (its secrets are never shown back: they stay empty). */
export function formOf(host: HostView): HostForm {
  return {
    ...emptyForm,
    name: host.name,
    where: host.ssh ? 'ssh' : 'local',
    host: host.ssh?.host ?? '',
    port: String(host.ssh?.port ?? 22),
    username: host.ssh?.username ?? 'root',
    auth: host.ssh?.auth ?? 'agent',
    identityFile: host.ssh?.identityFile ?? '',
    libvirtUri: host.libvirtUri,
    pollIntervalSec: String(host.pollIntervalSec),
  };
}

/** A host of ~/.ssh/config in the fields: a name from its alias, the rest as OpenSSH would. */
export function formFromConfig(form: HostForm, entry: SshConfigHost): HostForm {
  return {
    ...form,
    name: form.name || entry.alias,
    where: 'ssh',
    host: entry.hostName,
    port: String(entry.port),
    username: entry.user ?? form.username,
    auth: entry.identityFile ? 'key' : form.auth,
    identityFile: entry.identityFile ?? form.identityFile,
  };
}

type Ssh = NonNullable<RequestInput<'hosts.add'>['ssh']>;

/** The auth the request carries; undefined when editing a secret-based auth left empty. */
function authOf(form: HostForm, editing: boolean): Ssh['auth'] | undefined {
  if (form.auth === 'agent') return { method: 'agent' };
  if (form.auth === 'key') {
    return {
      method: 'key',
      identityFile: form.identityFile.trim(),
      ...(form.passphrase ? { passphrase: form.passphrase } : {}),
    };
  }
  if (!form.password && editing) return undefined;
  return { method: 'password', password: form.password };
}

/**
 * The hosts.add request of the fields. The backend validates it again (names, ports,
 * lengths); the numbers here are only parsed.
 */
export function addRequestOf(form: HostForm): RequestInput<'hosts.add'> {
  const poll = Number.parseInt(form.pollIntervalSec, 10);
  return {
    name: form.name.trim(),
    ssh:
      form.where === 'local'
        ? null
        : {
            host: form.host.trim(),
            port: Number.parseInt(form.port, 10),
            username: form.username.trim(),
            auth: authOf(form, false) as Ssh['auth'],
          },
    libvirtUri: form.libvirtUri.trim(),
    ...(Number.isFinite(poll) ? { pollIntervalSec: poll } : {}),
  };
}

/**
 * The hosts.update request of the fields. SSH settings go only when they changed, and a
 * password left empty keeps the kept one: its secret is not sent back and forth.
 */
export function updateRequestOf(form: HostForm, saved: HostView): RequestInput<'hosts.update'> {
  const poll = Number.parseInt(form.pollIntervalSec, 10);
  const add = addRequestOf(form);
  const auth = form.where === 'ssh' ? authOf(form, true) : undefined;
  const sameSsh =
    form.where === 'ssh' &&
    saved.ssh !== null &&
    saved.ssh.host === add.ssh?.host &&
    saved.ssh.port === add.ssh?.port &&
    saved.ssh.username === add.ssh?.username &&
    saved.ssh.auth === form.auth &&
    (form.auth !== 'key' || saved.ssh.identityFile === form.identityFile.trim()) &&
    !form.passphrase &&
    !form.password;
  const name = add.name === saved.name ? {} : { name: add.name };
  return {
    id: saved.id,
    ...name,
    ...(sameSsh || (form.where === 'ssh' && auth === undefined) ? {} : { ssh: add.ssh ?? null }),
    libvirtUri: add.libvirtUri,
    ...(Number.isFinite(poll) ? { pollIntervalSec: poll } : {}),
  };
}
