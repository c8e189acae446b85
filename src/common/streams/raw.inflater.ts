import type { InflateRaw } from 'node:zlib';
import { zlib } from '../lazy-builtins';

/**
 * A raw-deflate decompressor fed one chunk at a time that reports how much of each chunk the deflate
 * stream consumed: deflate data ends itself, so a zip entry with a data descriptor is delimited by
 * where inflation stops, and the rest of the chunk belongs to what follows.
 */
export class RawInflater {
  private readonly inflate: InflateRaw = zlib().createInflateRaw();
  private output: Buffer[] = [];
  private failure: Error | undefined;

  constructor() {
    this.inflate.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.inflate.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  /** Feeds a chunk; resolves to how many of its bytes belong to the deflate stream. */
  async write(chunk: Buffer): Promise<number> {
    const before = this.inflate.bytesWritten;
    await new Promise<void>((resolve, reject) => {
      this.inflate.write(chunk, (err) => (err ? reject(err) : resolve()));
    });
    if (this.failure) throw this.failure;
    return this.inflate.bytesWritten - before;
  }

  /** The output produced since the last call. */
  take(): Buffer[] {
    const out = this.output;
    this.output = [];
    return out;
  }

  /** Releases zlib's resources. */
  destroy(): void {
    this.inflate.destroy();
  }
}
