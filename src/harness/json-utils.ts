import { getPointer, pointerTokens } from '../common/json-pointer';
import { toJsonText } from '../common/json-text';
import { isJsonObject, type JsonObject } from '../protocol';

export { isJsonObject, type JsonObject } from '../protocol';

export { applyMergePatch } from '../common/merge-patch';

/**
 * Composes two merge patches into one that (for the common cases) has the effect of applying `first`
 * then `second`. Nulls are kept, since they still delete from the eventual target.
 */
export function composeMergePatches(first: unknown, second: unknown): unknown {
  if (!isJsonObject(first) || !isJsonObject(second)) return second;
  const result: JsonObject = { ...first };
  for (const [key, value] of Object.entries(second)) {
    result[key] = key in result ? composeMergePatches(result[key], value) : value;
  }
  return result;
}

/** `value` as JSON text, exact big integers (`bigint`) written as their digits; `undefined` as `null`. */
export function jsonText(value: unknown, space?: number): string {
  return toJsonText(value, undefined, space) ?? 'null';
}

/**
 * `value` with every `bigint` (an integer beyond ±2^53 read exactly) as the nearest number: for
 * checks that only know numbers (JSON schema validation). `value` itself when it holds none.
 */
export function bigIntsAsNumbers(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const n = bigIntsAsNumbers(v);
      if (n !== v) (out ??= [...(value as unknown[])])[i] = n;
    });
    return out ?? value;
  }
  if (!isJsonObject(value)) return value;
  let out: JsonObject | undefined;
  for (const [k, v] of Object.entries(value)) {
    const n = bigIntsAsNumbers(v);
    if (n !== v) (out ??= { ...value })[k] = n;
  }
  return out ?? value;
}

/** A copy of `value` with object keys sorted lexicographically at every level, as Flow serializes. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort(compareStrings)) out[key] = sortKeys(value[key]);
  return out;
}

/** Compares strings by code point (UTF-8 byte order), not UTF-16 code unit. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
}

function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 4;
  return 5;
}

/** Total order over JSON values as Flow compares keys: null < boolean < number < string < array < object. */
export function compareJson(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 1:
    case 2:
      // Numbers and exact big integers compare by value across the two types.
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 3:
      return compareStrings(a as string, b as string);
    case 4: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareJson(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    case 5: {
      const x = a as JsonObject;
      const y = b as JsonObject;
      const kx = Object.keys(x).sort(compareStrings);
      const ky = Object.keys(y).sort(compareStrings);
      for (let i = 0; i < Math.min(kx.length, ky.length); i++) {
        const c = compareStrings(kx[i]!, ky[i]!) || compareJson(x[kx[i]!], y[ky[i]!]);
        if (c !== 0) return c;
      }
      return kx.length === ky.length ? 0 : kx.length < ky.length ? -1 : 1;
    }
    default:
      return 0;
  }
}

/** Splits a JSON pointer into unescaped tokens. */
export const parsePointer = pointerTokens;

/** Resolves a JSON pointer in `doc` (own properties and canonical array indexes); `undefined` when any step is absent. */
export const resolvePointer = getPointer;

/** Sets `value` at a JSON pointer, creating intermediate objects; returns false if a step is not an object. */
export function setPointer(doc: JsonObject, pointer: string, value: unknown): boolean {
  const tokens = parsePointer(pointer);
  let cur: JsonObject = doc;
  for (let i = 0; i < tokens.length - 1; i++) {
    const next = cur[tokens[i]!];
    if (next === undefined) cur = cur[tokens[i]!] = {};
    else if (isJsonObject(next)) cur = next;
    else return false;
  }
  if (tokens.length === 0) return false;
  cur[tokens[tokens.length - 1]!] = value;
  return true;
}
