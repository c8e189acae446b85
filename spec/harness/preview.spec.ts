import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DOC_UUID_PLACEHOLDER, runPreview } from '../../src/harness';
import { FAKE, preview, recorded, tempDir } from './harness-helpers';

const U = 'acmeCo/users';
const E = 'acmeCo/events';

describe('runPreview', () => {
  it('discovers enabled bindings, combines by key and orders output by binding then key', async () => {
    const result = await preview([
      { emit: [1, { id: 'e1', count: 1 }] },
      { emit: [0, { name: 'b', id: 2 }] },
      { emit: [0, { id: 1, name: 'a' }] },
      { emit: [0, { id: 2, name: 'b2' }] },
      { checkpoint: { cursor: 1 } },
    ]);
    expect(result.bindings.map((b) => b.collection)).to.deep.equal([U, E]);
    expect(result.lines).to.deep.equal([
      `["${U}",{"_meta":{"uuid":"${DOC_UUID_PLACEHOLDER}"},"id":1,"name":"a"}]`,
      `["${U}",{"_meta":{"uuid":"${DOC_UUID_PLACEHOLDER}"},"id":2,"name":"b2"}]`,
      `["${E}",{"_meta":{"uuid":"${DOC_UUID_PLACEHOLDER}"},"count":1,"id":"e1"}]`,
    ]);
    expect(result.state).to.deep.equal({ cursor: 1 });
  });

  it('reduces with reduce annotations: merge, sum, append, firstWriteWins, lastWriteWins', async () => {
    const result = await preview([
      { emit: [1, { id: 'e', count: 1, tags: ['x'], first: 'f1', last: 'l1' }] },
      { emit: [1, { id: 'e', count: 2, tags: ['y'], first: 'f2', last: 'l2' }] },
      { emit: [1, { id: 'e', count: 4 }] },
      { checkpoint: {} },
    ]);
    const [, doc] = result.records[0]!;
    expect(doc).to.deep.include({ id: 'e', count: 7, tags: ['x', 'y'], first: 'f1', last: 'l2' });
  });

  it('merges a deletion (_meta.op "d") into the previous document through the if/then reduce block', async () => {
    const result = await preview([
      { emit: [0, { id: 5, name: 'five' }] },
      { emit: [0, { id: 5, _meta: { op: 'd' } }] },
      { emit: [0, { id: 6, name: 'six' }] },
      { emit: [0, { id: 6, name: 'six again' }] },
      { checkpoint: {} },
    ]);
    expect(result.records.map(([, d]) => d)).to.deep.equal([
      { _meta: { op: 'd', uuid: DOC_UUID_PLACEHOLDER }, id: 5, name: 'five' },
      { _meta: { uuid: DOC_UUID_PLACEHOLDER }, id: 6, name: 'six again' },
    ]);
  });

  it('merge-patches checkpoint states across sessions and feeds the result to the next open', async () => {
    const record = path.join(tempDir(), 'requests.jsonl');
    const result = await preview([{ counter: { n: 2 } }, { hang: true }], { sessions: [1, 1], env: { FAKE_RECORD: record } });
    expect(result.records.map(([, d]) => d.id)).to.deep.equal([1, 2, 3, 4]);
    expect(result.state).to.deep.equal({ cursor: 4, seen: { c0: true, c2: true } });
    const opens = recorded(record).filter((r) => r.open) as Array<{ open: { state: unknown } }>;
    expect(opens.map((o) => o.open.state)).to.deep.equal([{}, { cursor: 2, seen: { c0: true } }]);
  });

  it('keeps integers beyond 2^53 exact: in documents, their keys and sums, in state across sessions and in the state file', async () => {
    const dir = tempDir();
    const record = path.join(dir, 'requests.jsonl');
    const stateFile = path.join(dir, 'state.json');
    const script = [
      { raw: '{"captured":{"binding":0,"doc":{"id":9007199254740993,"name":"big"}}}\n' },
      { raw: '{"captured":{"binding":1,"doc":{"id":"e","count":9007199254740993}}}\n' },
      { raw: '{"captured":{"binding":1,"doc":{"id":"e","count":2}}}\n' },
      { raw: '{"checkpoint":{"state":{"updated":{"cursor":12345678901234567890},"mergePatch":true}}}\n' },
      { hang: true },
    ];
    const result = await preview(script, { sessions: [1, 1], stateFile, env: { FAKE_RECORD: record } });
    const lines = result.lines.join('\n');
    expect(lines).to.include('"id":9007199254740993,"name":"big"}');
    expect(lines).to.include('"count":9007199254740995,"id":"e"}');
    expect(result.state).to.deep.equal({ cursor: 12345678901234567890n });
    // The second session opened with the exact cursor, and the state file holds it.
    const opens = readFileSync(record, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"open"'));
    expect(opens).to.have.length(2);
    expect(opens[1]).to.include('"state":{"cursor":12345678901234567890}');
    expect(readFileSync(stateFile, 'utf8')).to.include('"cursor": 12345678901234567890');
    // A later run resumes from the file as exactly.
    const resumed = await preview([{ hang: true }], { sessions: [1], stateFile, idleTimeoutMs: 300, env: { FAKE_RECORD: record } });
    expect(resumed.state).to.deep.equal({ cursor: 12345678901234567890n });
    expect(
      readFileSync(record, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{"open"'))[2],
    ).to.include('"state":{"cursor":12345678901234567890}');
  });

  it('ends a session that checkpoints nothing once the idle timeout passes', async () => {
    const started = Date.now();
    const result = await preview([{ hang: true }], { sessions: [1], idleTimeoutMs: 300 });
    expect(result.records).to.deep.equal([]);
    expect(result.transactions).to.equal(0);
    expect(Date.now() - started).to.be.lessThan(15000);
  });

  it('persists state to the --state file after each transaction and resumes from it', async () => {
    const stateFile = path.join(tempDir(), 'state.json');
    const first = await preview([{ counter: { n: 2 } }], { stateFile });
    expect(first.records.map(([, d]) => d.id)).to.deep.equal([1, 2]);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).to.deep.equal({ cursor: 2, seen: { c0: true } });
    const second = await preview([{ counter: { n: 2 } }], { stateFile });
    expect(second.records.map(([, d]) => d.id)).to.deep.equal([3, 4]);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).to.deep.equal({ cursor: 4, seen: { c0: true, c2: true } });
  });

  it('deletes state keys with null and replaces the state when mergePatch is false', async () => {
    const deleted = await preview([{ checkpoint: { a: 1, b: { c: 2, d: 3 } } }, { checkpoint: { b: { c: null } } }]);
    expect(deleted.state).to.deep.equal({ a: 1, b: { d: 3 } });
    const replaced = await preview([{ checkpoint: { a: 1 } }, { checkpoint: { z: { y: 1 } }, mergePatch: false }], {
      initialState: { old: true },
    });
    expect(replaced.state).to.deep.equal({ z: { y: 1 } });
  });

  it('ends a session after N transactions and acknowledges each one when asked to', async () => {
    const step = (id: number) => [{ emit: [0, { id }] }, { checkpoint: { id } }, { waitAck: true }];
    const result = await preview([...step(1), ...step(2), ...step(3), { log: 'all acknowledged' }], { acks: true, sessions: 2 });
    expect(result.transactions).to.equal(2);
    expect(result.records.map(([, d]) => d.id)).to.deep.equal([1, 2]);
    expect(result.acknowledgements).to.deep.equal([1, 1]);
    expect(result.state).to.deep.equal({ id: 2 });
  });

  it('sends no acknowledgements unless opened asks for them', async () => {
    const record = path.join(tempDir(), 'requests.jsonl');
    const result = await preview([{ emit: [0, { id: 1 }] }, { checkpoint: {} }, { hang: true }], {
      sessions: 1,
      env: { FAKE_RECORD: record },
    });
    expect(result.records).to.have.length(1);
    expect(result.acknowledgements).to.deep.equal([]);
    expect(recorded(record).filter((r) => r.acknowledge)).to.deep.equal([]);
  });

  it('sends the internal spec request first to every connector process', async () => {
    const record = path.join(tempDir(), 'requests.jsonl');
    await preview([{ checkpoint: {} }], { env: { FAKE_RECORD: record } });
    const kinds = recorded(record).map((r) => Object.keys(r)[0]);
    expect(kinds).to.deep.equal(['spec', 'spec', 'spec', 'discover', 'spec', 'validate', 'spec', 'apply', 'spec', 'open']);
    expect(recorded(record)[0]).to.deep.equal({ spec: { connectorType: 'LOCAL', config: {} } });
  });

  it('runs one connector per shard over a split key range and merges their output', async () => {
    const result = await preview([{ emitOpen: 0 }, { checkpoint: {} }], { shards: 2 });
    const docs = result.records.map(([, d]) => d).sort((a, b) => Number(a.id) - Number(b.id));
    expect(docs.map((d) => d.range)).to.deep.equal([
      { keyEnd: 2147483647, rClockEnd: 4294967295 },
      { keyBegin: 2147483648, keyEnd: 4294967295, rClockEnd: 4294967295 },
    ]);
    expect(result.transactions).to.equal(2);
  });

  it('prints connectorState lines with --output-state as flowctl does', async () => {
    const result = await preview([{ emit: [0, { id: 1 }] }, { checkpoint: { z: 1, a: { y: 2, b: 1 } } }], { outputState: true });
    expect(result.lines.slice(1)).to.deep.equal([
      '["connectorState",{"updated":{"a":{"b":1,"y":2},"z":1},"mergePatch":true}]',
      '["connectorState",{}]',
      '["connectorState",{"updated":{"a":{"b":1,"y":2},"z":1}}]',
    ]);
  });

  it('derives state keys from the validated resource path and backfill counter', async () => {
    const record = path.join(tempDir(), 'requests.jsonl');
    const result = await runPreview({
      command: FAKE(),
      config: { token: 't', script: [{ checkpoint: {} }] },
      bindings: [{ resource: { name: 'users' }, target: 'acmeCo/people', backfill: 2 }],
      env: { FAKE_RECORD: record },
    });
    expect(result.bindings.map((b) => [b.collection, b.stateKey])).to.deep.equal([['acmeCo/people', 'users.v2']]);
    const open = recorded(record).find((r) => r.open) as { open: { capture: { bindings: Array<{ stateKey: string; backfill: number }> } } };
    expect(open.open.capture.bindings[0]).to.include({ stateKey: 'users.v2', backfill: 2 });
  });
});
