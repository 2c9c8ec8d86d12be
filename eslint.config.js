import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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

/** One no-restricted-imports block per layer; a later block would replace an earlier one. */
function layerRules() {
  const electron = {
    name: 'electron',
    message: 'Only src/main and src/preload may import electron.',
  };
  const layers = ['collector', 'store', 'backend', 'cli', 'main', 'preload', 'server', 'renderer'];
  const banned = (names) =>
    names.map((name) => ({
      group: [`**/${name}/**`, `**/${name}`],
      message: `this layer may not import src/${name} (the dependency rule in eslint.config.js)`,
    }));
  const block = (files, names, { noElectron = true, extra = [] } = {}) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: noElectron ? [electron] : [], patterns: [...banned(names), ...extra] },
      ],
    },
  });
  const without = (...kept) => layers.filter((name) => !kept.includes(name));
  return [
    block(['src/collector/**/*.ts'], without('collector')),
    block(['src/store/**/*.ts'], without('collector', 'store')),
    block(['src/shared/**/*.ts'], layers, {
      extra: [{ group: ['node:*'], message: 'shared runs in the browser too: no Node modules' }],
    }),
    block(['src/backend/**/*.ts'], ['cli', 'main', 'preload', 'server', 'renderer']),
    block(['src/server/**/*.ts'], ['cli', 'main', 'preload', 'renderer']),
    block(['src/cli/**/*.ts'], ['main', 'preload', 'renderer']),
    block(['src/renderer/**/*.{ts,tsx}'], without('renderer'), {
      extra: [
        { group: ['node:*'], message: 'the renderer runs in a browser: no Node modules' },
        {
          regex: 'shared/contract(/index|/schemas)?$',
          message:
            'the renderer takes the contract from shared/contract/browser (no zod in the page)',
        },
        { group: ['zod'], message: "validation is the backend's: no zod in the page" },
      ],
    }),
  ];
}
