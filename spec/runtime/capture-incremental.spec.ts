import { expect } from 'chai';
import { IsInt } from 'class-validator';
import { Backfill, BaseDocument, Connector, epochMicros, Incremental, parseDateTime, PreciseDate, Resource, Triggers } from '../../src';
import { clearMetadata } from '../../src/testing';
import { captured, checkpoints, openRequest, serveInProcess } from '../helpers/serve-harness';

class Config {}

describe('capture engine: @Incremental and @Backfill', () => {
  beforeEach(() => clearMetadata());

  it('checkpoints documents followed by a cursor, after initializing the binding', async () => {
    class Doc extends BaseDocument {
      @IsInt() id!: number;
    }
    @Resource({ name: 'items', key: ['/id'], document: Doc })
    class Items {
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *changes(since: number): AsyncIterable<object | number> {
        if (since >= 4) return;
        yield { id: since + 1 };
        yield { id: since + 2 };
        yield since + 2;
      }
    }
    @Connector({ config: Config, resources: [Items] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'items' }])], { until: (m) => checkpoints(m).length >= 3 });
    expect(r.error).to.equal(undefined);
    expect(r.messages[0]).to.deep.equal({ opened: { explicitAcknowledgements: false } });
    const cps = checkpoints(r.messages);
    expect(cps[0]!.bindingStateV1.items.inc).to.deep.equal({ cursor: 0 });
    expect(cps[0]!.bindingStateV1.items.last_initialized).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(cps[1]).to.deep.equal({ bindingStateV1: { items: { inc: { cursor: 2 } } } });
    expect(cps[2]).to.deep.equal({ bindingStateV1: { items: { inc: { cursor: 4 } } } });
    expect(captured(r.messages).map((d) => d.id)).to.deep.equal([1, 2, 3, 4]);
    // Documents precede the checkpoint that commits them.
    const idx = r.messages.findIndex((m) => m.checkpoint?.state.updated.bindingStateV1?.items?.inc?.cursor === 2);
    expect(r.messages.slice(idx - 2, idx).map((m) => m.captured.doc.id)).to.deep.equal([1, 2]);
  });

  it('rejects a cursor that does not increase, naming the method and both values', async () => {
    @Resource({ name: 'items', key: ['/id'] })
    class Items {
      @Incremental({ cursor: 'integer', initial: () => 5 })
      async *changes(): AsyncIterable<object | number> {
        yield { id: 1 };
        yield 5;
      }
    }
    @Connector({ config: Config, resources: [Items] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'items' }])], { until: () => false });
    expect((r.error as Error).message).to.equal(
      'Task capture.items.incremental: Items.changes @Incremental yielded cursor 5, which is not greater than the last cursor 5; cursors must strictly increase',
    );
    expect(captured(r.messages)).to.have.length(0);
  });

  it('orders datetime cursors to the microsecond and stores them as Pydantic writes them', async () => {
    @Resource({ name: 'items', key: ['/id'] })
    class Items {
      @Incremental({ cursor: 'datetime', initial: () => new Date() })
      async *changes(since: Date): AsyncIterable<object | Date> {
        // Same millisecond as the stored cursor, 56 µs later: progress.
        const next = PreciseDate.fromEpochMicros(epochMicros(since) + 56);
        yield { id: 1 };
        yield next;
        yield { id: 2 };
        yield parseDateTime('2024-01-01T00:00:40.123456Z');
      }
    }
    @Connector({ config: Config, resources: [Items] })
    class C {}
    const state = { bindingStateV1: { items: { inc: { cursor: '2024-01-01T00:00:40.123400Z' }, last_initialized: '2024-01-01T00:00:00Z' } } };
    const r = await serveInProcess(C, [openRequest([{ name: 'items' }], state)], { until: () => false });
    expect(checkpoints(r.messages).map((c) => c.bindingStateV1.items.inc.cursor)).to.deep.equal(['2024-01-01T00:00:40.123456Z']);
    expect((r.error as Error).message).to.equal(
      'Task capture.items.incremental: Items.changes @Incremental yielded cursor 2024-01-01T00:00:40.123456Z, which is not greater than the last cursor 2024-01-01T00:00:40.123456Z; cursors must strictly increase',
    );
  });

  it('rejects documents without a final cursor', async () => {
    @Resource({ name: 'items', key: ['/id'] })
    class Items {
      @Incremental({ cursor: 'datetime', initial: () => new Date(0) })
      async *changes(): AsyncIterable<object | Date> {
        yield { id: 1 };
      }
    }
    @Connector({ config: Config, resources: [Items] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'items' }])], { until: () => false });
    expect((r.error as Error).message).to.include('Items.changes @Incremental yielded documents without a final cursor');
  });

  it('resumes from state written by the Python CDK without re-backfilling', async () => {
    const calls: unknown[] = [];
    @Resource({ name: 'orders', key: ['/id'], interval: 'PT1H' })
    class Orders {
      @Incremental({ cursor: 'datetime', initial: () => new Date() })
      async *changes(since: Date): AsyncIterable<object | Date> {
        calls.push(['inc', since.toISOString()]);
        yield { id: 'x' };
        yield new Date(since.getTime() + 1000);
      }
      @Backfill()
      async *pages(page: string | undefined, cutoff: Date): AsyncIterable<object | string> {
        calls.push(['backfill', page, cutoff.toISOString()]);
        yield { id: 'b' };
      }
    }
    @Connector({ config: Config, resources: [Orders] })
    class C {}
    const pythonState = {
      bindingStateV1: {
        orders: {
          inc: { cursor: '2024-05-01T00:00:00Z' },
          backfill: { cutoff: '2024-05-01T00:00:00+00:00', next_page: 'abc' },
          last_initialized: '2024-05-01T00:00:00.123456Z',
        },
      },
    };
    const r = await serveInProcess(C, [openRequest([{ name: 'orders' }], pythonState)], { until: (m) => checkpoints(m).length >= 2 });
    expect(r.error).to.equal(undefined);
    expect(calls).to.deep.include(['backfill', 'abc', '2024-05-01T00:00:00.000Z']);
    expect(calls).to.deep.include(['inc', '2024-05-01T00:00:00.000Z']);
    const cps = checkpoints(r.messages);
    expect(cps.some((c) => c.bindingStateV1.orders.last_initialized !== undefined)).to.equal(false);
    expect(cps).to.deep.include({ bindingStateV1: { orders: { backfill: null } } });
    expect(cps).to.deep.include({ bindingStateV1: { orders: { inc: { cursor: '2024-05-01T00:00:01Z' } } } });
  });

  it('merge-patches object page cursors and checkpoints only the patch; null cursors are errors', async () => {
    @Resource({ name: 'boards', key: ['/id'] })
    class Boards {
      @Backfill()
      async *pages(page: Record<string, unknown> | undefined): AsyncIterable<object> {
        const { pageCursor } = await import('../../src');
        if (page === undefined) {
          yield { id: 1 };
          yield pageCursor({ a: { n: 1 }, b: { n: 2 } });
        } else if ('a' in page) {
          yield { id: 2 };
          yield pageCursor({ a: null });
        } else {
          yield { id: 3 };
        }
      }
    }
    @Connector({ config: Config, resources: [Boards] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'boards' }])], { until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.boards?.backfill === null) });
    expect(r.error).to.equal(undefined);
    const bf = checkpoints(r.messages).map((c) => c.bindingStateV1.boards.backfill);
    expect(bf[1].next_page).to.deep.equal({ a: { n: 1 }, b: { n: 2 } });
    expect(bf[2].next_page).to.deep.equal({ a: null });
    expect(bf[3]).to.equal(null);
    expect(captured(r.messages).map((d) => d.id)).to.deep.equal([1, 2, 3]);
  });

  it('fails on a null page cursor', async () => {
    @Resource({ name: 'p', key: ['/id'] })
    class P {
      @Backfill()
      async *pages(): AsyncIterable<object | null> {
        yield null;
      }
    }
    @Connector({ config: Config, resources: [P] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'p' }])], { until: () => false });
    expect((r.error as Error).message).to.include('P.pages @Backfill yielded a null page cursor; to end the backfill, return without yielding a cursor');
  });

  it('re-backfills on a trigger: checkpoints backfillRequests, stops, and the next session re-initializes', async () => {
    let backfills = 0;
    @Resource({ name: 't', key: ['/id'] })
    class T {
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *changes(since: number): AsyncIterable<object | number | typeof Triggers.BACKFILL> {
        if (since === 0) {
          yield { id: 1 };
          yield 1;
        } else yield Triggers.BACKFILL;
      }
      @Backfill()
      async *pages(): AsyncIterable<object> {
        backfills++;
      }
    }
    @Connector({ config: Config, resources: [T] })
    class C {}
    const first = await serveInProcess(C, [openRequest([{ name: 't' }], { bindingStateV1: { t: { inc: { cursor: 1 }, last_initialized: '2024-01-01T00:00:00Z' } } })], { until: () => false });
    expect(first.error).to.equal(undefined);
    expect(checkpoints(first.messages)).to.deep.include({ backfillRequests: { t: true } });
    const second = await serveInProcess(C, [openRequest([{ name: 't' }], { bindingStateV1: { t: { inc: { cursor: 1 } } }, backfillRequests: { t: true } })], {
      until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.t?.inc?.cursor === 1 && !c.bindingStateV1.t.last_initialized),
    });
    const cps = checkpoints(second.messages);
    expect(cps[0]).to.deep.equal({ bindingStateV1: { t: null }, backfillRequests: { t: null } });
    expect(cps[1]!.bindingStateV1.t.inc).to.deep.equal({ cursor: 0 });
    expect(cps[1]!.bindingStateV1.t.backfill).to.deep.include({ next_page: null });
    expect(backfills).to.equal(1);
  });

  it('applies the datetime lag rule: re-invokes at once while the cursor lags more than interval, then waits', async () => {
    const seen: number[] = [];
    const now = Date.now();
    @Resource({ name: 'lag', key: ['/id'], interval: 'PT1H' })
    class Lag {
      @Incremental({ cursor: 'datetime', initial: () => new Date(now - 2 * 3600_000) })
      async *changes(since: Date): AsyncIterable<object | Date> {
        seen.push(Math.round((now - since.getTime()) / 60_000));
        yield { id: seen.length };
        yield new Date(since.getTime() + 30 * 60_000);
      }
    }
    @Resource({ name: 'recent', key: ['/id'], interval: 'PT1H' })
    class Recent {
      @Incremental({ cursor: 'datetime', initial: () => new Date(now - 10 * 60_000) })
      async *changes(): AsyncIterable<object | Date> {
        seen.push(-1);
      }
    }
    @Connector({ config: Config, resources: [Lag, Recent] })
    class C {}
    const state = {
      bindingStateV1: {
        lag: { inc: { cursor: new Date(now - 2 * 3600_000).toISOString() }, last_initialized: '2026-01-01T00:00:00Z' },
        recent: { inc: { cursor: new Date(now - 10 * 60_000).toISOString() }, last_initialized: '2026-01-01T00:00:00Z' },
      },
    };
    const r = await serveInProcess(C, [openRequest([{ name: 'lag' }, { name: 'recent' }], state)], { until: (m) => checkpoints(m).length >= 3 });
    expect(r.error).to.equal(undefined);
    // Lagging 120, 90 and 60+ minutes: invoked back to back; at 30 minutes it waits out the interval.
    // The binding checkpointed 10 minutes ago is not invoked before its interval has elapsed.
    expect(seen).to.deep.equal([120, 90, 60]);
  });
});
