import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESTUARY_BIN, REPO } from '../helpers/cli-process';

const LAZY = path.join(REPO, 'dist/src/cli/lazy-exports.js');

/** Runs `body` in a fresh node (the module cache is process-wide), after lazyExports(['class-validator']). */
function inChild(cache: string, body: string): Record<string, unknown> {
  const script = `require('reflect-metadata'); require(${JSON.stringify(LAZY)}).lazyExports(['class-validator']);
const loaded = () => Object.keys(require.cache).filter((f) => f.includes('/node_modules/class-validator/')).length;
const out = {}; ${body}; process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO, env: { ...process.env, ESTUARY_CACHE_DIR: cache }, encoding: 'utf8' });
  expect(r.status, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('estuary CLI: class-validator exports loaded on first use', function () {
  this.timeout(30000);
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(REPO, '.tmp-lazy-exports-'));
  });
  afterEach(() => {
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('loads the whole package until it has learnt where each export lives, then only what is used', () => {
    const first = inChild(cache, `const cv = require('class-validator'); out.n = Object.keys(cv).length; out.loaded = loaded();`);
    expect(first.loaded).to.be.greaterThan(100);
    expect(fs.readdirSync(cache).filter((f) => f.startsWith('exports-class-validator-'))).to.have.length(1);

    const second = inChild(
      cache,
      `const cv = require('class-validator');
class C {}
cv.IsInt()(C.prototype, 'n');
out.loaded = loaded();
out.same = cv.IsInt === require('class-validator/cjs/decorator/typechecker/IsInt').IsInt;
out.errors = cv.validateSync(Object.assign(new C(), { n: 1.5 })).map((e) => Object.keys(e.constraints));
out.n = Object.keys(cv).length;
out.esModule = cv.__esModule;`,
    );
    expect(second.loaded, 'modules loaded for IsInt').to.be.below(20);
    expect(second.same).to.equal(true);
    expect(second.errors).to.deep.equal([['isInt']]);
    expect(second.n).to.equal(first.n);
    expect(second.esModule).to.equal(true);
  });

  it("validates and builds models through the framework without loading class-validator's entry (validator, libphonenumber-js)", () => {
    inChild(cache, `require('class-validator'); require('class-transformer');`); // learns where each export lives
    const validation = JSON.stringify(path.join(REPO, 'dist/src/common/validation.js'));
    const r = inChild(
      cache,
      `require(${JSON.stringify(LAZY)}).lazyExports(['class-transformer']);
const cv = require('class-validator');
const { validateSync, plainToInstance } = require(${validation});
const heavy = () => Object.keys(require.cache).filter((f) => /node_modules[/](libphonenumber-js|validator)[/]/.test(f)).length;
class C {}
cv.IsInt()(C.prototype, 'n');
cv.IsString()(C.prototype, 's');
const bad = plainToInstance(C, { n: 1.5, s: 2 });
out.instance = bad instanceof C;
out.errors = validateSync(bad).map((e) => e.property + ':' + Object.keys(e.constraints).join());
out.many = plainToInstance(C, [{ n: 1 }, { n: 2 }]).map((c) => c instanceof C && c.n);
out.loaded = loaded();
out.heavy = heavy();
out.fromEntry = cv.validateSync(bad).map((e) => e.property + ':' + Object.keys(e.constraints).join());
out.heavyAfterEntry = heavy();`,
    );
    expect(r.instance).to.equal(true);
    expect(r.errors).to.deep.equal(['n:isInt', 's:isString']);
    expect(r.many).to.deep.equal([1, 2]);
    expect(r.loaded, 'class-validator modules loaded').to.be.below(40);
    expect(r.heavy, 'validator and libphonenumber-js modules loaded').to.be.below(5);
    // The entry's own function gives the same answer, and loads what it always did.
    expect(r.fromEntry).to.deep.equal(r.errors);
    expect(r.heavyAfterEntry).to.be.above(100);
  });

  it('is off with ESTUARY_STARTUP_CACHE=0', () => {
    const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(LAZY)}).lazyExports(['class-validator']); require('class-validator');`], {
      cwd: REPO,
      env: { ...process.env, ESTUARY_CACHE_DIR: cache, ESTUARY_STARTUP_CACHE: '0' },
    });
    expect(r.status).to.equal(0);
    expect(fs.readdirSync(cache)).to.deep.equal([]);
  });
});

