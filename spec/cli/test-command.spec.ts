import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, runCli } from '../helpers/cli-process';

/** Writes `files` into a new project folder of the given module type. */
function project(root: string, name: string, type: 'module' | 'commonjs', files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, text] of Object.entries({ 'package.json': JSON.stringify({ name, private: true, type }), ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** A spec that needs decorator metadata: the constructor parameter types of a decorated class. */
const METADATA_CHECK = [
  "import { Api } from './api';",
  'function injectable(): ClassDecorator { return () => undefined; }',
  '@injectable()',
  'class Service { constructor(readonly api: Api) {} }',
  'const paramTypes = (Reflect as unknown as { getMetadata(k: string, t: object): unknown[] }).getMetadata("design:paramtypes", Service);',
].join('\n');

describe('estuary test', function () {
  this.timeout(180_000);
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'estuary-test-cmd-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("runs every spec of an ESM project under Node's test runner with decorator metadata, failing when one fails", async () => {
    const dir = project(root, 'esm', 'module', {
      'api.ts': 'export class Api {}\n',
      'good.spec.ts': `import assert from 'node:assert/strict';\nimport { test } from 'node:test';\n${METADATA_CHECK}\ntest('metadata', () => assert.deepEqual(paramTypes, [Api]));\n`,
      'spec/bad.test.ts': "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\ntest('fails', () => assert.equal(1, 2));\n",
      'node_modules/dep/x.spec.ts': 'throw new Error("specs in node_modules are not the project\'s");\n',
    });
    const all = await runCli(['test'], [], { cwd: dir });
    expect(all.code).to.not.equal(0);
    expect(all.stdout).to.include('# pass 1').and.to.include('# fail 1');

    const one = await runCli(['test', 'good.spec.ts'], [], { cwd: dir });
    expect(one.code, one.stdout.join('\n')).to.equal(0);
    expect(one.stdout).to.include('# pass 1').and.to.include('# fail 0');
  });

  it("runs the project's mocha with --mocha, and says in one line when the project has none", async () => {
    const files = {
      'api.ts': 'export class Api {}\n',
      'x.spec.ts': `${METADATA_CHECK}\ndeclare const describe: (n: string, f: () => void) => void;\ndeclare const it: (n: string, f: () => void) => void;\ndescribe('Service', () => it('has metadata', () => { if (paramTypes[0] !== Api) throw new Error('no metadata'); }));\n`,
    };
    const without = project(root, 'no-mocha', 'commonjs', files);
    const missing = await runCli(['test', '--mocha'], [], { cwd: without });
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.have.length(1);
    expect(missing.stderr[0]).to.match(/^estuary test: mocha is not installed in .*npm install --save-dev mocha/);

    const withMocha = project(root, 'with-mocha', 'module', files);
    fs.mkdirSync(path.join(withMocha, 'node_modules'));
    fs.symlinkSync(fs.realpathSync(path.join(REPO, 'node_modules/mocha')), path.join(withMocha, 'node_modules/mocha'), 'dir');
    const ran = await runCli(['test', '--mocha', '--reporter', 'spec'], [], { cwd: withMocha });
    expect(ran.code, ran.stdout.join('\n') + ran.stderr.join('\n')).to.equal(0);
    expect(ran.stdout.join('\n')).to.match(/1 passing/);
  });

  it('rejects an unknown option with the usage', async () => {
    const r = await runCli(['test', '--bail'], [], { cwd: root });
    expect(r.code).to.equal(2);
    expect(r.stderr[0]).to.equal('estuary test: unknown option --bail');
  });
});
