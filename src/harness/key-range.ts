import { JsonObject } from './json-utils';

const KEY_SPACE = 2 ** 32;

/**
 * Splits the 32-bit key range into `shards` contiguous parts as `open.range` objects; fields that are
 * zero are omitted, as proto3 JSON omits them.
 *
 * @example
 * splitKeyRange(2);
 * // [{ keyEnd: 2147483647, rClockEnd: 4294967295 }, { keyBegin: 2147483648, keyEnd: 4294967295, rClockEnd: 4294967295 }]
 */
export function splitKeyRange(shards: number): JsonObject[] {
  const ranges: JsonObject[] = [];
  for (let i = 0; i < shards; i++) {
    const keyBegin = Math.floor((i * KEY_SPACE) / shards);
    const keyEnd = Math.floor(((i + 1) * KEY_SPACE) / shards) - 1;
    ranges.push({ ...(keyBegin !== 0 ? { keyBegin } : {}), ...(keyEnd !== 0 ? { keyEnd } : {}), rClockEnd: KEY_SPACE - 1 });
  }
  return ranges;
}