describe("estuary CLI: estuary-cdk's own exports loaded on first use", function () {
  this.timeout(30000);
  const ENTRY = path.join(REPO, 'dist/src/index.js');
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(REPO, '.tmp-lazy-own-'));
  });
  afterEach(() => {
    fs.rmSync(cache, { recursive: true, force: true });
  });

  /** Runs `body` in a fresh node after lazyOwnExports(entry), as bin/estuary.js does; `out` is returned. */
  function run(entry: string, body: string): Record<string, unknown> {
    const script = `require('reflect-metadata'); require(${JSON.stringify(LAZY)}).lazyOwnExports(${JSON.stringify(entry)});
const under = (dir) => Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(path.join(REPO, 'dist/src'))} + '/' + dir + '/')).length;
const out = {}; ${body}; process.stdout.write(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO, env: { ...process.env, ESTUARY_CACHE_DIR: cache }, encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  it('serves the same exports, loading only the files of those read (the Airbyte shim, streams and windows on demand)', () => {
    const first = run(ENTRY, `const cdk = require(${JSON.stringify(ENTRY)}); out.keys = Object.keys(cdk).sort(); out.airbyte = under('airbyte');`);
    expect(first.airbyte, 'the whole entry loads the shim').to.be.greaterThan(5);
    expect(fs.readdirSync(cache).filter((f) => f.startsWith('exports-estuary-cdk-'))).to.have.length(1);

    const second = run(
      ENTRY,
      `const cdk = require(${JSON.stringify(ENTRY)});
const { Backfill, HttpClient, injectable } = cdk;
out.keys = Object.keys(cdk).sort();
out.esModule = cdk.__esModule;
out.sameClient = HttpClient === require(${JSON.stringify(path.join(REPO, 'dist/src/common/http/http-client.js'))}).HttpClient;
out.sameInjectable = injectable === require('tsyringe').injectable;
out.decorator = typeof Backfill();
out.before = { airbyte: under('airbyte'), streams: under('common/streams'), windows: under('common/windows'), pagination: under('common/http/pagination') };
out.shim = typeof cdk.airbyteShim;
out.processor = typeof cdk.IncrementalJsonProcessor;
out.after = { airbyte: under('airbyte'), streams: under('common/streams') };`,
    );
    expect(second.keys).to.deep.equal(first.keys);
    expect(second.esModule).to.equal(true);
    expect(second.sameClient).to.equal(true);
    expect(second.sameInjectable).to.equal(true);
    expect(second.decorator).to.equal('function');
    expect(second.before).to.deep.equal({ airbyte: 0, streams: 0, windows: 0, pagination: 0 });
    expect(second.shim).to.equal('function');
    expect(second.processor).to.equal('function');
    expect((second.after as Record<string, number>).airbyte).to.be.greaterThan(0);
    expect((second.after as Record<string, number>).streams).to.be.greaterThan(0);
  });

  it('learns the map again when the entry changes, so a rebuilt entry never serves a stale one', () => {
    const pkg = fs.mkdtempSync(path.join(cache, 'pkg-'));
    const entry = path.join(pkg, 'index.js');
    fs.writeFileSync(path.join(pkg, 'a.js'), 'exports.A = class A {};');
    fs.writeFileSync(path.join(pkg, 'b.js'), 'exports.B = class B {};');
    const reexport = (name: string, file: string): string =>
      `var ${name}_1 = require('./${file}'); Object.defineProperty(exports, '${name}', { enumerable: true, get: function () { return ${name}_1.${name}; } });\n`;
    fs.writeFileSync(entry, `Object.defineProperty(exports, '__esModule', { value: true });\n${reexport('A', 'a')}`);
    const loaded = `out.loaded = Object.keys(require.cache).filter((f) => f.startsWith(${JSON.stringify(pkg + path.sep)})).map((f) => path.basename(f)).sort();`;
    run(entry, `const m = require(${JSON.stringify(entry)}); out.a = typeof m.A;`);
    const lazy = run(entry, `const path = require('node:path'); const m = require(${JSON.stringify(entry)}); ${loaded}`);
    expect(lazy.loaded, 'the entry stands in; a.js is not read until A is').to.deep.equal(['index.js']);

    fs.writeFileSync(entry, `Object.defineProperty(exports, '__esModule', { value: true });\n${reexport('A', 'a')}${reexport('B', 'b')}`);
    const changed = run(entry, `const m = require(${JSON.stringify(entry)}); out.b = typeof m.B; out.keys = Object.keys(m);`);
    expect(changed.b).to.equal('function');
    expect(changed.keys).to.deep.equal(['A', 'B']);
    const relearnt = run(entry, `const path = require('node:path'); const m = require(${JSON.stringify(entry)}); out.b = typeof m.B; ${loaded}`);
    expect(relearnt.b).to.equal('function');
    expect(relearnt.loaded).to.deep.equal(['b.js', 'index.js']);
  });

  it('falls back to the whole entry for an export whose mapped file is gone (another package upgraded under an unchanged entry)', () => {
    const pkg = fs.mkdtempSync(path.join(cache, 'pkg-'));
    const entry = path.join(pkg, 'index.js');
    const other = path.join(pkg, 'node_modules', 'other');
    fs.mkdirSync(other, { recursive: true });
    fs.writeFileSync(path.join(other, 'package.json'), JSON.stringify({ name: 'other', main: 'index.js' }));
    fs.writeFileSync(path.join(other, 'index.js'), "exports.X = 'x from index.js';");
    fs.writeFileSync(entry, "var o = require('other'); Object.defineProperty(exports, 'X', { enumerable: true, get: function () { return o.X; } });\n");
    run(entry, `out.x = require(${JSON.stringify(entry)}).X;`);
    // The upgrade: other's entry is now main.js, and index.js is gone.
    fs.writeFileSync(path.join(other, 'package.json'), JSON.stringify({ name: 'other', main: 'main.js' }));
    fs.writeFileSync(path.join(other, 'main.js'), "exports.X = 'x from main.js';");
    fs.rmSync(path.join(other, 'index.js'));
    const after = run(entry, `out.x = require(${JSON.stringify(entry)}).X;`);
    expect(after.x).to.equal('x from main.js');
  });

  it('answers spec for a sample without loading the parsers, the HTTP stack, pagination, the Airbyte shim or stream processors (issue 16, item 3)', () => {
    const list = path.join(cache, 'loaded.json');
    const preload = path.join(cache, 'list-modules.js');
    fs.writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));`);
    const spec = (): string[] => {
      const r = spawnSync(process.execPath, ['-r', preload, ESTUARY_BIN, 'run', 'sample-connectors/hello-world'], {
        cwd: REPO,
        input: '{"spec":{"connectorType":"IMAGE"}}\n',
        env: { ...process.env, ESTUARY_CACHE_DIR: cache },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^\{"spec":/);
      return JSON.parse(fs.readFileSync(list, 'utf8')) as string[];
    };
    spec(); // a first process fills the caches
    const loaded = spec();
    const matching = (re: RegExp): string[] => loaded.filter((f) => re.test(f.split(path.sep).join('/')));
    expect(matching(/node_modules\/(csv-parse|stream-json|hash-wasm|yaml|libphonenumber-js|undici|thread-stream)\//), 'packages').to.deep.equal([]);
    expect(matching(/dist\/src\/(airbyte\/(?!shim-brand)|common\/streams\/|common\/windows\/|common\/http\/pagination\/)/), 'estuary-cdk modules').to.deep.equal([]);
    expect(matching(/node_modules\/validator\//).length, 'validator files (the decorators the sample uses)').to.be.below(5);
  });
});
