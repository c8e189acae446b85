import { expect } from 'chai';
import { IsInt, IsString, Min } from 'class-validator';
import { IncrementalJsonProcessor, StreamParseError, StreamStateError, StreamValidationError, type ContextAware } from '../../../src/common/streams';
import { chunked, chunkSizes, collect, rejection } from './stream-spec.helpers';

async function run(doc: string, prefix: string, size: number): Promise<{ items: unknown[]; remainder: unknown }> {
  const processor = new IncrementalJsonProcessor(chunked(doc, size), { prefix });
  const items = await collect(processor);
  return { items, remainder: await processor.remainder() };
}

describe('IncrementalJsonProcessor', () => {
  const cases: { title: string; doc: string; prefix: string; items: unknown[]; remainder: unknown }[] = [
    {
      title: 'array items under a nested prefix, with the rest as remainder',
      doc: '{"count": 2, "next": "p2", "data": {"items": [{"id": 1, "v": "a"}, {"id": 2, "v": "b"}], "total": 10}}',
      prefix: 'data.items.item',
      items: [
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
      ],
      remainder: { count: 2, next: 'p2', data: { items: [], total: 10 } },
    },
    {
      title: 'an empty array',
      doc: '{"count": 0, "records": []}',
      prefix: 'records.item',
      items: [],
      remainder: { count: 0, records: [] },
    },
    {
      title: 'a missing array',
      doc: '{"count": 3, "next_page": "x"}',
      prefix: 'records.item',
      items: [],
      remainder: { count: 3, next_page: 'x' },
    },
    {
      title: 'a repeated key: items from both, remainder keeps the last scalar',
      doc: '{"records": [{"id": 1}], "total": 10, "records": [{"id": 2}], "total": 20}',
      prefix: 'records.item',
      items: [{ id: 1 }, { id: 2 }],
      remainder: { records: [], total: 20 },
    },
    {
      title: 'objects (not array elements) under a repeated prefix',
      doc: '{"obj": {"nested": {"id": 1}}, "count": 1, "obj": {"nested": {"id": 2}, "other": true}}',
      prefix: 'obj.nested',
      items: [{ id: 1 }, { id: 2 }],
      remainder: { obj: { other: true }, count: 1 },
    },
    {
      title: 'a top-level array',
      doc: '[{"id": 1}, [1, [2]], "s", 3.5, null, true]',
      prefix: 'item',
      items: [{ id: 1 }, [1, [2]], 's', 3.5, null, true],
      remainder: [],
    },
    {
      title: 'a key inside each array element, skipping elements without it',
      doc: '[{"record": {"id": 1}}, {"blah": {"x": 1}}, {"record": {"id": 2}}]',
      prefix: 'item.record',
      items: [{ id: 1 }, { id: 2 }],
      remainder: [{}, { blah: { x: 1 } }, {}],
    },
    {
      title: 'NDJSON with trailing newlines and blank lines',
      doc: '{"id": 1}\n{"id": 2}\n\n   \n\t\n',
      prefix: '',
      items: [{ id: 1 }, { id: 2 }],
      remainder: undefined,
    },
    {
      title: 'NDJSON with a nested prefix; the remainder is the last line',
      doc: '{"record": {"id": 1}}\n{"other": 5}\n{"record": {"id": 3}, "seq": 9}',
      prefix: 'record',
      items: [{ id: 1 }, { id: 3 }],
      remainder: { seq: 9 },
    },
    { title: 'empty input', doc: '', prefix: '', items: [], remainder: undefined },
    { title: 'whitespace-only input', doc: '   \n\t\n   ', prefix: '', items: [], remainder: undefined },
    {
      title: 'escapes, unicode and a BOM',
      doc: '\uFEFF[{"s": "a\\"b\\\\c\\u00e9\\ud83d\\ude00", "é": "日本"}]',
      prefix: 'item',
      items: [{ s: 'a"b\\cé😀', é: '日本' }],
      remainder: [],
    },
  ];

  for (const c of cases) {
    it(`streams ${c.title}, in every chunk size`, async () => {
      for (const size of chunkSizes(Buffer.byteLength(c.doc))) {
        const got = await run(c.doc, c.prefix, size);
        expect(got.items, `chunk size ${size}`).to.deep.equal(c.items);
        expect(got.remainder, `chunk size ${size}`).to.deep.equal(c.remainder);
        const byBatch = new IncrementalJsonProcessor(chunked(c.doc, size), { prefix: c.prefix });
        const batches = await collect(byBatch.batches());
        expect(
          batches.every((batch) => batch.length > 0),
          `no empty batch, chunk size ${size}`,
        ).to.equal(true);
        expect(batches.flat(), `batches, chunk size ${size}`).to.deep.equal(c.items);
        expect(await byBatch.remainder(), `batches, chunk size ${size}`).to.deep.equal(c.remainder);
      }
    });
  }

  it('keeps integers beyond 2^53 exact, as bigint by default or string on request', async () => {
    const doc = '[{"id": 12345678901234567890, "neg": -9007199254740993, "safe": 9007199254740991, "f": 1.5e300}]';
    const [asBigint] = await collect(new IncrementalJsonProcessor(chunked(doc, 5), { prefix: 'item' }));
    expect(asBigint).to.deep.equal({ id: 12345678901234567890n, neg: -9007199254740993n, safe: 9007199254740991, f: 1.5e300 });
    const [asString] = await collect(new IncrementalJsonProcessor(chunked(doc, 5), { prefix: 'item', largeIntegers: 'string' }));
    expect(asString).to.deep.equal({ id: '12345678901234567890', neg: '-9007199254740993', safe: 9007199254740991, f: 1.5e300 });
    const top = await collect(new IncrementalJsonProcessor(chunked('18446744073709551615 7', 1), { prefix: '' }));
    expect(top).to.deep.equal([18446744073709551615n, 7]);
  });

  it('makes "__proto__" an own property, never the prototype', async () => {
    const [item] = await collect(new IncrementalJsonProcessor(chunked('[{"__proto__": {"polluted": true}}]', 4), { prefix: 'item' }));
    expect(Object.getPrototypeOf(item)).to.equal(Object.prototype);
    expect((item as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.keys(item as object)).to.deep.equal(['__proto__']);
  });

  it('refuses the remainder before the items are exhausted', async () => {
    const processor = new IncrementalJsonProcessor(chunked('{"a": [1, 2], "b": 3}', 4), { prefix: 'a.item' });
    const err = await rejection(() => processor.remainder());
    expect(err).to.be.instanceOf(StreamStateError);
    const iterator = processor[Symbol.asyncIterator]();
    expect((await iterator.next()).value).to.equal(1);
    expect(await rejection(() => processor.remainder())).to.be.instanceOf(StreamStateError);
    expect(() => processor[Symbol.asyncIterator]()).to.throw(StreamStateError);
  });

  it('hands items over in one batch per chunk that completed any, and is iterated by item or by batch, once', async () => {
    const doc = '{"data": [{"id": 1}, {"id": 2}, {"id": 3}], "next": "n"}';
    // 30-byte chunks: items 1 and 2 end in the first chunk, item 3 in the second.
    const processor = new IncrementalJsonProcessor(chunked(doc, 30), { prefix: 'data.item' });
    const batches = processor.batches();
    expect(() => processor[Symbol.asyncIterator]()).to.not.throw();
    expect(() => batches[Symbol.asyncIterator]()).to.throw(StreamStateError);
    const again = new IncrementalJsonProcessor(chunked(doc, 30), { prefix: 'data.item' });
    expect(await collect(again.batches())).to.deep.equal([[{ id: 1 }, { id: 2 }], [{ id: 3 }]]);
    expect(await again.remainder()).to.deep.equal({ data: [], next: 'n' });
    expect(() => again[Symbol.asyncIterator]()).to.throw(StreamStateError);
  });

  it('stops reading its input when the item loop breaks early', async () => {
    let chunksRead = 0;
    let closed = false;
    async function* input(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 100; i++) {
          chunksRead++;
          yield Buffer.from(`${i === 0 ? '[' : ','}{"i": ${i}}`);
        }
        yield Buffer.from(']');
      } finally {
        closed = true;
      }
    }
    const seen: unknown[] = [];
    for await (const item of new IncrementalJsonProcessor(input(), { prefix: 'item' })) {
      seen.push(item);
      if (seen.length === 3) break;
    }
    expect(seen).to.deep.equal([{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(closed).to.equal(true);
    expect(chunksRead).to.be.below(10);
  });

  it('reports malformed input with the byte offset', async () => {
    const doc = '{"id": 1}\n{"id": 2\n{"id": 3}';
    const err = await rejection(() => collect(new IncrementalJsonProcessor(chunked(doc, 1), { prefix: '' })));
    expect(err).to.be.instanceOf(StreamParseError);
    expect((err as StreamParseError).code).to.equal('STREAM_PARSE');
    expect((err as StreamParseError).offset).to.equal(19);
    expect(err.message).to.match(/malformed JSON at byte 19/);
    const whole = await rejection(() => collect(new IncrementalJsonProcessor(chunked('[1, 2, , 3]', 100), { prefix: 'item' })));
    expect(whole.message).to.match(/malformed JSON between bytes 0 and 11/);
  });

  it('reports truncated input with the byte offset where it ended', async () => {
    for (const doc of ['{"data": {"items": [{"id": 1}, {"id": 2', '[1, 2', '{"a": "unterminated', '{"a": tru', '{"a"']) {
      for (const size of [1, 4, 1000]) {
        const err = await rejection(() => collect(new IncrementalJsonProcessor(chunked(doc, size), { prefix: 'data.items.item' })));
        expect(err, doc).to.be.instanceOf(StreamParseError);
        expect(err.message, doc).to.match(/truncated JSON/);
        expect((err as StreamParseError).offset, doc).to.equal(Buffer.byteLength(doc));
      }
    }
  });

  it('rejects invalid UTF-8 instead of substituting characters', async () => {
    const bytes = Buffer.concat([Buffer.from('["ok", "'), Buffer.from([0xff, 0xfe]), Buffer.from('"]')]);
    const err = await rejection(() => collect(new IncrementalJsonProcessor(chunked(bytes, 3), { prefix: 'item' })));
    expect(err).to.be.instanceOf(StreamParseError);
    expect(err.message).to.match(/invalid UTF-8/);
  });

  describe('with models', () => {
    it('yields validated instances and a validated remainder', async () => {
      class Rec {
        @IsInt() id!: number;
        @IsString() value!: string;
        label(): string {
          return `${this.id}:${this.value}`;
        }
      }
      class Meta {
        @IsInt() @Min(0) total!: number;
      }
      const doc = '{"total": 2, "records": [{"id": 1, "value": "a"}, {"id": 2, "value": "b"}]}';
      const processor = new IncrementalJsonProcessor(chunked(doc, 7), { prefix: 'records.item', model: Rec, remainderModel: Meta });
      const items = await collect(processor);
      expect(items.map((r) => r.label())).to.deep.equal(['1:a', '2:b']);
      const meta = await processor.remainder();
      expect(meta).to.be.instanceOf(Meta);
      expect(meta!.total).to.equal(2);
    });

    it('hands the context to each item before validation', async () => {
      class Child implements ContextAware<{ parentId: string }> {
        @IsInt() id!: number;
        @IsString() parentId!: string;
        withContext(context: { parentId: string }): void {
          this.parentId = context.parentId;
        }
      }
      const items = await collect(new IncrementalJsonProcessor(chunked('{"children": [{"id": 1}, {"id": 2}]}', 3), { prefix: 'children.item', model: Child, context: { parentId: 'p-9' } }));
      expect(items.map((c) => [c.id, c.parentId])).to.deep.equal([
        [1, 'p-9'],
        [2, 'p-9'],
      ]);
    });

    it('builds validated instances batch by batch, numbering items across batches', async () => {
      class Rec {
        @IsInt() id!: number;
      }
      const doc = '[{"id": 1}, {"id": 2}, {"id": 3}, {"id": "four"}]';
      const ok = await collect(new IncrementalJsonProcessor(chunked(doc.replace('"four"', '4'), 12), { prefix: 'item', model: Rec }).batches());
      expect(ok.length).to.be.above(1);
      expect(ok.flat().every((r) => r instanceof Rec)).to.equal(true);
      expect(ok.flat().map((r) => r.id)).to.deep.equal([1, 2, 3, 4]);
      const err = await rejection(() => collect(new IncrementalJsonProcessor(chunked(doc, 12), { prefix: 'item', model: Rec }).batches()));
      expect(err).to.be.instanceOf(StreamValidationError);
      expect(err.message).to.match(/JSON item 3 at "item" is invalid: id: /);
    });

    it('names the failing item and property', async () => {
      class Rec {
        @IsInt() id!: number;
      }
      const err = await rejection(() => collect(new IncrementalJsonProcessor(chunked('[{"id": 1}, {"id": "two"}]', 4), { prefix: 'item', model: Rec })));
      expect(err).to.be.instanceOf(StreamValidationError);
      expect(err.message).to.match(/JSON item 1 at "item" is invalid: id: /);
    });
  });
});
