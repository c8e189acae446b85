import { expect } from 'chai';
import { IsInt } from 'class-validator';
import { Next, paginate, Stop } from '../../../../src/common/http/pagination';
import { sendJson } from '../test-server';
import { drain, ids, listApi, queryOf, recs, stopLines, type Rec } from './pagination-helpers';

describe('paginate() strategies over a loopback API', () => {
  let api: Awaited<ReturnType<typeof listApi>> | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  /** Three pages keyed by token: '' → 1..3 (next t2), t2 → 4..6 (next t3), t3 → 7 (none). */
  const tokenPages: Record<string, { data: Rec[]; next: string | null }> = {
    '': { data: recs(1, 3), next: 't2' },
    t2: { data: recs(4, 6), next: 't3' },
    t3: { data: recs(7, 7), next: null },
  };

  it('follows a body token (JSON pointer) sent as a query parameter, and logs one stop line', async () => {
    api = await listApi((req, res) => {
      const page = tokenPages[queryOf(req.url ?? '').get('after') ?? ''];
      return page === undefined ? sendJson(res, 400, { error: 'bad token' }) : sendJson(res, 200, { results: page.data, paging: { next: { after: page.next } } });
    });
    const pages = paginate<Rec>(api.http, {
      name: 'contacts',
      url: '/contacts',
      query: { limit: 3 },
      items: '/results',
      next: Next.bodyToken('/paging/next/after', 'after'),
      stop: [Stop.noNext()],
      log: api.mem.log,
    });
    const seen: Array<[number, number[], string | number | undefined]> = [];
    for await (const page of pages) seen.push([page.number, ids(page.items), page.resumeToken]);
    expect(seen).to.deep.equal([
      [1, [1, 2, 3], 't2'],
      [2, [4, 5, 6], 't3'],
      [3, [7], undefined],
    ]);
    expect(api.server.requests.map((r) => r.url)).to.deep.equal(['/contacts?limit=3', '/contacts?limit=3&after=t2', '/contacts?limit=3&after=t3']);
    expect(stopLines(api.mem)).to.deep.equal(['paginate(contacts) stopped after 3 pages and 7 records: no next token']);
  });

  it('places the token in a header, a JSON body field or a path segment', async () => {
    api = await listApi((req, res, body) => {
      const url = new URL(req.url ?? '', 'http://x');
      let token = '';
      if (url.pathname === '/h') token = (req.headers['x-cursor'] as string | undefined) ?? '';
      else if (url.pathname === '/b') token = (JSON.parse(body) as { page: { after?: string } }).page.after ?? '';
      else token = url.pathname.replace(/^\/p\/?/, '');
      const page = tokenPages[token]!;
      return sendJson(res, 200, { data: page.data, next: page.next });
    });
    const header = paginate<Rec>(api.http, { name: 'h', url: '/h', items: '/data', next: Next.bodyToken('/next', { in: 'header', name: 'x-cursor' }), stop: [Stop.noNext()] });
    const body = paginate<Rec>(api.http, {
      name: 'b',
      url: '/b',
      method: 'POST',
      json: { filter: 'x', page: { size: 3 } },
      items: '/data',
      next: Next.bodyToken('/next', { in: 'body', pointer: '/page/after' }),
      stop: [Stop.noNext()],
    });
    const path = paginate<Rec>(api.http, { name: 'p', url: '/p/{cursor}', items: '/data', next: Next.bodyToken('/next', { in: 'path', name: 'cursor' }), stop: [Stop.noNext()] });
    for (const pages of [header, body, path]) expect(ids((await drain(pages)).items)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(api.server.requests.filter((r) => r.url === '/b').map((r) => JSON.parse(r.body) as unknown)).to.deep.equal([
      { filter: 'x', page: { size: 3 } },
      { filter: 'x', page: { size: 3, after: 't2' } },
      { filter: 'x', page: { size: 3, after: 't3' } },
    ]);
    expect(api.server.requests.filter((r) => r.url.startsWith('/p')).map((r) => r.url)).to.deep.equal(['/p/', '/p/t2', '/p/t3']);
  });

  it('resolves a relative next URL in the body against the URL that answered, without re-adding the first query', async () => {
    api = await listApi((req, res) => {
      const url = new URL(req.url ?? '', 'http://x');
      if (url.pathname === '/v1/items') return sendJson(res, 200, { items: recs(1, 2), links: { next: 'items/more?cursor=b' } });
      if (url.pathname === '/v1/items/more' && url.searchParams.get('cursor') === 'b') return sendJson(res, 200, { items: recs(3, 3), links: { next: '/v1/items/more?cursor=c' } });
      if (url.searchParams.get('cursor') === 'c') return sendJson(res, 200, { items: recs(4, 4), links: {} });
      return sendJson(res, 404, {});
    });
    const pages = paginate<Rec>(api.http, { name: 'items', url: '/v1/items', query: { v: 2 }, items: '/items', next: Next.url('/links/next'), stop: [Stop.noNext()] });
    expect(ids((await drain(pages)).items)).to.deep.equal([1, 2, 3, 4]);
    expect(api.server.requests.map((r) => r.url)).to.deep.equal(['/v1/items?v=2', '/v1/items/more?cursor=b', '/v1/items/more?cursor=c']);
  });

  it('refuses a next URL on another origin unless allowed', async () => {
    api = await listApi((_req, res) => sendJson(res, 200, { items: recs(1, 1), next: 'https://elsewhere.example.com/items?page=2' }));
    const { items, error } = await drain(paginate<Rec>(api.http, { name: 'items', url: '/items', items: '/items', next: Next.url('/next'), stop: [Stop.noNext()] }));
    expect(ids(items)).to.deep.equal([]);
    expect(error?.message).to.equal(`paginate(items): page 1's next URL at /next leaves ${api.server.url} for https://elsewhere.example.com; pass { crossOrigin: true } if the API really moves hosts`);
  });

  it('follows an RFC 8288 Link header rel="next" among other relations, relative or absolute', async () => {
    api = await listApi((req, res) => {
      const page = Number(queryOf(req.url ?? '').get('page') ?? '1');
      const links = [`<${api!.server.url}/repos?page=1>; rel="first"`];
      if (page === 1) links.push('</repos?page=2>; rel="next"');
      if (page === 2) links.push(`<${api!.server.url}/repos?page=3&x=a,b>; rel="prev next"`);
      return sendJson(res, 200, recs(page * 10, page * 10 + 1), { link: links.join(', ') });
    });
    const pages = paginate<Rec>(api.http, { name: 'repos', url: '/repos', items: '', next: Next.linkHeader(), stop: [Stop.noNext()] });
    expect(ids((await drain(pages)).items)).to.deep.equal([10, 11, 20, 21, 30, 31]);
    expect(api.server.requests.map((r) => r.url)).to.deep.equal(['/repos', '/repos?page=2', '/repos?page=3&x=a,b']);
  });

  it('follows a token in a response header', async () => {
    api = await listApi((req, res) => {
      const page = tokenPages[(req.headers['x-cursor'] as string | undefined) ?? '']!;
      return sendJson(res, 200, page.data, page.next === null ? {} : { 'x-next-cursor': page.next });
    });
    const pages = paginate<Rec>(api.http, { name: 'events', url: '/events', items: '', next: Next.headerToken('X-Next-Cursor', { in: 'header', name: 'x-cursor' }), stop: [Stop.noNext()] });
    expect(ids((await drain(pages)).items)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
  });

  it('pages by offset/limit, advancing by the records received when the API serves fewer than asked', async () => {
    const all = recs(1, 7);
    api = await listApi((req, res) => {
      const q = queryOf(req.url ?? '');
      const offset = Number(q.get('offset'));
      // Asked for 5, the API silently serves at most 3: advancing by 5 would skip records.
      return sendJson(res, 200, { data: all.slice(offset, offset + Math.min(3, Number(q.get('limit')))), total: all.length });
    });
    const pages = paginate<Rec>(api.http, { name: 'offset', url: '/o', items: '/data', next: Next.offset({ limit: 5 }), stop: [Stop.emptyPage()], log: api.mem.log });
    expect(ids((await drain(pages)).items)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(api.server.requests.map((r) => queryOf(r.url).get('offset'))).to.deep.equal(['0', '3', '6', '7']);
    expect(stopLines(api.mem)).to.deep.equal(['paginate(offset) stopped after 4 pages and 7 records: empty page']);
  });

  it('pages by page number and stops at a total remembered from the first page that carries it', async () => {
    const all = recs(1, 8);
    api = await listApi((req, res) => {
      const page = Number(queryOf(req.url ?? '').get('p'));
      // Only the first page reports the total; later ones say null.
      return sendJson(res, 200, { rows: all.slice((page - 1) * 3, page * 3), meta: { total: page === 1 ? all.length : null } });
    });
    const pages = paginate<Rec>(api.http, {
      name: 'numbered',
      url: '/n',
      items: '/rows',
      next: Next.pageNumber({ at: 'p', size: { at: 'per_page', value: 3 } }),
      stop: [Stop.totalReached('/meta/total')],
      log: api.mem.log,
    });
    expect(ids((await drain(pages)).items)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(api.server.requests.map((r) => r.url)).to.deep.equal(['/n?p=1&per_page=3', '/n?p=2&per_page=3', '/n?p=3&per_page=3']);
    expect(stopLines(api.mem)).to.deep.equal(['paginate(numbered) stopped after 3 pages and 8 records: read 8 of 8 records (/meta/total)']);
  });

  it('validates records with a model and stops on the first record older than a cursor', async () => {
    class Event {
      @IsInt() id!: number;
      @IsInt() at!: number;
    }
    const feed = [50, 40, 30, 20, 10].map((at, i) => ({ id: i + 1, at }));
    api = await listApi((req, res) => {
      const page = Number(queryOf(req.url ?? '').get('page'));
      return sendJson(res, 200, { events: feed.slice((page - 1) * 2, page * 2), has_more: page * 2 < feed.length });
    });
    const since = 25;
    const pages = paginate(api.http, {
      name: 'events',
      url: '/e',
      items: '/events',
      model: Event,
      next: Next.pageNumber(),
      stop: [Stop.hasMore('/has_more'), Stop.onRecord((e: Event) => e.at < since, 'older than the cursor')],
      log: api.mem.log,
    });
    const { items } = await drain(pages);
    expect(items.every((e) => e instanceof Event)).to.equal(true);
    expect(items.map((e) => e.at)).to.deep.equal([50, 40, 30]);
    expect(api.server.requests).to.have.length(2);
    expect(stopLines(api.mem)).to.deep.equal(['paginate(events) stopped after 2 pages and 3 records: stop-on-record: older than the cursor']);
  });

  it('logs why paging stopped when the caller stops reading early', async () => {
    api = await listApi((_req, res, _body, n) => sendJson(res, 200, { data: recs(n * 10, n * 10 + 1), next: `n${n}` }));
    const pages = paginate<Rec>(api.http, { name: 'early', url: '/x', items: '/data', next: Next.bodyToken('/next', 'c'), stop: [Stop.noNext()], log: api.mem.log });
    for await (const page of pages) if (page.number === 2) break;
    expect(stopLines(api.mem)).to.deep.equal(['paginate(early) stopped after 2 pages and 4 records: the caller stopped reading']);
  });
});
