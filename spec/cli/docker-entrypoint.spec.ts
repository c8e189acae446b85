import { expect } from 'chai';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ESTUARY_BIN, REPO } from '../helpers/cli-process';

const DOCKER = path.join(REPO, 'templates/docker');
const ENTRYPOINT = path.join(DOCKER, 'entrypoint.sh');

/** Runs the image's entrypoint script as Flow would run the image: one request on stdin, then EOF. */
function runEntrypoint(env: Record<string, string>, request: unknown): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', [ENTRYPOINT], { cwd: os.tmpdir(), env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    // A script that exits before reading its request closes the pipe; its exit code tells the story.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(`${JSON.stringify(request)}\n`);
  });
}

describe('connector image (templates/docker)', function () {
  this.timeout(60000);

  it('declares the labels Flow reads and runs the entrypoint script', () => {
    const dockerfile = fs.readFileSync(path.join(DOCKER, 'Dockerfile'), 'utf8');
    const labels = [...dockerfile.matchAll(/^LABEL\s+(\S+)=(\S+)\s*$/gm)].map((m) => `${m[1]}=${m[2]}`);
    expect(labels).to.include.members(['FLOW_RUNTIME_PROTOCOL=capture', 'FLOW_RUNTIME_CODEC=json', 'CONNECTOR_PROTOCOL=flow-capture']);
    expect(dockerfile).to.match(/^COPY entrypoint\.sh \/usr\/local\/bin\/connector-entrypoint$/m);
    expect(dockerfile).to.match(/^ENTRYPOINT \["\/usr\/local\/bin\/connector-entrypoint"\]$/m);
  });

  it('answers a spec request through the entrypoint with a sample connector', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'estuary-entrypoint-'));
    try {
      const r = await runEntrypoint(
        { CONNECTOR_DIR: path.join(REPO, 'sample-connectors/hello-world'), ESTUARY_BIN: ESTUARY_BIN, ESTUARY_CACHE_DIR: cache },
        { spec: { connectorType: 'IMAGE', config: {} } },
      );
      expect(r.code, r.stderr).to.equal(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines).to.have.length(1);
      const spec = JSON.parse(lines[0]!).spec;
      expect(spec.protocol).to.equal(3032023);
      expect(spec.configSchema.properties.greeting.default).to.equal('Hello');
      expect(spec.resourcePathPointers).to.deep.equal(['/name']);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('fails with one line naming the fix when estuary is not installed in the connector folder', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'estuary-entrypoint-'));
    try {
      const r = await runEntrypoint({ CONNECTOR_DIR: empty, ESTUARY_BIN: '' }, { spec: { connectorType: 'IMAGE', config: {} } });
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      expect(r.stderr.trim().split('\n')).to.deep.equal([`connector-entrypoint: ${empty}/node_modules/.bin/estuary is missing; install estuary-cdk in ${empty} or set ESTUARY_BIN`]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
