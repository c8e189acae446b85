/*
 * Wall-clock time in an IANA timezone with nothing but `Intl`: the offset at an instant, the instant
 * of a local date and time (DST gaps and overlaps resolved explicitly), and local text. APIs that
 * filter by date in their own zone (`2024-03-10` meaning New York's day) need these to put window
 * edges where the API puts them.
 */

/** A local date and time, months 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`"${timezone}" is not an IANA timezone such as America/New_York or UTC`);
    }
    formatters.set(timezone, f);
  }
  return f;
}

/** Throws a RangeError naming `timezone` unless it is a timezone this runtime knows. */
export function checkTimezone(timezone: string): void {
  formatter(timezone);
}

/** The local date and time of instant `ms` (epoch milliseconds) in `timezone`. */
export function wallClock(ms: number, timezone: string): WallClock {
  const out: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second!, millisecond: ((ms % 1000) + 1000) % 1000 };
}

/** The UTC offset of `timezone` at instant `ms`, in milliseconds (New York in winter: -18000000). */
export function offsetAt(ms: number, timezone: string): number {
  const w = wallClock(ms, timezone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond) - ms;
}

/**
 * The instant a local date and time names in `timezone`. In an overlap (the hour repeated when DST
 * ends) it is the earlier instant; in a gap (the hour skipped when DST starts, or a midnight some
 * zones skip) it is the first instant after the gap, so a day always starts somewhere.
 */
export function instantOf(w: Partial<WallClock> & Pick<WallClock, 'year' | 'month' | 'day'>, timezone: string): number {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour ?? 0, w.minute ?? 0, w.second ?? 0, w.millisecond ?? 0);
  // Offsets half a day either side cover every transition near this wall time.
  const before = offsetAt(naive - 43_200_000, timezone);
  const after = offsetAt(naive + 43_200_000, timezone);
  const valid = [naive - before, naive - after].filter((t) => t + offsetAt(t, timezone) === naive).sort((a, b) => a - b);
  return valid[0] ?? naive - before;
}

/** The instant of local midnight starting the day `days` after the local date of `ms`. */
export function localMidnight(ms: number, timezone: string, days = 0): number {
  const w = wallClock(ms, timezone);
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + days));
  return instantOf({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, timezone);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of the local date of `ms`. */
export function localDate(ms: number, timezone: string): string {
  const w = wallClock(ms, timezone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** `YYYY-MM-DDTHH:MM:SS` (then `.mmm` when `millis`) of the local time of `ms`, without an offset. */
export function localDateTime(ms: number, timezone: string, millis = false): string {
  const w = wallClock(ms, timezone);
  const base = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  return millis ? `${base}.${pad(w.millisecond, 3)}` : base;
}

/** `Z` for a zero offset, else `±HH:MM`. */
export function offsetSuffix(ms: number, timezone: string): string {
  const minutes = Math.round(offsetAt(ms, timezone) / 60_000);
  if (minutes === 0) return 'Z';
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/**
 * Parses a local date or date-time without an offset (`2024-03-10`, `2024-03-10 01:30:00`,
 * `2024-03-10T01:30:00.250`) as wall-clock time in `timezone`, as an API that answers in its own
 * zone writes record timestamps. Text with an offset or `Z` is parsed as the instant it names.
 */
export function parseLocalDateTime(text: string, timezone: string): Date {
  const m = LOCAL.exec(text.trim());
  if (m === null) {
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new RangeError(`"${text}" is not a date or date-time`);
    return new Date(t);
  }
  const [, y, mo, d, h, mi, s, frac] = m;
  return new Date(
    instantOf(
      { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0), second: Number(s ?? 0), millisecond: Number((frac ?? '0').padEnd(3, '0')) },
      timezone,
    ),
  );
}
