// Lint and layering rules, run by `npm test` (see README "Layout"). Type-aware typescript-eslint.
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// Imports flow one way, top to bottom; a folder may import only folders after it in this list.
// `protocol` is usable from runtime and harness (and the airbyte shim, which sits beside runtime).
// `docs` renders a connector's documentation page for `estuary docs`; only cli uses it.
const LAYERS = ['cli', 'docs', 'harness', 'airbyte', 'runtime', 'container', 'build', 'schema', 'models', 'decorators', 'common'];
// The folders that never speak the protocol (docs only renders schemas).
const WITHOUT_PROTOCOL = ['docs', 'container', 'build', 'schema', 'models', 'decorators', 'common'];

const layerZones = LAYERS.flatMap((layer, i) =>
  LAYERS.slice(0, i).map((higher) => ({
    target: `./src/${layer}`,
    from: `./src/${higher}`,
    message: `src/${layer} sits below src/${higher}: move the shared code down instead.`,
  })),
).concat(
  WITHOUT_PROTOCOL.map((layer) => ({
    target: `./src/${layer}`,
    from: './src/protocol',
    message: 'Only runtime, airbyte and harness speak the protocol.',
  })),
  ['runtime', 'airbyte', 'harness', 'docs', 'cli'].map((higher) => ({
    target: './src/protocol',
    from: `./src/${higher}`,
    message: 'src/protocol is a leaf beside common: it imports nothing above common.',
  })),
);

// `eslint-disable` comments must say why, after ` -- ` on the same line.
const local = {
  rules: {
    'disable-needs-reason': {
      meta: { type: 'problem', schema: [], messages: { reason: 'Say why after ` -- ` in the same comment: `eslint-disable-next-line rule -- reason`.' } },
      create(context) {
        return {
          Program() {
            for (const c of context.sourceCode.getAllComments()) {
              if (/^\s*eslint-disable/.test(c.value) && !/\s--\s*\S/.test(c.value)) context.report({ loc: c.loc, messageId: 'reason' });
            }
          },
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'spec/fixtures/**/*.js',
      'bench/fixtures/**/*.js',
      '**/*.mjs',
      // Broken on purpose: the spec checks how a connector that does not parse is reported.
      'spec/fixtures/connectors/syntax-error.ts',
    ],
  },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX, local },
    settings: {
      // Resolve `./x` to x.ts and `estuary-cdk` through tsconfig paths; without it no import resolves
      // and the layer and cycle rules silently check nothing.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js', '.json', '.node'], tsconfig: { configFile: `${import.meta.dirname}/tsconfig.json` } })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-default-export': 'error',
      'local/disable-needs-reason': 'error',
      // Numbers and booleans read fine in messages; objects and unknowns still need a conversion.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Models, resources and connectors are decorated classes that may have no instance members;
      // an empty class is the config model of a connector that needs no config.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true, allowEmpty: true }],
      // `return res.end()` in a void request handler is the early-exit idiom, not a misused value.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true }],
      // Hooks (`async *changes`, Airbyte `async spec()`) are async by contract: the runtime iterates or
      // awaits them, so an implementation that happens to need no await is still correct.
      '@typescript-eslint/require-await': 'off',
      // Models are decorated classes that describe plain JSON documents: a parsed or hand-built object
      // typed as the model class is the design (class-transformer instantiates only where it must).
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // node:test's describe/it return promises that the test runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test'] }] }],
      // Model fields annotate literal types (`title: 'X' = 'X'`): emitDecoratorMetadata records design:type
      // only from an annotation, and the schema builder reads it (`= 'X' as const` would record Object).
      '@typescript-eslint/prefer-as-const': 'off',
      // tsconfig has noUncheckedIndexedAccess, so `xs[i]!` after a length or bounds check is how an
      // index that is known to exist is read; no-unnecessary-type-assertion still flags needless ones.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The init templates and the connector fixtures are not part of the build; they are type-checked
    // by tsconfig.templates.json (`npm run lint`), which maps `estuary-cdk` to src/.
    files: ['templates/**/*.ts', 'spec/fixtures/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.templates.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Specs and benchmarks poke at parsed JSON; the unsafe-any family would only add casts there.
    files: ['spec/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
