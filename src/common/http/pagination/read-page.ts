import type { HttpClient } from '../http-client';
import { ResponseValidationError } from '../http-errors';
import type { BufferedResponse } from '../http-options';
import { toModel } from '../response-validation';
import { getPointer } from '../../json-pointer';
import { nextFromResponse } from './next-token';
import type { PageRequest, Position } from './page-position';
import { PaginationError } from './pagination-errors';
import type { PaginateOptions } from './paginate';

/** A fetched page: the response, its parsed body, its records and the position it points to. */
export interface ReadPage {
  res: BufferedResponse;
  body: unknown;
  items: readonly unknown[];
  next: Position | undefined;
}

/** Sends one page's request and reads its records (validated with the model, if any) and next token. */
export async function readPage<Item>(http: HttpClient, name: string, number: number, req: PageRequest, o: PaginateOptions<Item>, signal: AbortSignal | undefined): Promise<ReadPage> {
  const headers = req.headers.accept === undefined && req.headers.Accept === undefined ? { accept: 'application/json', ...req.headers } : req.headers;
  const res = await http.requestBuffered(req.url, {
    ...o.request,
    ...(o.method !== undefined ? { method: o.method } : {}),
    query: req.query,
    headers,
    ...(req.json !== undefined ? { json: req.json } : {}),
    ...(signal !== undefined ? { signal } : {}),
  });
  const method = (o.method ?? 'GET').toUpperCase();
  let body: unknown;
  try {
    body = res.body.length === 0 ? null : JSON.parse(res.body.toString('utf8'));
  } catch (cause) {
    throw new ResponseValidationError(method, res.url, [`page ${number} of paginate(${name}) is not JSON (${(cause as Error).message})`], cause);
  }
  const found = typeof o.items === 'function' ? o.items(body) : getPointer(body, o.items);
  if (!Array.isArray(found)) {
    const where = typeof o.items === 'function' ? 'the items function' : `items pointer "${o.items}"`;
    throw new PaginationError('PAGINATION_CONTRACT', name, `page ${number} has no record array at ${where} (got ${found === null ? 'null' : typeof found})`);
  }
  const items = o.model === undefined || found.length === 0 ? (found as readonly unknown[]) : ((await toModel(o.model, found, method, res.url)) as unknown[]);
  return { res, body, items, next: nextFromResponse(name, o.next, res, body, number) };
}
