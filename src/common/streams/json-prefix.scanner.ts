/**
 * A byte-level scanner that splits JSON input into the values found at an ijson-style prefix ("items")
 * and everything else ("outer" bytes). It does not build values: items are handed whole to
 * `JSON.parse` by the processor, which is several times faster than tokenizing them, and the outer
 * bytes (with each item replaced by `null`) go through the validating tokenizer that builds the
 * remainder. The scanner only tracks what it needs to find item boundaries: strings and their escapes,
 * nesting depth, and the keys on the way to the prefix. It trusts the tokenizer and `JSON.parse` to
 * reject malformed input, and is arranged so that splitting never turns malformed input into valid.
 */

import { BACKSLASH, CLASS, CLOSE, closingQuote, COMMA, DIGIT, NO_QUOTE, NOT_INTEGER, OPEN, OTHER, QUOTE, SEPARATOR, SIGN, STRING, WS } from './json-bytes.table';

/** Part of one item that arrived in one chunk, with that chunk's byte range (for error messages). */
export interface ItemPiece {
  /** The chunk; the piece is `chunk[start, end)`. */
  chunk: Uint8Array;
  start: number;
  end: number;
  /** The chunk's offset in the input. */
  chunkStart: number;
}

/**
 * One complete item, itself its only piece unless it spanned chunks; or, when `count` > 1, that many
 * consecutive elements of one array in one chunk, whose span holds exactly one comma (and whitespace)
 * between each two.
 */
export interface ScannedItem extends ItemPiece {
  /** Every piece of the item, in order, when it spanned chunks. */
  pieces: ItemPiece[] | undefined;
  /** It holds a number literal of 16 digits or more, which `JSON.parse` might round. */
  big: boolean;
  count: number;
}

/** What one call to {@link JsonPrefixScanner.scan} found, in input order. */
export interface ScanOutput {
  /** Outer bytes, with {@link PLACEHOLDER} where each item was. */
  outer: Uint8Array[];
  items: ScannedItem[];
}

/**
 * Stands in for an item in the outer bytes: a value the tokenizer accepts wherever the item was. The
 * space keeps top-level items that touch (`{}{}`, valid concatenated JSON) from becoming `nullnull`;
 * whitespace never makes malformed JSON valid.
 */
export const PLACEHOLDER: Uint8Array = Buffer.from('null ');
const COMMA_BYTES: Uint8Array = Buffer.from(',');

const BOM = [0xef, 0xbb, 0xbf];

// Item kinds.
const CONTAINER = 0;
const STRING_ITEM = 1;
const SCALAR_ITEM = 2;

// What the outer scanner is inside of.
const OUTER_VALUE = 0; // between tokens
const OUTER_STRING = 1;
const OUTER_SCALAR = 2;

/** A number literal with this many digits may be an integer beyond ±2^53; shorter ones never are. */
const BIG_DIGITS = 16;
const NOT_AN_INTEGER = -1e9;
/** An open container outside any item. */
interface Frame {
  isArray: boolean;
  /** This container's own path equals the prefix's first segments. */
  onPath: boolean;
  /** The next value inside this container is on the prefix path (for objects: after the current key). */
  match: boolean;
  /** In an object, the next string is a key. */
  keyNext: boolean;
}

/** Finds the items under `prefix` in JSON, NDJSON or concatenated JSON bytes, chunk by chunk. */
export class JsonPrefixScanner {
  private readonly segments: string[];
  private readonly depthOfPrefix: number;
  private readonly frames: Frame[] = [];
  private outerMode = OUTER_VALUE;
  private bomSeen = 0;
  /** Bytes to skip at the start of the next chunk (the escaped character after a trailing backslash). */
  private skip = 0;
  private chunkStart = 0;

  /** The key being read, when it matters for the path. */
  private keyPieces: Uint8Array[] | undefined = undefined;
  private keyStart = 0;

  private inItem = false;
  private kind = CONTAINER;
  private depth = 0;
  private inString = false;
  /** Digits in the current number literal, or negative once it has a fraction or exponent. */
  private digits = 0;
  private big = false;
  private pending: ItemPiece[] = [];
  /** The current item followed a previous one after exactly one comma (see {@link between}). */
  private afterComma = false;
  /**
   * Just after an array item: separators are held back, and when exactly one comma leads to the next
   * item, neither it nor the item reaches the outer bytes (the tokenizer would only discard them).
   */
  private between = false;
  private betweenComma = false;

  /**
   * @param prefix ijson-style prefix (`data.items.item`, `''` for each top-level value).
   */
  constructor(prefix: string) {
    this.segments = prefix === '' ? [] : prefix.split('.');
    this.depthOfPrefix = this.segments.length;
  }

  /** True when the input ended inside an item that is not a bare number or literal. */
  get inOpenItem(): boolean {
    return this.inItem && this.kind !== SCALAR_ITEM;
  }

