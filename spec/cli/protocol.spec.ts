import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, runCli } from '../helpers/cli-process';

const HELLO = 'sample-connectors/hello-world';
const INTERNAL_SPEC = { spec: { connectorType: 'IMAGE', config: {} }, $internal: 'AAAA' };

function openReq(state: Record<string, unknown> = {}, config: Record<string, unknown> = { batch: 5, limit: 20 }): unknown {
  return {
    open: {
      capture: {
        name: 'acmeCo/hello',
        config,
        intervalSeconds: 1,
        bindings: [{ resourceConfig: { name: 'greetings', interval: 'PT1S' }, resourcePath: ['greetings'], collection: { name: 'acmeCo/greetings', key: ['/count'] }, stateKey: 'greetings' }],
      },
      range: { keyEnd: 4294967295 },
      state,
    },
  };
}

/** The last stderr line must be the one clear error, without a stack trace. */
function expectOneErrorLine(r: { code: number | null; logs: Record<string, any>[] }, text: string): void {
  expect(r.code).to.equal(1);
  const last = r.logs[r.logs.length - 1]!;
  expect(last.level).to.equal('error');
  expect(last.msg).to.include(text);
  expect(last.msg).not.to.include('\n');
  expect(last.fields?.stack).to.equal(undefined);
  expect(r.logs.filter((l) => l.level === 'error')).to.have.length(1);
}

