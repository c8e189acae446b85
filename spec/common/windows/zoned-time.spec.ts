import { expect } from 'chai';
import { instantOf, localMidnight, offsetAt, parseLocalDateTime } from '../../../src/common/windows/zoned-time';
import { WindowGrid } from '../../../src/common/windows/window-grid';
import { backfillWindows, windows } from '../../../src/common/windows/date-windows';
import { memoryLogger } from '../http/test-server';

const iso = (ms: number) => new Date(ms).toISOString();

async function drain(items: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('zoned time for date windows', () => {
  it('maps a skipped local time to the first instant after the gap and a repeated one to its first occurrence', () => {
    const ny = 'America/New_York';
    expect(iso(instantOf({ year: 2024, month: 3, day: 10, hour: 2, minute: 30 }, ny))).to.equal('2024-03-10T07:30:00.000Z'); // 03:30 EDT
    expect(iso(instantOf({ year: 2024, month: 11, day: 3, hour: 1, minute: 30 }, ny))).to.equal('2024-11-03T05:30:00.000Z'); // 01:30 EDT, not EST
    expect(offsetAt(Date.parse('2024-07-01T00:00:00Z'), ny)).to.equal(-4 * 3_600_000);
  });

  it('starts a day that has no midnight at the first instant of that day', () => {
    // America/Santiago skipped 2022-09-11T00:00 local (clocks went to 01:00).
    expect(iso(localMidnight(Date.parse('2022-09-11T12:00:00Z'), 'America/Santiago'))).to.equal('2022-09-11T04:00:00.000Z');
  });

  it('reads offset-less API timestamps in the API zone and others as the instant they name', () => {
    expect(parseLocalDateTime('2024-01-15 09:00:00', 'Asia/Kolkata').toISOString()).to.equal('2024-01-15T03:30:00.000Z');
    expect(parseLocalDateTime('2024-01-15', 'Asia/Kolkata').toISOString()).to.equal('2024-01-14T18:30:00.000Z');
    expect(parseLocalDateTime('2024-01-15T09:00:00Z', 'Asia/Kolkata').toISOString()).to.equal('2024-01-15T09:00:00.000Z');
  });

  it('writes query bounds with the offset of each bound', () => {
    const w = new WindowGrid('Australia/Adelaide', 'second', true).window(Date.parse('2024-04-06T16:00:00Z'), Date.parse('2024-04-06T17:00:00Z'));
    expect([w.fromZoned, w.toZoned]).to.deep.equal(['2024-04-07T02:30:00+10:30', '2024-04-07T02:29:59+09:30']); // DST ends at 03:00 local: the local hour repeats, the offsets tell them apart
  });

  it('rejects options that cannot work, naming each, and a page cursor of another shape', async () => {
    const ctx = { signal: new AbortController().signal, stopping: false, log: memoryLogger().log };
    const fetch = () => Promise.resolve([]);
    let error: Error | undefined;
    try {
      await drain(windows(new Date(0), ctx, { size: 'PT12H', precision: 'day', timezone: 'Mars/Olympus', fetch }));
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.equal('date windows: "Mars/Olympus" is not an IANA timezone such as America/New_York or UTC');
    error = undefined;
    try {
      await drain(windows(new Date(0), ctx, { size: 'PT12H', precision: 'day', count: () => Promise.resolve(1), fetch }));
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.equal('date windows: size PT12H is not a whole number of days; count needs cap');
    error = undefined;
    try {
      await drain(backfillWindows('abc' as never, new Date(), ctx, { start: '2024-01-01', size: 'P1D', fetch }));
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.match(/^date windows: the stored page cursor "abc" is not a \{window_start, window_size\} window page; re-backfill the binding$/);
  });
});
