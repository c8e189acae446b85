import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { gunzipStream, StreamParseError } from '../../../src/common/streams';
import { chunked, collect, rejection } from './stream-spec.helpers';

async function gunzip(bytes: Buffer, size: number): Promise<Buffer> {
  return Buffer.concat(await collect(gunzipStream(chunked(bytes, size))));
}

describe('gunzipStream', () => {
  it('decompresses in 1-byte and whole chunks, NUL bytes included', async () => {
    const data = Buffer.concat([Buffer.from('hello\0world'), Buffer.alloc(1000), Buffer.from('end')]);
    for (const size of [1, 5, 1_000_000]) expect((await gunzip(gzipSync(data), size)).equals(data), `size ${size}`).to.equal(true);
  });

  it('reads every member of a multi-member file', async () => {
    const bytes = Buffer.concat([gzipSync('first,'), gzipSync(''), gzipSync('second')]);
    expect((await gunzip(bytes, 3)).toString()).to.equal('first,second');
  });

  it('yields nothing for an empty file or empty input', async () => {
    expect((await gunzip(gzipSync(Buffer.alloc(0)), 1)).length).to.equal(0);
    expect((await gunzip(Buffer.alloc(0), 1)).length).to.equal(0);
  });

  it('fails on truncated input, even after a complete member', async () => {
    const whole = Buffer.concat([gzipSync('one'), gzipSync('two')]);
    for (const cut of [5, whole.length - 4, gzipSync('one').length + 3]) {
      const err = await rejection(() => gunzip(whole.subarray(0, cut), 2));
      expect(err, `cut at ${cut}`).to.be.instanceOf(StreamParseError);
      expect(err.message).to.match(/truncated gzip/);
    }
  });

  it('fails on input that is not gzip', async () => {
    const err = await rejection(() => gunzip(Buffer.from('plain text, not gzip'), 4));
    expect(err).to.be.instanceOf(StreamParseError);
    expect(err.message).to.match(/corrupt gzip/);
  });

  it('stops reading the source when the consumer stops', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        const bytes = gzipSync(Buffer.alloc(1_000_000, 'x'));
        for (let i = 0; i < bytes.length; i += 100) yield bytes.subarray(i, i + 100);
      } finally {
        closed = true;
      }
    }
    for await (const chunk of gunzipStream(source())) {
      expect(chunk.length).to.be.greaterThan(0);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).to.equal(true);
  });
});
