import { expect } from 'chai';
import { IsInt, IsString } from 'class-validator';
import { Backfill, BaseDocument, Connector, HttpClient, injectable, Next, paginate, Resource, Stop, type CaptureContext } from '../../../../src';
import { clearMetadata } from '../../../../src/testing';
import { runConnectorInProcess } from '../../../../src/harness/in-process';
import { sendJson } from '../test-server';
import { drain, ids, listApi, queryOf, recs, type Rec } from './pagination-helpers';

/** Ten records, three to a page, paged by opaque tokens `p1`, `p2`, …; `stale` answers 410 Gone. */
function pagedApi() {
  const all = recs(1, 10);
  return listApi((req, res) => {
    const cursor = queryOf(req.url ?? '').get('cursor');
    if (cursor === 'stale') return sendJson(res, 410, { error: 'cursor expired' });
    const page = cursor === null ? 0 : Number(cursor.slice(1));
    const data = all.slice(page * 3, page * 3 + 3);
    return sendJson(res, 200, { data, next: (page + 1) * 3 < all.length ? `p${page + 1}` : null });
  });
}

describe('paginate() resume and expired tokens', () => {
  let api: Awaited<ReturnType<typeof listApi>> | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  beforeEach(() => clearMetadata());

  const paging = { url: '/items', items: '/data', next: Next.bodyToken('/next', 'cursor'), stop: [Stop.noNext()] } as const;

  it('resumes from a saved token at the page it names', async () => {
    api = await pagedApi();
    const { items } = await drain(paginate<Rec>(api.http, { name: 'items', ...paging, resume: 'p2' }));
    expect(ids(items)).to.deep.equal([7, 8, 9, 10]);
    expect(api.server.requests.map((r) => r.url)).to.deep.equal(['/items?cursor=p2', '/items?cursor=p3']);
  });

  it('restarts from the recovery point when a token has expired, and fails with a clear message without one', async () => {
    api = await pagedApi();
    const recovered = await drain(paginate<Rec>(api.http, { name: 'items', ...paging, resume: 'stale', expired: { when: (e) => e.status === 410, recover: () => 'p1' }, log: api.mem.log }));
    expect(recovered.error).to.equal(undefined);
    expect(ids(recovered.items)).to.deep.equal([4, 5, 6, 7, 8, 9, 10]);
    expect(api.mem.records().find((r) => r.level === 40)?.msg).to.equal('paginate(items): the token of page 1 expired (HTTP 410); restarting from the recovery point');
    const failed = await drain(paginate<Rec>(api.http, { name: 'items', ...paging, resume: 'stale', expired: { when: (e) => e.status === 410 } }));
    expect(failed.error?.message).to.equal('paginate(items): the token of page 1 expired (HTTP 410); give expired.recover a recovery point to restart from');
    // Without a hook the HTTP error itself surfaces.
    const plain = await drain(paginate<Rec>(api.http, { name: 'items', ...paging, resume: 'stale' }));
    expect(plain.error?.message).to.match(/^HTTP 410/);
  });

  it('checkpoints tokens as page cursors so a real @Backfill resumes mid-pagination', async () => {
    api = await pagedApi();
    class Config {
      @IsString() base_url!: string;
    }
    class Item extends BaseDocument {
      @IsInt() id!: number;
    }
    @injectable()
    class Api {
      constructor(
        readonly http: HttpClient,
        readonly config: Config,
      ) {}
    }
    @Resource({ name: 'items', key: ['/id'], document: Item })
    class Items {
      constructor(private readonly api: Api) {}

      @Backfill({ cutoff: () => new Date('2030-01-01T00:00:00Z') })
      async *pages(page: string | undefined, _cutoff: Date, ctx: CaptureContext): AsyncIterable<Item | string | number> {
        yield* paginate<Item>(this.api.http, { name: 'items', ...paging, url: `${this.api.config.base_url}/items`, resume: page, ctx }).withCursors();
      }
    }
    @Connector({ config: Config, resources: [Items] })
    class Shop {}

    const config = { base_url: api.server.url };
    const first = await runConnectorInProcess(Shop, { config, bindings: ['items'], maxCheckpoints: 3 });
    const firstIds = first.documents.get('items')!.map((d) => d.id);
    expect(firstIds).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect((first.state as { bindingStateV1: Record<string, { backfill: { next_page: unknown } }> }).bindingStateV1.items!.backfill.next_page).to.equal('p2');
    const before = api.server.requests.length;
    const second = await runConnectorInProcess(Shop, { config, bindings: ['items'], state: first.state });
    expect(second.documents.get('items')!.map((d) => d.id)).to.deep.equal([7, 8, 9, 10]);
    expect(api.server.requests.slice(before).map((r) => r.url)).to.deep.equal(['/items?cursor=p2', '/items?cursor=p3']);
    // The completed backfill is checkpointed as `backfill: null`, which the merged state drops.
    expect((second.state as { bindingStateV1: Record<string, object> }).bindingStateV1.items).not.to.have.property('backfill');
    expect(second.logs.some((l) => l.msg === 'paginate(items) stopped after 2 pages and 4 records: no next token')).to.equal(true);
  });
});
