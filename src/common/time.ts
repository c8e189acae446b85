/*
 * Two duration spellings, named apart: ISO 8601 (`PT5M`) in resource configs and model fields, as
 * Pydantic writes a timedelta; and the short form (`10s`, `500ms`) on the command line and in Flow
 * catalogs, as the Flow runtime's humantime reads it.
 */

/** Milliseconds of an ISO 8601 duration of days, hours, minutes and seconds (`PT5M` → 300000). */
export function parseIsoDuration(value: string): number {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (m === null || value === 'P' || value.endsWith('T')) throw new RangeError(`"${value}" is not an ISO 8601 duration such as PT5M`);
  const [, d, h, min, s] = m;
  return Math.round(((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000);
}

/** True when `value` is an ISO 8601 duration that {@link parseIsoDuration} accepts (`PT5M`, `P1DT2H`). */
export function isIsoDuration(value: string): boolean {
  try {
    parseIsoDuration(value);
    return true;
  } catch {
    return false;
  }
}

/** Parses a short duration such as `10s`, `500ms`, `1m30s`, `2h` or a bare number of seconds, into milliseconds. */
export function parseShortDuration(text: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = trimmed;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) throw new RangeError(`invalid duration "${text}": use e.g. 10s, 500ms, 1m`);
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  if (trimmed.length === 0) throw new RangeError('invalid duration "": use e.g. 10s, 500ms, 1m');
  return total;
}

/** Formats milliseconds as Pydantic formats a timedelta (`PT5M`, `PT0S`, `P1DT2H`). */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  let out = 'P' + (days > 0 ? `${days}D` : '');
  const time = (h > 0 ? `${h}H` : '') + (m > 0 ? `${m}M` : '') + (s > 0 ? `${s}S` : '');
  if (time !== '') out += 'T' + time;
  return out === 'P' ? 'PT0S' : out;
}

/**
 * A `Date` that also keeps what a JavaScript `Date` cannot: the microseconds below the millisecond
 * and the UTC offset a datetime was written with. {@link parseDateTime} returns one, so a datetime
 * read from state (a cursor, a backfill cutoff) is written back exactly as Python's Pydantic wrote
 * it, and compares with microsecond precision. It is a `Date` in every other way: code that only
 * needs milliseconds can ignore the difference.
 *
 * @example
 * const d = parseDateTime('2024-01-01T00:00:40.123456Z');
 * d.toISOString();     // '2024-01-01T00:00:40.123Z' (a Date's milliseconds)
 * formatDateTime(d);   // '2024-01-01T00:00:40.123456Z'
 * d.micros;            // 456
 * epochMicros(d);      // 1704067240123456
 */
export class PreciseDate extends Date {
  readonly #ms: number;
  readonly #micros: number;
  readonly #offsetMinutes: number;

  /**
   * @param epochMicroseconds microseconds since 1970-01-01T00:00:00Z (an integer)
   * @param offsetMinutes the UTC offset to write it with (0 writes `Z`)
   */
  constructor(epochMicroseconds: number, offsetMinutes = 0) {
    const ms = Math.floor(epochMicroseconds / 1000);
    super(ms);
    this.#ms = ms;
    this.#micros = epochMicroseconds - ms * 1000;
    this.#offsetMinutes = offsetMinutes;
  }

  /** The microseconds below the millisecond (0–999); 0 once the `Date` was changed by a setter. */
  get micros(): number {
    return this.getTime() === this.#ms ? this.#micros : 0;
  }

  /** The UTC offset in minutes this datetime is written with (0 for `Z`); 0 once the `Date` was changed. */
  get offsetMinutes(): number {
    return this.getTime() === this.#ms ? this.#offsetMinutes : 0;
  }

  /** Microseconds since the epoch. */
  get epochMicros(): number {
    return this.getTime() * 1000 + this.micros;
  }

  /** A datetime from microseconds since the epoch. */
  static fromEpochMicros(epochMicroseconds: number): PreciseDate {
    return new PreciseDate(epochMicroseconds);
  }

  /** Serializes as the Python CDK writes datetimes (see {@link formatDateTime}), keeping microseconds. */
  override toJSON(): string {
    return formatDateTime(this);
  }
}

/** Microseconds since the epoch of any `Date` (a {@link PreciseDate} keeps its sub-millisecond part). */
export function epochMicros(d: Date): number {
  return d instanceof PreciseDate ? d.epochMicros : d.getTime() * 1000;
}

/** Orders two datetimes to the microsecond: negative, zero or positive as `a` is before, equal to or after `b`. */
export function compareDateTimes(a: Date, b: Date): number {
  return epochMicros(a) - epochMicros(b);
}

/**
 * Formats a datetime exactly as Pydantic writes one: `YYYY-MM-DDTHH:MM:SS`, then six fraction
 * digits when the microseconds are not zero, then `Z` for UTC or the `±HH:MM` offset the value was
 * read with. A plain `Date` has milliseconds, so its fraction ends in `000` (`…40.123000Z`); a
 * {@link PreciseDate} keeps its microseconds and offset, so a value read from Python's state is
 * written back unchanged.
 */
export function formatDateTime(d: Date): string {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError('cannot format an invalid Date');
  const offset = d instanceof PreciseDate ? d.offsetMinutes : 0;
  const iso = new Date(ms + offset * 60_000).toISOString();
  const fraction = (((ms % 1000) + 1000) % 1000) * 1000 + (d instanceof PreciseDate ? d.micros : 0);
  let out = iso.slice(0, iso.indexOf('T') + 9);
  if (fraction !== 0) out += '.' + String(fraction).padStart(6, '0');
  if (offset === 0) return out + 'Z';
  const abs = Math.abs(offset);
  return `${out}${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Parses an RFC 3339 datetime as Python writes it (`Z` or an offset, up to microseconds; digits past
 * the sixth are dropped, as Pydantic drops them) into a {@link PreciseDate}. A value without an
 * offset is taken as UTC. Throws a RangeError naming the value when it is not a datetime.
 */
export function parseDateTime(value: unknown): PreciseDate {
  if (value instanceof PreciseDate) return value;
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) return new PreciseDate(value.getTime() * 1000);
  } else if (typeof value === 'string') {
    const m = DATETIME.exec(value);
    if (m !== null) {
      const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
      const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
      const check = new Date(0);
      check.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
      check.setUTCHours(Number(h), Number(mi), Number(s ?? 0), 0);
      const wall = check.getTime();
      // Dates roll over (Feb 30 → Mar 1); a real datetime keeps the fields it was written with.
      if (
        check.getUTCMonth() === Number(mo) - 1 &&
        check.getUTCDate() === Number(d) &&
        check.getUTCHours() === Number(h) &&
        check.getUTCMinutes() === Number(mi) &&
        check.getUTCSeconds() === Number(s ?? 0)
      ) {
        const micros = Number((frac ?? '').slice(0, 6).padEnd(6, '0'));
        return new PreciseDate((wall - offset * 60_000) * 1000 + micros, offset);
      }
    }
  }
  throw new RangeError(`${JSON.stringify(value)} is not an RFC 3339 datetime`);
}
