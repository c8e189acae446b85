import { StreamParseError } from './stream.errors';

/** Pulls exact byte counts out of an async iterable of chunks, with push-back for over-reads. */
export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly queue: Buffer[] = [];
  private buffered = 0;
  private eof = false;
  /** Bytes handed out so far (the offset of the next byte). */
  offset = 0;

  constructor(input: AsyncIterable<Uint8Array>) {
    this.iterator = input[Symbol.asyncIterator]();
  }

  /** Buffers at least `n` bytes unless the input ends first; returns how many are buffered. */
  async fill(n: number): Promise<number> {
    while (this.buffered < n && !this.eof) {
      const next = await this.iterator.next();
      if (next.done) {
        this.eof = true;
        break;
      }
      if (next.value.length === 0) continue;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      this.queue.push(chunk);
      this.buffered += chunk.length;
    }
    return this.buffered;
  }

  /** Reads exactly `n` bytes; `what` names the structure in the truncation error. */
  async read(n: number, what: string): Promise<Buffer> {
    if ((await this.fill(n)) < n) {
      throw new StreamParseError(`truncated zip input: the input ended at byte ${this.offset + this.buffered} inside ${what}`, { offset: this.offset + this.buffered });
    }
    return this.take(n);
  }

  /** Reads what is buffered (or the next chunk), at most `max` bytes; `undefined` at the end of input. */
  async readSome(max: number): Promise<Buffer | undefined> {
    if ((await this.fill(1)) === 0) return undefined;
    return this.take(Math.min(max, this.queue[0]!.length));
  }

  /** Puts bytes read too far back in front of the queue. */
  unshift(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.queue.unshift(chunk);
    this.buffered += chunk.length;
    this.offset -= chunk.length;
  }

  /** Stops the underlying input early. */
  async close(): Promise<void> {
    if (!this.eof) {
      this.eof = true;
      await this.iterator.return?.();
    }
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    let out: Buffer;
    const head = this.queue[0]!;
    if (head.length >= n) {
      out = head.subarray(0, n);
      if (head.length === n) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    } else {
      const parts: Buffer[] = [];
      let need = n;
      while (need > 0) {
        const part = this.queue[0]!;
        if (part.length <= need) {
          parts.push(part);
          this.queue.shift();
          need -= part.length;
        } else {
          parts.push(part.subarray(0, need));
          this.queue[0] = part.subarray(need);
          need = 0;
        }
      }
      out = Buffer.concat(parts, n);
    }
    this.buffered -= n;
    this.offset += n;
    return out;
  }
}
