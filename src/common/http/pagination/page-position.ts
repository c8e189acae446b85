import type { QueryValue } from '../http-helpers';
import { withPointer } from '../../json-pointer';
import { PaginationError } from './pagination-errors';
import type { PageStrategy, TokenPlacement } from './page-strategies';

/** Where paging is: which request fetches the next page. */
export type Position =
  | { readonly kind: 'start' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'url'; readonly href: string }
  | { readonly kind: 'offset'; readonly offset: number; readonly from?: unknown; readonly skip: readonly string[] }
  | { readonly kind: 'page'; readonly page: number };

/** The request of the first page, as the caller gave it. */
export interface BaseRequest {
  readonly url: string;
  readonly query: Readonly<Record<string, QueryValue>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly json: Record<string, unknown> | undefined;
}

/** One page's request. */
export interface PageRequest {
  url: string;
  query: Record<string, QueryValue>;
  headers: Record<string, string>;
  json: Record<string, unknown> | undefined;
}

function place(req: PageRequest, at: TokenPlacement, value: unknown): void {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (typeof at === 'string') req.query[at] = text;
  else if (at.in === 'query') req.query[at.name] = text;
  else if (at.in === 'header') req.headers[at.name] = text;
  else if (at.in === 'body') req.json = withPointer(req.json ?? {}, at.pointer, value);
  else req.url = req.url.split(`{${at.name}}`).join(encodeURIComponent(text));
}

/** Fills `{name}` path placeholders that the first page leaves to their `first` value. */
function fillPath(req: PageRequest, at: TokenPlacement): void {
  if (typeof at !== 'string' && at.in === 'path' && req.url.includes(`{${at.name}}`)) place(req, at, at.first ?? '');
}

/** The request that fetches the page at `pos`. */
export function pageRequest(strategy: PageStrategy, base: BaseRequest, pos: Position): PageRequest {
  const req: PageRequest = { url: base.url, query: { ...base.query }, headers: { ...base.headers }, json: base.json };
  switch (strategy.kind) {
    case 'nextUrl':
    case 'linkHeader':
      // A next URL carries its own query: the base query is not added to it again.
      if (pos.kind === 'url') return { ...req, url: pos.href, query: {} };
      return req;
    case 'bodyToken':
    case 'headerToken':
      if (pos.kind === 'token') place(req, strategy.place, pos.token);
      fillPath(req, strategy.place);
      return req;
    case 'offset':
      if (pos.kind === 'offset') {
        place(req, strategy.offsetAt, pos.offset);
        if (pos.from !== undefined && strategy.cap !== undefined) place(req, strategy.cap.from, pos.from);
      }
      place(req, strategy.limitAt, strategy.limit);
      return req;
    case 'pageNumber':
      if (pos.kind === 'page') place(req, strategy.at, pos.page);
      if (strategy.size !== undefined) place(req, strategy.size.at, strategy.size.value);
      return req;
  }
}

/** The position of the first page: the strategy's start, or a saved resume token. */
export function firstPosition(name: string, strategy: PageStrategy, resume: string | number | undefined): Position {
  const usage = (message: string): PaginationError => new PaginationError('PAGINATION_USAGE', name, message);
  if (resume === undefined) {
    if (strategy.kind === 'offset') return { kind: 'offset', offset: strategy.start, skip: [] };
    if (strategy.kind === 'pageNumber') return { kind: 'page', page: strategy.first };
    return { kind: 'start' };
  }
  // A null or empty token would silently restart (or end) the list: the caller must say which.
  if ((resume as unknown) === null || resume === '' || (typeof resume === 'number' && !Number.isFinite(resume))) {
    throw usage(`the resume token is ${JSON.stringify(resume)}; pass undefined to start from the first page`);
  }
  switch (strategy.kind) {
    case 'nextUrl':
    case 'linkHeader':
      return { kind: 'url', href: String(resume) };
    case 'bodyToken':
    case 'headerToken':
      return { kind: 'token', token: String(resume) };
    case 'pageNumber':
      if (typeof resume !== 'number' || !Number.isInteger(resume)) throw usage(`a page-number resume token must be an integer, got ${typeof resume}`);
      return { kind: 'page', page: resume };
    case 'offset':
      if (typeof resume === 'number' && Number.isInteger(resume) && resume >= 0) return { kind: 'offset', offset: resume, skip: [] };
      if (typeof resume === 'string' && strategy.cap !== undefined) {
        try {
          const saved = JSON.parse(resume) as { offset: number; from?: unknown; skip?: string[] };
          if (Number.isInteger(saved.offset)) return { kind: 'offset', offset: saved.offset, from: saved.from, skip: saved.skip ?? [] };
        } catch {
          // reported below
        }
      }
      throw usage(`an offset resume token must be ${strategy.cap === undefined ? 'a non-negative integer' : 'one this call produced'}`);
  }
}

/** The page cursor that resumes at `pos` (what a `@Backfill` yields). */
export function resumeTokenOf(pos: Position): string | number | undefined {
  switch (pos.kind) {
    case 'start':
      return undefined;
    case 'token':
      return pos.token;
    case 'url':
      return pos.href;
    case 'page':
      return pos.page;
    case 'offset':
      return pos.from === undefined && pos.skip.length === 0 ? pos.offset : JSON.stringify({ offset: pos.offset, from: pos.from, skip: pos.skip });
  }
}

/** The key a position is remembered by for cycle detection. */
export function positionKey(pos: Position): string {
  return JSON.stringify(resumeTokenOf(pos) ?? null);
}
