import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheDir } from './cache-dir';

let registered = false;

/** Bump when the compile options below change, so stale cache entries are not reused. */
const OPTIONS_VERSION = '1';

type CompilableModule = NodeJS.Module & { _compile(code: string, file: string): void };

/**
 * Lets `require` load TypeScript connector files, compiled with @swc/core with legacy decorators
 * and decorator metadata forced on — whatever the connector's own tsconfig says — because
 * constructor injection depends on the emitted parameter types. Files in node_modules are left alone.
 *
 * Compiled output is cached by content hash (`ESTUARY_CACHE_DIR`, default a folder in the OS temp
 * dir): Flow starts a fresh process per request, and a cache hit skips loading swc altogether
 * (~30 MiB and ~50 ms per process).
 */
export function registerTypeScript(): void {
  if (registered) return;
  registered = true;
  const dir = cacheDir();
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only synchronous hook that compiles .ts files on require in CommonJS
  const exts = require.extensions as unknown as Record<string, (m: NodeJS.Module, f: string) => void>;
  for (const ext of ['.ts', '.tsx', '.mts', '.cts']) {
    exts[ext] = (m, f) => {
      const source = fs.readFileSync(f, 'utf8');
      withSourceMaps(true, () => (m as CompilableModule)._compile(compileCached(source, f, dir), f));
    };
  }
  // Node reads and parses the source map of every module compiled while maps are on: hundreds of
  // `.js.map` files of dependencies (~100 ms of start-up). Maps are wanted for the connector's
  // TypeScript, so they are off while a `.js` file loads and on again afterwards (stack traces).
  const loadJs = exts['.js']!;
  exts['.js'] = (m, f) => withSourceMaps(false, () => loadJs(m, f));
  setSourceMaps(true);
  resolveJsToTs();
}

type ResolveFilename = (request: string, parent: NodeJS.Module | undefined, ...rest: unknown[]) => string;

/**
 * TypeScript sources written for `moduleResolution: nodenext` (usual in ESM projects) import
 * `./models.js` for `./models.ts`. When such a request from a TypeScript file finds no `.js` file,
 * it is retried with the TypeScript extension — only after a miss, so other loads cost nothing.
 */
function resolveJsToTs(): void {
  // The Module class itself: the namespace import is a read-only copy of its properties.
  const loader = nodeModule.Module as unknown as { _resolveFilename: ResolveFilename };
  const resolveFilename = loader._resolveFilename;
  loader._resolveFilename = function (this: unknown, request, parent, ...rest) {
    try {
      return resolveFilename.call(this, request, parent, ...rest);
    } catch (err) {
      const js = /\.([cm]?)js(x?)$/.exec(request);
      if (js === null || !request.startsWith('.') || parent?.filename == null || !/\.[cm]?tsx?$/.test(parent.filename)) throw err;
      try {
        return resolveFilename.call(this, `${request.slice(0, js.index)}.${js[1] ?? ''}ts${js[2] ?? ''}`, parent, ...rest);
      } catch {
        throw err;
      }
    }
  };
}

let esmRegistered = false;

/**
 * Lets Node's ESM loader load TypeScript files too: in a `"type": "module"` project the entry file
 * (`node --test x.spec.ts`) goes to the ESM loader, which rejects `.ts`. The hooks
 * (`ts-esm-hooks.ts`) hand TypeScript files back to `require`, so call {@link registerTypeScript}
 * as well. Not used by `estuary run`, whose connectors are loaded by `require`: the hooks run in a
 * loader thread of their own, which a connector process need not start.
 */
export function registerTypeScriptForEsm(): void {
  if (esmRegistered) return;
  esmRegistered = true;
  nodeModule.register(pathToFileURL(path.join(__dirname, 'ts-esm-hooks.js')));
}

let sourceMapsOn = false;

function setSourceMaps(on: boolean): void {
  if (on === sourceMapsOn) return;
  process.setSourceMapsEnabled(on);
  sourceMapsOn = on;
}

/** Runs `load` with source maps `on`, then puts back what was set (loads nest). */
function withSourceMaps(on: boolean, load: () => void): void {
  const was = sourceMapsOn;
  setSourceMaps(on);
  try {
    load();
  } finally {
    setSourceMaps(was);
  }
}

function compileCached(source: string, filename: string, cacheDir: string): string {
  const key = createHash('sha256').update(OPTIONS_VERSION).update('\0').update(filename).update('\0').update(source).digest('hex');
  const file = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // a miss: compile below
  }
  const code = compile(source, filename);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file); // atomic: concurrent processes never read half a file
  } catch {
    // An unwritable cache only costs the next process a compile.
  }
  return code;
}

function compile(source: string, filename: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- @swc/core is loaded only when a .ts connector is compiled
  const swc = require('@swc/core') as typeof import('@swc/core');
  return swc.transformSync(source, {
    filename,
    sourceMaps: 'inline',
    swcrc: false,
    configFile: false,
    module: { type: 'commonjs' },
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true, tsx: filename.endsWith('.tsx') },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
  }).code;
}
