import { expect } from 'chai';
import { IsOptional, IsString } from 'class-validator';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Backfill, Connector, Incremental, MigrateConfig, Resource, ResourceConfigWithSchedule } from '../../src';
import { clearMetadata } from '../../src/testing';
import { TaskBuffer } from '../../src/runtime/capture/task-buffer';
import { captured, checkpoints, openRequest, serveInProcess } from '../helpers/serve-harness';

class Config {}

describe('capture engine: stopping, spilling, schedules and config migration', () => {
  beforeEach(() => clearMetadata());

  it('lists stuck tasks by name when a graceful stop passes its deadline', async () => {
    let release!: () => void;
    const never = new Promise<void>((r) => (release = r));
    @Resource({ name: 'stuck', key: ['/id'] })
    class Stuck {
      @Backfill()
      async *pages(page: number | undefined): AsyncIterable<object | number> {
        if (page === undefined) {
          yield { id: 1 };
          yield 1;
        }
        await never;
      }
    }
    @Connector({ config: Config, resources: [Stuck] })
    class C {}
    // Stop once the first page is checkpointed: the second invocation is then stuck.
    const r = await serveInProcess(C, [openRequest([{ name: 'stuck' }])], { until: (m) => checkpoints(m).length >= 2, session: { stopDeadlineMs: 200 } });
    release();
    expect((r.error as Error).message).to.equal('graceful stop did not finish within 200 ms; stuck tasks: capture.stuck.backfill');
  });

  it('finishes the current invocation on stop and checkpoints it', async () => {
    let invocations = 0;
    @Resource({ name: 'slow', key: ['/id'] })
    class Slow {
      @Backfill()
      async *pages(page: number | undefined): AsyncIterable<object | number> {
        invocations++;
        await new Promise((r) => setTimeout(r, 30));
        yield { id: page ?? 0 };
        yield (page ?? 0) + 1;
      }
    }
    @Connector({ config: Config, resources: [Slow] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'slow' }])], { until: (m) => captured(m).length >= 1 });
    expect(r.error).to.equal(undefined);
    const last = r.messages[r.messages.length - 1]!;
    expect(last.checkpoint).to.not.equal(undefined);
    expect(captured(r.messages)).to.have.length(invocations);
  });

  it('spills a large checkpoint to disk and writes it back intact and in order', () => {
    const buf = new TaskBuffer(1024);
    const lines = Array.from({ length: 500 }, (_, i) => `{"captured":{"binding":0,"doc":{"i":${i},"pad":"${'x'.repeat(50)}"}}}\n`);
    for (const l of lines) buf.push(l);
    expect(buf.spilled).to.equal(true);
    const out = [...buf.drain()].map((c) => c.toString()).join('');
    expect(out).to.equal(lines.join(''));
    buf.reset();
    expect(buf.length).to.equal(0);
    expect([...buf.drain()]).to.deep.equal([]);
  });

  it('re-initializes a scheduled binding whose schedule fired, backfilling from the oldest cursor', async () => {
    const cutoffs: string[] = [];
    @Resource({ name: 'sched', key: ['/id'], interval: 'PT1H' })
    class Sched {
      @Incremental({ cursor: 'datetime', initial: () => new Date() })
      async *changes(): AsyncIterable<object | Date> {}
      @Backfill()
      async *pages(_p: unknown, cutoff: Date, ctx: { connectorInitiated: boolean }): AsyncIterable<object> {
        cutoffs.push(`${cutoff.toISOString()} ${ctx.connectorInitiated}`);
      }
    }
    @Connector({ config: Config, resources: [Sched], resourceConfig: ResourceConfigWithSchedule })
    class C {}
    const state = { bindingStateV1: { sched: { inc: { cursor: '2026-01-02T00:00:00Z' }, last_initialized: '2026-01-01T00:00:00Z' } } };
    const r = await serveInProcess(C, [openRequest([{ name: 'sched', extra: { schedule: '0 0 * * *' } }], state)], {
      until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.sched?.backfill === null),
    });
    expect(r.error).to.equal(undefined);
    const init = checkpoints(r.messages)[0]!.bindingStateV1.sched;
    expect(init.is_connector_initiated).to.equal(true);
    expect(init.backfill.cutoff).to.equal('2026-01-02T00:00:00Z');
    expect(init.inc).to.deep.equal({ cursor: '2026-01-02T00:00:00Z' });
    expect(cutoffs).to.deep.equal(['2026-01-02T00:00:00.000Z true']);
  });

  it('emits a configUpdate event with the encrypted config when a migration rewrites it', async () => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += String(c)));
      req.on('end', () => {
        const { config } = JSON.parse(body) as { config: Record<string, unknown> };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ...config, sops: { encrypted: true } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/encrypt`;
    const prev = process.env.ENCRYPTION_URL;
    process.env.ENCRYPTION_URL = url;
    try {
      class Cfg {
        @IsOptional() @IsString() old_name?: string;
        @IsOptional() @IsString() name?: string;
      }
      @Resource({ name: 'm', key: ['/id'] })
      class M {
        @Backfill() async *pages(): AsyncIterable<object> {}
      }
      @Connector({ config: Cfg, resources: [M] })
      class C {
        @MigrateConfig()
        migrate(config: Cfg) {
          if (config.old_name === undefined) return undefined;
          return { message: 'renamed old_name to name', config: { name: config.old_name } };
        }
      }
      const r = await serveInProcess(C, [openRequest([{ name: 'm' }], {}, { old_name: 'x' })], { until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.m?.backfill === null) });
      expect(r.error).to.equal(undefined);
      const event = r.logs.find((l) => l.fields?.eventType === 'configUpdate');
      expect(event?.msg).to.equal('renamed old_name to name');
      expect(event?.fields.config).to.deep.equal({ name: 'x', sops: { encrypted: true } });
    } finally {
      if (prev === undefined) delete process.env.ENCRYPTION_URL;
      else process.env.ENCRYPTION_URL = prev;
      server.close();
    }
  });
});
