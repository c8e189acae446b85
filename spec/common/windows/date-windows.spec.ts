import { expect } from 'chai';
import { isPageCursorPatch } from '../../../src/common/capture-items';
import { backfillWindows, windows, type IncrementalWindowOptions, type WindowPage } from '../../../src/common/windows/date-windows';
import { WindowFloorError } from '../../../src/common/windows/window-sizer';
import { memoryLogger } from '../http/test-server';
import { countEvents, eventsEvery, fetchEvents, noRetryClient, startWindowApi, type Event, type WindowApi } from './window-api';

const NOW = () => new Date('2024-01-03T00:00:00Z');

function context(stopAfter = Infinity) {
  const mem = memoryLogger();
  let cursors = 0;
  return {
    mem,
    ctx: {
      signal: new AbortController().signal,
      log: mem.log,
      get stopping() {
        return cursors >= stopAfter;
      },
      binding: {},
      subtask: undefined,
    },
    sawCursor: () => cursors++,
  };
}

/** Runs an incremental windows invocation; returns documents, cursors, and documents grouped by the cursor that checkpointed them. */
async function incremental(since: string, api: WindowApi, options: Partial<IncrementalWindowOptions<Event>>, c = context()) {
  const http = noRetryClient();
  const docs: Event[] = [];
  const cursors: string[] = [];
  const groups: number[][] = [];
  let group: number[] = [];
  for await (const item of windows<Event>(new Date(since), c.ctx, { size: 'P1D', now: NOW, fetch: (w, s) => fetchEvents(http, api, w, s), ...options })) {
    if (item instanceof Date) {
      cursors.push(item.toISOString());
      groups.push(group);
      group = [];
      c.sawCursor();
    } else {
      docs.push(item);
      group.push(item.id);
    }
  }
  expect(group, 'documents after the last cursor').to.deep.equal([]);
  await http.close();
  return { docs, cursors, groups, logs: c.mem.records() };
}

const ids = (events: readonly Event[]) => events.map((e) => e.id).sort((a, b) => a - b);

