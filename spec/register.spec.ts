import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './helpers/cli-process';

const REGISTER = path.join(REPO, 'dist/src/register.js');

/** Runs `node <flag> estuary-cdk/register --test x.spec.ts` in `dir`; resolves with exit code and output. */
function nodeTest(dir: string, flag: '--import' | '--require'): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [flag, REGISTER, '--test', 'x.spec.ts'], { cwd: dir, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, out: stdout + stderr });
    });
  });
}

/**
 * A project's TypeScript spec importing TypeScript three ways (no extension, `.js` as nodenext
 * writes it, a folder's index) and checking the constructor metadata injection needs.
 */
const FILES: Record<string, string> = {
  'api.ts': 'export class Api { readonly kind = "api"; }\n',
  'lib/index.ts': 'export const lib: string = "lib";\n',
  'service.ts': [
    "import { Api } from './api.js';",
    'function injectable(): ClassDecorator { return () => undefined; }',
    '@injectable()',
    'export class Service { constructor(readonly api: Api) {} }',
    '',
  ].join('\n'),
  'x.spec.ts': [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    "import { Api } from './api';",
    "import { lib } from './lib';",
    "import { Service } from './service.js';",
    "test('loads TypeScript with decorator metadata', () => {",
    "  assert.equal(lib, 'lib');",
    "  assert.deepEqual((Reflect as unknown as { getMetadata(k: string, t: object): unknown }).getMetadata('design:paramtypes', Service), [Api]);",
    '});',
    '',
  ].join('\n'),
};

describe('estuary-cdk/register', function () {
  this.timeout(240_000);
  let work: string;
  before(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'estuary-register-'));
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const cases: ['commonjs' | 'module', '--import' | '--require'][] = [
    ['module', '--import'],
    ['module', '--require'],
    ['commonjs', '--import'],
    ['commonjs', '--require'],
  ];
  for (const [type, flag] of cases) {
    it(`runs a TypeScript spec in a "type": "${type}" project with node ${flag}`, async () => {
      const dir = path.join(work, `${type}${flag}`);
      for (const [file, text] of Object.entries(FILES)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      }
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `p-${type}`, private: true, type }));
      const r = await nodeTest(dir, flag);
      expect(r.code, r.out).to.equal(0);
      expect(r.out).to.match(/^# pass 1$/m);
    });
  }

  it('leaves a missing .js import from TypeScript a plain module-not-found error', async () => {
    const dir = path.join(work, 'missing');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    fs.writeFileSync(path.join(dir, 'x.spec.ts'), "import { nothing } from './absent.js';\nconsole.log(nothing);\n");
    const r = await nodeTest(dir, '--import');
    expect(r.code).to.not.equal(0);
    expect(r.out).to.include("Cannot find module './absent.js'");
  });
});
