import { Backfill, Incremental, Resource, windows, type CaptureContext } from 'estuary-cdk';
import { NavanApi } from './api';
import { Booking } from './models';

/** Now, truncated to the whole second the API filters on (the backfill's cutoff and the first cursor). */
function wholeSecondNow(): Date {
  const now = new Date();
  now.setUTCMilliseconds(0);
  return now;
}

/**
 * Bookings: backfilled page by page up to the cutoff (`updatedTo`), then captured incrementally in
 * `lastModified` windows from the cursor to now. The incremental cursor starts at the cutoff, so the
 * two meet without a gap.
 */
@Resource({ name: 'bookings', key: ['/uuid'], document: Booking, interval: 'PT5M' })
export class Bookings {
  constructor(private readonly api: NavanApi) {}

  /**
   * Every page of a window is read before the cursor moves: the API does not promise an order by
   * `lastModified`, so the cursor is the latest one seen (and what is not after it was captured).
   */
  @Incremental({ cursor: 'datetime', initial: wholeSecondNow })
  async *changes(since: Date, ctx: CaptureContext): AsyncIterable<Booking | Date> {
    const options = { size: 'P30D', inclusiveTo: true, cursor: 'latest-record', timestamp: (b: Booking) => new Date(b.lastModified) } as const;
    yield* windows(since, ctx, { ...options, fetch: (w, signal) => this.api.bookings({ updatedFrom: w.fromTime, updatedTo: w.toTime }, { log: ctx.log, signal }).items() });
  }

  /** Page numbers from 1; the page cursor is the next page to read. Bookings modified after the cutoff are left to `changes`. */
  @Backfill()
  async *pages(page: number | undefined, cutoff: Date, ctx: CaptureContext): AsyncIterable<Booking | string | number> {
    yield* this.api.bookings({ updatedTo: cutoff }, ctx, page).withCursors();
  }
}
