import type { Readable } from 'node:stream';
import { ProtocolError } from '../../common/errors';

/**
 * The largest request line accepted, in bytes (128 MiB). Flow's largest requests are `open`s of
 * captures with many bindings and large schemas, far below this; a longer line is refused with a
 * {@link ProtocolError} rather than buffered until memory runs out.
 */
export const MAX_REQUEST_LINE_BYTES = 128 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines (without their `\n`), each decoded as strict UTF-8.
 *
 * Linear in the input: each chunk is scanned once and a line's pieces are joined once, when its
 * newline arrives (a UTF-8 multi-byte sequence never contains the byte `\n`, so splitting bytes
 * before decoding is safe). Invalid UTF-8 and lines over `maxLineBytes` throw a
 * {@link ProtocolError} naming the line.
 */
export async function* readLines(input: Readable | AsyncIterable<Buffer | string>, maxLineBytes: number = MAX_REQUEST_LINE_BYTES): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let partsBytes = 0;
  let lineNo = 0;
  const decode = (bytes: Uint8Array): string => {
    try {
      return decoder.decode(bytes);
    } catch {
      throw new ProtocolError(`request line ${lineNo} is not valid UTF-8; requests must be UTF-8 encoded JSON`);
    }
  };
  const tooLong = (): ProtocolError => new ProtocolError(`request line ${lineNo + 1} is longer than the maximum of ${maxLineBytes} bytes (${Math.round(maxLineBytes / 1048576)} MiB)`);
  for await (const raw of input as AsyncIterable<Buffer | string>) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      if (partsBytes + nl - start > maxLineBytes) throw tooLong();
      const tail = chunk.subarray(start, nl);
      const bytes = partsBytes === 0 ? tail : Buffer.concat([...parts, tail], partsBytes + tail.length);
      parts = [];
      partsBytes = 0;
      lineNo++;
      yield decode(bytes);
      start = nl + 1;
    }
    if (start < chunk.length) {
      partsBytes += chunk.length - start;
      if (partsBytes > maxLineBytes) throw tooLong();
      parts.push(chunk.subarray(start));
    }
  }
  if (partsBytes > 0) {
    lineNo++;
    yield decode(Buffer.concat(parts, partsBytes));
  }
}
