import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CliResult, REPO, runCli } from '../helpers/cli-process';

const HELLO = 'sample-connectors/hello-world';

function blobs(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.startsWith('v8-code-') && f.endsWith('.bin'));
}

function openHello(): unknown {
  const binding = { resourceConfig: { name: 'greetings', interval: 'PT1S' }, resourcePath: ['greetings'], collection: { name: 'acmeCo/greetings', key: ['/count'] }, stateKey: 'greetings' };
  return { open: { capture: { name: 'acmeCo/hello', config: { batch: 5, limit: 5 }, intervalSeconds: 1, bindings: [binding] }, range: { keyEnd: 4294967295 }, state: {} } };
}

describe('estuary CLI: V8 code cache of the modules it loads', function () {
  this.timeout(30000);
  let cache: string;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(REPO, '.tmp-v8-cache-'));
  });
  afterEach(() => {
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('writes one cache file after the first process, and the next process answers the same from it', async () => {
    const first = await runCli(['spec', HELLO], [], { env: { ESTUARY_CACHE_DIR: cache } });
    expect(first.code).to.equal(0);
    const [blob] = blobs(cache);
    expect(blob, 'cache file').to.be.a('string');
    const written = fs.statSync(path.join(cache, blob!));
    expect(written.size).to.be.greaterThan(100_000);
    const second = await runCli(['spec', HELLO], [], { env: { ESTUARY_CACHE_DIR: cache } });
    expect(second.code).to.equal(0);
    expect(second.stdout).to.deep.equal(first.stdout);
    // Every module was served from the cache: nothing new to write, the file is untouched.
    expect(fs.statSync(path.join(cache, blob!)).mtimeMs).to.equal(written.mtimeMs);
  });

  it('serves a capture from the cache although the capture changes V8 heap flags as it runs', async () => {
    // The heap tuning sets V8 flags when the capture opens, and V8 stamps cached code with its flags:
    // code read or written under the changed flags would be rejected by every later process.
    const capture = (): Promise<CliResult> =>
      runCli(['run', HELLO], [{ spec: { connectorType: 'IMAGE', config: {} }, $internal: 'AAAA' }, openHello()], {
        env: { ESTUARY_CACHE_DIR: cache },
        keepOpen: (out) => !out.some((l) => l.includes('"cursor":5')),
      });
    const first = await capture();
    expect(first.code).to.equal(0);
    const file = path.join(cache, blobs(cache)[0]!);
    const written = fs.statSync(file).mtimeMs;
    const second = await capture();
    expect(second.code).to.equal(0);
    expect(second.stdout.some((l) => l.includes('"cursor":5'))).to.equal(true);
    // Nothing was rejected and compiled afresh: nothing new to write.
    expect(fs.statSync(file).mtimeMs).to.equal(written);
  });

  it('ignores a damaged cache file and replaces it', async () => {
    const first = await runCli(['spec', HELLO], [], { env: { ESTUARY_CACHE_DIR: cache } });
    const file = path.join(cache, blobs(cache)[0]!);
    fs.writeFileSync(file, 'estuary-v8-cache-1\n\u0005\u0000\u0000\u0000abc');
    const second = await runCli(['spec', HELLO], [], { env: { ESTUARY_CACHE_DIR: cache } });
    expect(second.code).to.equal(0);
    expect(second.stdout).to.deep.equal(first.stdout);
    // Rewritten with the code of every module this process compiled (fewer than the first: by now
    // class-validator loads only what it uses).
    expect(fs.statSync(file).size).to.be.greaterThan(100_000);
  });

  it('is off with ESTUARY_STARTUP_CACHE=0', async () => {
    const r = await runCli(['spec', HELLO], [], { env: { ESTUARY_CACHE_DIR: cache, ESTUARY_STARTUP_CACHE: '0' } });
    expect(r.code).to.equal(0);
    expect(blobs(cache)).to.deep.equal([]);
  });
});
