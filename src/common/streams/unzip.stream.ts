import { zlib } from '../lazy-builtins';
import { ByteReader } from './byte.reader';
import { RawInflater } from './raw.inflater';
import { StreamParseError, StreamStateError, StreamUnsupportedError } from './stream.errors';

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const END_SIGNATURES = new Set([0x02014b50, 0x06054b50, 0x06064b50]); // central directory, end records
const CHUNK = 64 * 1024;
// Bounds the output of one inflate step (deflate expands at most ~1032x).
const DEFLATE_FEED = 16 * 1024;

/** One file in a zip archive, as {@link unzipStream} yields it. */
export interface ZipEntry {
  /** The path inside the archive, such as `exports/2024-01.csv` (directories end in `/`). */
  readonly name: string;
  /** True for a directory entry, whose data is empty. */
  readonly isDirectory: boolean;
  /** How the data is stored. */
  readonly method: 'stored' | 'deflate';
  /** The uncompressed size from the local header, when the writer put it there (not with a data descriptor). */
  readonly size: number | undefined;
  /**
   * The entry's uncompressed bytes. Read them before asking for the next entry: whatever is left
   * unread is skipped then, and this iterable cannot be read afterwards.
   */
  readonly data: AsyncIterable<Buffer>;
}

interface LocalHeader {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  zip64: boolean;
}

/**
 * Reads a zip archive as it streams in, yielding each entry in archive order with its bytes, without
 * holding the archive (or an entry) in memory: it walks the local file headers instead of seeking to
 * the central directory. Handles stored and deflate entries, zip64 sizes and data descriptors after
 * deflate entries; checks every CRC-32. Encrypted entries, other compression methods and stored
 * entries with a data descriptor (whose end cannot be found without the central directory) are a
 * {@link StreamUnsupportedError}.
 *
 * @example
 * for await (const entry of unzipStream(body)) {
 *   if (entry.name.endsWith('.csv')) yield* new IncrementalCsvProcessor(entry.data);
 * }
 */
export async function* unzipStream(input: AsyncIterable<Uint8Array>): AsyncGenerator<ZipEntry, void, undefined> {
  const reader = new ByteReader(input);
  try {
    for (;;) {
      const at = reader.offset;
      const signature = (await reader.read(4, 'a zip record signature')).readUInt32LE(0);
      if (END_SIGNATURES.has(signature)) return;
      if (signature !== LOCAL_HEADER) {
        throw new StreamParseError(`corrupt zip input: unexpected signature 0x${signature.toString(16).padStart(8, '0')} at byte ${at}`, { offset: at });
      }
      const header = await readLocalHeader(reader);
      const body = new EntryBody(reader, header);
      let handedOut = false;
      const data: AsyncIterable<Buffer> = {
        [Symbol.asyncIterator]: () => {
          if (handedOut) throw new StreamStateError(`the data of zip entry "${header.name}" can be read only once, before the next entry`);
          handedOut = true;
          return body.iterate();
        },
      };
      yield {
        name: header.name,
        isDirectory: header.name.endsWith('/'),
        method: header.method === 0 ? 'stored' : 'deflate',
        size: header.flags & 8 ? undefined : header.size,
        data,
      };
      handedOut = true;
      await body.skipRest();
    }
  } finally {
    await reader.close();
  }
}

async function readLocalHeader(reader: ByteReader): Promise<LocalHeader> {
  const at = reader.offset - 4;
  const fixed = await reader.read(26, 'a local file header');
  const flags = fixed.readUInt16LE(2);
  const method = fixed.readUInt16LE(4);
  let compressedSize = fixed.readUInt32LE(14);
  let size = fixed.readUInt32LE(18);
  const nameBytes = await reader.read(fixed.readUInt16LE(22), 'a file name');
  const extra = await reader.read(fixed.readUInt16LE(24), 'a local header extra field');
  // Bit 11 marks UTF-8 names; older writers use CP437, which agrees with latin1 on the printable ASCII names most archives have.
  const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
  let zip64 = false;
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      zip64 = true;
      let field = i + 4;
      if (size === 0xffffffff && field + 8 <= i + 4 + length) {
        size = Number(extra.readBigUInt64LE(field));
        field += 8;
      }
      if (compressedSize === 0xffffffff && field + 8 <= i + 4 + length) compressedSize = Number(extra.readBigUInt64LE(field));
    }
    i += 4 + length;
  }
  if (flags & 1) throw new StreamUnsupportedError(`zip entry "${name}" (byte ${at}) is encrypted`);
  if (method !== 0 && method !== 8) throw new StreamUnsupportedError(`zip entry "${name}" (byte ${at}) uses compression method ${method}; only stored (0) and deflate (8) are supported`);
  if (method === 0 && flags & 8) {
    throw new StreamUnsupportedError(`zip entry "${name}" (byte ${at}) is stored with a data descriptor, so its end cannot be found while streaming`);
  }
  return { name, flags, method, crc: fixed.readUInt32LE(10), compressedSize, size, zip64 };
}

