import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

interface Finding {
  ruleId: string | null;
  message: string;
}

/** What the layer rules (and nothing else) say of `source` as the file at `filePath`. */
async function layerFindings(filePath: string, source: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map(({ ruleId, message }) => ({ ruleId, message }));
}

const layer = (spec: string, name: string): Finding => ({
  ruleId: 'no-restricted-imports',
  message: `'${spec}' import is restricted from being used by a pattern. this layer may not import src/${name} (the dependency rule in eslint.config.js)`,
});
const pattern = (spec: string, message: string): Finding => ({
  ruleId: 'no-restricted-imports',
  message: `'${spec}' import is restricted from being used by a pattern. ${message}`,
});
const contractInPage =
  'the renderer takes the contract from shared/contract/browser (no zod in the page)';
const electron: Finding = {
  ruleId: 'no-restricted-imports',
  message:
    "'electron' import is restricted from being used. Only src/main and src/preload may import electron.",
};

/**
 * What each folder may import, written out apart from eslint.config.js's table so that a
 * change there fails here.
 */
const mayImport: Record<string, string[]> = {
  shared: [],
  collector: ['shared'],
  store: ['shared', 'collector'],
  analysis: ['shared'],
  actions: ['shared', 'collector', 'store', 'analysis'],
  backend: ['shared', 'collector', 'store', 'analysis', 'actions'],
  agent: ['shared', 'collector', 'store', 'analysis', 'actions', 'backend'],
  server: ['shared', 'collector', 'store', 'analysis', 'actions', 'backend'],
  cli: ['shared', 'collector', 'store', 'analysis', 'actions', 'backend', 'server', 'agent'],
  main: [
    'shared',
    'collector',
    'store',
    'analysis',
    'actions',
    'backend',
    'server',
    'agent',
    'cli',
    'preload',
  ],
  preload: ['shared'],
  renderer: ['shared'],
};
const layers = Object.keys(mayImport);

/**
 * Each pair of layers as [file, layer imported, import, may], from a file at the top of
 * the layer and from one two folders down.
 */
const pairs = layers.flatMap((from) =>
  layers
    .filter((to) => to !== from)
    .flatMap((to) => {
      const may = mayImport[from]?.includes(to) ?? false;
      return [
        [`src/${from}/x.ts`, to, `../${to}/x`, may] as const,
        [`src/${from}/a/b/x.ts`, to, `../../../${to}/x`, may] as const,
      ];
    }),
);

