/**
 * Where a token or page number goes in the next request. A bare string is a query parameter name.
 * `path` replaces `{name}` in the request URL (with `first` on the first page, default empty).
 */
export type TokenPlacement = string | { in: 'query'; name: string } | { in: 'header'; name: string } | { in: 'body'; pointer: string } | { in: 'path'; name: string; first?: string };

/**
 * An API's depth cap (`offset + limit` may not exceed `depth`, e.g. 10 000) and how to re-slice past
 * it: restart at offset 0 with `field >= last value` (sent at `from`), skipping the records already
 * emitted at that boundary value by `key`. Records must come sorted ascending by `field`.
 */
export interface OffsetCap {
  /** The largest `offset + limit` the API serves. */
  depth: number;
  /** JSON pointer to the ordering field inside a record, e.g. `/updated_at`. */
  field: string;
  /** JSON pointer to the record's unique key, e.g. `/id`. */
  key: string;
  /** Where the lower bound (`field >= value`, inclusive) goes in a re-sliced request. */
  from: TokenPlacement;
}

/** How the next page is found. Build one with {@link Next}. */
export type PageStrategy =
  | { readonly kind: 'bodyToken'; readonly pointer: string; readonly place: TokenPlacement }
  | { readonly kind: 'nextUrl'; readonly pointer: string; readonly crossOrigin: boolean }
  | { readonly kind: 'linkHeader'; readonly rel: string; readonly crossOrigin: boolean }
  | { readonly kind: 'headerToken'; readonly header: string; readonly place: TokenPlacement }
  | { readonly kind: 'offset'; readonly limit: number; readonly offsetAt: TokenPlacement; readonly limitAt: TokenPlacement; readonly start: number; readonly cap: OffsetCap | undefined }
  | { readonly kind: 'pageNumber'; readonly at: TokenPlacement; readonly first: number; readonly size: { at: TokenPlacement; value: number } | undefined };

/** Strategies that carry a token from one page to the next (the API decides when it ends). */
export function isTokenStrategy(s: PageStrategy): boolean {
  return s.kind !== 'offset' && s.kind !== 'pageNumber';
}

/** Options of {@link Next.url} and {@link Next.linkHeader}. */
export interface NextUrlOptions {
  /** Follow a next URL on another origin (credentials go with it). Default false: such a URL fails loudly. */
  crossOrigin?: boolean;
}

/** Options of {@link Next.offset}. */
export interface OffsetOptions {
  /** Records asked per page. */
  limit: number;
  /** Where the offset goes; default the query parameter `offset`. */
  offset?: TokenPlacement;
  /** Where the limit goes; default the query parameter `limit`. */
  limitAt?: TokenPlacement;
  /** The first offset; default 0. */
  start?: number;
  /** The API's depth cap and the field to re-slice by when it is reached. */
  cap?: OffsetCap;
}

/** Options of {@link Next.pageNumber}. */
export interface PageNumberOptions {
  /** Where the page number goes; default the query parameter `page`. */
  at?: TokenPlacement;
  /** The number of the first page; default 1. */
  first?: number;
  /** A page size to send on every request. */
  size?: { at: TokenPlacement; value: number };
}

/**
 * The pagination strategies of {@link paginate}.
 *
 * @example
 * Next.bodyToken('/paging/next/after', 'after')      // token in the body, sent as ?after=
 * Next.url('/links/next')                            // next URL in the body (relative ones resolve)
 * Next.linkHeader()                                  // RFC 8288 Link: <…>; rel="next"
 * Next.headerToken('x-next-cursor', { in: 'header', name: 'x-cursor' })
 * Next.offset({ limit: 100 })                        // ?offset=0&limit=100, ?offset=100&limit=100, …
 * Next.pageNumber({ first: 1 })                      // ?page=1, ?page=2, …
 */
export const Next = Object.freeze({
  /** A token at a JSON pointer of the body, sent in the next request at `place`. */
  bodyToken(pointer: string, place: TokenPlacement): PageStrategy {
    return { kind: 'bodyToken', pointer, place };
  },
  /** A next-page URL at a JSON pointer of the body; relative URLs resolve against the URL that answered. */
  url(pointer: string, options: NextUrlOptions = {}): PageStrategy {
    return { kind: 'nextUrl', pointer, crossOrigin: options.crossOrigin ?? false };
  },
  /** The `Link` header's target with relation `rel` (default `next`), resolved like {@link Next.url}. */
  linkHeader(rel = 'next', options: NextUrlOptions = {}): PageStrategy {
    return { kind: 'linkHeader', rel, crossOrigin: options.crossOrigin ?? false };
  },
  /** A token in a response header, sent in the next request at `place`. */
  headerToken(header: string, place: TokenPlacement): PageStrategy {
    return { kind: 'headerToken', header: header.toLowerCase(), place };
  },
  /**
   * Offset/limit. The offset advances by the number of records received, not by `limit`, so an
   * API that silently serves fewer than asked re-sends records instead of skipping them.
   */
  offset(options: OffsetOptions): PageStrategy {
    return { kind: 'offset', limit: options.limit, offsetAt: options.offset ?? 'offset', limitAt: options.limitAt ?? 'limit', start: options.start ?? 0, cap: options.cap };
  },
  /** Page numbers counting up from `first`. */
  pageNumber(options: PageNumberOptions = {}): PageStrategy {
    return { kind: 'pageNumber', at: options.at ?? 'page', first: options.first ?? 1, size: options.size };
  },
});
