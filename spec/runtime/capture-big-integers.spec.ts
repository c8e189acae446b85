import { expect } from 'chai';
import { IsInt } from 'class-validator';
import { Backfill, BaseDocument, Connector, Incremental, pageCursor, Resource } from '../../src';
import { parseJsonExact } from '../../src/common/json-exact';
import { parseRequest } from '../../src/protocol';
import { clearMetadata } from '../../src/testing';
import { openRequest, serveInProcess } from '../helpers/serve-harness';

class Config {}

/** `openRequest(...)` as a line, with `state` spliced in as raw JSON text (JSON.stringify cannot write exact big integers). */
function openLine(bindings: { name: string }[], stateJson: string): string {
  return JSON.stringify(openRequest(bindings, { marker: 0 })).replace('{"marker":0}', stateJson);
}

describe('exact integers beyond 2^53 in stored state', () => {
  beforeEach(() => clearMetadata());

  it('parseJsonExact keeps integers beyond 2^53 as bigints and everything else as JSON.parse gives it', () => {
    expect(parseJsonExact('{"a": 1, "b": [2.5, "x"]}')).to.deep.equal({ a: 1, b: [2.5, 'x'] });
    expect(parseJsonExact('{"big": 12345678901234567890, "neg": -9007199254740993, "safe": 9007199254740991, "s": "12345678901234567890", "f": 1.5e300}')).to.deep.equal({
      big: 12345678901234567890n,
      neg: -9007199254740993n,
      safe: 9007199254740991,
      s: '12345678901234567890',
      f: 1.5e300,
    });
  });

  it("an open request's state keeps them exact; its config keeps JSON's numbers", () => {
    const line = JSON.stringify(openRequest([{ name: 'items' }], { marker: 0 }, { limit: 1 }))
      .replace('{"marker":0}', '{"bindingStateV1":{"items":{"backfill":{"cutoff":"2024-01-01T00:00:00Z","next_page":98765432109876543210}}}}')
      .replace('"limit":1', '"limit":12345678901234567890');
    const { req } = parseRequest(line, 1);
    const state = req.open!.state as { bindingStateV1: { items: { backfill: { next_page: unknown } } } };
    expect(state.bindingStateV1.items.backfill.next_page).to.equal(98765432109876543210n);
    expect(req.open!.capture.config).to.deep.equal({ limit: 12345678901234567890 });
  });

  it('a backfill resumes from a stored page cursor beyond 2^53 exactly, and writes bigint page cursors exactly', async () => {
    const seen: unknown[] = [];
    class Doc extends BaseDocument {
      @IsInt() id!: number;
    }
    @Resource({ name: 'objects', key: ['/id'], document: Doc })
    class Objects {
      @Backfill()
      async *pages(page: { since: bigint } | undefined): AsyncIterable<unknown> {
        seen.push(page);
        await Promise.resolve();
        yield [{ id: 1 }];
        if (page?.since === 12345678901234567891n) yield pageCursor({ since: page.since + 2n });
      }
    }
    @Resource({ name: 'scalars', key: ['/id'], document: Doc })
    class Scalars {
      @Backfill()
      async *pages(page: bigint | undefined): AsyncIterable<unknown> {
        seen.push(page);
        await Promise.resolve();
        yield [{ id: 2 }];
        if (page === undefined) yield 12345678901234567895n;
      }
    }
    @Connector({ config: Config, resources: [Objects, Scalars] })
    class C {}
    const state = '{"bindingStateV1":{"objects":{"backfill":{"cutoff":"2024-01-01T00:00:00.000000Z","next_page":{"since":12345678901234567891}},"last_initialized":"2024-01-01T00:00:00.000000Z"}}}';
    const done = (m: Record<string, any>[], name: string): boolean => m.some((x) => x.checkpoint?.state?.updated?.bindingStateV1?.[name]?.backfill === null);
    const r = await serveInProcess(C, [openLine([{ name: 'objects' }, { name: 'scalars' }], state)], { until: (m) => done(m, 'objects') && done(m, 'scalars') });
    expect(r.error).to.equal(undefined);
    expect(seen).to.deep.include.members([{ since: 12345678901234567891n }, { since: 12345678901234567893n }, undefined, 12345678901234567895n]);
    const checkpointLines = r.lines.filter((l) => l.startsWith('{"checkpoint"'));
    expect(checkpointLines.some((l) => l.includes('"next_page":{"since":12345678901234567893}'))).to.equal(true);
    expect(checkpointLines.some((l) => l.includes('"next_page":12345678901234567895'))).to.equal(true);
  });

  it('refuses a stored integer cursor beyond 2^53 with one line naming it, instead of rounding it', async () => {
    @Resource({ name: 'events', key: ['/id'] })
    class Events {
      @Incremental({ cursor: 'integer', initial: () => 0 })
      async *changes(cursor: number): AsyncIterable<object | number> {
        yield cursor + 1;
        await Promise.resolve();
      }
    }
    @Connector({ config: Config, resources: [Events] })
    class C {}
    const state = '{"bindingStateV1":{"events":{"inc":{"cursor":12345678901234567891},"last_initialized":"2024-01-01T00:00:00.000000Z"}}}';
    const r = await serveInProcess(C, [openLine([{ name: 'events' }], state)]);
    expect(r.error).to.be.instanceOf(Error);
    const message = (r.error as Error).message;
    expect(message).to.match(/expected an integer cursor within ±2\^53/);
    expect(message).to.include('12345678901234567891');
    expect(message.split('\n')).to.have.length(1);
  });
});
