import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startupCacheDir } from './cache-dir';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS loader's internals (_cache, _nodeModulePaths) are not in its typed ES export
import Module = require('node:module');

interface Loader {
  new (id: string, parent: NodeJS.Module | null): NodeJS.Module & { load(file: string): void; paths: string[] };
  _cache: NodeJS.Dict<NodeJS.Module>;
  _nodeModulePaths(dir: string): string[];
}

/** Bump when the map file's layout changes. */
const FORMAT = 'lazy-exports-2';

/** Export name → file (relative to the package's entry folder) that defines it, and its name there. */
type ExportMap = [name: string, file: string, as: string][];

/**
 * Serves `require(pkg)` of a barrel package with an object whose exports load, on first access,
 * only the file that defines each one. class-validator's entry requires all of its ~100 decorators,
 * and with them validator and libphonenumber-js: ~320 modules, about a third of the start-up of a
 * `spec`, which uses a handful. The barrel's exports are already getters onto those files, so each
 * export is the same value either way; only what is loaded, and when, differs.
 *
 * Which file defines which export is learnt from a process that loaded the whole barrel, and kept in
 * `ESTUARY_CACHE_DIR` keyed by the entry's path and its package.json. Until then (or with
 * `ESTUARY_STARTUP_CACHE=0`) the package loads as usual.
 */
export function lazyExports(packages: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const cacheDir = startupCacheDir(env);
  if (cacheDir === undefined) return;
  for (const pkg of packages) {
    try {
      lazyPackage(pkg, cacheDir);
    } catch {
      // The package loads as usual.
    }
  }
}

/**
 * The same for estuary-cdk's own entry (`entry`, its dist/src/index.js), which every connector
 * imports: it re-exports the HTTP client, token sources, pagination, date windows, stream processors
 * and the Airbyte shim, ~40 modules a connector mostly does not use, and none of which a `spec`
 * needs. The map is keyed by the entry's path and content, so a rebuild learns it again. Exports of
 * other packages it re-exports (tsyringe's) are placed in the module that defines them there.
 */
export function lazyOwnExports(entry: string, env: NodeJS.ProcessEnv = process.env): void {
  const cacheDir = startupCacheDir(env);
  if (cacheDir === undefined) return;
  try {
    const key = createHash('sha1').update(FORMAT).update(entry).update('\0').update(fs.readFileSync(entry)).digest('hex').slice(0, 16);
    install(entry, path.join(cacheDir, `exports-estuary-cdk-${key}.json`), true);
  } catch {
    // The entry loads as usual.
  }
}

function lazyPackage(pkg: string, cacheDir: string): void {
  const entry = require.resolve(pkg);
  const root = packageRoot(entry, pkg);
  const key = createHash('sha1')
    .update(FORMAT)
    .update(entry)
    .update('\0')
    .update(fs.readFileSync(path.join(root, 'package.json')))
    .digest('hex')
    .slice(0, 16);
  install(entry, path.join(cacheDir, `exports-${pkg.replace(/[^a-z0-9.-]/gi, '_')}-${key}.json`), false);
}

/**
 * Puts a stand-in for `entry` in the module cache, whose exports load their defining files on first
 * read, from the map in `mapFile`; with no map yet, learns it when this process exits. `outside`:
 * exports may be defined outside the entry's folder (in other packages).
 */
