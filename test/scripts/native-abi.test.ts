import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledAbiFromError, planNativeBuild } from '../../scripts/native-abi-plan';
import { projectRoot } from '../e2e/ensure-build';

// Node's own wording when a binary built for Electron 38 is loaded by Node 20.
const electronBinaryInNode = `Error: The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'
was compiled against a different Node.js version using
NODE_MODULE_VERSION 139. This version of Node.js requires
NODE_MODULE_VERSION 115. Please try re-compiling or re-installing
the module (for instance, using \`npm rebuild\` or \`npm install\`).`;

describe('compiledAbiFromError', () => {
  it("reads the binary's ABI, not the runtime's", () => {
    expect(compiledAbiFromError(electronBinaryInNode)).toBe(139);
    expect(compiledAbiFromError('Error: Cannot find module better-sqlite3')).toBeUndefined();
  });
});

describe('planNativeBuild', () => {
  const electronAbi = 139;

  it('rebuilds only on a switch of runtime', () => {
    expect(planNativeBuild('node', { state: 'loads' }, electronAbi)).toBe('none');
    expect(planNativeBuild('node', { state: 'other-abi', compiledAbi: 139 }, electronAbi)).toBe(
      'rebuild-for-node',
    );
    expect(planNativeBuild('electron', { state: 'other-abi', compiledAbi: 139 }, electronAbi)).toBe(
      'none',
    );
    expect(planNativeBuild('electron', { state: 'loads' }, electronAbi)).toBe(
      'rebuild-for-electron',
    );
    // Built for an older Electron: still the wrong ABI for this one.
    expect(planNativeBuild('electron', { state: 'other-abi', compiledAbi: 136 }, electronAbi)).toBe(
      'rebuild-for-electron',
    );
  });

  it('rebuilds a binary that does not load at all, for either runtime', () => {
    const broken = { state: 'broken', detail: 'invalid ELF header' } as const;
    expect(planNativeBuild('node', broken, electronAbi)).toBe('rebuild-for-node');
    expect(planNativeBuild('electron', broken, electronAbi)).toBe('rebuild-for-electron');
  });
});

describe('scripts/native-abi.ts', () => {
  const script = (...args: string[]) =>
    spawnSync(
      join(projectRoot, 'node_modules', '.bin', 'tsx'),
      ['scripts/native-abi.ts', ...args],
      {
        cwd: projectRoot,
        encoding: 'utf8',
      },
    );

  it("costs one check and changes nothing when the build is already Node's", () => {
    const result = script('node');
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('refuses a runtime it does not know', () => {
    const result = script('bun');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: tsx scripts/native-abi.ts node|electron');
  });
});
