import { checkTimezone, localDate, localDateTime, localMidnight, offsetSuffix } from './zoned-time';

/** The finest time an API's date filter distinguishes. */
export type DatePrecision = 'day' | 'minute' | 'second' | 'millisecond';

const UNIT_MS: Record<Exclude<DatePrecision, 'day'>, number> = { minute: 60_000, second: 1000, millisecond: 1 };

/**
 * One half-open window `[start, end)` and the bounds to query the API with. `from`/`to` are the
 * bounds as the API reads them: with an inclusive `to`, `to` is the last instant of the window at
 * the API's precision (`end` minus one second, or the day before `end`'s day), so a record exactly
 * on `end` belongs to the next window only.
 */
export interface DateWindow {
  /** First instant of the window (inclusive). */
  readonly start: Date;
  /** First instant after the window (exclusive). */
  readonly end: Date;
  /** The lower query bound as an instant (equal to `start`). */
  readonly fromTime: Date;
  /** The upper query bound as an instant: `end`, or the last instant before it at the precision when `to` is inclusive. */
  readonly toTime: Date;
  /** `fromTime` as local text in the API's timezone at its precision, without an offset (`2024-03-10`, `2024-03-10T00:00:00`). */
  readonly from: string;
  /** `toTime` as local text, as {@link DateWindow.from}. */
  readonly to: string;
  /** `fromTime` as local text with its offset (`2024-03-10T00:00:00-05:00`; `Z` in UTC); the date alone at day precision. */
  readonly fromZoned: string;
  /** `toTime` as {@link DateWindow.fromZoned}. */
  readonly toZoned: string;
}

/** How windows are laid out: the API's timezone and precision and whether its `to` is inclusive. */
export class WindowGrid {
  /** One step of the precision in milliseconds (a day counts as 86 400 000 for sizes; edges use local midnights). */
  readonly unitMs: number;

  constructor(
    readonly timezone: string,
    readonly precision: DatePrecision,
    readonly inclusiveTo: boolean,
  ) {
    checkTimezone(timezone);
    this.unitMs = precision === 'day' ? 86_400_000 : UNIT_MS[precision];
  }

  /** The latest window edge at or before `ms`: local midnight at day precision, else a whole unit. */
  floor(ms: number): number {
    if (this.precision === 'day') {
      const midnight = localMidnight(ms, this.timezone);
      return midnight <= ms ? midnight : localMidnight(ms, this.timezone, -1);
    }
    return ms - (((ms % this.unitMs) + this.unitMs) % this.unitMs);
  }

  /** The earliest window edge at or after `ms`. */
  ceil(ms: number): number {
    const down = this.floor(ms);
    if (down === ms) return ms;
    return this.precision === 'day' ? localMidnight(ms, this.timezone, 1) : down + this.unitMs;
  }

  /**
   * The end of a window starting at `start` of `sizeMs`, before `limit`. `calendarDays` windows end
   * at a local midnight (`P1D` is 23 or 25 hours across DST); others are fixed durations rounded
   * down to the precision. Never returns `start` or less when `limit` is after it.
   */
  endOf(start: number, sizeMs: number, calendarDays: boolean, limit: number): number {
    let end: number;
    if (calendarDays && sizeMs % 86_400_000 === 0) end = localMidnight(start, this.timezone, sizeMs / 86_400_000);
    else end = this.floor(start + sizeMs);
    if (end <= start) end = this.precision === 'day' ? localMidnight(start, this.timezone, 1) : start + this.unitMs;
    return Math.min(end, limit);
  }

  /** A point splitting `[start, end)` near `start + spanMs` on an edge, or undefined when no edge lies strictly inside. */
  splitPoint(start: number, end: number, spanMs: number): number | undefined {
    const at = this.floor(start + Math.max(spanMs, 1));
    const mid = at <= start ? this.floor(start + Math.ceil((end - start) / 2)) : at;
    return mid > start && mid < end ? mid : undefined;
  }

  /** The window `[start, end)` with its query bounds. */
  window(start: number, end: number): DateWindow {
    const toMs = !this.inclusiveTo ? end : this.precision === 'day' ? localMidnight(end, this.timezone, -1) : end - this.unitMs;
    return {
      start: new Date(start),
      end: new Date(end),
      fromTime: new Date(start),
      toTime: new Date(toMs),
      from: this.text(start),
      to: this.text(toMs),
      fromZoned: this.zoned(start),
      toZoned: this.zoned(toMs),
    };
  }

  private text(ms: number): string {
    if (this.precision === 'day') return localDate(ms, this.timezone);
    return localDateTime(ms, this.timezone, this.precision === 'millisecond');
  }

  private zoned(ms: number): string {
    return this.precision === 'day' ? this.text(ms) : this.text(ms) + offsetSuffix(ms, this.timezone);
  }
}
