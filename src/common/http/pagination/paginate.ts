import type { IncomingHttpHeaders } from 'node:http';
import type { ClassConstructor } from 'class-transformer';
import type { Logger } from '../../logger';
import type { HttpClient } from '../http-client';
import { HttpError } from '../http-errors';
import type { QueryValue } from '../http-helpers';
import type { RequestOptions } from '../http-options';
import { OffsetSlicer } from './offset-slicer';
import { PageGuard } from './page-guard';
import { firstPosition, pageRequest, positionKey, resumeTokenOf, type BaseRequest, type Position } from './page-position';
import { isTokenStrategy, type PageStrategy } from './page-strategies';
import { PaginationError } from './pagination-errors';
import { readPage } from './read-page';
import { decideStop, type StopState } from './stop-decision';
import { describeRules, type StopRules } from './stop-rules';

/** Default {@link PaginateOptions.maxPages}. */
export const DEFAULT_MAX_PAGES = 10_000;

/** What to do when a saved or served token has expired (e.g. a 400 or 410 on a stale cursor). */
export interface ExpiredTokenHook {
  /** True when `error` means the token is no longer valid, e.g. `(e) => e.status === 410`. */
  when: (error: HttpError) => boolean;
  /**
   * Where to restart: a resume token (a recovery point, e.g. from a saved timestamp) or undefined for
   * the first page. Pages may then be read twice. Without it an expired token fails with a message.
   */
  recover?: (info: { page: number; error: HttpError }) => string | number | undefined;
  /** Recoveries allowed in one pagination; default 3. */
  maxRecoveries?: number;
}

/** Options of {@link paginate}. */
export interface PaginateOptions<Item> {
  /** Names the call in errors and the log line, e.g. `survey_responses`. */
  name: string;
  /** The first page's URL (relative to the client's `baseUrl` if it has one); `{name}` for a path token. */
  url: string;
  method?: string;
  query?: Readonly<Record<string, QueryValue>>;
  headers?: Readonly<Record<string, string>>;
  /** A JSON request body (POST search APIs); body tokens are set into it. */
  json?: Record<string, unknown>;
  /** Other options of every request (timeouts, retry, withoutToken). */
  request?: Omit<RequestOptions, 'method' | 'query' | 'headers' | 'json' | 'form' | 'body' | 'signal'>;
  /** How the next page is found: see {@link Next}. */
  next: PageStrategy;
  /** When paging stops: at least one rule (see {@link Stop}); an empty list is a type error. */
  stop: StopRules<Item>;
  /** The records of a page: a JSON pointer into the body (`''` for a top-level array) or a function. */
  items: string | ((body: unknown) => readonly unknown[]);
  /** Converts and validates each record with class-validator. */
  model?: ClassConstructor<Item & object>;
  /** Fail (never silently stop) when more pages than this would be read. Default 10 000. */
  maxPages?: number;
  /** A page cursor saved from {@link Page.resumeToken}: paging resumes at that page. */
  resume?: string | number;
  /** Expired-token handling; without it the HTTP error is thrown as is. */
  expired?: ExpiredTokenHook;
  /** The capture context (or anything with a logger and signal): its logger gets the stop line, its signal aborts requests. */
  ctx?: { readonly log: Logger; readonly signal?: AbortSignal };
  /** A logger for the stop line when no `ctx` is given. */
  log?: Logger;
  signal?: AbortSignal;
}

/** One page of a {@link Pagination}. */
export interface Page<Item> {
  /** 1 for the first page read by this call (a resumed call counts from its first page too). */
  readonly number: number;
  /** The page's records, minus records already emitted before a re-slice and those cut by stop-on-record. */
  readonly items: readonly Item[];
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  /** The URL that answered. */
  readonly url: URL;
  /** The page cursor of the next page (checkpoint it in a `@Backfill`); undefined after the last page. */
  readonly resumeToken: string | number | undefined;
}

/** The pages of a {@link paginate} call. Iterating twice sends the requests twice. */
export class Pagination<Item> implements AsyncIterable<Page<Item>> {
  constructor(private readonly open: () => AsyncGenerator<Page<Item>>) {}

  [Symbol.asyncIterator](): AsyncIterator<Page<Item>> {
    return this.open();
  }

  /** The records of every page. */
  async *items(): AsyncGenerator<Item> {
    for await (const page of this) yield* page.items;
  }

  /**
   * A page's records then its resume token, page after page: what a `@Backfill` yields, so that a
   * restart resumes at the next page (pass the page cursor back as `resume`).
   */
  async *withCursors(): AsyncGenerator<Item | string | number> {
    for await (const page of this) {
      yield* page.items;
      if (page.resumeToken !== undefined) yield page.resumeToken;
    }
  }
}

/**
 * Pages through a list API: requests a page, finds the next one with the strategy, and stops when a
 * declared stop rule fires. Guards fail loudly on cycles, repeated pages, the page limit, expired
 * tokens and unsliceable offset caps; one info line says why paging stopped.
 *
 * @example
 * const pages = paginate(http, {
 *   name: 'contacts',
 *   url: '/crm/v3/objects/contacts',
 *   query: { limit: 100 },
 *   items: '/results',
 *   next: Next.bodyToken('/paging/next/after', 'after'),
 *   stop: [Stop.noNext()],
 *   resume: page, ctx,
 * });
 * yield* pages.withCursors();
 */
export function paginate<Item = unknown>(http: HttpClient, options: PaginateOptions<Item>): Pagination<Item> {
  return new Pagination(() => run(http, options));
}

