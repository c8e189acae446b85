/**
 * JSON text as the Python CDK writes it: exact big integers and Python-style floats.
 *
 * `JSON.stringify` throws a TypeError on a `bigint`; {@link toJsonText} catches that and only then
 * takes a slower writer that prints bigints as plain JSON numbers, so the common case costs nothing.
 */

import { randomBytes } from 'node:crypto';

// A bigint becomes a marked string in a first pass, and the marks are then swapped for its digits.
// The mark starts with a NUL (escaped by JSON.stringify as \u0000) and a per-process nonce, so no
// string a document holds can be taken for one.
const NONCE = randomBytes(8).toString('hex');
const MARK = `\u0000${NONCE}:`;
const MARKED = new RegExp(`"\\\\u0000${NONCE}:(-?\\d+)"`, 'g');

// One replacer for every call: V8 serializes faster with a replacer it has seen before.
function markBigInt(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? MARK + v.toString() : v;
}

/** Remembers that a stream of values held bigints, so later ones skip the failing first attempt. */
export interface BigIntHint {
  bigint: boolean;
}

/**
 * `JSON.stringify(value)`, except that a `bigint` anywhere is written as an exact JSON number.
 * With a `hint` that saw bigints before, the bigint-aware pass runs at once. `space` indents as
 * `JSON.stringify`'s does.
 */
export function toJsonText(value: unknown, hint?: BigIntHint, space?: number): string | undefined {
  if (hint?.bigint !== true) {
    try {
      return JSON.stringify(value, null, space);
    } catch (err) {
      if (!(err instanceof TypeError)) throw err;
      if (hint !== undefined) hint.bigint = true;
    }
  }
  const marked = JSON.stringify(value, markBigInt, space);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify returns undefined for some values despite its type
  return marked === undefined ? undefined : marked.replace(MARKED, '$1');
}

/**
 * A float as Pydantic writes one: the shortest round-tripping digits (as JavaScript also picks),
 * integral values with `.0` (`10.0`), plain notation while the decimal point falls within 16
 * digits of the start and no more than five zeros follow it, scientific notation otherwise
 * (`1e+16`, `1e-6`, `1.5e+300`), `-0.0` for negative zero, and `null` for NaN and infinities.
 */
export function pythonFloatText(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest digits that round-trip.
  const [mantissa, exp] = Math.abs(n).toExponential().split('e');
  const digits = mantissa!.replace('.', '');
  const point = Number(exp) + 1; // where the decimal point falls, counted from the first digit
  let body: string;
  if (point >= digits.length && point <= 16) body = digits + '0'.repeat(point - digits.length) + '.0';
  else if (point > 0 && point <= 16) body = digits.slice(0, point) + '.' + digits.slice(point);
  else if (point > -5 && point <= 0) body = '0.' + '0'.repeat(-point) + digits;
  else {
    const e = point - 1;
    body = (digits.length === 1 ? digits : digits[0]! + '.' + digits.slice(1)) + 'e' + (e > 0 ? '+' : '-') + String(Math.abs(e));
  }
  return sign + body;
}
