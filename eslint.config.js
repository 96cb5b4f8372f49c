// ESLint flat config: `npm run lint` (= `eslint .`). Syntax-only rules, no type information,
// so it stays fast; the type checker (`npm run typecheck`) does the rest.
import { builtinRules } from 'eslint/use-at-your-own-risk';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// eslint:recommended without a dependency on @eslint/js: it is exactly the core rules whose
// metadata marks them recommended.
const eslintRecommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

// What plain .js/.mjs/.cjs files (scripts, configs) may use without importing it.
const nodeGlobals = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'AbortController', 'TextEncoder', 'TextDecoder',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
    'queueMicrotask', 'structuredClone', 'fetch', 'performance', 'globalThis',
  ].map((g) => [g, 'readonly']),
);

const unusedVars = [
  'error',
  { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
];

export default defineConfig(
  { ignores: ['dist/**', '**/node_modules/**', 'data/**', '.tmp/**', 'coverage/**', 'web/dist/**', '**/*.d.ts'] },
  { rules: eslintRecommended },
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': unusedVars,
      // The edge rejects control characters (NUL …) on purpose, and says so with a regex.
      'no-control-regex': 'off',
      // A dead store is a smell, not a defect: shown, but it does not fail the build.
      'no-useless-assignment': 'warn',
    },
  },
  {
    // Tests read untyped JSON responses and fixtures; `any` there costs less than casts.
    files: ['**/*.test.{ts,tsx}', 'test/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Kysely's Migrator takes Kysely<any>: a migration runs before the schema type is true.
    files: ['server/db/migrate.ts', 'server/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
