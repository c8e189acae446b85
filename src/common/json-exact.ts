import type { parseItemSlowly as ParseItemSlowly } from './streams/json-item.parser';

/** A number literal this long may be an integer beyond ±2^53; a shorter one never is. */
const LONG_DIGITS = /\d{16}/;

let parseSlowly: typeof ParseItemSlowly | undefined;

/**
 * `JSON.parse(text)`, except that integers beyond ±2^53 come back as exact `bigint`s instead of
 * rounded numbers (smaller ones stay numbers). Text without a run of 16 digits goes straight to
 * `JSON.parse`; the rest through the tokenizer `IncrementalJsonProcessor` uses for such items.
 * The text must be valid JSON (check it with `JSON.parse` first for its error message).
 */
export function parseJsonExact(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the tokenizer loads only for the rare text that needs it
  parseSlowly ??= (require('./streams/json-item.parser') as { parseItemSlowly: typeof ParseItemSlowly }).parseItemSlowly;
  const bytes = Buffer.from(text);
  return parseSlowly([{ chunk: bytes, start: 0, end: bytes.length, chunkStart: 0 }], 'bigint');
}

/** Whether `text` may hold an integer that {@link parseJsonExact} would keep exact where `JSON.parse` rounds it. */
export function mayHoldLongIntegers(text: string): boolean {
  return LONG_DIGITS.test(text);
}
