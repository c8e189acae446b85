import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, runCli } from '../helpers/cli-process';

const SAMPLES = ['navan', 'iterate', 'google-sheets'];

describe('estuary docs (child processes)', () => {
  for (const sample of SAMPLES) {
    it(`the generated section of sample-connectors/${sample}/README.md matches the connector`, async () => {
      const readme = path.join('sample-connectors', sample, 'README.md');
      const r = await runCli(['docs', `sample-connectors/${sample}`, '--check', readme]);
      expect(r.stdout.join('\n'), `run: node bin/estuary.js docs sample-connectors/${sample} --write ${readme}`).to.equal('');
      expect(r.code).to.equal(0);
    });
  }

  it('prints a page, fails --check with a diff once the page drifts, and --write keeps prose', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-'));
    const file = path.join(dir, 'navan.md');
    const printed = await runCli(['docs', 'sample-connectors/navan', '--name', 'Navan']);
    expect(printed.code).to.equal(0);
    const page = printed.stdout.join('\n');
    expect(page)
      .to.match(/^# Navan\n/)
      .and.include('| **`/credentials/client_secret`** | Client Secret | **Secret.** | string | Required |');
    const stale = page
      .replace('<!-- estuary-docs:end-prose intro -->', 'Bookings from Navan.\n<!-- estuary-docs:end-prose intro -->')
      .replace('Default: `PT0S` (0 seconds)', 'Default: `P7D` (7 days)');
    fs.writeFileSync(file, stale);
    const checked = await runCli(['docs', 'sample-connectors/navan', '--name', 'Navan', '--check', file]);
    expect(checked.code).to.equal(1);
    expect(checked.stdout).to.include('-| `/interval` | Interval | Interval between updates for this resource. | string (duration) | Default: `P7D` (7 days) |');
    expect(checked.stdout).to.include('+| `/interval` | Interval | Interval between updates for this resource. | string (duration) | Default: `PT0S` (0 seconds) |');
    expect(checked.stderr.join('\n')).to.include('no longer matches the connector');
    const written = await runCli(['docs', 'sample-connectors/navan', '--name', 'Navan', '--write', file]);
    expect(written.code).to.equal(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).to.include('Bookings from Navan.\n<!-- estuary-docs:end-prose intro -->').and.include('`PT0S` (0 seconds)');
    expect((await runCli(['docs', 'sample-connectors/navan', '--name', 'Navan', '--check', file])).code).to.equal(0);
    fs.rmSync(dir, { recursive: true });
  });

  it('exits 2 with usage on bad arguments and 1 naming a missing connector', async () => {
    expect((await runCli(['docs'])).code).to.equal(2);
    const missing = await runCli(['docs', 'sample-connectors/nope'], [], { cwd: REPO });
    expect(missing.code).to.equal(1);
    expect(missing.stderr.join('\n')).to.include('sample-connectors/nope does not exist');
  });
});
