import type { BufferedResponse } from '../http-options';
import { headerValue } from '../http-helpers';
import { getPointer } from '../../json-pointer';
import { linkTarget } from './link-header';
import type { Position } from './page-position';
import { PaginationError } from './pagination-errors';
import type { PageStrategy } from './page-strategies';

/**
 * The position a token strategy's response points to, or undefined when it carries none (missing,
 * null or empty). Relative next URLs resolve against the URL that answered; a next URL on another
 * origin fails unless the strategy allows it, since the request's credentials would follow it.
 */
export function nextFromResponse(name: string, strategy: PageStrategy, res: BufferedResponse, body: unknown, page: number): Position | undefined {
  const contract = (message: string): PaginationError => new PaginationError('PAGINATION_CONTRACT', name, message);
  let raw: unknown;
  let where: string;
  switch (strategy.kind) {
    case 'bodyToken':
    case 'nextUrl':
      raw = getPointer(body, strategy.pointer);
      where = strategy.pointer;
      break;
    case 'headerToken':
      raw = headerValue(res.headers[strategy.header]);
      where = `the ${strategy.header} header`;
      break;
    case 'linkHeader':
      raw = linkTarget(res.headers.link, strategy.rel);
      where = `the Link header (rel="${strategy.rel}")`;
      break;
    default:
      return undefined;
  }
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (strategy.kind === 'bodyToken') {
    if (typeof raw === 'string') return { kind: 'token', token: raw };
    if (typeof raw === 'number') return { kind: 'token', token: String(raw) };
    throw contract(`page ${page} has ${Array.isArray(raw) ? 'an array' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`} at ${where}, not a token`);
  }
  if (typeof raw !== 'string') throw contract(`page ${page} has a ${typeof raw} at ${where}, not a URL`);
  if (strategy.kind === 'headerToken') return { kind: 'token', token: raw };
  let next: URL;
  try {
    next = new URL(raw, res.url);
  } catch (cause) {
    throw new PaginationError('PAGINATION_CONTRACT', name, `page ${page}'s next URL at ${where} does not parse`, { cause });
  }
  if (!strategy.crossOrigin && next.origin !== res.url.origin) {
    throw contract(`page ${page}'s next URL at ${where} leaves ${res.url.origin} for ${next.origin}; pass { crossOrigin: true } if the API really moves hosts`);
  }
  return { kind: 'url', href: next.href };
}
