import { Backfill, Incremental, Resource, type CaptureContext } from 'estuary-cdk';
import { NavanApi } from './api';
import { Booking } from './models';

/** Now, truncated to the whole second the API filters on (the backfill's cutoff and the first cursor). */
function wholeSecondNow(): Date {
  const now = new Date();
  now.setUTCMilliseconds(0);
  return now;
}

/**
 * Bookings: backfilled page by page up to the cutoff (`updatedTo`), then captured incrementally by
 * `lastModified` windows `[cursor, now]`. The incremental cursor starts at the cutoff, so the two
 * meet without a gap.
 */
@Resource({ name: 'bookings', key: ['/uuid'], document: Booking, interval: 'PT5M' })
export class Bookings {
  constructor(private readonly api: NavanApi) {}

  /**
   * Every page of the window is read before the cursor moves: the API does not promise an order by
   * `lastModified`, so only the window's maximum is a safe cursor.
   */
  @Incremental({ cursor: 'datetime', initial: wholeSecondNow })
  async *changes(since: Date, ctx: CaptureContext): AsyncIterable<Booking | Date> {
    const until = new Date();
    let latest = since;
    for (let page = 1, totalPages = 1; page <= totalPages; page++) {
      const res = await this.api.bookings({ page, updatedFrom: since, updatedTo: until }, ctx.signal);
      totalPages = res.page?.totalPages ?? page;
      for (const booking of res.data) {
        const modified = new Date(booking.lastModified);
        // updatedFrom is inclusive and whole-second: what is not after the cursor was captured already.
        if (modified.getTime() <= since.getTime()) continue;
        if (modified.getTime() > latest.getTime()) latest = modified;
        yield booking;
      }
      ctx.log.debug({ page, totalPages, records: res.data.length }, 'read a page of booking changes');
    }
    if (latest.getTime() > since.getTime()) yield latest;
  }

  /** Page numbers from 1; the page cursor is the next page to read. Bookings modified after the cutoff are left to `changes`. */
  @Backfill()
  async *pages(page: number | undefined, cutoff: Date, ctx: CaptureContext): AsyncIterable<Booking | number> {
    const current = page ?? 1;
    const res = await this.api.bookings({ page: current, updatedTo: cutoff }, ctx.signal);
    yield* res.data;
    if (res.page !== undefined && current < res.page.totalPages) yield current + 1;
  }
}
