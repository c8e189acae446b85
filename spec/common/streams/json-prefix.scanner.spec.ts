import { expect } from 'chai';
import { IncrementalJsonProcessor, StreamParseError, type LargeIntegerMode } from '../../../src/common/streams';
import { chunked, collect, rejection } from './stream-spec.helpers';

/** Yields `bytes` split at the given offsets. */
async function* splitAt(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let from = 0;
  for (const cut of cuts) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

async function parse(chunks: AsyncIterable<Uint8Array>, prefix: string, largeIntegers?: LargeIntegerMode): Promise<{ items: unknown[]; remainder: unknown }> {
  const processor = new IncrementalJsonProcessor(chunks, { prefix, ...(largeIntegers === undefined ? {} : { largeIntegers }) });
  const items = await collect(processor);
  return { items, remainder: await processor.remainder() };
}

/** Parses `doc` cut in two at every byte, and in three at every pair of bytes 7 apart. */
async function expectEverySplit(doc: string, prefix: string, expected: { items: unknown[]; remainder: unknown }, largeIntegers?: LargeIntegerMode): Promise<void> {
  const bytes = Buffer.from(doc);
  for (let cut = 0; cut <= bytes.length; cut++) {
    expect(await parse(splitAt(bytes, [cut]), prefix, largeIntegers), `cut at ${cut}`).to.deep.equal(expected);
    if (cut + 7 <= bytes.length) expect(await parse(splitAt(bytes, [cut, cut + 7]), prefix, largeIntegers), `cuts at ${cut}, ${cut + 7}`).to.deep.equal(expected);
  }
}

describe('JSON by prefix: the byte scanner', () => {
  it('finds the same items as JSON.parse wherever chunk boundaries fall (strings, escapes, multi-byte UTF-8, numbers)', async () => {
    const items = [
      { s: 'brackets ] } [ { and "quotes"', e: 'back\\slash\\', u: 'é日本😀', n: -12.5e-3, z: 0, t: true, f: false, x: null },
      [[], {}, [1, [2, [3]]], { a: { b: {} } }],
      'a string item with \\" and \u00e9',
      -7,
      1.5e300,
      { '': 'empty key', é: ['ü'] },
    ];
    const doc = `{"meta": {"items": "not these"}, "data": {"items": ${JSON.stringify(items, null, 1)}, "n": 6}, "next": "c\\"1"}`;
    await expectEverySplit(doc, 'data.items.item', { items, remainder: { meta: { items: 'not these' }, data: { items: [], n: 6 }, next: 'c"1' } });
  });

  it('keeps long integer literals exact wherever boundaries fall, and leaves long fractions as numbers', async () => {
    const doc = '[{"a": 12345678901234567890, "b": [-9007199254740993]}, 18446744073709551615, 0.30000000000000004, 1.2345678901234567e5, 9007199254740991]';
    await expectEverySplit(doc, 'item', {
      items: [{ a: 12345678901234567890n, b: [-9007199254740993n] }, 18446744073709551615n, 0.30000000000000004, 1.2345678901234567e5, 9007199254740991],
      remainder: [],
    });
    const [asString] = await collect(new IncrementalJsonProcessor(chunked(doc, 3), { prefix: 'item', largeIntegers: 'string' }));
    expect(asString).to.deep.equal({ a: '12345678901234567890', b: ['-9007199254740993'] });
    const [asNumber] = await collect(new IncrementalJsonProcessor(chunked(doc, 3), { prefix: 'item', largeIntegers: 'number' }));
    expect(asNumber).to.deep.equal({ a: 12345678901234567890, b: [-9007199254740993] });
  });

  it('finds the end of long strings with escapes anywhere, split anywhere', async () => {
    const long = `${'x'.repeat(61)}"\\${'y'.repeat(10)}\\"${'z'.repeat(70)}\\`;
    const items = [{ s: long }, long, [long, 'é'.repeat(40)]];
    await expectEverySplit(JSON.stringify({ items }), 'items.item', { items, remainder: { items: [] } });
  });

  it('streams NDJSON and concatenated top-level values of every kind', async () => {
    const doc = '1 "x\\\\" {"a":[1,2]}\n[3]\r\ntrue null -0.5e2{"b":{}}12345678901234567890\n';
    await expectEverySplit(doc, '', { items: [1, 'x\\', { a: [1, 2] }, [3], true, null, -50, { b: {} }, 12345678901234567890n], remainder: undefined });
  });

  it('matches keys written with escapes, split anywhere', async () => {
    await expectEverySplit('{"d\\u0061ta": {"it\\"ems": [0], "items": [1, {"k": 2}]}}', 'data.items.item', { items: [1, { k: 2 }], remainder: { data: { 'it"ems': [0], items: [] } } });
  });

  it('keeps items under a prefix inside each element of a top-level array, in order', async () => {
    const doc = '[{"rows": [1, 2], "id": "a"}, {"rows": []}, {"id": "c", "rows": [3]}]';
    await expectEverySplit(doc, 'item.rows.item', { items: [1, 2, 3], remainder: [{ rows: [], id: 'a' }, { rows: [] }, { id: 'c', rows: [] }] });
  });

  it('rejects malformed input around and inside items, in any chunk size', async () => {
    const docs: [string, string][] = [
      ['[{"a":1}{"b":2}]', 'item'],
      ['[{"a":1},,{"b":2}]', 'item'],
      ['[{"a":1},]', 'item'],
      ['[,{"a":1}]', 'item'],
      ['[{"a":1} {"b":2}]', 'item'],
      ['[1 2]', 'item'],
      ['[{"a":1]}', 'item'],
      ['[{"a":tru}]', 'item'],
      ['[truex]', 'item'],
      ['[1.2.3]', 'item'],
      ['[01]', 'item'],
      ['["a\u0001b"]', 'item'],
      ['[{"a":"\\x"}]', 'item'],
      ['[{"a":1}]]', 'item'],
      ['{"items" [1]}', 'items.item'],
      ['{"items": [1]', 'items.item'],
      ['{"items": [{"a": [1}]]}', 'items.item'],
      ['[{"a": 12345678901234567890,}]', 'item'],
      ['{"a":1}\n{"a":}', ''],
    ];
    for (const [doc, prefix] of docs) {
      for (const size of [1, 3, doc.length]) {
        const err = await rejection(() => collect(new IncrementalJsonProcessor(chunked(doc, size), { prefix })));
        expect(err, `${doc} in chunks of ${size}`).to.be.instanceOf(StreamParseError);
        expect(err.message, doc).to.match(/^(malformed|truncated) JSON/);
      }
    }
  });

  it('rejects invalid UTF-8 inside an item that spans chunks', async () => {
    const bytes = Buffer.concat([Buffer.from('[{"a": "x'), Buffer.from([0xc3]), Buffer.from('"}]')]);
    for (const size of [1, 2, 5, bytes.length]) {
      const err = await rejection(() => collect(new IncrementalJsonProcessor(chunked(bytes, size), { prefix: 'item' })));
      expect(err, `chunks of ${size}`).to.be.instanceOf(StreamParseError);
      expect(err.message).to.match(/invalid UTF-8/);
    }
  });

  it('reports where a malformed item was found', async () => {
    const doc = '[{"id": 1}, {"id": 2,, "x": 3}]';
    const err = await rejection(() => collect(new IncrementalJsonProcessor(chunked(doc, 1), { prefix: 'item' })));
    expect(err.message).to.equal(`malformed JSON at byte ${doc.indexOf(',,') + 1}: ${(err as StreamParseError).cause instanceof Error ? ((err as StreamParseError).cause as Error).message : ''}`);
    expect((err as StreamParseError).offset).to.equal(doc.indexOf(',,') + 1);
  });
});
