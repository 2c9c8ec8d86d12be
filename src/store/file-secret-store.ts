import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SecretStore } from './secret-store';

export type SecretFileErrorCode =
  /** Group or others may read it, or another user owns it: refused until `chmod 600`. */
  | 'secret-file-exposed'
  /** Not a secrets file of ours (bad JSON or shape); left as it is. */
  | 'secret-file-invalid'
  /** The file system refused a read or write (permissions, disk full, ...). */
  | 'secret-file-io';

/** A failure of the secrets file. The message names the file, never a secret. */
export class SecretFileError extends Error {
  override readonly name = 'SecretFileError';
  constructor(
    readonly code: SecretFileErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

interface SecretsFile {
  version: 1;
  secrets: Record<string, string>;
}

/** `$XDG_CONFIG_HOME/setmov/secrets.json`, beside hosts.json (default ~/.config/setmov). */
export function defaultSecretsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'setmov', 'secrets.json');
}

/** Unix modes mean nothing on Windows, where the profile folder's ACL protects the file. */
const checksModes = process.platform !== 'win32';

/**
 * Secrets for serve and the CLI, in a JSON file only its owner can read: created 0600 in a
 * folder created 0700, replaced atomically (a temporary file made 0600 before any byte is
 * written, then renamed over). NOT encrypted: anyone who can read the file as its owner
 * (or as root) reads the passwords. A file that group or others can read, or that another
 * user owns, is refused rather than tightened, as ssh refuses such a private key: it may
 * already have been read, so the user should know and change the passwords.
 * Writers in one process are queued; two processes writing at once keep the last write.
 */
export class FileSecretStore implements SecretStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string = defaultSecretsPath()) {}

  async get(key: string): Promise<string | null> {
    await this.queue;
    return (await this.read()).secrets[key] ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    if (key === '') throw new TypeError('a secret needs a non-empty key');
    await this.update((secrets) => {
      secrets[key] = value;
      return true;
    });
  }

  async delete(key: string): Promise<void> {
    await this.update((secrets) => {
      if (!(key in secrets)) return false;
      delete secrets[key];
      return true;
    });
  }

  /** `change` says whether it changed anything: a no-op never creates or rewrites the file. */
  private update(change: (secrets: Record<string, string>) => boolean): Promise<void> {
    const next = this.queue.then(async () => {
      const file = await this.read();
      const secrets = { ...file.secrets };
      if (change(secrets)) await this.write({ version: 1, secrets });
    });
    // One failed write must not wedge the ones queued behind it.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private fail(code: SecretFileErrorCode, message: string): never {
    throw new SecretFileError(code, this.path, message);
  }

  private async read(): Promise<SecretsFile> {
    let handle;
    try {
      handle = await open(this.path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { version: 1, secrets: {} };
      if (code === 'ELOOP') this.fail('secret-file-exposed', 'is a symbolic link; refused');
      this.fail('secret-file-io', `cannot be read (${code ?? 'error'})`);
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) this.fail('secret-file-invalid', 'is not a regular file');
      if (checksModes && (stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8);
        this.fail(
          'secret-file-exposed',
          `mode ${mode} lets others read it; refused (run \`chmod 600 ${this.path}\` and change the passwords it holds)`,
        );
      }
      const uid = process.getuid?.();
      if (checksModes && uid !== undefined && stat.uid !== uid) {
        this.fail('secret-file-exposed', `is owned by uid ${stat.uid}, not by you; refused`);
      }
      const text = await handle.readFile('utf8');
      return this.parse(text);
    } finally {
      await handle.close();
    }
  }

  private parse(text: string): SecretsFile {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      this.fail('secret-file-invalid', 'is not valid JSON; left as it is');
    }
    const file = data as Partial<SecretsFile> | null;
    const secrets = file?.secrets;
    if (
      file?.version !== 1 ||
      typeof secrets !== 'object' ||
      secrets === null ||
      Array.isArray(secrets) ||
      Object.values(secrets).some((v) => typeof v !== 'string')
    ) {
      this.fail('secret-file-invalid', 'is not a version 1 secrets file; left as it is');
    }
    return { version: 1, secrets: { ...secrets } };
  }

  private async write(file: SecretsFile): Promise<void> {
    const folder = dirname(this.path);
    const temp = join(folder, `.secrets-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const handle = await open(temp, 'wx', 0o600);
      try {
        // The umask can only take bits away; chmod makes it exactly 0600 before the data.
        await handle.chmod(0o600);
        await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      this.fail('secret-file-io', `cannot be written (${code}); the secrets it held are kept`);
    }
  }
}
