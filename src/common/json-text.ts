/**
 * JSON text as the Python CDK writes it: exact big integers and Python-style floats.
 *
 * `JSON.stringify` throws a TypeError on a `bigint`; {@link toJsonText} catches that and only then
 * takes a slower writer that prints bigints as plain JSON numbers, so the common case costs nothing.
 */

/** `JSON.stringify(value)`, except that a `bigint` anywhere is written as an exact JSON number. */
export function toJsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return writeExact(value, '', new Set<object>());
  }
}

/**
 * Writes `value` as `JSON.stringify` does (toJSON, omitted undefined/function/symbol members, null
 * for non-finite numbers), but writes a `bigint` as its digits. Throws a TypeError on cycles.
 */
function writeExact(value: unknown, key: string, stack: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(k: string): unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return JSON.stringify(value);
  const obj = value as object;
  if (stack.has(obj)) throw new TypeError('Converting circular structure to JSON');
  stack.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = '[' + obj.map((v: unknown, i) => writeExact(v, String(i), stack) ?? 'null').join(',') + ']';
  } else {
    const parts: string[] = [];
    for (const k of Object.keys(obj)) {
      const text = writeExact((obj as Record<string, unknown>)[k], k, stack);
      if (text !== undefined) parts.push(JSON.stringify(k) + ':' + text);
    }
    out = '{' + parts.join(',') + '}';
  }
  stack.delete(obj);
  return out;
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
    body = (digits.length === 1 ? digits : digits[0] + '.' + digits.slice(1)) + 'e' + (e > 0 ? '+' : '-') + Math.abs(e);
  }
  return sign + body;
}