  /** The pieces of the item still open (for the error report when the input ends inside it). */
  get openItemPieces(): ItemPiece[] {
    return this.pending;
  }

  /** Scans one chunk, appending outer bytes and completed items to `out`. */
  scan(b: Uint8Array, chunkStart: number, out: ScanOutput): void {
    const n = b.length;
    if (n === 0) return;
    this.chunkStart = chunkStart;
    let i = this.skip;
    this.skip = 0;
    let segmentStart = 0;
    while (i < n) {
      if (this.between) {
        i = this.scanBetween(b, i, n);
        segmentStart = i;
        if (i >= n) break;
        this.between = false;
        if (this.betweenComma && CLASS[b[i]!] !== SEPARATOR && CLASS[b[i]!] !== CLOSE) {
          i = this.beginItem(b, i);
          this.afterComma = true;
          continue;
        }
        // Not a plain separator: hand what was held back to the tokenizer, which judges it.
        if (this.betweenComma) out.outer.push(COMMA_BYTES);
      }
      if (this.inItem) {
        i = this.kind === SCALAR_ITEM ? this.scanScalar(b, i, n) : this.scanItem(b, i, n);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the scan methods above change inItem
        if (this.inItem) break;
        this.completeItem(b, segmentStart, i, chunkStart, out);
        segmentStart = i;
        continue;
      }
      i = this.scanOuter(b, i, n);
      if (i >= n) break;
      if (i > segmentStart) out.outer.push(b.subarray(segmentStart, i));
      out.outer.push(PLACEHOLDER);
      segmentStart = i;
      i = this.beginItem(b, i);
    }
    if (i > n) this.skip = i - n;
    if (this.inItem) {
      this.pending.push({ chunk: b, start: segmentStart, end: n, chunkStart });
    } else if (!this.between) {
      if (segmentStart < n) out.outer.push(b.subarray(segmentStart, n));
      if (this.keyPieces !== undefined && this.outerMode === OUTER_STRING) {
        this.keyPieces.push(b.subarray(Math.min(this.keyStart, n), n));
        this.keyStart = 0;
      }
    }
  }

  /** At the end of input: completes a trailing bare number or literal item (into `out`). */
  finish(out: ScanOutput): void {
    if (this.between && this.betweenComma) out.outer.push(COMMA_BYTES);
    this.between = false;
    if (this.inItem && this.kind === SCALAR_ITEM) {
      this.inItem = false;
      const last = this.pending[this.pending.length - 1]!;
      out.items.push({ ...last, pieces: this.pending, big: this.big, count: 1 });
      this.pending = [];
    }
  }

  private completeItem(b: Uint8Array, start: number, end: number, chunkStart: number, out: ScanOutput): void {
    let pieces: ItemPiece[] | undefined;
    if (this.pending.length === 0) {
      const last = out.items[out.items.length - 1];
      if (this.afterComma && !this.big && last !== undefined && last.chunk === b && last.pieces === undefined && !last.big) {
        last.end = end; // the previous item's sibling: one JSON.parse will build both
        last.count++;
        this.afterComma = false;
        this.between = true;
        this.betweenComma = false;
        return;
      }
    } else {
      pieces = this.pending;
      pieces.push({ chunk: b, start, end, chunkStart });
      this.pending = [];
    }
    this.afterComma = false;
    out.items.push({ chunk: b, start, end, chunkStart, pieces, big: this.big, count: 1 });
    const top = this.frames[this.frames.length - 1];
    if (top !== undefined && top.isArray) {
      this.between = true;
      this.betweenComma = false;
    }
  }

  /** Skips whitespace and one comma after an array item; returns the first other byte's index. */
  private scanBetween(b: Uint8Array, i: number, n: number): number {
    for (; i < n; i++) {
      const c = b[i]!;
      if (CLASS[c] === WS) continue;
      if (c === COMMA && !this.betweenComma) {
        this.betweenComma = true;
        continue;
      }
      return i;
    }
    return i;
  }

  /** Starts an item at `b[i]`; returns where scanning continues. */
  private beginItem(b: Uint8Array, i: number): number {
    const top = this.frames[this.frames.length - 1];
    this.inItem = true;
    this.afterComma = false;
    if (top !== undefined && !top.isArray) top.keyNext = false;
    this.depth = 0;
    this.inString = false;
    this.digits = 0;
    this.big = false;
    const cls = CLASS[b[i]!]!;
    if (cls === OPEN) {
      this.kind = CONTAINER;
      return i; // scanItem counts the opening bracket
    }
    if (cls === STRING) {
      this.kind = STRING_ITEM;
      this.inString = true;
      return i + 1;
    }
    this.kind = SCALAR_ITEM;
    return i;
  }

