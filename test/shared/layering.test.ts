import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** The no-restricted-imports messages ESLint gives `source` as the file at `filePath`. */
async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('the dependency rule, enforced by lint', () => {
  it.each([
    ['src/collector/engine/x.ts', "import { Store } from '../../store/store';"],
    ['src/collector/engine/x.ts', "import { createBackend } from '../../backend/backend';"],
    ['src/collector/engine/x.ts', "import { startServer } from '../../server/server';"],
    ['src/store/x.ts', "import { createBackend } from '../backend/backend';"],
    ['src/store/x.ts', "import { main } from '../cli/main';"],
    [
      'src/shared/model/x.ts',
      "import type { HostTarget } from '../../collector/engine/host-target';",
    ],
    ['src/shared/contract/x.ts', "import { readFileSync } from 'node:fs';"],
    ['src/shared/contract/x.ts', "import { app } from 'electron';"],
    ['src/renderer/components/x.tsx', "import { Store } from '../../store/store';"],
    ['src/renderer/x.ts', "import { createBackend } from '../backend/backend';"],
    ['src/renderer/x.ts', "import { requestSchemas } from '../shared/contract';"],
    ['src/renderer/x.ts', "import { requestSchemas } from '../shared/contract/schemas';"],
    ['src/renderer/x.ts', "import { z } from 'zod';"],
    ['src/backend/x.ts', "import { app } from 'electron';"],
    ['src/backend/x.ts', "import { registerContractHandler } from '../main/ipc';"],
    ['src/cli/commands/x.ts', "import { createHandlers } from '../../main/handlers';"],
  ])('%s may not %s', async (file, source) => {
    expect((await importErrors(file, source)).length).toBeGreaterThan(0);
  });

  it.each([
    [
      'src/collector/engine/x.ts',
      "import type { HostStatus } from '../../shared/model/engine-events';",
    ],
    ['src/store/x.ts', "import type { HostSource } from '../collector/host/host-source';"],
    ['src/shared/contract/x.ts', "import type { HostStatus } from '../model/engine-events';"],
    ['src/renderer/x.ts', "import type { ContractClient } from '../shared/contract/browser';"],
    ['src/backend/x.ts', "import { Store } from '../store/store';"],
    ['src/cli/commands/x.ts', "import { createBackend } from '../../backend/backend';"],
  ])('%s may %s', async (file, source) => {
    expect(await importErrors(file, source)).toEqual([]);
  });
});
