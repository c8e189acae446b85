import { pageCursor, type PageCursorPatch } from '../capture-items';
import { CaptureError } from '../errors';
import { compareDateTimes, formatDateTime, formatDuration, parseDateTime, parseIsoDuration } from '../time';
import { WindowGrid, type DatePrecision, type DateWindow } from './window-grid';
import { runWindows, type RunSettings, type WindowContext, type WindowFetch } from './window-runner';
import { WindowSizer, isWindowTooLarge } from './window-sizer';

/** Options shared by {@link windows} and {@link backfillWindows}. */
export interface WindowOptions<T> {
  /** The window size, ISO 8601: `PT1H`; days only (`P1D`, `P7D`) means calendar days in `timezone`, ending at local midnight. */
  size: string;
  /** The smallest window a split may make (default: one unit of `precision`); a window too big at it fails loudly. */
  minSize?: string;
  /** The API's timezone (IANA name) for day edges and local query text; default `UTC`. */
  timezone?: string;
  /** The finest time the API's filter distinguishes; default `second`. Window edges are whole units of it. */
  precision?: DatePrecision;
  /** The API's `to` bound includes its instant (`to=2024-01-01T00:59:59` for `[00:00, 01:00)`); default false. */
  inclusiveTo?: boolean;
  /** Most records the API returns for one query; a window returning this many is split. */
  cap?: number;
  /** Counts a window's records before fetching it (needs `cap`); a window over the cap is cut in proportion. */
  count?: (window: DateWindow, signal: AbortSignal) => Promise<number>;
  /** Which failures mean "window too big" (default: HTTP 413, 504, and timeouts). */
  tooLarge?: (err: unknown) => boolean;
  /** A record's time; records outside their window (or at or before the cursor) are dropped, so edges are exact whatever the API's filter does. */
  timestamp?: (record: T) => Date;
  /** Windows fetched at once (default 1); records and cursors are still yielded in window order. */
  concurrency?: number;
  /** Windows in a row that fit before a split size doubles back (default 2). */
  growAfter?: number;
  /** Reads one window. */
  fetch: WindowFetch<T>;
}

/** Options of {@link windows}, for an `@Incremental({ cursor: 'datetime' })` method. */
export interface IncrementalWindowOptions<T> extends WindowOptions<T> {
  /** Re-read this much before the cursor on each invocation, for records that appear late (ISO 8601). */
  lookback?: string;
  /** Stay this far behind now (ISO 8601), for APIs whose recent data is still settling. */
  horizon?: string;
  /**
   * `window-end` (default): the cursor after a window is its end. `latest-record`: the latest
   * `timestamp` seen, for APIs whose clock may lag ours; records at or before the cursor are
   * dropped, and the last window reaches the end of the current unit of precision.
   */
  cursor?: 'window-end' | 'latest-record';
  /** The clock (tests). */
  now?: () => Date;
}

/** Options of {@link backfillWindows}, for a `@Backfill` method. */
export interface BackfillWindowOptions<T> extends WindowOptions<T> {
  /** Where the backfill starts (e.g. the config's start date). */
  start: Date | string;
}

/** The page cursor {@link backfillWindows} checkpoints: a dict, as Python's `PageCursor` allows. */
export interface WindowPage {
  /** Where the next window starts (RFC 3339). */
  window_start: string;
  /** The learned window size (ISO 8601), so a restart does not re-learn it. */
  window_size?: string;
}

const DAYS_ONLY = /^P\d+D$/;

/** Runs `fn`, turning a RangeError (a bad timezone or duration) into a one-line `WINDOW_OPTIONS` error. */
function checked<R>(fn: () => R): R {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError) throw new CaptureError(`date windows: ${err.message}`, { code: 'WINDOW_OPTIONS' });
    throw err;
  }
}

function settings<T>(o: WindowOptions<T>, learnedMs?: number): RunSettings<T> & { floorMs: number } {
  const grid = checked(() => new WindowGrid(o.timezone ?? 'UTC', o.precision ?? 'second', o.inclusiveTo ?? false));
  const sizeMs = checked(() => parseIsoDuration(o.size));
  const floorMs = o.minSize === undefined ? grid.unitMs : checked(() => parseIsoDuration(o.minSize!));
  const problems: string[] = [];
  if (sizeMs < grid.unitMs || sizeMs % grid.unitMs !== 0) problems.push(`size ${o.size} is not a whole number of ${grid.precision}s`);
  if (o.minSize !== undefined && (floorMs < grid.unitMs || floorMs > sizeMs)) problems.push(`minSize ${o.minSize} must be between one ${grid.precision} and size`);
  if (o.count !== undefined && o.cap === undefined) problems.push('count needs cap');
  if (problems.length > 0) throw new CaptureError(`date windows: ${problems.join('; ')}`, { code: 'WINDOW_OPTIONS' });
  return {
    grid,
    sizer: new WindowSizer(sizeMs, floorMs, o.growAfter ?? 2, learnedMs),
    calendarDays: DAYS_ONLY.test(o.size),
    fetch: o.fetch,
    cap: o.cap,
    count: o.count,
    tooLarge: o.tooLarge ?? isWindowTooLarge,
    concurrency: Math.max(1, o.concurrency ?? 1),
    floorMs,
  };
}

/*
 * Python's Incremental state forbids extra fields and its cursor must stay a datetime, so the size
 * incremental windows learned lives for the connector run only, per binding and subtask.
 */
