import { expect } from 'chai';
import { crc32, deflateRawSync } from 'node:zlib';

/** Yields `bytes` in chunks of `size` bytes (the last may be shorter). */
export async function* chunked(bytes: Uint8Array | string, size: number): AsyncGenerator<Uint8Array> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

/** The chunk sizes every input is fed in: one byte, a few odd sizes, and the whole input at once. */
export function chunkSizes(length: number): number[] {
  return [...new Set([1, 2, 3, 7, 64, Math.max(1, length)])];
}

/** Reads an async iterable to the end. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Awaits `action` and returns the error it throws, failing the test when it does not throw. */
export async function rejection(action: () => Promise<unknown>): Promise<Error> {
  try {
    await action();
  } catch (err) {
    expect(err).to.be.instanceOf(Error);
    return err as Error;
  }
  expect.fail('expected the action to throw');
}

/** One file for {@link buildZip}. */
export interface ZipSpecEntry {
  name: string;
  data: Buffer | string;
  method?: 'stored' | 'deflate';
  /** Write sizes and CRC in a data descriptor after the data (deflate only), with or without its signature. */
  descriptor?: 'signed' | 'unsigned';
}

/** A minimal zip writer for tests: local headers, data, optional data descriptors, central directory. */
export function buildZip(entries: readonly ZipSpecEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = Buffer.from(entry.data);
    const method = entry.method === 'deflate' ? 8 : 0;
    const body = method === 8 ? deflateRawSync(data) : data;
    const crc = crc32(data);
    const name = Buffer.from(entry.name, 'utf8');
    const flags = 0x800 | (entry.descriptor ? 8 : 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(entry.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(entry.descriptor ? 0 : body.length, 18);
    local.writeUInt32LE(entry.descriptor ? 0 : data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const pieces = [local, name, body];
    if (entry.descriptor) {
      const signed = entry.descriptor === 'signed';
      const desc = Buffer.alloc(signed ? 16 : 12);
      let at = 0;
      if (signed) at = desc.writeUInt32LE(0x08074b50, 0);
      at = desc.writeUInt32LE(crc, at);
      at = desc.writeUInt32LE(body.length, at);
      desc.writeUInt32LE(data.length, at);
      pieces.push(desc);
    }
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(flags, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    for (const piece of pieces) {
      parts.push(piece);
      offset += piece.length;
    }
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cdBytes, end]);
}