function checkOptions<Item>(o: PaginateOptions<Item>): string {
  const name = typeof o.name === 'string' && o.name !== '' ? o.name : '<unnamed>';
  const usage = (message: string): PaginationError => new PaginationError('PAGINATION_USAGE', name, message);
  const rules = (o.stop as readonly unknown[] | undefined) ?? [];
  if (rules.length === 0) throw usage('no stop rule declared; add stop: [Stop.noNext()] or another rule from Stop');
  if (!isTokenStrategy(o.next) && o.stop.some((r) => r.rule === 'noNext' || r.rule === 'tokenRepeats')) {
    throw usage(`Stop.noNext() and Stop.tokenRepeats() never fire with ${o.next.kind} pagination; use Stop.emptyPage(), Stop.hasMore() or Stop.totalReached()`);
  }
  if (o.next.kind === 'offset' && o.next.cap !== undefined && o.stop.some((r) => r.rule === 'totalReached')) {
    throw usage('Stop.totalReached() cannot be combined with an offset cap: each re-slice reports its own total');
  }
  if (o.maxPages !== undefined && !(Number.isInteger(o.maxPages) && o.maxPages > 0)) throw usage(`maxPages must be a positive integer, got ${o.maxPages}`);
  return name;
}

async function* run<Item>(http: HttpClient, o: PaginateOptions<Item>): AsyncGenerator<Page<Item>> {
  const name = checkOptions(o);
  const strategy = o.next;
  const log = o.ctx?.log ?? o.log;
  const signal = o.ctx?.signal ?? o.signal;
  const base: BaseRequest = { url: o.url, query: o.query ?? {}, headers: o.headers ?? {}, json: o.json };
  let pos: Position = firstPosition(name, strategy, o.resume);
  const fresh = o.resume === undefined;
  const guard = new PageGuard(name, o.maxPages ?? DEFAULT_MAX_PAGES);
  const slicer = strategy.kind === 'offset' ? new OffsetSlicer(name, strategy.limit, strategy.cap) : undefined;
  if (slicer !== undefined && pos.kind === 'offset') slicer.begin(pos);
  // A resumed token strategy cannot know how many records came before it, so a total cannot be
  // checked; offsets can (the offset is the count).
  const stop: StopState = {
    total: undefined,
    read: pos.kind === 'offset' ? pos.offset : 0,
    countsTotal: fresh || strategy.kind === 'offset',
  };
  if (!stop.countsTotal && o.stop.every((r) => r.rule === 'totalReached')) {
    throw new PaginationError('PAGINATION_USAGE', name, 'Stop.totalReached() is the only stop rule and cannot count records after a resume; add Stop.noNext() or Stop.emptyPage()');
  }
  let recoveries = 0;
  let pages = 0;
  let items = 0;
  let reason = 'the caller stopped reading';
  let failed = false;
  try {
    for (let number = 1; ; number++) {
      guard.limit(number);
      guard.visit(positionKey(pos), number);
      const req = pageRequest(strategy, base, pos);
      let read;
      try {
        read = await readPage(http, name, number, req, o, signal);
      } catch (err) {
        const restartable = !(fresh && number === 1) && pos.kind !== 'start';
        if (!(err instanceof HttpError) || o.expired === undefined || !restartable || !o.expired.when(err)) throw err;
        if (o.expired.recover === undefined) {
          throw new PaginationError('PAGINATION_EXPIRED', name, `the token of page ${number} expired (HTTP ${err.status}); give expired.recover a recovery point to restart from`, { cause: err });
        }
        if (++recoveries > (o.expired.maxRecoveries ?? 3)) {
          throw new PaginationError('PAGINATION_EXPIRED', name, `the token of page ${number} expired (HTTP ${err.status}) after ${recoveries - 1} recoveries already; giving up`, { cause: err });
        }
        pos = firstPosition(name, strategy, o.expired.recover({ page: number, error: err }));
        if (slicer !== undefined && pos.kind === 'offset') slicer.begin(pos);
        guard.reset();
        log?.warn({ pagination: name, page: number, status: err.status }, `paginate(${name}): the token of page ${number} expired (HTTP ${err.status}); restarting from the recovery point`);
        number--;
        continue;
      }
      const raw = read.items as readonly Item[];
      guard.records(raw, number);
      let kept = slicer !== undefined && pos.kind === 'offset' ? slicer.keep(raw, pos, number) : [...raw];
      const next = isTokenStrategy(strategy) ? read.next : undefined;
      const decision = decideStop(name, o.stop, strategy, { number, body: read.body, headers: read.res.headers, items: kept }, raw.length, pos, next, stop);
      if (decision.cut !== undefined) kept = kept.slice(0, decision.cut);
      if (decision.reason === undefined && isTokenStrategy(strategy) && next === undefined) {
        throw new PaginationError(
          'PAGINATION_CONTRACT',
          name,
          `page ${number} carries no next token, yet none of the declared stop rules (${describeRules(o.stop as StopRules<unknown>)}) fired; declare Stop.noNext() if a missing token ends this list`,
        );
      }
      let after: Position | undefined;
      if (decision.reason === undefined) {
        if (next !== undefined) after = next;
        else if (pos.kind === 'offset' && slicer !== undefined) after = slicer.advance(pos, raw.length);
        else if (pos.kind === 'page') after = { kind: 'page', page: pos.page + 1 };
      }
      pages++;
      items += kept.length;
      yield { number, items: kept, body: read.body, headers: read.res.headers, url: read.res.url, resumeToken: after === undefined ? undefined : resumeTokenOf(after) };
      if (after === undefined) {
        reason = decision.reason ?? 'no next page';
        return;
      }
      pos = after;
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // A loud failure speaks through its error; a caller that stops early is logged too.
    if (!failed) {
      log?.info({ pagination: name, pages, items, reason }, `paginate(${name}) stopped after ${pages} page${pages === 1 ? '' : 's'} and ${items} record${items === 1 ? '' : 's'}: ${reason}`);
    }
  }
}
