import type { Readable } from 'node:stream';

/** Splits a byte stream into lines (without their `\n`), decoding UTF-8 across chunk boundaries. */
export async function* readLines(input: Readable | AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      yield line;
    }
  }
  pending += decoder.decode();
  if (pending.length > 0) yield pending;
}
