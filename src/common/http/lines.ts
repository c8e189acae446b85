/**
 * Splits a stream of byte chunks into UTF-8 lines as they arrive. The delimiter is not part of the
 * yielded lines; with the default `\n`, a trailing `\r` is dropped too (CRLF files). A last line
 * without a delimiter is yielded; an empty stream yields nothing.
 *
 * Splitting happens on bytes before decoding, which is safe for UTF-8: a delimiter byte below 0x80
 * never occurs inside a multi-byte character.
 *
 * @example
 * for await (const line of splitLines(chunks)) docs.push(JSON.parse(line));
 */
export async function* splitLines(chunks: AsyncIterable<Uint8Array>, delimiter = '\n'): AsyncGenerator<string> {
  const delim = Buffer.from(delimiter, 'utf8');
  if (delim.length === 0) throw new RangeError('splitLines: the delimiter must not be empty');
  const stripCr = delimiter === '\n';
  const decode = (buf: Buffer, start: number, end: number): string => {
    if (stripCr && end > start && buf[end - 1] === 0x0d) end--;
    return buf.toString('utf8', start, end);
  };
  // Pieces of an unfinished line, kept apart so a long line spanning many chunks is copied once.
  let parts: Buffer[] = [];
  let partsLength = 0;
  for await (const raw of chunks) {
    let buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let searchFrom = 0;
    if (partsLength > 0 && delim.length > 1) {
      // A multi-byte delimiter may straddle chunks: search the joined bytes from the last partial match.
      searchFrom = Math.max(0, partsLength - delim.length + 1);
      buf = Buffer.concat([...parts, buf]);
      parts = [];
      partsLength = 0;
    }
    let start = 0;
    for (let i = buf.indexOf(delim, searchFrom); i >= 0; i = buf.indexOf(delim, start)) {
      if (partsLength > 0) {
        parts.push(buf.subarray(0, i));
        const line = Buffer.concat(parts);
        parts = [];
        partsLength = 0;
        yield decode(line, 0, line.length);
      } else {
        yield decode(buf, start, i);
      }
      start = i + delim.length;
    }
    if (start < buf.length) {
      parts.push(buf.subarray(start));
      partsLength += buf.length - start;
    }
  }
  const pending = partsLength > 0 ? Buffer.concat(parts) : undefined;
  if (pending !== undefined && pending.length > 0) yield decode(pending, 0, pending.length);
}
