// ESLint flat config. Besides the usual TypeScript and React hooks rules it enforces docs/design.md §7, the one
// direction of imports: core and formats are pure (no UI, storage, DOM or Node built-ins), the worker and
// persistence know nothing of the UI, and the UI reaches core, worker and persistence only through state.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const layer = (name) => ({ regex: `(^|/)(src/)?${name}(/|$)|^\\.\\.?/(\\.\\./)*${name}(/|$)`, message: `docs/design.md §7: this layer may not import ${name}/.` });
const UI_PACKAGES = { group: ['react', 'react-dom', 'react-dom/*', 'konva', 'react-konva', 'zustand', 'zustand/*', 'recharts', 'idb', 'dexie'], message: 'docs/design.md §7: pure layers import no UI or storage packages.' };
const NODE_BUILTINS = { regex: '^node:', message: 'docs/design.md §7: core and formats run in the browser too; Node built-ins belong in scripts/ or tests.' };
const DOM_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage', 'indexedDB', 'navigator', 'fetch', 'Worker'].map((name) => ({ name, message: 'docs/design.md §7: core and formats are pure; no DOM or storage.' }));

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'reports', 'test-results', 'playwright-report', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [layer('core'), layer('worker'), layer('persist'), { group: ['@tensorflow/*'], message: 'docs/design.md §7: the UI never runs TensorFlow.js; go through state.' }] }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/formats/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.testutil.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [UI_PACKAGES, NODE_BUILTINS, layer('ui'), layer('state'), layer('worker'), layer('persist')] }],
      'no-restricted-globals': ['error', ...DOM_GLOBALS],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.testutil.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [UI_PACKAGES, NODE_BUILTINS, layer('ui'), layer('state'), layer('worker'), layer('persist'), layer('formats')] }] },
  },
  {
    files: ['src/worker/**/*.ts', 'src/persist/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [UI_PACKAGES, layer('ui'), layer('state')] }] },
  },
);
