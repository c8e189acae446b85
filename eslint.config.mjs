// Lint and layering rules, run by `npm test` (see README "Layout"). Type-aware typescript-eslint.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

// Imports flow one way, top to bottom; a folder may import only folders after it in this list.
// `protocol` is usable from runtime and harness (and the airbyte shim, which sits beside runtime).
const LAYERS = ['cli', 'harness', 'airbyte', 'runtime', 'container', 'build', 'schema', 'models', 'decorators', 'common'];
const BELOW_PROTOCOL = ['container', 'build', 'schema', 'models', 'decorators', 'common'];

const layerZones = LAYERS.flatMap((layer, i) =>
  LAYERS.slice(0, i).map((higher) => ({
    target: `./src/${layer}`,
    from: `./src/${higher}`,
    message: `src/${layer} sits below src/${higher}: move the shared code down instead.`,
  })),
).concat(
  BELOW_PROTOCOL.map((layer) => ({
    target: `./src/${layer}`,
    from: './src/protocol',
    message: 'Only runtime, airbyte and harness speak the protocol.',
  })),
  ['runtime', 'airbyte', 'harness', 'cli'].map((higher) => ({
    target: './src/protocol',
    from: `./src/${higher}`,
    message: 'src/protocol is a leaf beside common: it imports nothing above common.',
  })),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'spec/fixtures/**/*.js', 'bench/fixtures/**/*.js', '**/*.mjs'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-default-export': 'error',
      // Numbers and booleans read fine in messages; objects and unknowns still need a conversion.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Models, resources and connectors are decorated classes that may have no instance members.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Specs and benchmarks poke at parsed JSON and known-present values; the unsafe-any family and
    // non-null assertions would only add casts there.
    files: ['spec/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