  /** Scans a bare number or literal item; it ends at the first byte that cannot continue it. */
  private scanScalar(b: Uint8Array, i: number, n: number): number {
    for (; i < n; i++) {
      const cls = CLASS[b[i]!]!;
      if (cls === DIGIT) {
        if (++this.digits >= BIG_DIGITS) this.big = true;
      } else if (cls === NOT_INTEGER) {
        this.digits = NOT_AN_INTEGER;
      } else if (cls === WS || cls === SEPARATOR || cls === OPEN || cls === CLOSE || cls === STRING) {
        this.inItem = false;
        break;
      }
    }
    return i;
  }

  /**
   * Scans a container or string item up to its end (exclusive index), or to the end of the chunk
   * (`n + 1` when the chunk ends inside an escape). Only quotes and brackets matter here: `[`/`{` and
   * `]`/`}` differ by one bit, and strings are skipped with the native `indexOf`.
   */
  private scanItem(b: Uint8Array, i: number, n: number): number {
    let depth = this.depth;
    let digits = this.digits;
    if (this.inString) {
      const q = closingQuote(b, i, n);
      if (q < 0) return q === NO_QUOTE ? n : n + 1;
      this.inString = false;
      i = q + 1;
      if (depth === 0) {
        this.inItem = false;
        return i;
      }
    }
    for (; i < n; i++) {
      const c = b[i]!;
      if (c === QUOTE) {
        const q = closingQuote(b, i + 1, n);
        if (q < 0) {
          this.depth = depth;
          this.digits = 0;
          this.inString = true;
          return q === NO_QUOTE ? n : n + 1;
        }
        i = q;
        digits = 0;
      } else if (c <= 0x39 && c >= 0x30) {
        if (++digits >= BIG_DIGITS) this.big = true;
      } else if (c === 0x2e || (c | 0x20) === 0x65) {
        digits = NOT_AN_INTEGER; // `.`, `e`, `E`
      } else {
        digits = 0;
        if ((c | 0x20) === 0x7b) {
          depth++;
        } else if ((c | 0x20) === 0x7d && --depth === 0) {
          this.depth = 0;
          this.inItem = false;
          return i + 1;
        }
      }
    }
    this.depth = depth;
    this.digits = digits;
    return i;
  }

  /** Scans outer bytes; returns the index where an item starts, or ≥ `n` when none does in this chunk. */
  private scanOuter(b: Uint8Array, i: number, n: number): number {
    const frames = this.frames;
    for (; i < n; i++) {
      const c = b[i]!;
      if (this.outerMode === OUTER_STRING) {
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) {
          this.outerMode = OUTER_VALUE;
          if (this.keyPieces !== undefined) this.endKey(b, i);
        }
        continue;
      }
      const cls = CLASS[c]!;
      if (this.outerMode === OUTER_SCALAR) {
        if (cls === OTHER || cls === DIGIT || cls === SIGN || cls === NOT_INTEGER) continue;
        this.outerMode = OUTER_VALUE;
      }
      if (cls === WS) continue;
      const top = frames[frames.length - 1];
      if (cls === SEPARATOR) {
        if (c === COMMA && top !== undefined && !top.isArray) top.keyNext = true;
        continue;
      }
      if (cls === CLOSE) {
        frames.pop();
        continue;
      }
      if (c >= 0x80 && this.bomSeen < 3 && this.chunkStart + i === this.bomSeen && c === BOM[this.bomSeen]) {
        this.bomSeen++; // the decoder in front of the tokenizer drops it
        continue;
      }
      if (top !== undefined && !top.isArray && top.keyNext) {
        if (cls === STRING) this.beginKey(top, i);
        // Anything else where a key belongs is malformed; the tokenizer reports it.
        continue;
      }
      // A value starts here.
      if (top === undefined ? this.depthOfPrefix === 0 : top.match && frames.length === this.depthOfPrefix) return i;
      if (cls === OPEN) {
        const isArray = c === 0x5b;
        const depth = frames.length;
        const onPath = top === undefined || (top.match && depth < this.depthOfPrefix);
        frames.push({ isArray, onPath, match: isArray && onPath && this.segments[depth] === 'item', keyNext: !isArray });
      } else if (cls === STRING) {
        this.outerMode = OUTER_STRING;
      } else {
        this.outerMode = OUTER_SCALAR;
      }
    }
    return i;
  }

  private beginKey(top: Frame, i: number): void {
    top.keyNext = false;
    top.match = false;
    this.outerMode = OUTER_STRING;
    if (top.onPath && this.frames.length <= this.depthOfPrefix) {
      this.keyPieces = [];
      this.keyStart = i + 1;
    }
  }

  private endKey(b: Uint8Array, quoteAt: number): void {
    const pieces = this.keyPieces!;
    this.keyPieces = undefined;
    pieces.push(b.subarray(this.keyStart, quoteAt));
    const raw = Buffer.concat(pieces).toString('utf8');
    let key = raw;
    if (raw.includes('\\')) {
      try {
        key = JSON.parse(`"${raw}"`) as string;
      } catch {
        return; // malformed; the tokenizer reports it
      }
    }
    const top = this.frames[this.frames.length - 1]!;
    top.match = key === this.segments[this.frames.length - 1];
  }
}
