import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Default bytes held in memory per task before spilling to a temp file. */
export const DEFAULT_SPILL_BYTES = 8 * 1024 * 1024;

/**
 * The lines a task captured since its last checkpoint. Held in memory up to a threshold, then
 * spilled to a temporary file so memory stays bounded however large a checkpoint grows.
 */
export class TaskBuffer {
  private chunks: string[] = [];
  private bytes = 0;
  private file: { fd: number; path: string; size: number } | undefined;
  private count = 0;

  constructor(private readonly spillBytes = DEFAULT_SPILL_BYTES) {}

  /** Number of lines buffered. */
  get length(): number {
    return this.count;
  }

  /** Appends one line (which must end in `\n`). */
  push(line: string): void {
    this.chunks.push(line);
    // UTF-16 length approximates bytes well enough to bound memory.
    this.bytes += line.length;
    this.count++;
    if (this.bytes >= this.spillBytes) this.spill();
  }

  private spill(): void {
    if (this.file === undefined) {
      const p = path.join(os.tmpdir(), `estuary-cdk-${process.pid}-${Math.random().toString(36).slice(2)}.spill`);
      const fd = fs.openSync(p, 'w+');
      fs.unlinkSync(p); // The open descriptor keeps it alive; nothing is left behind on a crash.
      this.file = { fd, path: p, size: 0 };
    }
    const data = Buffer.from(this.chunks.join(''), 'utf8');
    fs.writeSync(this.file.fd, data, 0, data.length, this.file.size);
    this.file.size += data.length;
    this.chunks = [];
    this.bytes = 0;
  }

  /** Yields the buffered content in order, in chunks of bounded size. */
  *drain(): Generator<string | Buffer> {
    if (this.file !== undefined) {
      const block = Buffer.allocUnsafe(1 << 20);
      for (let pos = 0; pos < this.file.size; ) {
        const n = fs.readSync(this.file.fd, block, 0, Math.min(block.length, this.file.size - pos), pos);
        if (n <= 0) break;
        yield Buffer.from(block.subarray(0, n));
        pos += n;
      }
    }
    if (this.chunks.length > 0) yield this.chunks.join('');
  }

  /** Whether content has spilled to disk. */
  get spilled(): boolean {
    return this.file !== undefined;
  }

  /** Discards everything. */
  reset(): void {
    this.chunks = [];
    this.bytes = 0;
    this.count = 0;
    if (this.file !== undefined) {
      fs.closeSync(this.file.fd);
      this.file = undefined;
    }
  }
}
