// ESLint (flat config): the recommended JavaScript and typescript-eslint rules for the service, its tests, scripts,
// migrations and the web app, plus the rules of hooks for the web app. `npm run lint` runs it with `prettier --check`.
import { defineConfig } from 'eslint/config'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

// Type-aware rules (recommendedTypeChecked) are left out on purpose: measured here they took the run from about 30 s
// to over 90 s and report some 1,800 findings, mostly knex's `any` rows; the type checker (`npm run typecheck`) runs
// anyway.
export default defineConfig(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'test/fixtures/', 'docs/', 'workflows/', 'forms/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A leading underscore marks a value left out on purpose: `const { bpmnXml: _xml, ...detail } = version`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off: every control character in our regular expressions is meant (binary sniffing, refusing control
      // characters in file names and in XML); they are written as \x escapes, so none can slip in unseen, which is
      // what the rule guards against.
      'no-control-regex': 'off',
      // Prettier wraps code at 120 columns but leaves comments and literal text as written; this holds comments to the
      // same width. SQL, messages in two languages and regular expressions may run longer: breaking them would hide
      // what they say.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    files: ['src/**', 'test/**', 'scripts/**', 'bin/**', 'migrations/**', '*.js', '*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['web/src/**', 'web/vite.config.ts'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // An error rather than the plugin's warning: a missing dependency is a stale value on screen. Where one is left
      // out on purpose, the line says so with an eslint-disable comment.
      'react-hooks/exhaustive-deps': 'error',
      // The plugin's other recommended rules (refs, set-state-in-effect, use-memo, purity …) check what the React
      // Compiler assumes; the app does not use the compiler, and what they flag (a bpmn-js modeler kept in a ref, a
      // loading flag set in the effect that fetches) is ordinary React without it.
    },
  },
)
