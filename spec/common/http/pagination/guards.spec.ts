import { expect } from 'chai';
import { Next, paginate, PaginationError, Stop } from '../../../../src/common/http/pagination';
import { sendJson } from '../test-server';
import { drain, ids, listApi, queryOf, recs, stopLines, type Rec } from './pagination-helpers';

/** A token-paged API: `pages[token]` answers the request carrying `?cursor=token` ('' for none). */
function tokenApi(pages: Record<string, Record<string, unknown>>) {
  return listApi((req, res) => {
    const page = pages[queryOf(req.url ?? '').get('cursor') ?? ''];
    return page === undefined ? sendJson(res, 400, { error: 'unknown cursor' }) : sendJson(res, 200, page);
  });
}

describe('paginate() against misbehaving APIs', () => {
  let api: Awaited<ReturnType<typeof listApi>> | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  const cursorPaging = { items: '/data', next: Next.bodyToken('/next', 'cursor') } as const;

  it('fails loudly when the last page is served again under a fresh token, after emitting each record once', async () => {
    api = await tokenApi({
      '': { data: recs(1, 2), next: 'b' },
      b: { data: recs(3, 4), next: 'c' },
      c: { data: recs(5, 5), next: 'c2' },
      c2: { data: recs(5, 5), next: 'c3' },
    });
    const { items, error } = await drain(paginate<Rec>(api.http, { name: 'repeat', url: '/l', ...cursorPaging, stop: [Stop.noNext()] }));
    expect(ids(items)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(error).to.be.instanceOf(PaginationError);
    expect((error as PaginationError).code).to.equal('PAGINATION_CYCLE');
    expect(error?.message).to.equal('paginate(repeat): page 4 repeats the 1 record of page 3 (the API serves the same page again); stopping instead of duplicating');
  });

  it('stops on has_more=false although the last page still carries a cursor, without following it', async () => {
    api = await tokenApi({
      '': { data: recs(1, 2), next: 'b', has_more: true },
      b: { data: recs(3, 3), next: 'zzz', has_more: false },
    });
    const { items, error } = await drain(paginate<Rec>(api.http, { name: 'last', url: '/l', ...cursorPaging, stop: [Stop.hasMore('/has_more')], log: api.mem.log }));
    expect(error).to.equal(undefined);
    expect(ids(items)).to.deep.equal([1, 2, 3]);
    expect(api.server.requests).to.have.length(2);
    expect(stopLines(api.mem)).to.deep.equal(['paginate(last) stopped after 2 pages and 3 records: /has_more is false']);
  });

  it('a cursor on the last page that leads to an empty page pointing at itself: a loud cycle, or a clean stop with Stop.tokenRepeats()', async () => {
    const pages = {
      '': { data: recs(1, 2), next: 'b' },
      b: { data: recs(3, 3), next: 'end' },
      end: { data: [], next: 'end' },
    };
    api = await tokenApi(pages);
    const loud = await drain(paginate<Rec>(api.http, { name: 'loop', url: '/l', ...cursorPaging, stop: [Stop.noNext(), Stop.emptyPage()] }));
    expect(ids(loud.items)).to.deep.equal([1, 2, 3]);
    expect(loud.error?.message).to.equal('paginate(loop): page 3 leads back to itself (a next token already followed): the API cycles; stopping instead of looping');
    const clean = await drain(paginate<Rec>(api.http, { name: 'repeats', url: '/l', ...cursorPaging, stop: [Stop.noNext(), Stop.tokenRepeats()], log: api.mem.log }));
    expect(clean.error).to.equal(undefined);
    expect(ids(clean.items)).to.deep.equal([1, 2, 3]);
    expect(stopLines(api.mem)).to.deep.equal(['paginate(repeats) stopped after 3 pages and 3 records: the API returned the token it was given']);
  });

  it('follows an empty middle page that still carries a next token, even with Stop.emptyPage() declared', async () => {
    api = await tokenApi({
      '': { data: recs(1, 2), next: 'b' },
      b: { data: [], next: 'c' },
      c: { data: [], next: 'd' },
      d: { data: recs(3, 4), next: null },
    });
    const { items, error } = await drain(paginate<Rec>(api.http, { name: 'gaps', url: '/l', ...cursorPaging, stop: [Stop.emptyPage(), Stop.noNext()], log: api.mem.log }));
    expect(error).to.equal(undefined);
    expect(ids(items)).to.deep.equal([1, 2, 3, 4]);
    expect(stopLines(api.mem)).to.deep.equal(['paginate(gaps) stopped after 4 pages and 4 records: no next token']);
  });

  it('fails loudly on a token cycle A→B→A', async () => {
    api = await tokenApi({
      '': { data: recs(1, 1), next: 'A' },
      A: { data: recs(2, 2), next: 'B' },
      B: { data: recs(3, 3), next: 'A' },
    });
    const { items, error } = await drain(paginate<Rec>(api.http, { name: 'cycle', url: '/l', ...cursorPaging, stop: [Stop.noNext()] }));
    expect(ids(items)).to.deep.equal([1, 2, 3]);
    expect(error?.message).to.equal('paginate(cycle): page 3 leads back to page 2 (a next token already followed): the API cycles; stopping instead of looping');
    expect(api.server.requests).to.have.length(3);
  });

  it('fails loudly at maxPages instead of truncating', async () => {
    api = await listApi((_req, res, _body, n) => sendJson(res, 200, { data: recs(n, n), next: `t${n}` }));
    const { items, error } = await drain(paginate<Rec>(api.http, { name: 'endless', url: '/l', ...cursorPaging, stop: [Stop.noNext()], maxPages: 4 }));
    expect(ids(items)).to.deep.equal([1, 2, 3, 4]);
    expect((error as PaginationError).code).to.equal('PAGINATION_LIMIT');
    expect(error?.message).to.equal('paginate(endless): read 4 pages and the API still has a next page; raise maxPages if the list is really that long');
  });

  it('fails loudly when has_more is missing, or true without a next token (a null cursor)', async () => {
    api = await tokenApi({ '': { data: recs(1, 1), next: 'b', has_more: true }, b: { data: recs(2, 2), next: null, has_more: true } });
    const nullCursor = await drain(paginate<Rec>(api.http, { name: 'more', url: '/l', ...cursorPaging, stop: [Stop.hasMore('/has_more')] }));
    expect(ids(nullCursor.items)).to.deep.equal([1]);
    expect(nullCursor.error?.message).to.equal('paginate(more): page 2 says /has_more is true but carries no next token');
    const missing = await drain(paginate<Rec>(api.http, { name: 'flag', url: '/l', ...cursorPaging, stop: [Stop.hasMore('/hasMore')] }));
    expect(missing.error?.message).to.equal('paginate(flag): page 1 has no boolean at /hasMore (got undefined), which Stop.hasMore() reads');
  });

  it('fails loudly when a page has no next token and no declared rule ends the list', async () => {
    api = await tokenApi({ '': { data: recs(1, 2), next: null } });
    const { items, error } = await drain(paginate<Rec>(api.http, { name: 'implicit', url: '/l', ...cursorPaging, stop: [Stop.emptyPage()] }));
    expect(ids(items)).to.deep.equal([]);
    expect(error?.message).to.equal('paginate(implicit): page 1 carries no next token, yet none of the declared stop rules (emptyPage) fired; declare Stop.noNext() if a missing token ends this list');
  });

  it('rejects a call without stop rules, a null resume token and rules that cannot fire, naming the call', async () => {
    api = await tokenApi({ '': { data: [], next: null } });
    const http = api.http;
    const noRules = await drain(paginate<Rec>(http, { name: 'orders', url: '/l', ...cursorPaging, stop: [] as never }));
    expect(noRules.error?.message).to.equal('paginate(orders): no stop rule declared; add stop: [Stop.noNext()] or another rule from Stop');
    expect((noRules.error as PaginationError).userError).to.equal(true);
    const nullResume = await drain(paginate<Rec>(http, { name: 'orders', url: '/l', ...cursorPaging, stop: [Stop.noNext()], resume: null as never }));
    expect(nullResume.error?.message).to.equal('paginate(orders): the resume token is null; pass undefined to start from the first page');
    const offsetNoNext = await drain(paginate<Rec>(http, { name: 'orders', url: '/l', items: '/data', next: Next.offset({ limit: 10 }), stop: [Stop.noNext()] }));
    expect(offsetNoNext.error?.message).to.equal(
      'paginate(orders): Stop.noNext() and Stop.tokenRepeats() never fire with offset pagination; use Stop.emptyPage(), Stop.hasMore() or Stop.totalReached()',
    );
    expect(api.server.requests).to.have.length(0);
  });

  it('fails loudly when an offset API ignores the offset and serves the first page again', async () => {
    api = await listApi((_req, res) => sendJson(res, 200, { data: recs(1, 3) }));
    const { items, error } = await drain(paginate<Rec>(api.http, { name: 'stuck', url: '/l', items: '/data', next: Next.offset({ limit: 3 }), stop: [Stop.emptyPage()] }));
    expect(ids(items)).to.deep.equal([1, 2, 3]);
    expect(error?.message).to.equal('paginate(stuck): page 2 repeats the 3 records of page 1 (the API serves the same page again); stopping instead of duplicating');
  });
});
