import { createHash } from 'node:crypto';
import { PaginationError } from './pagination-errors';

/**
 * Fails loudly on the ways a list loops: a next token (or URL, offset, page) already followed —
 * A→B→A, or a last page that keeps pointing back — and a page whose records repeat an earlier
 * page's, even under a fresh token. Also enforces the page limit. Tokens are never quoted.
 */
export class PageGuard {
  private readonly positions = new Map<string, number>();
  private readonly fingerprints = new Map<string, number>();

  constructor(
    private readonly name: string,
    private readonly maxPages: number,
  ) {}

  /** Forgets what was seen: after an expired token's recovery, replaying pages is expected. */
  reset(): void {
    this.positions.clear();
    this.fingerprints.clear();
  }

  /** Records that page `page` is fetched at `key`; fails when it was fetched before. */
  visit(key: string, page: number): void {
    const before = this.positions.get(key);
    if (before !== undefined) {
      throw new PaginationError(
        'PAGINATION_CYCLE',
        this.name,
        `page ${page - 1} leads back to ${before === page - 1 ? 'itself' : `page ${before}`} (a next token already followed): the API cycles; stopping instead of looping`,
      );
    }
    this.positions.set(key, page);
  }

  /** Fails when the records of page `page` equal those of an earlier page. Empty pages are not compared. */
  records(items: readonly unknown[], page: number): void {
    if (items.length === 0) return;
    const fingerprint = createHash('sha256').update(JSON.stringify(items)).digest('base64url');
    const before = this.fingerprints.get(fingerprint);
    if (before !== undefined) {
      throw new PaginationError(
        'PAGINATION_CYCLE',
        this.name,
        `page ${page} repeats the ${items.length} record${items.length === 1 ? '' : 's'} of page ${before} (the API serves the same page again); stopping instead of duplicating`,
      );
    }
    this.fingerprints.set(fingerprint, page);
  }

  /** Fails before fetching page `page` when it would pass the limit. */
  limit(page: number): void {
    if (page > this.maxPages) {
      throw new PaginationError('PAGINATION_LIMIT', this.name, `read ${this.maxPages} pages and the API still has a next page; raise maxPages if the list is really that long`);
    }
  }
}
