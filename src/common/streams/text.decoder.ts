import { TextDecoder } from 'node:util';
import { StreamParseError, StreamUnsupportedError } from './stream.errors';

/** The text encodings the CSV processor decodes. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'latin1';

/**
 * Decodes bytes to text incrementally, so a character split across chunks decodes right; invalid
 * UTF-8 or UTF-16 raises {@link StreamParseError} rather than turning into U+FFFD, and a leading
 * byte-order mark is dropped.
 */
export class IncrementalTextDecoder {
  private readonly decoder: TextDecoder | undefined;
  private offset = 0;

  constructor(private readonly encoding: TextEncodingName) {
    if (encoding === 'utf-8' || encoding === 'utf-16le') {
      this.decoder = new TextDecoder(encoding, { fatal: true });
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks values from untyped JavaScript callers
    } else if (encoding !== 'latin1') {
      throw new StreamUnsupportedError(`unsupported text encoding "${String(encoding)}"; use utf-8, utf-16le or latin1`);
    }
  }

  /** Decodes the next chunk; pass nothing to flush at the end of input. */
  decode(chunk?: Uint8Array): string {
    const start = this.offset;
    let text: string;
    try {
      if (this.decoder === undefined) {
        // WHATWG's "latin1" label means windows-1252; Buffer's latin1 is true ISO-8859-1, one byte per char.
        text = chunk === undefined ? '' : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
      } else {
        text = chunk === undefined ? this.decoder.decode() : this.decoder.decode(chunk, { stream: true });
      }
    } catch (err) {
      const where = chunk === undefined ? `an incomplete character at the end of the input (byte ${start})` : `bytes ${start}–${start + chunk.length}`;
      throw new StreamParseError(`invalid ${this.encoding} in ${where}`, { offset: start }, { cause: err });
    }
    if (chunk !== undefined) this.offset += chunk.length;
    // TextDecoder drops a leading BOM itself; latin1 has none.
    return text;
  }
}