function install(entry: string, mapFile: string, outside: boolean): void {
  const loader = Module as unknown as Loader;
  if (loader._cache[entry] !== undefined) return;
  let map: ExportMap | undefined;
  try {
    map = JSON.parse(fs.readFileSync(mapFile, 'utf8')) as ExportMap;
  } catch {
    // Not learnt yet: learn it from this process, if it loads the whole package.
    process.once('exit', () => {
      learn(entry, loader, mapFile, outside);
    });
    return;
  }
  const dir = path.dirname(entry);
  let whole: Record<string, unknown> | undefined;
  // The entry itself, loaded outside the module cache (where the lazy object stands in for it).
  const loadWhole = (): Record<string, unknown> => {
    if (whole === undefined) {
      const m = new loader(entry, null);
      m.filename = entry;
      m.paths = loader._nodeModulePaths(dir);
      m.load(entry);
      whole = m.exports as Record<string, unknown>;
    }
    return whole;
  };
  const lazy: Record<string, unknown> = {};
  Object.defineProperty(lazy, '__esModule', { value: true });
  for (const [name, file, as] of map) {
    const abs = path.join(dir, file);
    const load =
      abs === entry
        ? (): unknown => loadWhole()[as]
        : // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the one file that defines this export, on first use
          (): unknown => (require(abs) as Record<string, unknown>)[as];
    // Once loaded, the export becomes a plain value: a require per read (even of a cached module)
    // resolves the path again, ~0.2 ms each time a capture's binding is constructed.
    const get = (): unknown => {
      let value: unknown;
      try {
        value = load();
      } catch {
        // The map no longer fits what is installed (a file moved in an upgrade of another package).
      }
      if (value === undefined) value = loadWhole()[name];
      Object.defineProperty(lazy, name, { enumerable: true, value });
      return value;
    };
    Object.defineProperty(lazy, name, { enumerable: true, configurable: true, get });
  }
  const stand = new loader(entry, null);
  stand.filename = entry;
  stand.exports = lazy;
  stand.loaded = true;
  loader._cache[entry] = stand;
}

function packageRoot(entry: string, pkg: string): string {
  const at = entry.lastIndexOf(`${path.sep}node_modules${path.sep}${pkg.split('/').join(path.sep)}${path.sep}`);
  if (at < 0) throw new Error(`${pkg} is not under node_modules`);
  return entry.slice(0, at + `${path.sep}node_modules${path.sep}`.length + pkg.length);
}

/** After a process that loaded the whole package: which loaded file defines each export. */
function learn(entry: string, loader: Loader, mapFile: string, outside: boolean): void {
  const whole = loader._cache[entry];
  if (whole?.loaded !== true) return;
  const exports = whole.exports as Record<string, unknown>;
  const dir = path.dirname(entry);
  // The package's own files first, then (when `outside`) other packages', and the entry last: it may
  // hold copies of what it re-exports (tslib's __exportStar), and loading it loads everything.
  const rank = (f: string): number => (f === entry ? 2 : f.startsWith(dir + path.sep) ? 0 : 1);
  const files = Object.entries(loader._cache)
    .filter(([f, m]) => (outside || rank(f) !== 1) && m?.loaded === true && typeof m.exports === 'object')
    .sort(([a], [b]) => rank(a) - rank(b));
  const map: ExportMap = [];
  // A file's own (data, not re-exported getter) export holding this value, under this name if it can.
  const defines = (m: NodeJS.Module, name: string, value: unknown): boolean => {
    const d = Object.getOwnPropertyDescriptor(m.exports, name);
    return d !== undefined && 'value' in d && d.value === value;
  };
  for (const name of Object.keys(exports)) {
    const value = exports[name];
    let found: [string, string] | undefined;
    for (const [file, m] of files) {
      if (file === entry && found !== undefined) break;
      if (defines(m!, name, value)) found = [file, name];
      else if (value !== undefined && found === undefined) {
        const as = Object.keys(m!.exports as object).find((k) => defines(m!, k, value));
        if (as !== undefined) found = [file, as];
      }
      if (found?.[1] === name) break;
    }
    if (found === undefined) return; // an export this scheme cannot place: keep loading the whole package
    map.push([name, path.relative(dir, found[0]), found[1]]);
  }
  try {
    fs.mkdirSync(path.dirname(mapFile), { recursive: true });
    const tmp = `${mapFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(map));
    fs.renameSync(tmp, mapFile);
  } catch {
    // Unwritable: the next process loads the whole package again.
  }
}
