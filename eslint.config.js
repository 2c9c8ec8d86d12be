import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * What each folder under src/ may import of the others: shared, analysis and actions
 * as tight as their imports allow, the others as docs/architecture.md has them.
 */
const mayImport = {
  shared: [],
  collector: ['shared'],
  store: ['shared', 'collector'],
  analysis: ['shared'],
  actions: ['shared', 'collector', 'store', 'analysis'],
  backend: ['shared', 'collector', 'store', 'analysis', 'actions'],
  // `setmov agent`: the backend's pieces without a window, so the backend's rights and
  // the backend itself (its engine-to-store wiring).
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

/** Deepest folder under a layer the rules reach (src/store/sqlite/migrations/ is 2). */
const MAX_DEPTH = 5;

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'bench/results/',
      'test/fixtures/',
      'test/bed/.cache/',
      'test/bed/state/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // The dependency rule (docs/architecture.md): each layer imports only the ones
  // below it, so the collector and the store run in plain Node, the backend hosts them
  // without electron, and the renderer sees the contract and nothing else.
  ...layerRules(),
);

/**
 * One no-restricted-imports block per layer and file depth; a later block would replace
 * an earlier one. Imports are relative, so src/analysis is reached by as many ../ as
 * the file is deep: matching any .../analysis/... would also hit src/renderer/analysis.
 */
function layerRules() {
  const layers = Object.keys(mayImport);
  const electron = {
    name: 'electron',
    message: 'Only src/main and src/preload may import electron.',
  };
  const options = {
    shared: {
      extra: [{ group: ['node:*'], message: 'shared runs in the browser too: no Node modules' }],
    },
    analysis: {
      extra: [
        { group: ['node:*'], message: 'the analysis is pure functions of data: no Node modules' },
      ],
    },
    main: { electron: true },
    preload: { electron: true },
    renderer: {
      extra: [
        { group: ['node:*'], message: 'the renderer runs in a browser: no Node modules' },
        {
          regex: 'shared/contract(/index|/schemas)?$',
          message:
            'the renderer takes the contract from shared/contract/browser (no zod in the page)',
        },
        { group: ['zod'], message: "validation is the backend's: no zod in the page" },
      ],
    },
  };
  const banned = (names, depth) =>
    names.map((name) => ({
      regex: `^(\\./)?(\\.\\./){${depth + 1}}${name}(/|$)`,
      message: `this layer may not import src/${name} (the dependency rule in eslint.config.js)`,
    }));
  const blocks = [];
  for (const layer of layers) {
    const { electron: mayElectron = false, extra = [] } = options[layer] ?? {};
    const names = layers.filter((name) => name !== layer && !mayImport[layer].includes(name));
    for (let depth = 0; depth <= MAX_DEPTH; depth++) {
      blocks.push({
        files: [`src/${layer}/${'*/'.repeat(depth)}*.{ts,tsx}`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              paths: mayElectron ? [] : [electron],
              patterns: [...banned(names, depth), ...extra],
            },
          ],
        },
      });
    }
  }
  // A file deeper than the blocks above would be checked by none of them.
  blocks.push({
    files: [`src/*/${'*/'.repeat(MAX_DEPTH + 1)}**/*.{ts,tsx}`],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Program',
          message: 'too deep for the layer rules: raise MAX_DEPTH in eslint.config.js',
        },
      ],
    },
  });
  return blocks;
}
