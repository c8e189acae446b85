import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/cli-process';

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
