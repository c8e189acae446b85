import type { Logger } from '../logger';
import { formatDuration } from '../time';
import type { DateWindow, WindowGrid } from './window-grid';
import { WindowFloorError, type WindowSizer } from './window-sizer';

/** What a window fetch may return: the window's records, or them with a truncation flag. */
export interface WindowResult<T> {
  readonly records: readonly T[];
  /** The API said it left records out (a `has_more` it will not page, a partial flag): the window is split. */
  readonly truncated?: boolean;
}

/**
 * Reads one window. Return its records (an array, a {@link WindowResult}, or an async iterable that
 * pages through the window); throw an HTTP 413/504 or timeout to have the window split.
 */
export type WindowFetch<T> = (window: DateWindow, signal: AbortSignal) => Promise<readonly T[] | WindowResult<T>> | AsyncIterable<T>;

/** What the runner needs of a strategy's `CaptureContext`. */
export interface WindowContext {
  readonly signal: AbortSignal;
  readonly stopping: boolean;
  readonly log: Logger;
  /** Keys the size learned by incremental windows for the rest of the run (a `CaptureContext` has it). */
  readonly binding?: object;
  readonly subtask?: string | undefined;
}

/** The resolved settings one run of windows uses. */
export interface RunSettings<T> {
  grid: WindowGrid;
  sizer: WindowSizer;
  /** The configured size is whole days: windows end at local midnights while it is in use. */
  calendarDays: boolean;
  fetch: WindowFetch<T>;
  cap: number | undefined;
  count: ((window: DateWindow, signal: AbortSignal) => Promise<number>) | undefined;
  tooLarge: (err: unknown) => boolean;
  concurrency: number;
}

/** A finished window and its records, in window order. */
export interface FinishedWindow<T> {
  window: DateWindow;
  records: T[];
}

type Outcome<T> = { ok: true; records: T[] } | { ok: false; why: string; count?: number; cause?: unknown };

interface Slot<T> {
  start: number;
  end: number;
  outcome?: Promise<Outcome<T>>;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function attempt<T>(s: RunSettings<T>, w: DateWindow, signal: AbortSignal): Promise<Outcome<T>> {
  const { cap } = s;
  if (s.count !== undefined && cap !== undefined) {
    const n = await s.count(w, signal);
    if (n >= cap) return { ok: false, why: `counted ${n} records, at or over the cap of ${cap}`, count: n };
  }
  let records: T[];
  let truncated = false;
  try {
    const res = s.fetch(w, signal);
    if (isAsyncIterable(res)) {
      records = [];
      // At the cap the window is split anyway: stop reading (the iterator's pages are released).
      for await (const r of res) if (records.push(r) === cap) break;
    } else {
      const got = await res;
      records = Array.isArray(got) ? [...(got as readonly T[])] : [...(got as WindowResult<T>).records];
      truncated = !Array.isArray(got) && (got as WindowResult<T>).truncated === true;
    }
  } catch (err) {
    if (!signal.aborted && s.tooLarge(err)) return { ok: false, why: `failed (${err instanceof Error ? err.message : String(err)})`, cause: err };
    throw err;
  }
  if (cap !== undefined && records.length >= cap) return { ok: false, why: `returned ${records.length} records, the cap of ${cap}` };
  if (truncated) return { ok: false, why: 'was truncated' };
  return { ok: true, records };
}

/**
 * Reads `[from, limit)` window by window and yields each finished window in order. Up to
 * `concurrency` windows are fetched at once; a window that is too big is replaced by two pieces
 * (its first piece the learned size), so the records of a split window are read exactly once from
 * its pieces and never from the capped attempt. Stops early when the consumer returns.
 */
export async function* runWindows<T>(from: number, limit: number, s: RunSettings<T>, ctx: WindowContext): AsyncGenerator<FinishedWindow<T>> {
  const local = new AbortController();
  const signal = AbortSignal.any([ctx.signal, local.signal]);
  const queue: Slot<T>[] = [];
  let next = from;
  const fill = (): void => {
    while (queue.length < s.concurrency && next < limit) {
      const end = s.grid.endOf(next, s.sizer.sizeMs, s.calendarDays && s.sizer.atMax, limit);
      queue.push({ start: next, end });
      next = end;
    }
    for (const slot of queue.slice(0, s.concurrency)) {
      if (slot.outcome !== undefined) continue;
      slot.outcome = attempt(s, s.grid.window(slot.start, slot.end), signal);
      // Awaited in order later; this only keeps a failure of a later window from going unhandled meanwhile.
      slot.outcome.catch(() => undefined);
    }
  };
  try {
    fill();
    while (queue.length > 0) {
      const slot = queue[0]!;
      const outcome = await slot.outcome!;
      if (outcome.ok) {
        queue.shift();
        if (s.sizer.success()) ctx.log.debug({ size: formatDuration(s.sizer.sizeMs) }, 'date windows fit again; growing them');
        yield { window: s.grid.window(slot.start, slot.end), records: outcome.records };
        fill();
        continue;
      }
      const span = slot.end - slot.start;
      const target = outcome.count === undefined || s.cap === undefined ? span / 2 : Math.min(span / 2, (span * s.cap * 0.8) / outcome.count);
      const mid = span <= s.sizer.floorMs ? undefined : s.grid.splitPoint(slot.start, slot.end, Math.max(target, s.sizer.floorMs));
      if (mid === undefined) throw new WindowFloorError(new Date(slot.start), new Date(slot.end), s.sizer.floorMs, outcome.why, outcome.cause);
      s.sizer.shrink(mid - slot.start);
      ctx.log.info({ window: [new Date(slot.start).toISOString(), new Date(slot.end).toISOString()], piece: formatDuration(mid - slot.start) }, `date window ${outcome.why}; splitting it`);
      queue.splice(0, 1, { start: slot.start, end: mid }, { start: mid, end: slot.end });
      fill();
    }
  } finally {
    local.abort();
  }
}
