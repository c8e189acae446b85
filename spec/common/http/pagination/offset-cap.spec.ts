import { expect } from 'chai';
import { Next, paginate, PaginationError, Stop } from '../../../../src/common/http/pagination';
import { sendJson } from '../test-server';
import { drain, listApi, queryOf, stopLines } from './pagination-helpers';

interface Row {
  id: number;
  updated_at: string;
}

const BASE = Date.UTC(2024, 0, 1);

/**
 * A search API like HubSpot's: rows sorted by (updated_at, id), filtered by `since` (inclusive),
 * and a hard depth cap: `offset + limit` above 10 000 answers 400.
 */
function searchApi(rows: Row[]) {
  const sorted = [...rows].sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : a.id - b.id));
  return listApi((req, res) => {
    const q = queryOf(req.url ?? '');
    const offset = Number(q.get('offset'));
    const limit = Number(q.get('limit'));
    if (offset + limit > 10_000) return sendJson(res, 400, { message: 'offset + limit may not exceed 10000' });
    const since = q.get('since');
    const matching = since === null ? sorted : sorted.filter((r) => r.updated_at >= since);
    return sendJson(res, 200, { results: matching.slice(offset, offset + limit), total: matching.length });
  });
}

/** `count` rows, `perInstant` to each second from 2024-01-01. */
function rowsAt(count: number, perInstant: number, startId = 0): Row[] {
  return Array.from({ length: count }, (_, i) => ({ id: startId + i, updated_at: new Date(BASE + Math.floor(i / perInstant) * 1000).toISOString() }));
}

describe('paginate() past a 10 000 offset cap', () => {
  let api: Awaited<ReturnType<typeof listApi>> | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  const capped = {
    url: '/search',
    items: '/results',
    next: Next.offset({ limit: 1000, cap: { depth: 10_000, field: '/updated_at', key: '/id', from: 'since' } }),
    stop: [Stop.emptyPage()],
  } as const;

  it('re-slices by updated_at at the cap, emitting every row once even where an instant straddles the boundary', async () => {
    // 7 rows to an instant: the 10 000th row (index 9 999) shares its instant with rows 9 996..10 002.
    const rows = rowsAt(25_000, 7);
    api = await searchApi(rows);
    const { items, error } = await drain(paginate<Row>(api.http, { name: 'search', ...capped, log: api.mem.log }));
    expect(error).to.equal(undefined);
    const got = items.map((r) => r.id);
    expect(got).to.have.length(25_000);
    expect(got).to.deep.equal(rows.map((r) => r.id));
    // Slices restart at offset 0 from the last instant read.
    const restarts = api.server.requests.filter((r) => queryOf(r.url).get('offset') === '0').map((r) => queryOf(r.url).get('since'));
    expect(restarts).to.deep.equal([null, new Date(BASE + 1428 * 1000).toISOString(), new Date(BASE + 2856 * 1000).toISOString()]);
    expect(stopLines(api.mem)).to.deep.equal([`paginate(search) stopped after ${api.server.requests.length} pages and 25000 records: empty page`]);
  });

  it('resumes a re-sliced position from its token without re-emitting the boundary rows', async () => {
    const rows = rowsAt(12_000, 7);
    api = await searchApi(rows);
    let token: string | number | undefined;
    const firstRun: number[] = [];
    for await (const page of paginate<Row>(api.http, { name: 'search', ...capped })) {
      firstRun.push(...page.items.map((r) => r.id));
      token = page.resumeToken;
      if (typeof token === 'string') break; // the first re-sliced position
    }
    expect(firstRun).to.deep.equal(rows.slice(0, 10_000).map((r) => r.id));
    const rest = await drain(paginate<Row>(api.http, { name: 'search', ...capped, resume: token }));
    expect([...firstRun, ...rest.items.map((r) => r.id)]).to.deep.equal(rows.map((r) => r.id));
  });

  it('fails loudly when more rows than the cap share one instant', async () => {
    const at = (seconds: number): string => new Date(BASE + seconds * 1000).toISOString();
    const crowded = Array.from({ length: 10_050 }, (_, i) => ({ id: 100 + i, updated_at: at(60) }));
    const rows = [...rowsAt(5, 1), ...crowded, { id: 50_000, updated_at: at(120) }];
    api = await searchApi(rows);
    const { items, error } = await drain(paginate<Row>(api.http, { name: 'search', ...capped }));
    // The first slice (5 early rows, 9 995 crowded ones) is emitted; the second slice, all at the
    // crowded instant, fails before its last page is handed out (its resume token cannot be formed).
    expect(items.map((r) => r.id)).to.deep.equal(rows.slice(0, 10_000).map((r) => r.id));
    expect(error).to.be.instanceOf(PaginationError);
    expect(error?.message).to.equal(
      'paginate(search): at least 10000 records share /updated_at = "2024-01-01T00:01:00.000Z", more than the API serves in one query (offset + limit <= 10000); re-slicing by /updated_at cannot get past them',
    );
  });
});
