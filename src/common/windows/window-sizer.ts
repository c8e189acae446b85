import { CaptureError } from '../errors';
import { HttpError, HttpTransportError } from '../http/http-errors';
import { formatDuration } from '../time';

/**
 * A window that cannot be split further and still is too big for the API: it returned the cap,
 * was truncated, or failed with 413/504/timeout at the floor size. The message names the window,
 * the floor and what to change.
 */
export class WindowFloorError extends CaptureError {
  constructor(
    readonly start: Date,
    readonly end: Date,
    readonly floorMs: number,
    why: string,
    cause?: unknown,
  ) {
    super(
      `date window [${start.toISOString()}, ${end.toISOString()}) ${why} at the smallest window size ${formatDuration(floorMs)}: ` +
        'lower minSize (down to the API precision), raise cap if the API allows larger responses, or filter the query further',
      { code: 'WINDOW_FLOOR', ...(cause === undefined ? {} : { cause }) },
    );
  }
}

/** Whether a failed fetch means "this window is too big": 413, 504, or a timeout. */
export function isWindowTooLarge(err: unknown): boolean {
  if (err instanceof HttpError) return err.status === 413 || err.status === 504;
  if (err instanceof HttpTransportError) return err.failure === 'timeout';
  return false;
}

/**
 * The learned window size: halved (or cut to a count-first estimate) when a window is too big,
 * doubled back towards the configured size after `growAfter` windows in a row that fit.
 */
export class WindowSizer {
  #size: number;
  #streak = 0;

  constructor(
    readonly maxMs: number,
    readonly floorMs: number,
    readonly growAfter: number,
    initialMs = maxMs,
  ) {
    this.#size = Math.min(maxMs, Math.max(floorMs, initialMs));
  }

  /** The size the next new window gets. */
  get sizeMs(): number {
    return this.#size;
  }

  /** Whether the configured (calendar) size is in use, rather than a learned smaller one. */
  get atMax(): boolean {
    return this.#size === this.maxMs;
  }

  /** A window of `spanMs` was too big; later windows get at most `nextMs` (the piece it was cut to). */
  shrink(nextMs: number): void {
    this.#streak = 0;
    this.#size = Math.max(this.floorMs, Math.min(this.#size, nextMs));
  }

  /** A window fit; returns true when the size grew. */
  success(): boolean {
    if (this.#size >= this.maxMs) return false;
    if (++this.#streak < this.growAfter) return false;
    this.#streak = 0;
    this.#size = Math.min(this.maxMs, this.#size * 2);
    return true;
  }
}
