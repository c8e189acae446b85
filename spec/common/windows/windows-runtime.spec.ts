import { expect } from 'chai';
import { IsInt, IsString } from 'class-validator';
import { Backfill, BaseDocument, Connector, HttpClient, Incremental, injectable, Resource, type CaptureContext, type PageCursorPatch } from '../../../src';
import { backfillWindows, windows, type WindowPage } from '../../../src/common/windows';
import { runConnectorInProcess } from '../../../src/harness/in-process';
import { eventsEvery, startWindowApi, type WindowApi } from './window-api';

/** A connector whose one resource backfills 2024-01-01..03 and captures 2024-01-03..04 incrementally, both in capped windows. */
function declareConnector() {
  class Config {
    @IsString() base_url!: string;
  }
  class Ev extends BaseDocument {
    @IsInt() id!: number;
    @IsString() at!: string;
  }
  @injectable()
  class EventsApi {
    constructor(
      private readonly http: HttpClient,
      private readonly config: Config,
    ) {}
    async list(from: string, to: string, signal: AbortSignal): Promise<Ev[]> {
      const res = await this.http.requestJson<{ data: Ev[] }>(`${this.config.base_url}/events`, { query: { from, to }, signal });
      return res.data;
    }
  }
  const common = { size: 'P1D', inclusiveTo: true, cap: 30 } as const;
  @Resource({ name: 'events', key: ['/id'], document: Ev, interval: 'PT1H' })
  class Events {
    constructor(private readonly api: EventsApi) {}

    @Incremental({ cursor: 'datetime', initial: () => new Date('2024-01-03T00:00:00Z') })
    async *changes(since: Date, ctx: CaptureContext): AsyncIterable<Ev | Date> {
      yield* windows(since, ctx, { ...common, now: () => new Date('2024-01-04T00:00:00Z'), fetch: (w, signal) => this.api.list(w.from, w.to, signal) });
    }

    @Backfill()
    async *pages(page: WindowPage | undefined, cutoff: Date, ctx: CaptureContext): AsyncIterable<Ev | PageCursorPatch> {
      yield* backfillWindows(page, cutoff, ctx, { ...common, start: '2024-01-01T00:00:00Z', fetch: (w, signal) => this.api.list(w.from, w.to, signal) });
    }
  }
  @Connector({ config: Config, resources: [Events] })
  class EventsConnector {}
  return EventsConnector;
}

describe('date windows in the capture runtime', () => {
  let api: WindowApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('checkpoints window cursors and dict page cursors in the Python shapes, and resumes a backfill mid-way', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 11 * 60_000 + 7000, 390); // the last one after the incremental's now (2024-01-04)
    api = await startWindowApi({ events, cap: 30 });
    const Conn = declareConnector();
    const binding = (s: unknown): any => (s as any)?.bindingStateV1?.events;
    const config = { base_url: api.url };

    const first = await runConnectorInProcess(Conn, {
      config,
      bindings: ['events'],
      until: (p) => binding(p.state)?.inc?.cursor === '2024-01-04T00:00:00Z' && (binding(p.state)?.backfill?.next_page?.window_start ?? '') >= '2024-01-02T00:00:00Z',
    });
    const mid = binding(first.state);
    expect(Object.keys(mid).sort()).to.deep.equal(['backfill', 'inc', 'last_initialized']);
    expect(mid.inc).to.deep.equal({ cursor: '2024-01-04T00:00:00Z' });
    expect(mid.backfill.cutoff).to.equal('2024-01-03T00:00:00Z');
    expect(Object.keys(mid.backfill.next_page).sort()).to.deep.equal(['window_size', 'window_start']);
    expect(mid.backfill.next_page.window_size).to.match(/^PT\d+(\.\d+)?[HMS]/); // learned below a day
    // Every incremental checkpoint is a window end; the patches only ever touch `inc` or `backfill`.
    const patches = first.checkpoints.slice(1).map((c) => binding(c.updated));
    expect(patches.every((p) => Object.keys(p).length === 1 && ('inc' in p || 'backfill' in p))).to.equal(true);

    const second = await runConnectorInProcess(Conn, { config, bindings: ['events'], state: first.state, until: (p) => binding(p.state)?.backfill == null });
    const firstIds = first.documents.get('events')!.map((d) => d.id as number);
    const secondIds = second.documents.get('events')!.map((d) => d.id as number);
    expect(new Set([...firstIds, ...secondIds])).to.deep.equal(new Set(events.filter((e) => e.at < '2024-01-04').map((e) => e.id)));
    // The resumed backfill starts at the committed window: nothing before it is read again.
    const resumedFrom = mid.backfill.next_page.window_start as string;
    expect(secondIds.every((id) => events[id - 1]!.at >= resumedFrom)).to.equal(true);
    expect(secondIds.length).to.equal(events.filter((e) => e.at >= resumedFrom && e.at < '2024-01-03').length);
  });
});
