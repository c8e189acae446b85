/** Milliseconds of an ISO 8601 duration of days, hours, minutes and seconds (`PT5M` → 300000). */
export function parseDuration(value: string): number {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (m === null || value === 'P' || value.endsWith('T')) throw new RangeError(`"${value}" is not an ISO 8601 duration such as PT5M`);
  const [, d, h, min, s] = m;
  return Math.round(((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 + Number(s ?? 0) * 1000);
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
