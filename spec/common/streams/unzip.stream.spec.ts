import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StreamParseError, StreamStateError, StreamUnsupportedError, unzipStream } from '../../../src/common/streams';
import { buildZip, chunked, chunkSizes, collect, rejection } from './stream-spec.helpers';

async function unzipAll(bytes: Buffer, size: number): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const entry of unzipStream(chunked(bytes, size))) out.push([entry.name, Buffer.concat(await collect(entry.data)).toString()]);
  return out;
}

describe('unzipStream', () => {
  const big = 'line of text\n'.repeat(5000);

  it('yields stored and deflate entries, with and without data descriptors, in order, in every chunk size', async () => {
    const zip = buildZip([
      { name: 'a.txt', data: 'alpha' },
      { name: 'dir/b.json', data: '{"b": 1}', method: 'deflate' },
      { name: 'c.txt', data: big, method: 'deflate', descriptor: 'signed' },
      { name: 'empty.txt', data: '', method: 'deflate', descriptor: 'unsigned' },
      { name: 'ünï.txt', data: 'x'.repeat(300), method: 'deflate', descriptor: 'unsigned' },
      { name: 'last.txt', data: '' },
    ]);
    const want: [string, string][] = [
      ['a.txt', 'alpha'],
      ['dir/b.json', '{"b": 1}'],
      ['c.txt', big],
      ['empty.txt', ''],
      ['ünï.txt', 'x'.repeat(300)],
      ['last.txt', ''],
    ];
    for (const size of chunkSizes(zip.length)) expect(await unzipAll(zip, size), `chunk size ${size}`).to.deep.equal(want);
  });

  it('skips the data of entries the consumer does not read, or reads only partly', async () => {
    const zip = buildZip([
      { name: 'skip.txt', data: big, method: 'deflate', descriptor: 'signed' },
      { name: 'partial.txt', data: big },
      { name: 'read.txt', data: 'wanted', method: 'deflate' },
    ]);
    const seen: string[] = [];
    for await (const entry of unzipStream(chunked(zip, 1000))) {
      seen.push(entry.name);
      if (entry.name === 'partial.txt') {
        for await (const chunk of entry.data) {
          expect(chunk.length).to.be.greaterThan(0);
          break;
        }
      }
      if (entry.name === 'read.txt') expect(Buffer.concat(await collect(entry.data)).toString()).to.equal('wanted');
    }
    expect(seen).to.deep.equal(['skip.txt', 'partial.txt', 'read.txt']);
  });

  it('refuses to read an entry after moving past it', async () => {
    const entries = await collect(unzipStream(chunked(buildZip([{ name: 'a', data: 'x' }]), 10)));
    expect(() => entries[0]!.data[Symbol.asyncIterator]()).to.throw(StreamStateError);
  });

  it('yields nothing for an empty archive', async () => {
    expect(await unzipAll(buildZip([]), 1)).to.deep.equal([]);
  });

  it('reads an archive written by the zip command, streamed with data descriptors', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'unzip-spec-'));
    try {
      writeFileSync(join(dir, 'one.txt'), big);
      writeFileSync(join(dir, 'two.txt'), 'two');
      const zipPath = join(dir, 'out.zip');
      if (existsSync('/usr/bin/zip')) {
        // `-fd` forces data descriptors, the streamed layout HTTP exports use.
        execFileSync('zip', ['-q', '-fd', zipPath, 'one.txt', 'two.txt'], { cwd: dir });
      } else {
        writeFileSync(
          zipPath,
          buildZip([
            { name: 'one.txt', data: big, method: 'deflate', descriptor: 'signed' },
            { name: 'two.txt', data: 'two' },
          ]),
        );
      }
      expect(await unzipAll(readFileSync(zipPath), 4096)).to.deep.equal([
        ['one.txt', big],
        ['two.txt', 'two'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails on truncated input and corrupt data', async () => {
    const zip = buildZip([
      { name: 'a.txt', data: big, method: 'deflate', descriptor: 'signed' },
      { name: 'b.txt', data: 'bee' },
    ]);
    for (const cut of [10, 200, zip.indexOf('bee') + 1]) {
      const err = await rejection(() => unzipAll(zip.subarray(0, cut), 64));
      expect(err, `cut ${cut}`).to.be.instanceOf(StreamParseError);
      expect(err.message).to.match(/truncated zip/);
    }
    const corrupt = Buffer.from(zip);
    corrupt[zip.indexOf('b.txt') + 5]! ^= 0xff; // flip a byte of the stored data "bee"
    const crc = await rejection(() => unzipAll(corrupt, 64));
    expect(crc.message).to.match(/CRC-32 mismatch/);
    const notZip = await rejection(() => unzipAll(Buffer.from('not a zip file at all'), 4));
    expect(notZip.message).to.match(/unexpected signature/);
  });

  it('refuses encrypted entries', async () => {
    const zip = buildZip([{ name: 'secret', data: 'x' }]);
    zip.writeUInt16LE(zip.readUInt16LE(6) | 1, 6);
    expect(await rejection(() => unzipAll(zip, 10))).to.be.instanceOf(StreamUnsupportedError);
  });
});
