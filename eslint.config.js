import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
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
  {
    // The dependency rule of ../shared/DESIGN.md: collector, store and analysis run in plain Node.
    files: [
      'src/collector/**/*.ts',
      'src/store/**/*.ts',
      'src/analysis/**/*.ts',
      'src/shared/**/*.ts',
      'src/cli/**/*.ts',
      'src/server/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only src/main and src/preload may import electron.' },
          ],
        },
      ],
    },
  },
);
