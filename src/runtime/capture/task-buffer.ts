import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Default bytes held in memory per task before spilling to a temp file. */
export const DEFAULT_SPILL_BYTES = 8 * 1024 * 1024;

const INITIAL_BYTES = 64 * 1024;

/** Buffer's own UTF-8 encoder (every Node has it), without `write`'s argument juggling. */
interface Utf8Buffer extends Buffer {
  utf8Write(text: string, offset: number): number;
}
const HAS_UTF8_WRITE = typeof (Buffer.prototype as Partial<Utf8Buffer>).utf8Write === 'function';

/** Encodes `text` into `buf` at `offset` (which has room for it); returns the bytes written. */
function encodeUtf8(buf: Buffer, text: string, offset: number): number {
  return HAS_UTF8_WRITE ? (buf as Utf8Buffer).utf8Write(text, offset) : buf.write(text, offset);
}

/**
 * The lines a task captured since its last checkpoint, encoded to UTF-8 as they arrive into one
 * growing byte buffer (no per-line strings kept, no join at checkpoint). Past a threshold it spills
 * to a temporary file, so memory stays bounded however large a checkpoint grows.
 */
export class TaskBuffer {
  private buf: Buffer | undefined;
  private used = 0;
  private file: { fd: number; size: number } | undefined;
  private count = 0;
  /** The memory of the chunk last handed over by {@link drain}, until {@link recycle}d. */
  private handedOver: Buffer | undefined;
  /** The size the last checkpoint needed, so the next starts big enough. */
  private sizeHint = INITIAL_BYTES;

  constructor(private readonly spillBytes = DEFAULT_SPILL_BYTES) {}

  /** Number of lines buffered. */
  get length(): number {
    return this.count;
  }

  /** Appends one line (which must end in `\n`). */
  push(line: string): void {
    // A UTF-8 encoding takes at most three bytes per UTF-16 unit.
    const worst = line.length * 3;
    if (this.buf === undefined || this.used + worst > this.buf.length) this.grow(worst);
    this.used += encodeUtf8(this.buf!, line, this.used);
    this.count++;
    if (this.used >= this.spillBytes) this.spill();
  }

  /**
   * Appends a captured line: `prefix` (bytes), the document's JSON text, and `}}` with the newline
   * (the braces `prefix` opened).
   */
  pushCaptured(prefix: Buffer, json: string): void {
    // A UTF-8 encoding takes at most three bytes per UTF-16 unit.
    const worst = prefix.length + json.length * 3 + 3;
    if (this.buf === undefined || this.used + worst > this.buf.length) this.grow(worst);
    const buf = this.buf!;
    let at = this.used;
    // A byte loop: `Buffer.copy`'s argument checks cost more than copying some thirty bytes.
    for (let i = 0; i < prefix.length; i++) buf[at + i] = prefix[i]!;
    at += prefix.length;
    at += encodeUtf8(buf, json, at);
    buf[at++] = 0x7d;
    buf[at++] = 0x7d;
    buf[at++] = 0x0a;
    this.used = at;
    this.count++;
    if (this.used >= this.spillBytes) this.spill();
  }

  private grow(need: number): void {
    let size = this.buf?.length ?? this.sizeHint;
    while (size < this.used + need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    if (this.buf !== undefined) this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  private spill(): void {
    if (this.file === undefined) {
      const p = path.join(os.tmpdir(), `estuary-cdk-${process.pid}-${Math.random().toString(36).slice(2)}.spill`);
      const fd = fs.openSync(p, 'w+');
      fs.unlinkSync(p); // The open descriptor keeps it alive; nothing is left behind on a crash.
      this.file = { fd, size: 0 };
    }
    fs.writeSync(this.file.fd, this.buf!, 0, this.used, this.file.size);
    this.file.size += this.used;
    this.used = 0;
  }

  /**
   * Yields the buffered content in order, in chunks of bounded size. The chunks are handed over:
   * the buffer starts a fresh one, since a stream may still hold them after `write` returns.
   */
  *drain(): Generator<Buffer> {
    if (this.file !== undefined) {
      for (let pos = 0; pos < this.file.size;) {
        const block = Buffer.allocUnsafe(Math.min(1 << 20, this.file.size - pos));
        const n = fs.readSync(this.file.fd, block, 0, block.length, pos);
        if (n <= 0) break;
        yield n === block.length ? block : block.subarray(0, n);
        pos += n;
      }
    }
    if (this.used > 0) {
      const out = this.buf!.subarray(0, this.used);
      this.sizeHint = Math.min(this.buf!.length, this.spillBytes);
      this.handedOver = this.buf;
      this.buf = undefined;
      this.used = 0;
      yield out;
    }
  }

  /**
   * Takes back the last chunk {@link drain} handed over, once the caller knows nothing holds it any
   * more (the stream wrote it through): the next checkpoint encodes into the same memory instead of
   * a fresh allocation.
   */
  recycle(): void {
    if (this.buf === undefined && this.handedOver !== undefined && this.handedOver.length <= this.spillBytes * 2) this.buf = this.handedOver;
    this.handedOver = undefined;
  }

  /** Whether content has spilled to disk. */
  get spilled(): boolean {
    return this.file !== undefined;
  }

  /** Discards everything. */
  reset(): void {
    this.used = 0;
    this.count = 0;
    if (this.file !== undefined) {
      fs.closeSync(this.file.fd);
      this.file = undefined;
    }
  }
}
