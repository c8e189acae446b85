import { expect } from 'chai';
import { IsInt } from 'class-validator';
import { associated, Backfill, BaseDocument, Connector, Incremental, pageCursor, Resource, Snapshot } from '../../src';
import { clearMetadata } from '../../src/testing';
import { captured, checkpoints, openRequest, serveInProcess } from '../helpers/serve-harness';

class Config {}

/** The protocol output without the `opened` line and logs, for comparing two runs byte for byte. */
function outputOf(messages: Record<string, unknown>[]): string[] {
  return messages.filter((m) => 'captured' in m || 'checkpoint' in m).map((m) => JSON.stringify(m));
}

describe('capture engine: pages of documents yielded as arrays', () => {
  beforeEach(() => clearMetadata());

  it('backfill: arrays interleaved with documents and page cursors write what yielding each document writes', async () => {
    // The same sequence, once with pages as arrays and once document by document.
    const script = (asArrays: boolean) =>
      async function* (page: Record<string, unknown> | undefined): AsyncIterable<unknown> {
        const emit = function* (docs: object[]): Generator<object> {
          if (asArrays) yield docs;
          else yield* docs;
        };
        if (page === undefined) {
          yield* emit([{ id: 1 }, { id: 2 }]);
          yield { id: 3 };
          yield pageCursor({ a: { n: 1 }, b: { n: 2 } });
        } else if (page.a !== undefined) {
          yield* emit([{ id: 4 }, associated('other', { id: 40 })]);
          yield* emit([]);
          yield pageCursor({ b: { n: 3 } });
          yield* emit([{ id: 5 }]);
          yield pageCursor({ a: null });
        } else {
          yield* emit([{ id: 6 }, { id: 7 }]);
        }
      };
    const run = async (asArrays: boolean) => {
      clearMetadata();
      class Doc extends BaseDocument {
        @IsInt() id!: number;
      }
      @Resource({ name: 'items', key: ['/id'], document: Doc })
      class Items {
        @Backfill()
        async *pages(page: Record<string, unknown> | undefined): AsyncIterable<unknown> {
          yield* script(asArrays)(page);
        }
      }
      @Resource({ name: 'other', key: ['/id'] })
      class Other {
        @Backfill()
        async *pages(): AsyncIterable<object> {}
      }
      @Connector({ config: Config, resources: [Items, Other] })
      class C {}
      const r = await serveInProcess(C, [openRequest([{ name: 'items' }, { name: 'other' }])], {
        until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.items?.backfill === null) && checkpoints(m).some((c) => c.bindingStateV1?.other?.backfill === null),
      });
      if (r.error !== undefined) throw r.error as Error;
      return r.messages;
    };
    const arrays = await run(true);
    const each = await run(false);
    expect(captured(arrays).map((d) => d.id)).to.deep.equal([1, 2, 3, 4, 40, 5, 6, 7]);
    const items = checkpoints(arrays)
      .map((c) => c.bindingStateV1?.items?.backfill)
      .filter((b) => b !== undefined);
    expect(items.slice(1).map((b) => (b === null ? null : b.next_page))).to.deep.equal([{ a: { n: 1 }, b: { n: 2 } }, { b: { n: 3 } }, { a: null }, null]);
    // Checkpoints hold the documents before them: same lines, same order, same bytes.
    const strip = (lines: string[]) => lines.map((l) => l.replace(/"(cutoff|last_initialized)":"[^"]*"/g, '"$1":"…"'));
    expect(strip(outputOf(arrays))).to.deep.equal(strip(outputOf(each)));
  });

  it('backfill: an array holding something other than a document fails, naming the index', async () => {
    @Resource({ name: 'p', key: ['/id'] })
    class P {
      @Backfill()
      async *pages(): AsyncIterable<object> {
        yield [{ id: 1 }, 'next'];
      }
    }
    @Connector({ config: Config, resources: [P] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'p' }])], { until: () => false });
    expect((r.error as Error).message).to.include(
      'P.pages @Backfill yielded an array holding "next" at index 1; an array is a page of documents and holds only documents (objects): yield cursors on their own',
    );
    expect(captured(r.messages)).to.have.length(0);
  });

  it('incremental: arrays are pages of documents; under a string-tuple cursor an array of strings is still a cursor', async () => {
    @Resource({ name: 'ints', key: ['/id'] })
    class Ints {
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *changes(since: number): AsyncIterable<object | number> {
        if (since >= 3) return;
        yield [{ id: since + 1 }, { id: since + 2 }];
        yield [];
        yield since + 3;
      }
    }
    @Resource({ name: 'tuples', key: ['/id'] })
    class Tuples {
      @Incremental({ cursor: 'string-tuple', initial: () => ['a', 0] })
      async *changes(since: readonly (string | number)[]): AsyncIterable<object | (string | number)[]> {
        if (since[1] !== 0) return;
        yield [{ id: 10 }, { id: 11 }];
        yield ['a', 1];
      }
    }
    @Connector({ config: Config, resources: [Ints, Tuples] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'ints' }, { name: 'tuples' }])], {
      until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.ints?.inc?.cursor === 3) && checkpoints(m).some((c) => c.bindingStateV1?.tuples?.inc?.cursor?.[1] === 1),
    });
    expect(r.error).to.equal(undefined);
    expect(captured(r.messages).map((d) => d.id)).to.have.members([1, 2, 10, 11]);
    const idx = r.messages.findIndex((m) => m.checkpoint?.state.updated.bindingStateV1?.tuples?.inc?.cursor?.[1] === 1);
    expect(r.messages.slice(idx - 2, idx).map((m) => m.captured.doc.id)).to.deep.equal([10, 11]);
  });

  it('incremental: documents in an array without a final cursor are an error', async () => {
    @Resource({ name: 'items', key: ['/id'] })
    class Items {
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *changes(): AsyncIterable<object | number> {
        yield [{ id: 1 }];
      }
    }
    @Connector({ config: Config, resources: [Items] })
    class C {}
    const r = await serveInProcess(C, [openRequest([{ name: 'items' }])], { until: () => false });
    expect((r.error as Error).message).to.include('Items.changes @Incremental yielded documents without a final cursor');
  });

  it('snapshot: rows in arrays are numbered and digested as rows yielded one by one', async () => {
    const run = async (asArrays: boolean) => {
      clearMetadata();
      @Resource({ name: 'people' })
      class People {
        @Snapshot()
        async *all(): AsyncIterable<object> {
          if (asArrays) {
            yield [{ name: 'a' }, { name: 'b' }];
            yield { name: 'c' };
            yield [{ name: 'd' }];
          } else {
            for (const name of ['a', 'b', 'c', 'd']) yield { name };
          }
        }
      }
      @Connector({ config: Config, resources: [People] })
      class C {}
      const binding = [{ name: 'people', key: ['/_meta/row_id'], interval: 'PT0S' }];
      const r = await serveInProcess(C, [openRequest(binding)], { until: (m) => checkpoints(m).some((c) => c.bindingStateV1?.people?.snapshot) });
      expect(r.error).to.equal(undefined);
      return r.messages;
    };
    const arrays = await run(true);
    const each = await run(false);
    expect(captured(arrays).map((d) => [d._meta.row_id, d.name])).to.deep.equal([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
    ]);
    const snap = (m: Record<string, unknown>[]) => checkpoints(m).find((c) => c.bindingStateV1?.people?.snapshot)!.bindingStateV1.people.snapshot;
    expect(snap(arrays).last_digest).to.equal(snap(each).last_digest);
    expect(snap(arrays).last_count).to.equal(4);
  });
});