describe('date windows (incremental)', () => {
  let api: WindowApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('bisects a window the API caps and still reads every record exactly once', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 14 * 60_000 + 17_000, 200); // about two days, uneven seconds
    api = await startWindowApi({ events, cap: 20 });
    const run = await incremental('2024-01-01T00:00:00Z', api, { inclusiveTo: true, cap: 20 });
    expect(run.docs.map((d) => d.id)).to.deep.equal(events.map((e) => e.id)); // exact, in order, no duplicates
    expect(run.cursors.at(-1)).to.equal('2024-01-03T00:00:00.000Z');
    const capped = api.queries.filter((q) => q.from === '2024-01-01T00:00:00' && q.to === '2024-01-01T23:59:59');
    expect(capped, 'the whole first day was asked once, then split').to.have.length(1);
    expect(run.logs.some((l) => /returned 20 records, the cap of 20; splitting it/.test(String(l.msg)))).to.equal(true);
    // Grown back: not every later query is as small as the smallest split.
    const spans = api.queries.map((q) => Date.parse(q.to + 'Z') - Date.parse(q.from + 'Z'));
    expect(Math.max(...spans.slice(-5))).to.be.greaterThan(Math.min(...spans));
  });

  it('splits windows that time out with 504 and keeps the exact record set', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 3_600_000 + 1000, 47);
    api = await startWindowApi({ events, timeoutOverMs: 6 * 3_600_000 });
    const run = await incremental('2024-01-01T00:00:00Z', api, { inclusiveTo: true, growAfter: 3 });
    expect(ids(run.docs)).to.deep.equal(ids(events));
    const failed = api.queries.filter((q) => q.status === 504).length;
    expect(failed).to.be.greaterThan(0);
    expect(failed, 'the learned size is kept, not re-learned per window').to.be.lessThan(api.queries.length / 2);
  });

  it('starts the next invocation of the same binding at the learned size, and a new binding at the configured one', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 60_000, 60 * 24 * 2); // one a minute for two days
    api = await startWindowApi({ events, timeoutOverMs: 4 * 3_600_000 });
    const shared = context();
    await incremental('2024-01-01T00:00:00Z', api, { inclusiveTo: true, now: () => new Date('2024-01-02T00:00:00Z') }, shared);
    const before = api.queries.length;
    await incremental('2024-01-02T00:00:00Z', api, { inclusiveTo: true }, shared);
    // The learned size (3 h, or 6 h while probing to grow back), not the configured day.
    const q = api.queries[before]!;
    expect(Date.parse(q.to + 'Z') + 1000 - Date.parse(q.from + 'Z')).to.be.at.most(6 * 3_600_000);
    const fresh = api.queries.length;
    await incremental('2024-01-02T00:00:00Z', api, { inclusiveTo: true });
    expect(api.queries[fresh]!.status, 'a new binding starts at P1D').to.equal(504);
  });

  it('fails loudly with the window, the floor and what to change when the floor is reached', async () => {
    const events = Array.from({ length: 8 }, (_, i) => ({ id: i + 1, at: '2024-01-01T10:00:00.' + String(i * 100).padStart(3, '0') + 'Z' }));
    api = await startWindowApi({ events, cap: 5 });
    let error: unknown;
    try {
      await incremental('2024-01-01T00:00:00Z', api, { inclusiveTo: true, cap: 5, minSize: 'PT1M' });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(WindowFloorError);
    expect((error as WindowFloorError).code).to.equal('WINDOW_FLOOR');
    const floor = error as WindowFloorError;
    // Bisection stopped at a one-minute window holding the burst at 10:00:00.
    expect(floor.end.getTime() - floor.start.getTime()).to.equal(60_000);
    expect(floor.start.getTime()).to.be.at.most(Date.parse('2024-01-01T10:00:00Z'));
    expect(floor.end.getTime()).to.be.greaterThan(Date.parse('2024-01-01T10:00:00Z'));
    expect(floor.message).to.equal(
      `date window [${floor.start.toISOString()}, ${floor.end.toISOString()}) returned 5 records, the cap of 5 at the smallest window size PT1M: ` +
        'lower minSize (down to the API precision), raise cap if the API allows larger responses, or filter the query further',
    );
    expect(floor.message).to.not.include('\n');
  });

  it('puts records exactly on window edges in one window each (inclusive `to`, second precision)', async () => {
    const at = ['2024-01-01T00:00:00Z', '2024-01-01T00:59:59Z', '2024-01-01T00:59:59.999Z', '2024-01-01T01:00:00Z', '2024-01-01T01:00:00.500Z', '2024-01-01T01:59:59Z', '2024-01-01T02:00:00Z'];
    const events = at.map((a, i) => ({ id: i + 1, at: a }));
    api = await startWindowApi({ events });
    const run = await incremental('2024-01-01T00:00:00Z', api, { size: 'PT1H', inclusiveTo: true, now: () => new Date('2024-01-01T03:00:00Z') });
    expect(run.groups).to.deep.equal([[1, 2, 3], [4, 5, 6], [7]]);
    expect(api.queries.map((q) => [q.from, q.to])).to.deep.equal([
      ['2024-01-01T00:00:00', '2024-01-01T00:59:59'],
      ['2024-01-01T01:00:00', '2024-01-01T01:59:59'],
      ['2024-01-01T02:00:00', '2024-01-01T02:59:59'],
    ]);
  });

  it('queries an exclusive `to` with the window end itself', async () => {
    const events = [0, 1, 2].map((h) => ({ id: h + 1, at: `2024-01-01T0${h}:00:00Z` }));
    api = await startWindowApi({ events, inclusiveTo: false });
    const run = await incremental('2024-01-01T00:00:00Z', api, { size: 'PT1H', now: () => new Date('2024-01-01T03:00:00Z') });
    expect(run.groups).to.deep.equal([[1], [2], [3]]);
    expect(api.queries.map((q) => q.to)).to.deep.equal(['2024-01-01T01:00:00', '2024-01-01T02:00:00', '2024-01-01T03:00:00']);
  });

  it('aligns day windows to local midnight in the API zone across both DST changes', async () => {
    // Local New York times on either side of midnight, around 2024-03-10 (23 h) and 2024-11-03 (25 h).
    const local = [
      '2024-03-09T23:59:59-05:00',
      '2024-03-10T00:00:00-05:00',
      '2024-03-10T23:59:59-04:00',
      '2024-03-11T00:00:00-04:00',
      '2024-11-03T00:00:00-04:00',
      '2024-11-03T23:59:59-05:00',
      '2024-11-04T00:00:00-05:00',
    ];
    const events = local.map((a, i) => ({ id: i + 1, at: new Date(a).toISOString() }));
    api = await startWindowApi({ events, timezone: 'America/New_York', precision: 'day' });
    const tz = { timezone: 'America/New_York', precision: 'day' as const, inclusiveTo: true };
    const march = await incremental('2024-03-09T05:00:00Z', api, { ...tz, now: () => new Date('2024-03-11T12:00:00Z') });
    expect(march.cursors).to.deep.equal(['2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z']); // a 23-hour day
    expect(march.groups).to.deep.equal([[1], [2, 3]]);
    const nov = await incremental('2024-11-03T04:00:00Z', api, { ...tz, now: () => new Date('2024-11-04T12:00:00Z') });
    expect(nov.cursors).to.deep.equal(['2024-11-04T05:00:00.000Z']); // a 25-hour day
    expect(nov.groups).to.deep.equal([[5, 6]]);
    expect(api.queries.map((q) => [q.from, q.to])).to.deep.equal([
      ['2024-03-09', '2024-03-09'],
      ['2024-03-10', '2024-03-10'],
      ['2024-11-03', '2024-11-03'],
    ]);
  });

  it('writes local date-times for an API in a non-UTC zone', async () => {
    const events = [{ id: 1, at: '2024-07-01T04:30:00Z' }]; // 00:30 in New York (EDT)
    api = await startWindowApi({ events, timezone: 'America/New_York' });
    const run = await incremental('2024-07-01T04:00:00Z', api, { size: 'PT1H', timezone: 'America/New_York', inclusiveTo: true, now: () => new Date('2024-07-01T05:00:00Z') });
    expect(run.docs.map((d) => d.id)).to.deep.equal([1]);
    expect(api.queries.map((q) => [q.from, q.to])).to.deep.equal([['2024-07-01T00:00:00', '2024-07-01T00:59:59']]);
  });

  it('re-reads only the lookback before the cursor, and stays a horizon behind now', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 10 * 60_000, 6 * 12); // every 10 minutes for 12 hours
    api = await startWindowApi({ events });
    const opts = { size: 'PT1H', inclusiveTo: true, lookback: 'PT30M', horizon: 'PT15M' };
    const first = await incremental('2024-01-01T00:00:00Z', api, { ...opts, now: () => new Date('2024-01-01T04:00:00Z') });
    expect(first.cursors.at(-1)).to.equal('2024-01-01T03:45:00.000Z');
    // A record arrives late, inside the lookback.
    events.push({ id: 1000, at: '2024-01-01T03:20:00Z' });
    const second = await incremental(first.cursors.at(-1)!, api, { ...opts, now: () => new Date('2024-01-01T06:00:00Z') });
    const expected = events.filter((e) => e.at >= '2024-01-01T03:15:00Z' && e.at < '2024-01-01T05:45:00Z');
    expect(ids(second.docs)).to.deep.equal(ids(expected));
    expect(second.docs).to.have.length(new Set(second.docs.map((d) => d.id)).size);
    expect(second.cursors.at(-1)).to.equal('2024-01-01T05:45:00.000Z');
  });

  it('counts first and never fetches a window over the cap', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 7 * 60_000 + 3000, 300);
    api = await startWindowApi({ events, cap: 25 });
    const http = noRetryClient();
    const run = await incremental('2024-01-01T00:00:00Z', api, { inclusiveTo: true, cap: 25, count: (w, s) => countEvents(http, api!, w, s) });
    await http.close();
    expect(ids(run.docs)).to.deep.equal(ids(events));
    expect(api.queries.filter((q) => q.path === '/events/count').length).to.be.greaterThan(0);
  });

  it('fetches several windows at once yet yields records and cursors in window order', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 5 * 60_000 + 1000, 500);
    api = await startWindowApi({ events, cap: 40 });
    const run = await incremental('2024-01-01T00:00:00Z', api, { size: 'PT4H', inclusiveTo: true, cap: 40, concurrency: 4 });
    expect(run.docs.map((d) => d.id)).to.deep.equal(events.map((e) => e.id));
    const sorted = [...run.cursors].sort();
    expect(run.cursors).to.deep.equal(sorted);
  });

  it('returns after a finished window once a graceful stop is asked, and resumes from its cursor', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 30 * 60_000, 96);
    api = await startWindowApi({ events });
    const first = await incremental('2024-01-01T00:00:00Z', api, { size: 'PT6H', inclusiveTo: true }, context(2));
    expect(first.cursors).to.deep.equal(['2024-01-01T06:00:00.000Z', '2024-01-01T12:00:00.000Z']);
    const rest = await incremental(first.cursors.at(-1)!, api, { size: 'PT6H', inclusiveTo: true });
    expect(ids([...first.docs, ...rest.docs])).to.deep.equal(ids(events));
  });
});