describe('estuary run (protocol over a real child process)', function () {
  this.timeout(60000);

  it('answers the internal spec and then spec, and exits 0', async () => {
    const r = await runCli(['run', HELLO], [INTERNAL_SPEC, { spec: { connectorType: 'IMAGE', config: {} } }]);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.have.length(2);
    const spec = JSON.parse(r.stdout[1]!).spec;
    expect(spec.protocol).to.equal(3032023);
    expect(spec.resourcePathPointers).to.deep.equal(['/name']);
    expect(spec.configSchema.properties.greeting.default).to.equal('Hello');
    expect(spec.resourceConfigSchema.required).to.deep.equal(['name']);
  });

  it('discovers and validates bindings', async () => {
    const r = await runCli(['run', HELLO], [INTERNAL_SPEC, { discover: { connectorType: 'IMAGE', config: {} } }]);
    expect(r.code).to.equal(0);
    const d = JSON.parse(r.stdout[1]!).discovered.bindings;
    expect(d).to.have.length(1);
    expect(d[0].recommendedName).to.equal('greetings');
    expect(d[0].key).to.deep.equal(['/count']);
    expect(d[0].resourceConfig).to.deep.equal({ name: 'greetings', interval: 'PT1S' });
    expect(d[0].documentSchema['x-infer-schema']).to.equal(true);

    const v = await runCli(
      ['run', HELLO],
      [INTERNAL_SPEC, { validate: { name: 'acmeCo/hello', config: {}, bindings: [{ resourceConfig: { name: 'greetings' }, collection: { name: 'acmeCo/greetings', key: ['/count'] } }] } }],
    );
    expect(v.code).to.equal(0);
    expect(JSON.parse(v.stdout[1]!)).to.deep.equal({ validated: { bindings: [{ resourcePath: ['greetings'] }] } });
  });

  it('lists every unknown binding in one validate error', async () => {
    const r = await runCli(
      ['run', HELLO],
      [
        INTERNAL_SPEC,
        {
          validate: {
            name: 'acmeCo/hello',
            config: {},
            bindings: [
              { resourceConfig: { name: 'nope' }, collection: { name: 'a/x', key: ['/id'] } },
              { resourceConfig: { name: 'also-nope' }, collection: { name: 'a/y', key: ['/id'] } },
            ],
          },
        },
      ],
    );
    expectOneErrorLine(r, "binding 0: resource 'nope' was not found");
    expect(r.logs[r.logs.length - 1]!.msg).to.include("binding 1: resource 'also-nope' was not found");
  });

  it('opens, captures, checkpoints, and resumes from a saved cursor', async () => {
    const first = await runCli(['run', HELLO], [INTERNAL_SPEC, openReq()], {
      keepOpen: (out) => !out.some((l) => l.includes('"cursor":20')),
    });
    expect(first.code).to.equal(0);
    const msgs = first.stdout.map((l) => JSON.parse(l));
    expect(Object.keys(msgs[1])).to.deep.equal(['opened']);
    expect(msgs[2].checkpoint.state.updated.bindingStateV1.greetings.inc).to.deep.equal({ cursor: 0 });
    const counts = msgs.filter((m) => m.captured).map((m) => m.captured.doc.count);
    expect(counts).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    // Each checkpoint follows exactly the five documents it commits.
    const i5 = msgs.findIndex((m) => m.checkpoint?.state.updated.bindingStateV1.greetings.inc?.cursor === 5);
    expect(msgs.slice(i5 - 5, i5).map((m) => m.captured.doc.count)).to.deep.equal([1, 2, 3, 4, 5]);

    const resumed = await runCli(['run', HELLO], [INTERNAL_SPEC, openReq({ bindingStateV1: { greetings: { inc: { cursor: 15 }, last_initialized: '2026-01-01T00:00:00Z' } } })], {
      keepOpen: (out) => !out.some((l) => l.includes('"cursor":20')),
    });
    expect(resumed.code).to.equal(0);
    const rc = resumed.stdout
      .map((l) => JSON.parse(l))
      .filter((m) => m.captured)
      .map((m) => m.captured.doc.count);
    expect(rc).to.deep.equal([16, 17, 18, 19, 20]);
  });

  it('stops gracefully on SIGTERM with exit 0 after checkpointing', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [path.join(REPO, 'bin/estuary.js'), 'run', HELLO], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write(JSON.stringify(openReq({}, { batch: 1, limit: 0 })) + '\n');
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('"cursor":3')) resolve();
      });
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).to.equal(0);
    const lines = out.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).to.have.property('checkpoint');
  });

  describe('malformed input gives exit 1 and one clear error line', () => {
    it('a non-JSON line', async () => {
      expectOneErrorLine(await runCli(['run', HELLO], ['{not json']), 'request line 1 is not valid JSON');
    });
    it('an unknown request', async () => {
      expectOneErrorLine(
        await runCli(['run', HELLO], [{ frobnicate: {} }]),
        'request line 1 is not a known request: expected one of spec, discover, validate, apply, open, acknowledge, got frobnicate',
      );
    });
    it('a request missing required fields', async () => {
      expectOneErrorLine(await runCli(['run', HELLO], [INTERNAL_SPEC, { discover: { connectorType: 'IMAGE' } }]), 'request line 2 (discover) is malformed: discover.config: expected');
    });
    it('config of the wrong type', async () => {
      expectOneErrorLine(
        await runCli(['run', HELLO], [{ discover: { config: { batch: 'ten', limit: -1 } } }]),
        'endpoint config is invalid: batch: must not be less than 1, must be an integer number; limit: must not be less than 0',
      );
    });
  });

  describe('loading connectors', () => {
    it('names a path that does not exist', async () => {
      expectOneErrorLine(await runCli(['run', 'spec/fixtures/connectors/missing.ts'], []), 'connector path spec/fixtures/connectors/missing.ts does not exist');
    });
    it('names a module without a connector', async () => {
      expectOneErrorLine(await runCli(['run', 'spec/fixtures/connectors/no-connector.ts'], []), 'spec/fixtures/connectors/no-connector.ts exports no @Connector class');
    });
    it('names several connectors', async () => {
      expectOneErrorLine(await runCli(['run', 'spec/fixtures/connectors/two-connectors.ts'], []), 'exports several @Connector classes (First, Second)');
    });
    it('names the file and line of a load failure', async () => {
      expectOneErrorLine(
        await runCli(['run', 'spec/fixtures/connectors/throws-on-load.ts'], []),
        'loading spec/fixtures/connectors/throws-on-load.ts failed at spec/fixtures/connectors/throws-on-load.ts:2: boom while loading',
      );
      const syntax = await runCli(['run', 'spec/fixtures/connectors/syntax-error.ts'], []);
      expectOneErrorLine(syntax, 'loading spec/fixtures/connectors/syntax-error.ts failed');
    });
    it('reports every definition problem of a misdecorated connector', async () => {
      const r = await runCli(['run', 'spec/fixtures/connectors/misdecorated.ts'], [INTERNAL_SPEC]);
      expectOneErrorLine(r, 'Misdecorated has 2 problems');
      expect(r.logs[r.logs.length - 1]!.msg).to.include('Orders.changes @Incremental: the method must be an async generator');
      expect(r.logs[r.logs.length - 1]!.msg).to.include('Orders @Resource: key is missing');
    });
    for (const library of ['tsyringe', 'class-validator', 'class-transformer']) {
      it(`detects a second copy of ${library} beside the connector`, async () => {
        const dir = fs.mkdtempSync(path.join(REPO, `.tmp-${library}-`));
        try {
          fs.mkdirSync(path.join(dir, 'node_modules', library), { recursive: true });
          fs.writeFileSync(path.join(dir, 'node_modules', library, 'package.json'), JSON.stringify({ name: library, version: '0.0.1', main: 'index.js' }));
          fs.writeFileSync(path.join(dir, 'node_modules', library, 'index.js'), 'module.exports = {};');
          fs.copyFileSync(path.join(REPO, 'spec/fixtures/connectors/two-connectors.ts'), path.join(dir, 'connector.ts'));
          const r = await runCli(['run', dir], []);
          expectOneErrorLine(r, `the connector loads its own copy of ${library}`);
          expect(r.logs[r.logs.length - 1]!.msg).to.include(`remove ${library} from the connector's dependencies`);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });

  it('estuary spec and discover print pretty responses', async () => {
    const s = await runCli(['spec', HELLO]);
    expect(s.code).to.equal(0);
    expect(JSON.parse(s.stdout.join('\n')).protocol).to.equal(3032023);
    expect(s.stdout[1]).to.match(/^ {2}"/);
    const d = await runCli(['discover', HELLO, '--config', `${HELLO}/config.yaml`]);
    expect(d.code).to.equal(0);
    expect(JSON.parse(d.stdout.join('\n')).bindings[0].recommendedName).to.equal('greetings');
  });
});

describe('estuary run: periodic restart', function () {
  this.timeout(30000);
  it('restarts (exits 0 after a final checkpoint) when ESTUARY_PERIODIC_RESTART elapses', async () => {
    const started = Date.now();
    const r = await runCli(
      ['run', 'sample-connectors/hello-world'],
      [
        {
          open: {
            capture: {
              name: 'a/b',
              config: { batch: 1, limit: 0 },
              bindings: [{ resourceConfig: { name: 'greetings', interval: 'PT0.05S' }, resourcePath: ['greetings'], collection: { name: 'a/g', key: ['/count'] }, stateKey: 'greetings' }],
            },
            state: {},
          },
        },
      ],
      {
        keepOpen: () => true,
        env: { ESTUARY_PERIODIC_RESTART: 'PT1S' },
      },
    );
    expect(r.code).to.equal(0);
    expect(Date.now() - started).to.be.lessThan(20000);
    expect(JSON.parse(r.stdout[r.stdout.length - 1]!)).to.have.property('checkpoint');
  });
});

describe('estuary run: stopping a CPU-bound capture', function () {
  this.timeout(30000);
  it('notices stdin closing during a backfill that never awaits I/O, and exits 0 after a checkpoint', async () => {
    let seen = 0;
    const r = await runCli(
      ['run', 'spec/fixtures/connectors/endless-backfill.ts'],
      [
        {
          open: {
            capture: { name: 'a/b', config: {}, bindings: [{ resourceConfig: { name: 'endless' }, resourcePath: ['endless'], collection: { name: 'a/e', key: ['/id'] }, stateKey: 'endless' }] },
            state: {},
          },
        },
      ],
      {
        keepOpen: (out) => (seen = out.length) < 5000,
      },
    );
    expect(r.code).to.equal(0);
    expect(seen).to.be.greaterThan(4999);
    const last = JSON.parse(r.stdout[r.stdout.length - 1]!);
    expect(last.checkpoint.state.updated.bindingStateV1.endless.backfill.next_page % 100).to.equal(0);
  });
});

describe('estuary run: compiled TypeScript cache', function () {
  this.timeout(30000);
  it('caches compiled connector files by content and serves the next process from the cache', async () => {
    const cache = fs.mkdtempSync(path.join(REPO, '.tmp-ts-cache-'));
    try {
      const first = await runCli(['spec', 'sample-connectors/hello-world'], [], { env: { ESTUARY_CACHE_DIR: cache } });
      expect(first.code).to.equal(0);
      const entries = fs.readdirSync(cache);
      expect(entries.filter((f) => f.endsWith('.js'))).to.have.length(4); // models, api, resources, connector
      // A cache entry is what the next process runs: mark one and see the mark take effect.
      const connectorEntry = entries.map((f) => path.join(cache, f)).find((f) => fs.readFileSync(f, 'utf8').includes('HelloWorld'))!;
      fs.appendFileSync(connectorEntry, '\nprocess.stderr.write("served-from-cache\\n");\n');
      const second = await runCli(['spec', 'sample-connectors/hello-world'], [], { env: { ESTUARY_CACHE_DIR: cache } });
      expect(second.code).to.equal(0);
      expect(second.stderr).to.include('served-from-cache');
      expect(JSON.parse(second.stdout.join('\n')).protocol).to.equal(3032023);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
