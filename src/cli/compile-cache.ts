import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS loader's internals (wrap, _compile, _resolveFilename) are not in its typed ES export
import Module = require('node:module');
import { startupCacheDir } from './cache-dir';

/** Bump when the blob layout below changes. */
const FORMAT = 'estuary-v8-cache-1';

type Wrapper = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => unknown;
type CompilableModule = NodeJS.Module & { _compile: (this: NodeJS.Module, content: string, filename: string, ...rest: unknown[]) => unknown };
interface Loader {
  prototype: CompilableModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: NodeJS.Module, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: NodeJS.Module): string[] | null;
  _extensions: NodeJS.Require['extensions'];
  _cache: NodeJS.Dict<NodeJS.Module>;
}

let enabled = false;

/**
 * Keeps V8's compiled code of the JavaScript modules the CLI loads (estuary-cdk's and its
 * dependencies', ~550 modules for a `spec`) in one file in `ESTUARY_CACHE_DIR`, so the next process
 * deserializes it instead of parsing and compiling again: Flow starts a process per request, and
 * compiling was about a quarter of the start-up. Node 22 has this built in
 * (`module.enableCompileCache`); Node 20 does not.
 *
 * Only `.js`/`.cjs` files are served from the cache, and only while source maps are off (the
 * connector's own TypeScript is compiled with maps on, and goes the ordinary way). A file whose text
 * changed misses (entries are keyed by a hash of path and text) and V8 rejects code from another
 * version or flags. Anything the cache cannot compile goes the ordinary way. Entries missing at
 * start are added to the file when the process exits. V8 stamps cached code with a hash of its flags
 * and rejects code stamped with other flags: a process that changes V8 flags as it runs (the heap
 * tuning of a capture) passes `atStartFlags`, which runs a function with the flags of its start, and
 * code is then read and written under those. `ESTUARY_STARTUP_CACHE=0` turns the cache off.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env, atStartFlags: <T>(fn: () => T) => T = (fn) => fn()): void {
  const dir = startupCacheDir(env);
  if (enabled || dir === undefined) return;
  enabled = true;
  // One file per installation of estuary-cdk: copies sharing the default folder do not read each other's code.
  const install = createHash('sha1').update(__dirname).digest('hex').slice(0, 12);
  const file = path.join(dir, `v8-code-${process.version}-${process.arch}-${install}.bin`);
  const entries = readBlob(file);
  const fresh = new Map<string, vm.Script>();
  const used = new Set<string>();
  const loader = Module as unknown as Loader;
  const originalCompile = loader.prototype._compile;
  loader.prototype._compile = function compileWithCache(this: NodeJS.Module, content: string, filename: string, ...rest: unknown[]): unknown {
    const format = rest[0];
    if ((format !== undefined && format !== 'commonjs') || process.sourceMapsEnabled || !/\.c?js$/.test(filename)) return originalCompile.call(this, content, filename, ...rest);
    const key = createHash('sha1').update(filename).update('\0').update(content).digest('base64');
    const cachedData = entries.get(key);
    used.add(key);
    let script: vm.Script;
    try {
      script = atStartFlags(() => new vm.Script(loader.wrap(content), { filename, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER }));
    } catch {
      // Not a CommonJS script (ES syntax, a hashbang): Node's own path decides what it is.
      return originalCompile.call(this, content, filename, ...rest);
    }
    if (cachedData === undefined || script.cachedDataRejected === true) fresh.set(key, script);
    const wrapper = script.runInThisContext({ displayErrors: true }) as Wrapper;
    return wrapper.call(this.exports, this.exports, requireFor(this, loader), this, filename, path.dirname(filename));
  };
  // Code created at exit holds the functions the run compiled, not only the top level.
  process.once('exit', () => {
    if (fresh.size > 0) atStartFlags(() => writeBlob(file, entries, fresh, used));
  });
}

/** The `require` Node gives a module (see Node's makeRequireFunction). */
function requireFor(mod: NodeJS.Module, loader: Loader): NodeJS.Require {
  const req = ((id: string): unknown => mod.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => loader._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => loader._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- require.main is what Node sets, from process.mainModule
  req.main = process.mainModule;
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- part of the require Node gives every module
  req.extensions = loader._extensions;
  req.cache = loader._cache;
  return req;
}

/** Blob: FORMAT line, then per entry a 4-byte key length, key, 4-byte data length, data. */
function readBlob(file: string): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  let blob: Buffer;
  try {
    blob = fs.readFileSync(file);
  } catch {
    return entries;
  }
  const head = Buffer.from(FORMAT + '\n');
  if (!blob.subarray(0, head.length).equals(head)) return entries;
  let at = head.length;
  while (at + 4 <= blob.length) {
    const keyLen = blob.readUInt32LE(at);
    const dataAt = at + 4 + keyLen;
    if (dataAt + 4 > blob.length) break;
    const dataLen = blob.readUInt32LE(dataAt);
    if (dataAt + 4 + dataLen > blob.length) break;
    entries.set(blob.toString('latin1', at + 4, dataAt), blob.subarray(dataAt + 4, dataAt + 4 + dataLen));
    at = dataAt + 4 + dataLen;
  }
  return entries;
}

/** Past this size, entries this process did not use (files since changed, other commands) are dropped. */
const MAX_BYTES = 16 * 1024 * 1024;

function writeBlob(file: string, old: Map<string, Buffer>, fresh: Map<string, vm.Script>, used: Set<string>): void {
  let oldBytes = 0;
  for (const data of old.values()) oldBytes += data.length;
  const keepUnused = oldBytes < MAX_BYTES;
  const parts: Buffer[] = [Buffer.from(FORMAT + '\n')];
  const put = (key: string, data: Buffer): void => {
    const k = Buffer.from(key, 'latin1');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(k.length);
    const dlen = Buffer.alloc(4);
    dlen.writeUInt32LE(data.length);
    parts.push(len, k, dlen, data);
  };
  for (const [key, data] of old) if (!fresh.has(key) && (keepUnused || used.has(key))) put(key, data);
  for (const [key, script] of fresh) put(key, script.createCachedData());
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat(parts));
    fs.renameSync(tmp, file); // atomic: a concurrent process reads the old or the new file, never half
  } catch {
    // An unwritable cache only costs the next process its compiles.
  }
}
