import { getPointer } from '../../json-pointer';
import type { Position } from './page-position';
import { isTokenStrategy, type PageStrategy } from './page-strategies';
import { PaginationError } from './pagination-errors';
import type { PageView, StopRules } from './stop-rules';

/** What the stop rules remember across pages. */
export interface StopState {
  /** The total from the first page that carried one. */
  total: number | undefined;
  /** Records counted toward the total (the offset, for offset pagination). */
  read: number;
  /** False after a resume of a token strategy: the records before it are unknown. */
  countsTotal: boolean;
}

/** Why paging stops after this page (undefined: go on), and where stop-on-record cuts its records. */
export interface StopDecision {
  reason: string | undefined;
  cut: number | undefined;
}

/**
 * Applies the declared rules to a page. Rules that would silently drop data are loud instead: a
 * `has_more` that is missing or says true without a next token fails, and an empty page that still
 * carries a next token does not stop a token strategy.
 */
export function decideStop<Item>(
  name: string,
  rules: StopRules<Item>,
  strategy: PageStrategy,
  page: PageView<Item>,
  received: number,
  pos: Position,
  next: Position | undefined,
  state: StopState,
): StopDecision {
  const contract = (message: string): PaginationError => new PaginationError('PAGINATION_CONTRACT', name, message);
  const tokens = isTokenStrategy(strategy);
  const reasons: string[] = [];
  let cut: number | undefined;
  // Counted before any rule so that the total sees every page.
  if (state.total === undefined) {
    for (const rule of rules) {
      if (rule.rule !== 'totalReached') continue;
      const total = getPointer(page.body, rule.pointer);
      if (typeof total === 'number' && Number.isFinite(total)) state.total = total;
    }
  }
  state.read += received;
  for (const rule of rules) {
    switch (rule.rule) {
      case 'onRecord': {
        const at = page.items.findIndex((item) => rule.test(item));
        if (at >= 0) {
          cut = cut === undefined ? at : Math.min(cut, at);
          reasons.push(`stop-on-record: ${rule.reason}`);
        }
        break;
      }
      case 'tokenRepeats':
        if (next !== undefined && pos.kind !== 'start' && JSON.stringify(next) === JSON.stringify(pos)) reasons.push('the API returned the token it was given');
        break;
      case 'hasMore': {
        const more = getPointer(page.body, rule.pointer);
        if (typeof more !== 'boolean') throw contract(`page ${page.number} has no boolean at ${rule.pointer} (got ${more === null ? 'null' : typeof more}), which Stop.hasMore() reads`);
        if (!more) reasons.push(`${rule.pointer} is false`);
        else if (tokens && next === undefined) throw contract(`page ${page.number} says ${rule.pointer} is true but carries no next token`);
        break;
      }
      case 'totalReached':
        if (state.countsTotal && state.total !== undefined && state.read >= state.total) reasons.push(`read ${state.read} of ${state.total} records (${rule.pointer})`);
        break;
      case 'emptyPage':
        // An empty page in the middle of a token-paged list is followed, not taken as the end.
        if (received === 0 && (!tokens || next === undefined)) reasons.push('empty page');
        break;
      case 'noNext':
        if (next === undefined) reasons.push('no next token');
        break;
      case 'when':
        if (rule.test(page)) reasons.push(rule.reason);
        break;
    }
  }
  return { reason: reasons.length === 0 ? undefined : reasons.join('; '), cut };
}
