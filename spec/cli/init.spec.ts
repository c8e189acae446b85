import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadCatalog } from '../../src/harness';

const REPO = path.resolve(__dirname, '../../..');
const BIN = path.join(REPO, 'bin/estuary.js');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` as a child process in `cwd` and collects its output. */
function run(args: string[], cwd = REPO, env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Output lines of `estuary preview`, as `[collection, document]`. */
function records(stdout: string): Array<[string, Record<string, unknown>]> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as [string, Record<string, unknown>]);
}

// Inside the repo, the generated connector's `import … from 'estuary-cdk'` resolves to this package by
// self-reference; a connector elsewhere gets it from `npm install estuary-cdk`.
const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = path.join(REPO, `.tmp-init-${randomBytes(4).toString('hex')}`);
  tmpDirs.push(dir);
  return dir;
}

describe('estuary init', function () {
  this.timeout(90_000);
  const dir = tmpDir();
  let init: Ran;

  before(async () => {
    init = await run([BIN, 'init', dir]);
  });

  after(() => {
    for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('writes a connector in the canonical layout and prints the next steps', () => {
    expect(init.code, init.stderr).to.equal(0);
    expect(fs.readdirSync(dir).sort()).to.deep.equal([
      'README.md',
      'api.ts',
      'config.yaml',
      'connector.spec.ts',
      'connector.ts',
      'mock-api.ts',
      'models.ts',
      'resources.ts',
      'test.flow.yaml',
      'tsconfig.json',
    ]);
    const className = path
      .basename(dir)
      .split(/[^A-Za-z0-9]+/)
      .filter(Boolean)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join('');
    const connector = fs.readFileSync(path.join(dir, 'connector.ts'), 'utf8');
    expect(connector).to.include(`export class ${className} {`).and.to.include("from 'estuary-cdk'");
    for (const f of ['models.ts', 'api.ts', 'resources.ts']) {
      expect(fs.readFileSync(path.join(dir, f), 'utf8'), f)
        .to.include("from 'estuary-cdk'")
        .and.not.to.match(/__name__|__ConnectorClass__/);
    }
    // The spec takes the test kit from its own entry point, which connector code never loads.
    expect(fs.readFileSync(path.join(dir, 'connector.spec.ts'), 'utf8'))
      .to.include("from 'estuary-cdk/testing'")
      .and.not.to.match(/__name__|__ConnectorClass__/);
    const capture = parseYaml(fs.readFileSync(path.join(dir, 'test.flow.yaml'), 'utf8')).captures[`acmeCo/${path.basename(dir).slice(1)}`];
    expect(capture.endpoint.local).to.deep.equal({ command: ['npx', 'estuary', 'run', '.'], config: 'config.yaml' });
    expect(init.stdout).to.include('Next steps:').and.to.include('npx estuary preview . --sessions 1').and.to.include('npx estuary test');
  });

  // The delay is counted from the capture process's start, so it must cover that start on a busy machine.
  it('is previewed at once: the connector captures from its built-in demo API', async () => {
    const r = await run([BIN, 'preview', dir, '--config', path.join(dir, 'config.yaml'), '--sessions', '1', '--delay', '5s']);
    expect(r.code, r.stderr).to.equal(0);
    const out = records(r.stdout);
    expect(out.filter(([c]) => c === 'acmeCo/items').map(([, d]) => d.id)).to.deep.equal(Array.from({ length: 12 }, (_, i) => `item-${String(i + 1).padStart(3, '0')}`));
    expect(out.filter(([c]) => c === 'acmeCo/categories').map(([, d]) => [d.name, (d._meta as any).row_id])).to.deep.equal([
      ['books', 0],
      ['games', 1],
      ['tools', 2],
    ]);
  });

  it('has a test.flow.yaml the preview harness loads: local command, config file, bindings into its collections', () => {
    const catalog = loadCatalog(path.join(dir, 'test.flow.yaml'));
    const name = path.basename(dir).slice(1);
    expect(catalog.captureName).to.equal(`acmeCo/${name}`);
    expect(catalog.command).to.deep.equal(['npx', 'estuary', 'run', '.']);
    expect(catalog.cwd).to.equal(dir);
    expect(catalog.config).to.deep.equal({ base_url: '', api_key: 'demo-key' });
    expect(catalog.bindings.map((b) => [b.resource.name, b.target])).to.deep.equal([
      ['items', `acmeCo/${name}/items`],
      ['categories', `acmeCo/${name}/categories`],
    ]);
    expect(catalog.collections.get(`acmeCo/${name}/categories`)?.key).to.deep.equal(['/_meta/row_id']);
  });

  it('comes with a spec that passes against the mock API', async () => {
    const register = path.join(REPO, 'dist/src/cli/ts-register.js');
    // The spec waits for the committed state it needs, not for a fixed delay.
    const r = await run(['-e', `require(${JSON.stringify(register)}).registerTypeScript(); require('./connector.spec.ts');`], dir);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout)
      .to.match(/^# pass 1$/m)
      .and.to.match(/^# fail 0$/m);
  });

  it('refuses a non-empty directory with one line and exit code 1, writing nothing', async () => {
    const other = tmpDir();
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'notes.txt'), 'keep me');
    const r = await run([BIN, 'init', other]);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
    expect(r.stderr).to.match(/^estuary init: .*\.tmp-init-[0-9a-f]+ is not empty; choose a new or empty directory/);
    expect(fs.readdirSync(other)).to.deep.equal(['notes.txt']);

    const again = await run([BIN, 'init', dir]);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include('is not empty');
  });

  it('scaffolds into an existing empty directory and rejects a missing argument', async () => {
    const empty = tmpDir();
    fs.mkdirSync(empty);
    const r = await run([BIN, 'init', empty]);
    expect(r.code, r.stderr).to.equal(0);
    expect(fs.existsSync(path.join(empty, 'connector.ts'))).to.equal(true);
    const usage = await run([BIN, 'init']);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.include('usage: estuary init <dir>');
  });
});
