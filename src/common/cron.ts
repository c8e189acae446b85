/**
 * Five-field cron schedules (minute hour day-of-month month day-of-week, UTC), as the Python
 * CDK's `cron.py` accepts them: numbers, ranges `a-b`, lists `a,b`, `*` and steps `*\/n`.
 */
interface Fields {
  minute: Set<number>;
  hour: Set<number>;
  dom: Set<number>;
  month: Set<number>;
  dow: Set<number>;
  domStar: boolean;
  dowStar: boolean;
}

function parseField(text: string, lo: number, hi: number, what: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const step = /^\*\/(\d+)$/.exec(part);
    const range = /^(\d+)-(\d+)$/.exec(part);
    if (part === '*') for (let i = lo; i <= hi; i++) out.add(i);
    else if (step !== null) for (let i = lo; i <= hi; i += Math.max(1, Number(step[1]))) out.add(i);
    else if (range !== null) for (let i = Number(range[1]); i <= Number(range[2]); i++) out.add(i);
    else if (/^\d+$/.test(part)) out.add(Number(part));
    else throw new RangeError(`cron ${what} field "${text}" is not valid`);
  }
  for (const v of out) if (v < lo || v > hi) throw new RangeError(`cron ${what} value ${v} is outside ${lo}-${hi}`);
  return out;
}

/** Parses a cron expression; throws a RangeError naming the bad field. */
export function parseCron(expr: string): Fields {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new RangeError(`cron expression "${expr}" must have five fields`);
  const [mi, h, dom, mo, dow] = parts as [string, string, string, string, string];
  return {
    minute: parseField(mi, 0, 59, 'minute'),
    hour: parseField(h, 0, 23, 'hour'),
    dom: parseField(dom, 1, 31, 'day-of-month'),
    month: parseField(mo, 1, 12, 'month'),
    dow: parseField(dow, 0, 6, 'day-of-week'),
    domStar: dom.startsWith('*'),
    dowStar: dow.startsWith('*'),
  };
}

function matches(f: Fields, d: Date): boolean {
  if (!f.minute.has(d.getUTCMinutes()) || !f.hour.has(d.getUTCHours()) || !f.month.has(d.getUTCMonth() + 1)) return false;
  const domOk = f.dom.has(d.getUTCDate());
  const dowOk = f.dow.has(d.getUTCDay());
  // Standard cron: when both day fields are restricted, either may match.
  if (!f.domStar && !f.dowStar) return domOk || dowOk;
  return domOk && dowOk;
}

/**
 * The first time strictly after `start` at which `expr` fires, or undefined if there is none
 * before `end` (when given) or the schedule is empty.
 */
export function nextFire(expr: string, start: Date, end?: Date): Date | undefined {
  if (expr.trim() === '') return undefined;
  const f = parseCron(expr);
  const t = new Date(Math.floor(start.getTime() / 60_000) * 60_000 + 60_000);
  const limit = end?.getTime() ?? start.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!f.month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!f.hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (matches(f, t)) return new Date(t);
    t.setTime(t.getTime() + 60_000);
  }
  return undefined;
}