/** The data of one entry, readable once by the consumer and then skipped to its end by unzipStream. */
class EntryBody {
  private done = false;
  private crc = 0;
  private produced = 0;
  private consumed = 0;
  private readonly inflater: RawInflater | undefined;
  private pending: Buffer[] = [];

  constructor(
    private readonly reader: ByteReader,
    private readonly header: LocalHeader,
  ) {
    if (header.method === 8) this.inflater = new RawInflater();
  }

  async *iterate(): AsyncGenerator<Buffer> {
    for (let chunk = await this.next(); chunk !== undefined; chunk = await this.next()) yield chunk;
  }

  async skipRest(): Promise<void> {
    while ((await this.next()) !== undefined);
  }

  /** The next piece of uncompressed data, or `undefined` once the entry (and its descriptor) is read. */
  private async next(): Promise<Buffer | undefined> {
    for (;;) {
      const queued = this.pending.shift();
      if (queued !== undefined) return queued;
      if (this.done) return undefined;
      if (this.inflater === undefined) {
        const left = this.header.compressedSize - this.consumed;
        if (left === 0) {
          await this.finish();
          continue;
        }
        const chunk = await this.reader.readSome(Math.min(left, CHUNK));
        if (chunk === undefined) throw this.truncated();
        this.consumed += chunk.length;
        return this.account(chunk);
      }
      const chunk = await this.reader.readSome(DEFLATE_FEED);
      if (chunk === undefined) throw this.truncated();
      let used: number;
      try {
        used = await this.inflater.write(chunk);
      } catch (err) {
        const offset = this.reader.offset;
        throw new StreamParseError(`corrupt deflate data in zip entry "${this.header.name}" near byte ${offset}: ${(err as Error).message}`, { offset }, { cause: err });
      }
      this.consumed += used;
      for (const out of this.inflater.take()) this.pending.push(this.account(out));
      if (used < chunk.length) {
        // The deflate stream ended inside this chunk; the rest is the descriptor or the next header.
        this.reader.unshift(chunk.subarray(used));
        await this.finish();
      }
    }
  }

  /** Counts bytes as they are decompressed, so the checks in finish() see all of them. */
  private account(chunk: Buffer): Buffer {
    this.crc = zlib().crc32(chunk, this.crc);
    this.produced += chunk.length;
    return chunk;
  }

  private async finish(): Promise<void> {
    this.done = true;
    this.inflater?.destroy();
    let { crc, size, compressedSize } = this.header;
    if (this.header.flags & 8) {
      let first = (await this.reader.read(4, 'a data descriptor')).readUInt32LE(0);
      if (first === DATA_DESCRIPTOR) first = (await this.reader.read(4, 'a data descriptor')).readUInt32LE(0);
      crc = first;
      const sizes = await this.reader.read(this.header.zip64 ? 16 : 8, 'a data descriptor');
      compressedSize = this.header.zip64 ? Number(sizes.readBigUInt64LE(0)) : sizes.readUInt32LE(0);
      size = this.header.zip64 ? Number(sizes.readBigUInt64LE(8)) : sizes.readUInt32LE(4);
    }
    const problems: string[] = [];
    if (compressedSize !== this.consumed) problems.push(`${this.consumed} compressed bytes instead of ${compressedSize}`);
    if (size !== this.produced) problems.push(`${this.produced} bytes instead of ${size}`);
    if (crc >>> 0 !== this.crc >>> 0) problems.push('a CRC-32 mismatch');
    if (problems.length > 0) {
      throw new StreamParseError(`corrupt zip entry "${this.header.name}": ${problems.join(', ')}`, { offset: this.reader.offset });
    }
  }

  private truncated(): StreamParseError {
    return new StreamParseError(`truncated zip input: the input ended at byte ${this.reader.offset} inside entry "${this.header.name}"`, { offset: this.reader.offset });
  }
}