const learnedSizes = new WeakMap<object, Map<string, number>>();

/**
 * Yields the documents of each window from the cursor to now (less `horizon`), then the cursor
 * after each finished window, for an `@Incremental({ cursor: 'datetime' })` method. Windows are
 * half-open `[start, end)` with edges on whole units of the API's precision, so a record on an edge
 * is read once; a window that is capped, truncated or fails with 413/504/timeout is split down to
 * `minSize`. Returns after a finished window once a graceful stop is asked.
 *
 * @example
 * async *changes(since: Date, ctx: CaptureContext): AsyncIterable<Order | Date> {
 *   yield* windows(since, ctx, { size: 'P1D', horizon: 'PT5M', timezone: 'America/New_York', cap: 1000,
 *     fetch: (w, signal) => this.api.orders({ from: w.from, to: w.to }, signal) });
 * }
 */
export async function* windows<T extends object>(since: Date, ctx: WindowContext, options: IncrementalWindowOptions<T>): AsyncGenerator<T | Date> {
  const mode = options.cursor ?? 'window-end';
  const timestamp = options.timestamp;
  if (mode === 'latest-record' && (timestamp === undefined || options.lookback !== undefined)) {
    throw new CaptureError('date windows: cursor latest-record needs timestamp and cannot have a lookback', { code: 'WINDOW_OPTIONS' });
  }
  const memory = ctx.binding === undefined ? undefined : (learnedSizes.get(ctx.binding) ?? new Map<string, number>());
  if (memory !== undefined && ctx.binding !== undefined) learnedSizes.set(ctx.binding, memory);
  const memoryKey = ctx.subtask ?? '';
  const s = settings(options, memory?.get(memoryKey));
  const now = (options.now?.() ?? new Date()).getTime();
  const upTo = now - (options.horizon === undefined ? 0 : parseIsoDuration(options.horizon));
  // A window-end cursor must not pass now; a latest-record cursor comes from records, so the last
  // window may take in the whole current unit (`to` = this second, inclusive).
  const limit = mode === 'window-end' ? s.grid.floor(upTo) : s.grid.ceil(upTo);
  if (limit <= since.getTime()) return;
  const lower = new Date(since.getTime() - (options.lookback === undefined ? 0 : parseIsoDuration(options.lookback)));

  let cursor = since;
  try {
    for await (const { window, records } of runWindows(s.grid.floor(lower.getTime()), limit, s, ctx)) {
      let latest = cursor;
      for (const r of records) {
        if (timestamp !== undefined) {
          const t = timestamp(r);
          if (compareDateTimes(t, window.end) >= 0) continue;
          if (mode === 'latest-record' ? compareDateTimes(t, since) <= 0 : compareDateTimes(t, window.start) < 0 || compareDateTimes(t, lower) < 0) continue;
          if (compareDateTimes(t, latest) > 0) latest = t;
        }
        yield r;
      }
      const next = mode === 'window-end' ? window.end : latest;
      // Windows of the lookback end at or before the cursor: their records ride on the next cursor.
      if (compareDateTimes(next, cursor) <= 0) continue;
      yield next;
      cursor = next;
      if (ctx.stopping) return;
    }
  } finally {
    memory?.set(memoryKey, s.sizer.sizeMs);
  }
}

/**
 * Yields the documents of each window from `options.start` to the backfill's cutoff, then a
 * {@link WindowPage} page cursor after each, for a `@Backfill` method whose page is a
 * `WindowPage`. The learned size is kept in the page cursor, so a restart resumes with it.
 *
 * @example
 * async *pages(page: WindowPage | undefined, cutoff: Date, ctx: CaptureContext): AsyncIterable<Order | PageCursorPatch> {
 *   yield* backfillWindows(page, cutoff, ctx, { start: this.config.start_date, size: 'P30D', cap: 1000,
 *     fetch: (w, signal) => this.api.orders({ from: w.from, to: w.to }, signal) });
 * }
 */
export async function* backfillWindows<T extends object>(page: WindowPage | undefined, cutoff: Date, ctx: WindowContext, options: BackfillWindowOptions<T>): AsyncGenerator<T | PageCursorPatch> {
  if (page != null && (typeof page !== 'object' || typeof (page as Partial<WindowPage>).window_start !== 'string')) {
    throw new CaptureError(`date windows: the stored page cursor ${JSON.stringify(page)} is not a {window_start, window_size} window page; re-backfill the binding`, {
      code: 'STATE_INVALID',
    });
  }
  const s = settings(options, page?.window_size == null ? undefined : checked(() => parseIsoDuration(page.window_size!)));
  const start = page == null ? s.grid.floor(new Date(options.start).getTime()) : parseDateTime(page.window_start).getTime();
  const limit = s.grid.floor(cutoff.getTime());
  const timestamp = options.timestamp;
  for await (const { window, records } of runWindows(start, limit, s, ctx)) {
    for (const r of records) {
      if (timestamp !== undefined) {
        const t = timestamp(r);
        if (compareDateTimes(t, window.start) < 0 || compareDateTimes(t, window.end) >= 0) continue;
      }
      yield r;
    }
    yield pageCursor({ window_start: formatDateTime(window.end), window_size: formatDuration(s.sizer.sizeMs) });
    if (ctx.stopping) return;
  }
}