describe('the dependency rule, enforced by lint', () => {
  it('lists every folder under src/', async () => {
    const { readdirSync } = await import('node:fs');
    const folders = readdirSync('src', { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect([...layers].sort()).toEqual(folders.sort());
  });

  it.each(pairs.filter(([, , , may]) => !may))(
    '%s may not import src/%s',
    async (file, to, spec) => {
      expect(await layerFindings(file, `import { x } from '${spec}';`)).toEqual([layer(spec, to)]);
    },
  );

  it.each(pairs.filter(([, , , may]) => may))('%s may import src/%s', async (file, _to, spec) => {
    expect(await layerFindings(file, `import { x } from '${spec}';`)).toEqual([]);
  });

  // [file, source, the one finding it gets]
  it.each([
    [
      'src/collector/engine/x.ts',
      "import { Store } from '../../store/store';",
      layer('../../store/store', 'store'),
    ],
    [
      'src/collector/engine/x.ts',
      "import { createBackend } from '../../backend/backend';",
      layer('../../backend/backend', 'backend'),
    ],
    [
      'src/collector/engine/x.ts',
      "import { startServer } from '../../server/server';",
      layer('../../server/server', 'server'),
    ],
    [
      'src/store/x.ts',
      "import { createBackend } from '../backend/backend';",
      layer('../backend/backend', 'backend'),
    ],
    ['src/store/x.ts', "import { main } from '../cli/main';", layer('../cli/main', 'cli')],
    [
      'src/shared/model/x.ts',
      "import type { HostTarget } from '../../collector/engine/host-target';",
      layer('../../collector/engine/host-target', 'collector'),
    ],
    [
      'src/shared/contract/x.ts',
      "import { readFileSync } from 'node:fs';",
      pattern('node:fs', 'shared runs in the browser too: no Node modules'),
    ],
    ['src/shared/contract/x.ts', "import { app } from 'electron';", electron],
    [
      'src/renderer/components/x.tsx',
      "import { Store } from '../../store/store';",
      layer('../../store/store', 'store'),
    ],
    [
      'src/renderer/x.ts',
      "import { createBackend } from '../backend/backend';",
      layer('../backend/backend', 'backend'),
    ],
    [
      'src/renderer/x.ts',
      "import { requestSchemas } from '../shared/contract';",
      pattern('../shared/contract', contractInPage),
    ],
    [
      'src/renderer/x.ts',
      "import { requestSchemas } from '../shared/contract/schemas';",
      pattern('../shared/contract/schemas', contractInPage),
    ],
    [
      'src/renderer/x.ts',
      "import { z } from 'zod';",
      pattern('zod', "validation is the backend's: no zod in the page"),
    ],
    ['src/backend/x.ts', "import { app } from 'electron';", electron],
    [
      'src/backend/x.ts',
      "import { registerContractHandler } from '../main/ipc';",
      layer('../main/ipc', 'main'),
    ],
    [
      'src/cli/commands/x.ts',
      "import { createHandlers } from '../../main/handlers';",
      layer('../../main/handlers', 'main'),
    ],
    // analysis and actions, and the Node modules of the browser's and the analysis' code.
    [
      'src/shared/model/x.ts',
      "import type { VmAnalysis } from '../../analysis/vm-analysis';",
      layer('../../analysis/vm-analysis', 'analysis'),
    ],
    [
      'src/shared/contract/x.ts',
      "import type { ResizePlan } from '../../actions/resize-plan';",
      layer('../../actions/resize-plan', 'actions'),
    ],
    [
      'src/collector/rates/x.ts',
      "import { percentile } from '../../analysis/percentiles';",
      layer('../../analysis/percentiles', 'analysis'),
    ],
    [
      'src/store/x.ts',
      "import { applyRecommendation } from '../actions/apply-recommendation';",
      layer('../actions/apply-recommendation', 'actions'),
    ],
    [
      'src/analysis/x.ts',
      "import { analyzeStore } from '../backend/analyze-store';",
      layer('../backend/analyze-store', 'backend'),
    ],
    [
      'src/analysis/x.ts',
      "import type { Store } from '../store/store';",
      layer('../store/store', 'store'),
    ],
    [
      'src/analysis/x.ts',
      "import { counterDelta } from '../collector/rates/counter-delta';",
      layer('../collector/rates/counter-delta', 'collector'),
    ],
    [
      'src/analysis/x.ts',
      "import { readFileSync } from 'node:fs';",
      pattern('node:fs', 'the analysis is pure functions of data: no Node modules'),
    ],
    [
      'src/actions/x.ts',
      "import { createBackend } from '../backend/backend';",
      layer('../backend/backend', 'backend'),
    ],
    [
      'src/renderer/x.ts',
      "import { analyzeVm } from '../analysis/vm-analysis';",
      layer('../analysis/vm-analysis', 'analysis'),
    ],
    [
      'src/renderer/x.ts',
      "import { readFileSync } from 'node:fs';",
      pattern('node:fs', 'the renderer runs in a browser: no Node modules'),
    ],
    [
      'src/main/x.ts',
      "import { App } from '../renderer/app';",
      layer('../renderer/app', 'renderer'),
    ],
    [
      'src/preload/x.ts',
      "import { createBackend } from '../backend/backend';",
      layer('../backend/backend', 'backend'),
    ],
  ] as const)('%s may not: %s', async (file, source, finding) => {
    expect(await layerFindings(file, source)).toEqual([finding]);
  });

  it.each(layers.filter((name) => name !== 'main' && name !== 'preload'))(
    'src/%s may not import electron',
    async (name) => {
      expect(await layerFindings(`src/${name}/x.ts`, "import { app } from 'electron';")).toEqual([
        electron,
      ]);
    },
  );

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
    ['src/analysis/x.ts', "import { z } from 'zod';"],
    ['src/actions/x.ts', "import type { VmAnalysis } from '../analysis/vm-analysis';"],
    ['src/main/x.ts', "import { app } from 'electron';"],
    ['src/preload/x.ts', "import { contextBridge } from 'electron';"],
    // A layer's own folder named like another layer is its own, not that layer.
    ['src/renderer/app.tsx', "import { AnalysisView } from './analysis/analysis-view';"],
    ['src/renderer/detail/x.tsx', "import { Chart } from '../analysis/recommendation-chart';"],
    ['src/store/sqlite/migrations/x.ts', "import { up } from '../../store-error';"],
  ])('%s may %s', async (file, source) => {
    expect(await layerFindings(file, source)).toEqual([]);
  });

  it('flags a file deeper than the rules reach, rather than check it with none', async () => {
    expect(await layerFindings('src/store/a/b/c/d/e/f/x.ts', "import { x } from '../x';")).toEqual([
      {
        ruleId: 'no-restricted-syntax',
        message: 'too deep for the layer rules: raise MAX_DEPTH in eslint.config.js',
      },
    ]);
  });
});