describe('date windows (backfill)', () => {
  it('checkpoints the next window and the learned size as a dict page cursor, and resumes from it', async () => {
    const events = eventsEvery('2024-01-01T00:00:00Z', 9 * 60_000, 320);
    const api = await startWindowApi({ events, cap: 30 });
    const http = noRetryClient();
    const pages: WindowPage[] = [];
    const docs: Event[] = [];
    const run = async (page: WindowPage | undefined, c: ReturnType<typeof context>) => {
      const gen = backfillWindows<Event>(page, new Date('2024-01-03T00:00:00Z'), c.ctx, {
        start: '2024-01-01T00:00:00Z',
        size: 'P1D',
        inclusiveTo: true,
        cap: 30,
        fetch: (w, s) => fetchEvents(http, api, w, s),
      });
      for await (const item of gen) {
        if (isPageCursorPatch(item)) {
          pages.push({ ...pages.at(-1), ...item.value } as WindowPage);
          c.sawCursor();
        } else docs.push(item);
      }
    };
    await run(undefined, context(3));
    expect(pages).to.have.length(3);
    const resumeAt = pages.at(-1)!;
    expect(resumeAt.window_size, 'a learned size smaller than a day').to.match(/^PT/);
    const before = api.queries.length;
    await run(resumeAt, context());
    expect(api.queries[before]!.from, 'resumes at the checkpointed window').to.equal(resumeAt.window_start.replace('Z', ''));
    expect(docs.map((d) => d.id)).to.deep.equal(events.filter((e) => e.at < '2024-01-03').map((e) => e.id));
    expect(pages.at(-1)!.window_start).to.equal('2024-01-03T00:00:00Z');
    await http.close();
    await api.close();
  });
});
