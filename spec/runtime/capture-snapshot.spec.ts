import { expect } from 'chai';
import { createXXHash128 } from 'hash-wasm';
import { Connector, Resource, Snapshot } from '../../src';
import { clearMetadata } from '../../src/testing';
import { captured, checkpoints, openRequest, serveInProcess } from '../helpers/serve-harness';

class Config {}

describe('capture engine: @Snapshot', () => {
  beforeEach(() => clearMetadata());

  function snapshotConnector(rows: () => object[]) {
    @Resource({ name: 'people' })
    class People {
      @Snapshot()
      async *all(): AsyncIterable<object> {
        yield* rows();
      }
    }
    @Connector({ config: Config, resources: [People] })
    class C {}
    return C;
  }
  const binding = [{ name: 'people', key: ['/_meta/row_id'], interval: 'PT0S' }];

  it('numbers rows, digests the emitted lines with xxh3-128, and stores the Python state shape', async () => {
    const C = snapshotConnector(() => [{ name: 'a' }, { name: 'b' }]);
    const r = await serveInProcess(C, [openRequest(binding)], { until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.people?.snapshot) });
    expect(r.error).to.equal(undefined);
    const docs = captured(r.messages);
    expect(docs).to.deep.equal([
      { _meta: { op: 'c', row_id: 0 }, name: 'a' },
      { _meta: { op: 'c', row_id: 1 }, name: 'b' },
    ]);
    const snap = checkpoints(r.messages).find((c) => c.bindingStateV1?.people?.snapshot)!.bindingStateV1.people.snapshot;
    // The digest covers exactly the captured lines as written (without newlines), as Python's task does.
    const h = await createXXHash128();
    h.init();
    for (const m of r.messages.filter((x) => x.captured)) h.update(JSON.stringify(m));
    expect(snap.last_digest).to.equal(h.digest('hex'));
    expect(snap.last_count).to.equal(2);
    expect(snap.updated_at).to.match(/Z$/);
  });

  it('suppresses an unchanged snapshot and tombstones rows that disappeared', async () => {
    let rows = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];
    const C = snapshotConnector(() => rows);
    const first = await serveInProcess(C, [openRequest(binding)], { until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.people?.snapshot) });
    const snap = checkpoints(first.messages).find((c) => c.bindingStateV1?.people?.snapshot)!.bindingStateV1.people.snapshot;
    const state = { bindingStateV1: { people: { last_initialized: '2026-01-01T00:00:00Z', snapshot: { ...snap, updated_at: '2000-01-01T00:00:00Z' } } } };

    // As in Python, the second snapshot differs from the first (op 'c' became 'u') and is emitted...
    const second = await serveInProcess(C, [openRequest(binding, state)], { until: (m) => checkpoints(m).length >= 1 });
    expect(captured(second.messages).map((d) => d._meta.op)).to.deep.equal(['u', 'u', 'u']);
    const snap2 = checkpoints(second.messages)[0]!.bindingStateV1.people.snapshot;
    const state2 = { bindingStateV1: { people: { last_initialized: '2026-01-01T00:00:00Z', snapshot: { ...snap2, updated_at: '2000-01-01T00:00:00Z' } } } };
    // ...and from then on an unchanged snapshot emits nothing but its checkpoint.
    const same = await serveInProcess(C, [openRequest(binding, state2)], { until: (m) => checkpoints(m).length >= 1 });
    expect(captured(same.messages)).to.deep.equal([]);
    expect(checkpoints(same.messages)[0]!.bindingStateV1.people.snapshot.last_digest).to.equal(snap2.last_digest);

    rows = [{ name: 'a' }];
    const shrunk = await serveInProcess(C, [openRequest(binding, state)], { until: (m) => checkpoints(m).length >= 1 });
    expect(captured(shrunk.messages)).to.deep.equal([{ _meta: { op: 'u', row_id: 0 }, name: 'a' }, { _meta: { op: 'd', row_id: 1 } }, { _meta: { op: 'd', row_id: 2 } }]);
    expect(checkpoints(shrunk.messages)[0]!.bindingStateV1.people.snapshot.last_count).to.equal(1);
  });

  it('runs snapshot subtasks with their own state and tombstones carrying the discriminator', async () => {
    const data: Record<string, object[]> = {
      eu: [{ region: 'eu', n: 1 }],
      us: [
        { region: 'us', n: 2 },
        { region: 'us', n: 3 },
      ],
    };
    @Resource({ name: 'sales', key: ['/region', '/_meta/row_id'] })
    class Sales {
      @Snapshot({ subtasks: ['eu', 'us'], tombstone: (s) => ({ region: s }) })
      async *all(ctx: { subtask?: string }): AsyncIterable<object> {
        yield* data[ctx.subtask!]!;
      }
    }
    @Connector({ config: Config, resources: [Sales] })
    class C {}
    const b = [{ name: 'sales', key: ['/region', '/_meta/row_id'], interval: 'PT0S' }];
    const r = await serveInProcess(C, [openRequest(b)], {
      until: (m) => {
        const snaps = checkpoints(m)
          .map((c) => c.bindingStateV1?.sales?.snapshot)
          .filter(Boolean);
        return snaps.some((s) => s.eu) && snaps.some((s) => s.us);
      },
    });
    expect(r.error).to.equal(undefined);
    const snaps = checkpoints(r.messages)
      .map((c) => c.bindingStateV1?.sales?.snapshot)
      .filter(Boolean);
    expect(snaps.find((s) => s.us).us.last_count).to.equal(2);
    const state = {
      bindingStateV1: {
        sales: {
          last_initialized: '2026-01-01T00:00:00Z',
          snapshot: { eu: { ...snaps.find((s) => s.eu).eu, updated_at: '2000-01-01T00:00:00Z' }, us: { ...snaps.find((s) => s.us).us, updated_at: '2000-01-01T00:00:00Z' } },
        },
      },
    };
    data.us = [];
    const again = await serveInProcess(C, [openRequest(b, state)], { until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.sales?.snapshot?.us) });
    expect(captured(again.messages)).to.deep.include.members([
      { _meta: { op: 'd', row_id: 0 }, region: 'us' },
      { _meta: { op: 'd', row_id: 1 }, region: 'us' },
    ]);
  });
});
