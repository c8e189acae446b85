import { expect } from 'chai';
import { associated, Backfill, Connector, Incremental, Resource } from '../../src';
import { clearMetadata } from '../../src/testing';
import { shardHash } from '../../src/common/shard-hash';
import { captured, checkpoints, openRequest, serveInProcess } from '../helpers/serve-harness';

class Config {}

describe('capture engine: sessions, transactions and concurrency', () => {
  beforeEach(() => clearMetadata());

  it('emits associated documents to another binding in the same unit', async () => {
    @Resource({ name: 'orders', key: ['/id'] })
    class Orders {
      @Backfill()
      async *pages(): AsyncIterable<object> {
        yield { id: 1 };
        yield associated('lines', { id: 'l1', order: 1 });
        yield associated('not-bound', { id: 'x' });
      }
    }
    @Resource({ name: 'lines', key: ['/id'] })
    class Lines {
      @Backfill()
      async *pages(): AsyncIterable<object> {}
    }
    @Connector({ config: Config, resources: [Orders, Lines] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'orders' }, { name: 'lines' }])], {
      until: (m) => checkpoints(m).filter((c) => c.bindingStateV1?.orders?.backfill === null).length > 0,
    });
    expect(r.error).to.equal(undefined);
    expect(captured(r.messages, 0)).to.deep.equal([{ id: 1 }]);
    expect(captured(r.messages, 1)).to.deep.equal([{ id: 'l1', order: 1 }]);
    const i = r.messages.findIndex((m) => m.captured?.binding === 1);
    expect(r.messages[i + 1]!.checkpoint.state.updated).to.deep.equal({ bindingStateV1: { orders: { backfill: null } } });
  });

  it('never interleaves concurrent tasks inside a unit and runs N waiting bindings at once', async () => {
    const names = Array.from({ length: 8 }, (_, i) => `r${i}`);
    // Every binding's first page waits until all of them have started one: run one at a time, they
    // would never get past it (and the spec would time out).
    let waiting = 0;
    let maxWaiting = 0;
    let release!: () => void;
    const allStarted = new Promise<void>((res) => (release = res));
    const classes = names.map((name) => {
      @Resource({ name, key: ['/id'] })
      class R {
        @Backfill()
        async *pages(page: number | undefined): AsyncIterable<object | number> {
          const p = page ?? 0;
          if (p >= 3) return;
          if (p === 0) {
            maxWaiting = Math.max(maxWaiting, ++waiting);
            if (waiting === names.length) release();
            await allStarted;
          }
          for (let i = 0; i < 5; i++) yield { id: `${name}-${p}-${i}` };
          yield p + 1;
        }
      }
      return R;
    });
    @Connector({ config: Config, resources: classes })
    class C {}
    const r = await serveInProcess(C, [openRequest(names.map((name) => ({ name })))], {
      until: (m) => checkpoints(m).filter((c) => Object.values(c.bindingStateV1 ?? {}).some((v: any) => v?.backfill === null)).length === names.length,
    });
    expect(r.error).to.equal(undefined);
    expect(maxWaiting).to.equal(names.length);
    // Each unit: five documents of one binding, then that binding's checkpoint.
    let run: number[] = [];
    for (const m of r.messages) {
      if (m.captured) run.push(m.captured.binding);
      else if (m.checkpoint && run.length > 0) {
        expect(new Set(run).size).to.equal(1);
        const key = Object.keys(m.checkpoint.state.updated.bindingStateV1)[0];
        expect(key).to.equal(names[run[0]!]);
        run = [];
      }
    }
    expect(captured(r.messages)).to.have.length(8 * 3 * 5);
  });

  it('stops every task when one fails and names the failed task', async () => {
    let goodCalls = 0;
    let callsAtFailure = -1;
    let goodPolled!: () => void;
    const polledTwice = new Promise<void>((res) => (goodPolled = res));
    @Resource({ name: 'good', key: ['/id'], interval: 'PT0.01S' })
    class Good {
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *changes(since: number): AsyncIterable<object | number> {
        if (++goodCalls === 2) goodPolled();
        yield { id: since + 1 };
        yield since + 1;
      }
    }
    @Resource({ name: 'bad', key: ['/id'] })
    class Bad {
      @Backfill()
      async *pages(): AsyncIterable<object> {
        await polledTwice;
        callsAtFailure = goodCalls;
        throw new Error('the API said no');
      }
    }
    @Connector({ config: Config, resources: [Good, Bad] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'good' }, { name: 'bad' }])], { until: () => false });
    expect((r.error as Error).message).to.equal('Task capture.bad.backfill: the API said no');
    // The good task stopped too: serving returned although `until` never held, and it polled at
    // most once more (a poll already under way) after the failure.
    expect(goodCalls - callsAtFailure).to.be.within(0, 1);
    expect(checkpoints(r.messages).length).to.be.greaterThan(1);
  });

  it('pairs explicit acknowledgements with checkpoints, FIFO, and rejects extra acks', async () => {
    const acked: number[] = [];
    @Resource({ name: 'a', key: ['/id'], explicitAcks: true })
    class A {
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *changes(since: number): AsyncIterable<object | number> {
        if (since >= 3) return;
        yield { id: since + 1 };
        yield since + 1;
        acked.push(since + 1);
      }
    }
    @Connector({ config: Config, resources: [A] })
    class C {}
    let sent = 0;
    const r = await serveInProcess(C, [openRequest([{ name: 'a' }])], {
      until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.a?.inc?.cursor === 3) && sent >= 4,
      onMessage: (m, stdin) => {
        if (m.checkpoint) {
          // The checkpoint did not resolve before its acknowledgement.
          const cursor = m.checkpoint.state.updated.bindingStateV1?.a?.inc?.cursor;
          if (cursor !== undefined && cursor > 0) expect(acked).not.to.include(cursor);
          sent++;
          stdin.write(JSON.stringify({ acknowledge: { checkpoints: 1 } }) + '\n');
        }
      },
    });
    expect(r.error).to.equal(undefined);
    expect(r.messages[0]).to.deep.equal({ opened: { explicitAcknowledgements: true } });
    expect(acked).to.deep.equal([1, 2, 3]);

    const extra = await serveInProcess(
      C,
      [openRequest([{ name: 'a' }], { bindingStateV1: { a: { inc: { cursor: 3 }, last_initialized: '2026-01-01T00:00:00Z' } } }), { acknowledge: { checkpoints: 2 } }],
      { until: () => false },
    );
    expect((extra.error as Error).message).to.include('acknowledge of 2 checkpoints, but only 0 checkpoint(s) await an acknowledgement');
  });

  it('splits bindings across shards by a stable hash of the state key', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const classes = names.map((name) => {
      @Resource({ name, key: ['/id'] })
      class R {
        @Backfill()
        async *pages(): AsyncIterable<object> {
          yield { id: name };
        }
      }
      return R;
    });
    @Connector({ config: Config, resources: classes })
    class C {}
    const bindings = names.map((name) => ({ name }));
    const mid = 0x7fffffff;
    const done = (m: Record<string, any>[], expected: number): boolean =>
      checkpoints(m).filter((c) => Object.values(c.bindingStateV1 ?? {}).some((v: any) => v?.backfill === null)).length === expected;
    const lower = names.filter((n) => shardHash(n) <= mid);
    expect(lower.length).to.be.within(1, 11);
    const a = await serveInProcess(C, [openRequest(bindings, {}, {}, { keyEnd: mid })], { until: (m) => done(m, lower.length) });
    const b = await serveInProcess(C, [openRequest(bindings, {}, {}, { keyBegin: mid + 1, keyEnd: 0xffffffff })], { until: (m) => done(m, names.length - lower.length) });
    const ids = (r: typeof a) =>
      captured(r.messages)
        .map((d) => d.id)
        .sort();
    expect(ids(a)).to.deep.equal([...lower].sort());
    expect([...ids(a), ...ids(b)].sort()).to.deep.equal([...names].sort());
  });

  it('sends a sourced schema, made restrictive, before the checkpoint it belongs to', async () => {
    @Resource({ name: 'dyn', key: ['/id'] })
    class Dyn {
      @Backfill()
      async *pages(_p: unknown, _c: unknown, ctx: { sourcedSchema(s: object): void }): AsyncIterable<object> {
        ctx.sourcedSchema({ properties: { id: { type: 'string' }, n: { type: 'integer' } } });
        yield { id: 'a', n: 1 };
      }
    }
    @Connector({ config: Config, resources: [Dyn] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'dyn' }])], { until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.dyn?.backfill === null) });
    const i = r.messages.findIndex((m) => m.sourcedSchema);
    const schema = r.messages[i]!.sourcedSchema.schema_json;
    expect(schema.additionalProperties).to.equal(false);
    expect(schema.required).to.deep.equal(['id', 'n', '_meta']);
    expect(schema.properties.id).to.deep.equal({ minLength: 1, maxLength: 1, type: 'string' });
    expect(schema.properties.n).to.deep.equal({ minimum: 1, maximum: 1, type: 'integer' });
    expect(schema.properties._meta.required).to.deep.equal(['uuid', 'op', 'row_id']);
    expect(r.messages[i + 1]!.captured).to.deep.equal({ binding: 0, doc: { id: 'a', n: 1 } });
    expect(r.messages[i + 2]!.checkpoint).to.not.equal(undefined);
  });

  it('runs incremental subtasks with independent cursors', async () => {
    @Resource({ name: 'multi', key: ['/id'], interval: 'PT1H' })
    class Multi {
      @Incremental({ cursor: 'integer', initial: () => 0, subtasks: ['x', 'y'] })
      async *changes(since: number, ctx: { subtask?: string }): AsyncIterable<object | number> {
        if (since > 0) return;
        yield { id: ctx.subtask };
        yield ctx.subtask === 'x' ? 10 : 20;
      }
    }
    @Connector({ config: Config, resources: [Multi] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'multi' }])], {
      until: (m) => checkpoints(m).filter((c) => c.bindingStateV1?.multi?.inc && !c.bindingStateV1.multi.last_initialized).length === 2,
    });
    expect(r.error).to.equal(undefined);
    const cps = checkpoints(r.messages);
    expect(cps[0]!.bindingStateV1.multi.inc).to.deep.equal({ x: { cursor: 0 }, y: { cursor: 0 } });
    expect(cps).to.deep.include({ bindingStateV1: { multi: { inc: { x: { cursor: 10 } } } } });
    expect(cps).to.deep.include({ bindingStateV1: { multi: { inc: { y: { cursor: 20 } } } } });
  });

  it('reports connectorStatus while backfilling and streaming, from a timer as the Python CDK does', async () => {
    let statusSeen!: () => void;
    const backfillReported = new Promise<void>((resolve) => (statusSeen = resolve));
    @Resource({ name: 'st', key: ['/id'] })
    class St {
      @Backfill()
      async *pages(): AsyncIterable<object> {
        yield { id: 1 };
        // The backfill lasts until the timer reported it, so the test does not race the timer.
        await backfillReported;
      }
      // Keeps the capture running after the backfill, until stdin closes.
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *changes(): AsyncIterable<object | number> {}
    }
    @Connector({ config: Config, resources: [St] })
    class C {}
    const streaming = 'Streaming change events (all 1 bindings are backfilled)';
    const r = await serveInProcess(C, [openRequest([{ name: 'st' }])], {
      until: () => false,
      session: { statusTiming: { firstMs: 20, everyMs: 10 } },
      onLog: (line, stdin) => {
        if (line.fields?.eventType !== 'connectorStatus') return;
        if (line.msg === 'Backfilling 1 out of 1 bindings') statusSeen();
        if (line.msg === streaming) stdin.end();
      },
    });
    expect(r.error).to.equal(undefined);
    const statuses = r.logs.filter((l) => l.fields?.eventType === 'connectorStatus').map((l) => l.msg);
    // Each line once: the timer writes only what changed since its last look.
    expect(statuses).to.deep.equal(['Capture started.', 'Backfilling 1 out of 1 bindings', streaming]);
  });
});
