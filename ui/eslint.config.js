// ESLint for the window: the recommended JS and TypeScript rules, the rules of hooks, and the
// house rule that a feature reaches another feature only through its index (features/<name>/index.ts).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FEATURES = ['chart', 'facts', 'incidents', 'individuals', 'obligations', 'settings', 'setup', 'shell', 'timeline', 'whatif'];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/lib/ipc/bindings.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^\\.\\./(${FEATURES.join('|')})/`,
              message: 'Import another feature through its index (../<feature>), not its internals.',
            },
          ],
        },
      ],
    },
  },
);
