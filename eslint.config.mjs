// One lint configuration for the whole repository: typescript-eslint for TypeScript,
// eslint-plugin-svelte for components, and eslint-config-prettier last so that formatting is
// Prettier's alone (`npm run format`).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'
import ts from 'typescript-eslint'
import svelteConfig from './svelte.config.mjs'

export default ts.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-results/', 'playwright-report/', '.bench/', '**/*.vaeproj/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  prettier,
  ...svelte.configs.prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Optional and heavy modules load on first use, inside a try, so a missing one is reported, not fatal.
      '@typescript-eslint/no-require-imports': [
        'error',
        { allow: ['^@tensorflow/tfjs-node$', '^@tensorflow/tfjs-backend-wasm$', '^sharp$', '^@napi-rs/image$', '^@vladmandic/face-api/'] }
      ],
      // Stores keep private caches (pages, in-flight sets) outside reactivity on purpose; what views
      // read is declared with $state.
      'svelte/prefer-svelte-reactivity': 'off'
    }
  },
  {
    // CommonJS by nature: the launcher, preloaded shims, and the Electron stand-in's module surgery.
    files: ['bin/**/*.js', '**/*.cjs', 'test/electron-stand-in/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' }
  },
  {
    files: ['src/renderer/**/*.{ts,svelte}', 'src/shared/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } }
  }
)
