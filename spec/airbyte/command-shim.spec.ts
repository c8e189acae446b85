import * as http from 'node:http';
import { expect } from 'chai';
import { airbyteShim } from '../../src/airbyte';
import { runCli } from '../helpers/cli-process';
import { FIXTURE, openRequest, serveShim, transcript } from './shim-harness';

const shim = (extra: Record<string, unknown> = {}) => airbyteShim({ command: [process.execPath, FIXTURE], ...extra });
const STREAM = (name: string, state: unknown) => ({ type: 'STREAM', stream: { stream_descriptor: { name, namespace: null }, stream_state: state }, global_: null, data: null });

describe('airbyteShim({ command }): an Airbyte-protocol child process as a Flow capture', () => {
  it('answers spec with the connectionSpecification, the Python shim resource config schema, overrides and oauth2', async () => {
    const oauth2 = { provider: 'acme', authUrlTemplate: 'https://a/{{{ state }}}', accessTokenUrlTemplate: 'https://a/token' };
    const { messages, error } = await serveShim(shim({ documentationUrl: 'https://docs.example/shim', oauth2 }), [{ spec: { connectorType: 'IMAGE', config: {} } }]);
    expect(error).to.equal(undefined);
    const spec = messages[0]!.spec;
    expect(spec.configSchema.required).to.deep.equal(['scenario']);
    expect(spec.documentationUrl).to.equal('https://docs.example/shim');
    expect(spec.oauth2).to.deep.equal(oauth2);
    expect(spec.resourcePathPointers).to.deep.equal(['/namespace', '/stream']);
    // As source-hubspot's spec snapshot (a Python-shim connector) shows it.
    expect(spec.resourceConfigSchema).to.deep.equal({
      additionalProperties: false,
      description: 'ResourceConfig encodes a configured resource stream',
      properties: {
        _meta: { title: 'Meta', type: 'object' },
        cursorField: { items: { type: 'string' }, title: 'Cursor Field', type: 'array' },
        namespace: { description: 'Enclosing schema namespace of this resource', title: 'Namespace', type: 'string' },
        stream: { description: 'Name of this stream', title: 'Stream', type: 'string' },
        syncMode: { description: 'Sync this resource incrementally, or fully refresh it every run', enum: ['full_refresh', 'incremental'], title: 'Sync Mode', type: 'string' },
      },
      required: ['stream', 'syncMode'],
      title: 'ResourceConfig',
      type: 'object',
    });
    const plain = await serveShim(shim(), [{ spec: {} }]);
    expect(plain.messages[0]!.spec.documentationUrl).to.equal('https://example.com/fixture-source');
  });

  it('discovers keys as escaped JSON pointers, /_meta/row_id for keyless full-refresh streams, and _meta.row_id in schemas', async () => {
    const { messages, error } = await serveShim(shim({ schemaInference: true }), [{ discover: { config: { scenario: 'stream' } } }]);
    expect(error).to.equal(undefined);
    const [users, events, odd] = messages[0]!.discovered.bindings;
    expect(users.key).to.deep.equal(['/id']);
    expect(users.resourceConfig).to.deep.equal({ stream: 'users', syncMode: 'incremental', cursorField: ['updated'] });
    expect(events.key).to.deep.equal(['/_meta/row_id']);
    expect(events.resourceConfig).to.deep.equal({ stream: 'events', syncMode: 'full_refresh' });
    expect(odd.key).to.deep.equal(['/a/b~1c', '/d~0e']);
    expect(odd.resourceConfig.namespace).to.equal('crm');
    expect(users.documentSchema.properties._meta).to.deep.equal({ type: 'object', properties: { row_id: { type: 'integer' } }, required: ['row_id'] });
    expect(users.documentSchema['x-infer-schema']).to.equal(true);
    const off = await serveShim(shim(), [{ discover: { config: { scenario: 'stream' } } }]);
    expect(off.messages[0]!.discovered.bindings[0].documentSchema).to.not.have.property('x-infer-schema');
  });

  it('fails discovery of an incremental stream without a primary key, naming it', async () => {
    const { error } = await serveShim(shim(), [{ discover: { config: { scenario: 'bad-discover' } } }]);
    expect(String(error)).to.match(/incremental stream orphans has no source_defined_primary_key/);
  });

  it('validates with check: a failed check is one line with the source message', async () => {
    const bad = await serveShim(shim(), [{ validate: { name: 'a/b', config: { scenario: 'x', api_key: 'bad' }, bindings: [] } }]);
    expect((bad.error as Error).message).to.equal('API key rejected: 401 Unauthorized');
    expect((bad.error as { userError: boolean }).userError).to.equal(true);
    const good = await serveShim(shim(), [
      {
        validate: {
          name: 'a/b',
          config: { scenario: 'x' },
          bindings: [{ resourceConfig: { stream: 'odd/keys', namespace: 'crm', syncMode: 'full_refresh' }, collection: { name: 'a/o', key: ['/x'] } }],
        },
      },
    ]);
    expect(good.messages[0]).to.deep.equal({ validated: { bindings: [{ resourcePath: ['crm', 'odd/keys'] }] } });
  });

  it('reads: each STREAM state checkpoints the records before it, in the Python shim state shape; a clean exit commits the rest', async () => {
    const { messages, logs, error } = await serveShim(shim(), [openRequest({ scenario: 'stream' })]);
    expect(error).to.equal(undefined);
    const users2 = STREAM('users', { cursor: 2 });
    const events = STREAM('events', { page: 'p2' });
    expect(transcript(messages)).to.deep.equal([
      [0, { _meta: { op: 'u', row_id: 0 }, id: 1, name: 'ada' }],
      [0, { _meta: { op: 'u', row_id: 1 }, id: 2, name: 'bob' }],
      { checkpoint: { updated: { bindingStateV1: { users: { rowId: 2, state: users2 }, 'events.v2': { rowId: 0 } } }, mergePatch: false } },
      [1, { _meta: { op: 'u', row_id: 0 }, kind: 'login' }],
      { checkpoint: { updated: { bindingStateV1: { users: { rowId: 2, state: users2 }, 'events.v2': { rowId: 1, state: events } } }, mergePatch: false } },
      [0, { _meta: { op: 'u', row_id: 2 }, id: 3, name: 'cy' }],
      { checkpoint: { updated: { bindingStateV1: { users: { rowId: 3, state: users2 }, 'events.v2': { rowId: 1, state: events } } }, mergePatch: false } },
    ]);
    const msg = (text: string) => logs.find((l) => l.msg === text);
    expect(msg('a rogue print() on stdout')).to.include({ level: 'info' });
    expect(msg('rate limited, slowing down')).to.include({ level: 'warn' });
    expect(msg('debug detail')).to.include({ level: 'debug' });
    expect(msg('progress estimate')!.fields.estimate).to.include({ stream: 'users', row_estimate: 10 });
    expect(logs.some((l) => /unrecognized stream nobody/.test(l.msg))).to.equal(true);
    expect(msg('catalog: [[null,"users","incremental"],[null,"events","full_refresh"]]')).to.not.equal(undefined);
  });

  it('resumes from a state in the Python shim shape: STREAM states go to --state and row ids continue', async () => {
    const state = { bindingStateV1: { users: { rowId: 41, state: STREAM('users', { cursor: 40 }) }, 'events.v2': { rowId: 7 } }, somethingOld: { x: 1 } };
    const { messages, logs, error } = await serveShim(shim(), [openRequest({ scenario: 'stream' }, state)]);
    expect(error).to.equal(undefined);
    const passed = logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('state: '))!.msg;
    expect(JSON.parse(passed.slice('state: '.length))).to.deep.equal([{ type: 'STREAM', stream: { stream_descriptor: { name: 'users', namespace: null }, stream_state: { cursor: 40 } } }]);
    expect((transcript(messages)[0] as unknown[])[1]).to.deep.equal({ _meta: { op: 'u', row_id: 41 }, id: 1, name: 'ada' });
    const last = messages.filter((m) => m.checkpoint).pop()!.checkpoint.state.updated;
    expect(Object.keys(last)).to.deep.equal(['bindingStateV1']);
    expect(last.bindingStateV1['events.v2'].rowId).to.equal(8);
  });

  it('stores GLOBAL states per binding (shared + own stream) and reassembles one GLOBAL message on resume', async () => {
    const first = await serveShim(shim(), [openRequest({ scenario: 'global' })]);
    expect(first.error).to.equal(undefined);
    const last = first.messages.filter((m) => m.checkpoint).pop()!.checkpoint.state.updated;
    expect(last.bindingStateV1.users.state).to.deep.equal({
      type: 'GLOBAL',
      stream: null,
      data: null,
      global_: { shared_state: { lsn: 9 }, stream_states: [{ stream_descriptor: { name: 'users' }, stream_state: { cursor: 1 } }] },
    });
    expect(last.bindingStateV1['events.v2'].state.global_.stream_states).to.deep.equal([{ stream_descriptor: { name: 'events' }, stream_state: { page: 3 } }]);
    const second = await serveShim(shim(), [openRequest({ scenario: 'global' }, last)]);
    const passed = second.logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('state: '))!.msg;
    expect(JSON.parse(passed.slice(7))).to.deep.equal([
      {
        type: 'GLOBAL',
        global: {
          shared_state: { lsn: 9 },
          stream_states: [
            { stream_descriptor: { name: 'users' }, stream_state: { cursor: 1 } },
            { stream_descriptor: { name: 'events' }, stream_state: { page: 3 } },
          ],
        },
      },
    ]);
  });

  it('stores a LEGACY state on every binding and passes its data blob back as the state file', async () => {
    const first = await serveShim(shim(), [openRequest({ scenario: 'legacy' })]);
    const cp = first.messages.find((m) => m.checkpoint)!.checkpoint.state.updated;
    expect(cp.bindingStateV1.users.state).to.deep.equal({ type: 'LEGACY', stream: null, global_: null, data: { users: { cursor: 1 }, events: { page: 4 } } });
    expect(cp.bindingStateV1['events.v2'].state.data).to.deep.equal({ users: { cursor: 1 }, events: { page: 4 } });
    const second = await serveShim(shim(), [openRequest({ scenario: 'legacy' }, cp)]);
    const passed = second.logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('state: '))!.msg;
    expect(JSON.parse(passed.slice(7))).to.deep.equal({ users: { cursor: 1 }, events: { page: 4 } });
  });

  it('fails with the TRACE error message and commits nothing after the last state', async () => {
    const { messages, error } = await serveShim(shim(), [openRequest({ scenario: 'trace-error' })]);
    expect((error as Error).message).to.equal('API quota exhausted for today');
    const t = transcript(messages);
    expect(t).to.have.length(2);
    expect((t[1] as { checkpoint: any }).checkpoint.updated.bindingStateV1.users.rowId).to.equal(1);
  });

  it('fails a child that exits non-zero with its last error line, without a final checkpoint', async () => {
    const { messages, error } = await serveShim(shim(), [openRequest({ scenario: 'crash' })]);
    expect((error as Error).message).to.match(/exited with code 3: connection reset by peer$/);
    expect(messages.filter((m) => m.captured || m.checkpoint)).to.deep.equal([]);
  });

  it('on stdin EOF stops the child with SIGTERM, commits what it checkpointed while stopping, and drops the rest', async () => {
    const { messages, error } = await serveShim(shim(), [openRequest({ scenario: 'wait' })], (_m, logs) => logs.some((l) => l.msg === 'waiting for more data'));
    expect(error).to.equal(undefined);
    const t = transcript(messages);
    expect(t.map((x) => (Array.isArray(x) ? (x[1] as { id: number }).id : 'cp'))).to.deep.equal([1, 'cp', 2, 3, 'cp']);
    expect((t[4] as { checkpoint: any }).checkpoint.updated.bindingStateV1.users.state.stream.stream_state).to.deep.equal({ cursor: 3 });
  });

  it('kills a child that ignores SIGTERM after the grace period and reports it', async () => {
    const { messages, logs, error } = await serveShim(shim({ stopGraceMs: 300 }), [openRequest({ scenario: 'hang' })], (_m, l) => l.some((x) => x.msg === 'waiting for more data'));
    expect((error as { code: string }).code).to.equal('STOP_DEADLINE');
    expect((error as Error).message).to.match(/did not stop within 300 ms and was killed/);
    expect(logs.some((l) => /did not exit within 300 ms of SIGTERM; killing it/.test(l.msg))).to.equal(true);
    expect(transcript(messages)).to.have.length(2);
  });

  it('passes CONTROL config updates on as an encrypted configUpdate event', async () => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { config } = JSON.parse(body) as { config: Record<string, unknown> };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ...config, api_key_sops: 'ENC' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const before = process.env.ENCRYPTION_URL;
    process.env.ENCRYPTION_URL = `http://127.0.0.1:${(server.address() as { port: number }).port}/encrypt`;
    try {
      const { logs, error } = await serveShim(shim(), [openRequest({ scenario: 'control' })]);
      expect(error).to.equal(undefined);
      const update = logs.find((l) => l.fields?.eventType === 'configUpdate')!;
      expect(update.fields.config).to.deep.equal({ scenario: 'control', api_key: 'rotated', api_key_sops: 'ENC' });
    } finally {
      if (before === undefined) delete process.env.ENCRYPTION_URL;
      else process.env.ENCRYPTION_URL = before;
      server.close();
    }
  });

  it('runs as `estuary run --airbyte -- <command>`', async () => {
    const r = await runCli(['run', '--airbyte', '--', process.execPath, FIXTURE], [openRequest({ scenario: 'stream' })], { keepOpen: () => true });
    expect(r.code).to.equal(0);
    expect(r.stdout.filter((l) => l.startsWith('{"captured"'))).to.have.length(4);
    expect(r.stdout.filter((l) => l.startsWith('{"checkpoint"'))).to.have.length(3);
  });
});
