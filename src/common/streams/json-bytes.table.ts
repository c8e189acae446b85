/** Byte classes and string skipping for the JSON prefix scanner (its hot loops). */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;

// Byte classes, so the hot loops switch over a few small integers.
export const OTHER = 0;
export const WS = 1;
export const DIGIT = 2;
export const STRING = 3;
export const OPEN = 4;
export const CLOSE = 5;
export const NOT_INTEGER = 6; // `.`, `e`, `E`: the literal is not an integer
export const SIGN = 7;
export const SEPARATOR = 8; // `,` and `:`
export const CLASS = new Uint8Array(256);
for (const c of ' \t\n\r') CLASS[c.charCodeAt(0)] = WS;
for (const c of '0123456789') CLASS[c.charCodeAt(0)] = DIGIT;
for (const c of '{[') CLASS[c.charCodeAt(0)] = OPEN;
for (const c of '}]') CLASS[c.charCodeAt(0)] = CLOSE;
for (const c of '.eE') CLASS[c.charCodeAt(0)] = NOT_INTEGER;
for (const c of '+-') CLASS[c.charCodeAt(0)] = SIGN;
for (const c of ',:') CLASS[c.charCodeAt(0)] = SEPARATOR;
CLASS[QUOTE] = STRING;

export const NO_QUOTE = -1;
export const NO_QUOTE_IN_ESCAPE = -2;

/**
 * The index of the quote that ends a string whose unread part starts at `b[i]` (no escape pending
 * there), or {@link NO_QUOTE} / {@link NO_QUOTE_IN_ESCAPE} when it does not end in this chunk (the
 * latter when the chunk ends with an unfinished escape, so the next chunk's first byte is escaped).
 * Most strings are short, so a plain loop looks first; a long one is crossed with the native
 * `indexOf`, checking the parity of the backslashes before each quote it finds.
 */
export function closingQuote(b: Uint8Array, i: number, n: number): number {
  const stop = Math.min(n, i + 64);
  let k = i;
  for (; k < stop; k++) {
    const c = b[k];
    if (c === QUOTE) return k;
    if (c === BACKSLASH) k++;
  }
  if (k >= n) return k === n ? NO_QUOTE : NO_QUOTE_IN_ESCAPE;
  return quoteByIndexOf(b, k, n);
}

function quoteByIndexOf(b: Uint8Array, i: number, n: number): number {
  let from = i;
  for (;;) {
    const q = b.indexOf(QUOTE, from);
    if (q < 0) {
      let k = n - 1;
      while (k >= from && b[k] === BACKSLASH) k--;
      return (n - 1 - k) % 2 === 1 ? NO_QUOTE_IN_ESCAPE : NO_QUOTE;
    }
    let k = q - 1;
    while (k >= i && b[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q;
    from = q + 1;
  }
}
