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

/** RFC 3339 in UTC as the Python CDK writes datetimes: `Z`, fractional seconds only when non-zero. */
export function formatDateTime(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * Parses an RFC 3339 datetime as Python writes it (`Z` or an offset, up to microseconds).
 * Throws a RangeError naming the value when it is not one.
 */
export function parseDateTime(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(value)) {
    // JavaScript keeps milliseconds; Python may have written microseconds.
    const trimmed = value.replace(/(\.\d{3})\d+/, '$1');
    const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed) ? trimmed : `${trimmed}Z`;
    const d = new Date(withZone);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new RangeError(`${JSON.stringify(value)} is not an RFC 3339 datetime`);
}
