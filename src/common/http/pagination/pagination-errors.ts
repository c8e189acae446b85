import { CdkError } from '../../errors';

/**
 * Why paging failed. `PAGINATION_USAGE` is a mistake in the `paginate()` call (no stop rule, an
 * empty resume token); the others are an API misbehaving in a way that would otherwise lose or
 * repeat data: a cycle, a page limit, an expired token, an offset cap that cannot be re-sliced.
 */
export type PaginationErrorCode = 'PAGINATION_USAGE' | 'PAGINATION_CYCLE' | 'PAGINATION_LIMIT' | 'PAGINATION_EXPIRED' | 'PAGINATION_CAP' | 'PAGINATION_CONTRACT';

/**
 * A pagination that had to stop loudly. The message is one line that starts with the call's name,
 * `paginate(<name>): …`, and never quotes a token (tokens can be signed or carry filters).
 */
export class PaginationError extends CdkError {
  declare readonly code: PaginationErrorCode;

  constructor(code: PaginationErrorCode, name: string, message: string, options?: { cause?: unknown }) {
    super(code, `paginate(${name}): ${message}`, { ...options, userError: code === 'PAGINATION_USAGE' });
  }
}
