import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { JsonPathAssembler, type LargeIntegerMode } from './json-path.assembler';
import type { ItemPiece, ScannedItem } from './json-prefix.scanner';
import { StreamParseError } from './stream.errors';
import { createJsonTokenizer, END_OF_INPUT, tokensOf, type JsonTokenizer } from './stream-json.adapter';

/** A malformed-JSON error placed by the chunk it was found in (stream-json does not report positions). */
export function malformedJson(err: unknown, chunkStart: number, chunkEnd: number): StreamParseError {
  const reason = err instanceof Error ? err.message : JSON.stringify(err);
  const where = chunkEnd - chunkStart <= 1 ? `at byte ${chunkStart}` : `between bytes ${chunkStart} and ${chunkEnd}`;
  return new StreamParseError(`malformed JSON ${where}: ${reason}`, { offset: chunkStart }, { cause: err });
}

/** The input ended inside a value. */
export function truncatedJson(offset: number, err?: unknown): StreamParseError {
  if (err === undefined) return new StreamParseError(`truncated JSON: the input ended at byte ${offset} inside a value`, { offset });
  const reason = err instanceof Error ? err.message : JSON.stringify(err);
  return new StreamParseError(`truncated JSON: the input ended at byte ${offset} (${reason})`, { offset }, { cause: err });
}

/** Bytes that are not UTF-8 (RFC 8259 requires it; substituting U+FFFD would corrupt documents). */
export function invalidUtf8(err: unknown, chunkStart: number, chunkEnd: number): StreamParseError {
  return new StreamParseError(`invalid UTF-8 in JSON input between bytes ${chunkStart} and ${chunkEnd}`, { offset: chunkStart }, { cause: err });
}

/** Tokenizes `text` into `assembler`, turning a tokenizer error into a {@link StreamParseError}. */
export function feedTokens(tokenizer: JsonTokenizer, assembler: JsonPathAssembler, text: string, chunkStart: number, chunkEnd: number, out: unknown[]): void {
  let tokens;
  try {
    tokens = tokensOf(tokenizer(text));
  } catch (err) {
    throw malformedJson(err, chunkStart, chunkEnd);
  }
  assembler.consume(tokens, out);
}

/** A Buffer over `chunk[start, end)` without copying. */
function viewOf(chunk: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(chunk.buffer, chunk.byteOffset + start, end - start);
}

function bytesOf(piece: ItemPiece): Buffer {
  return viewOf(piece.chunk, piece.start, piece.end);
}

/**
 * Parses one item the way the tokenizer path always did, piece by piece: exact big integers, and
 * errors placed by the chunk they were found in. Used for items with long integer literals and for
 * anything `JSON.parse` refused (to report it). `endOfInput` is set when the input ended inside the item.
 */
export function parseItemSlowly(pieces: readonly ItemPiece[], mode: LargeIntegerMode, endOfInput?: number): unknown {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const tokenizer = createJsonTokenizer();
  const assembler = new JsonPathAssembler('', mode);
  const out: unknown[] = [];
  for (const piece of pieces) {
    let text: string;
    try {
      text = decoder.decode(bytesOf(piece), { stream: true });
    } catch (err) {
      throw invalidUtf8(err, piece.chunkStart, piece.chunkStart + piece.chunk.length);
    }
    if (text.length > 0) feedTokens(tokenizer, assembler, text, piece.chunkStart, piece.chunkStart + piece.chunk.length, out);
  }
  const lastPiece = pieces[pieces.length - 1]!;
  const last = { chunkStart: lastPiece.chunkStart, chunkEnd: lastPiece.chunkStart + lastPiece.chunk.length };
  try {
    const tail = decoder.decode();
    if (tail.length > 0) feedTokens(tokenizer, assembler, tail, last.chunkStart, last.chunkEnd, out);
  } catch (err) {
    if (err instanceof StreamParseError) throw err;
    throw invalidUtf8(err, last.chunkStart, last.chunkEnd);
  }
  try {
    assembler.consume(tokensOf(tokenizer(END_OF_INPUT)), out);
  } catch (err) {
    throw endOfInput === undefined ? malformedJson(err, last.chunkStart, last.chunkEnd) : truncatedJson(endOfInput, err);
  }
  if (endOfInput !== undefined || assembler.inValue) throw truncatedJson(endOfInput ?? last.chunkEnd);
  if (out.length !== 1) throw malformedJson(new Error('expected one value'), last.chunkStart, last.chunkEnd);
  return out[0];
}

/** One item: `JSON.parse` when it is safe and valid, the tokenizer otherwise. */
function parseItem(item: ScannedItem, mode: LargeIntegerMode): unknown {
  if (mode === 'number' || !item.big) {
    const bytes = item.pieces === undefined ? bytesOf(item) : Buffer.concat(item.pieces.map(bytesOf));
    if (isUtf8(bytes)) {
      try {
        return JSON.parse(bytes.toString('utf8'));
      } catch {
        // fall through, so the error is reported the same way as always
      }
    }
  }
  return parseItemSlowly(item.pieces ?? [item], mode);
}

/**
 * Parses a run of array elements with a single `JSON.parse` of `[` + their span + `]` (only commas
 * lie between them), or through the tokenizer when `JSON.parse` refuses it, to report the error.
 */
function parseRun(run: ScannedItem, mode: LargeIntegerMode, out: unknown[]): void {
  const span = bytesOf(run);
  if (isUtf8(span)) {
    try {
      const values = JSON.parse(`[${span.toString('utf8')}]`) as unknown[];
      if (values.length === run.count) {
        for (let i = 0; i < values.length; i++) out.push(values[i]);
        return;
      }
    } catch {
      // fall through
    }
  }
  const values = parseItemSlowly([{ chunk: BRACKETS, start: 0, end: 1, chunkStart: run.chunkStart }, run, { chunk: BRACKETS, start: 1, end: 2, chunkStart: run.chunkStart }], mode);
  for (const value of values as unknown[]) out.push(value);
}

const BRACKETS = Buffer.from('[]');

/** Parses scanned items into values, in order, appending them to `out`. */
export function parseItems(items: readonly ScannedItem[], mode: LargeIntegerMode, out: unknown[]): void {
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    if (item.count > 1) parseRun(item, mode, out);
    else out.push(parseItem(item, mode));
  }
}
