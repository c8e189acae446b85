import { expect } from 'chai';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO } from '../helpers/cli-process';

const run = promisify(execFile);

/** Runs a command in `cwd` the way a user types it; resolves with its stdout, rejects naming stderr. */
async function sh(cwd: string, cmd: string, args: string[], timeout = 240_000): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, { cwd, timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' } });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} in ${cwd} failed: ${e.message}\n${(e.stderr ?? '').split('\n').slice(-15).join('\n')}`);
  }
}

/**
 * The author's path from a packed tarball: install into a fresh project outside the repository (so
 * nothing resolves from the repo's node_modules), scaffold, and use the `estuary` command and the
 * scaffold's own spec there — in a CommonJS and in an ESM (`"type": "module"`) project.
 */
describe('the packed package in a fresh project', function () {
  this.timeout(600_000);
  let work: string;
  let tarball: string;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'estuary-pack-'));
    const out = await sh(REPO, 'npm', ['pack', '--silent', '--pack-destination', work]);
    tarball = path.join(work, out.trim().split('\n').pop()!);
    expect(fs.existsSync(tarball), tarball).to.equal(true);
  });
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  for (const kind of ['commonjs', 'module'] as const) {
    it(`installs, scaffolds, previews and tests a connector in a ${kind} project`, async () => {
      const project = path.join(work, kind);
      fs.mkdirSync(project);
      const pkg = { name: `consumer-${kind}`, version: '1.0.0', private: true, type: kind, scripts: { test: 'estuary test' } };
      fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify(pkg));
      await sh(project, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball]);

      // One copy of each singleton library: the peers are hoisted beside estuary-cdk, not nested in it.
      for (const lib of ['tsyringe', 'class-validator', 'class-transformer']) {
        expect(fs.existsSync(path.join(project, 'node_modules', lib)), lib).to.equal(true);
        expect(fs.existsSync(path.join(project, 'node_modules/estuary-cdk/node_modules', lib)), `nested ${lib}`).to.equal(false);
      }

      await sh(project, 'npx', ['estuary', 'init', 'shop']);
      const spec = JSON.parse(await sh(project, 'npx', ['estuary', 'spec', 'shop'])) as { protocol: number; configSchema: { properties: Record<string, unknown> } };
      expect(spec.protocol).to.equal(3032023);
      expect(spec.configSchema.properties).to.have.property('api_key');

      // No --config: the folder's config.yaml is used; the run ends at the timeout.
      const preview = (await sh(project, 'npx', ['estuary', 'preview', 'shop', '--timeout', '20s'])).split('\n').filter((l) => l !== '');
      const collections = new Set(preview.map((l) => (JSON.parse(l) as [string, unknown])[0]));
      expect([...collections].sort()).to.deep.equal(['acmeCo/categories', 'acmeCo/items']);

      // The scaffold's spec, run the documented way (decorator metadata through estuary-cdk/register):
      // `--import` in either kind of project (an ESM project's entry file goes to Node's ESM loader,
      // which needs the registered hooks to load .ts), and `--require` still in a CommonJS one.
      const flags = kind === 'module' ? ['--import'] : ['--import', '--require'];
      for (const flag of flags) {
        const tap = await sh(path.join(project, 'shop'), process.execPath, [flag, 'estuary-cdk/register', '--test', 'connector.spec.ts']);
        expect(tap, flag).to.match(/^# pass 1$/m);
        expect(tap, flag).to.match(/^# fail 0$/m);
      }
      // `npm test` as the scaffold suggests it: estuary test finds shop/connector.spec.ts.
      const npmTest = await sh(project, 'npm', ['test']);
      expect(npmTest).to.match(/^# pass 1$/m);
      expect(npmTest).to.match(/^# fail 0$/m);
    });
  }
});
