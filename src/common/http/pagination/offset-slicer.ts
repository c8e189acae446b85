import { getPointer } from '../../json-pointer';
import type { Position } from './page-position';
import { PaginationError } from './pagination-errors';
import type { OffsetCap } from './page-strategies';

type OffsetPosition = Extract<Position, { kind: 'offset' }>;

/** Orders two values of a sort field: numbers numerically, ISO date-times by instant, the rest as text. */
function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = typeof a === 'string' ? a : JSON.stringify(a);
  const sb = typeof b === 'string' ? b : JSON.stringify(b);
  if (/^\d{4}-\d\d-\d\dT/.test(sa) && /^\d{4}-\d\d-\d\dT/.test(sb)) {
    const ta = Date.parse(sa);
    const tb = Date.parse(sb);
    // Equal milliseconds may still differ in finer digits: fall back to the text for those.
    if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta - tb;
  }
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Offset/limit bookkeeping, with re-slicing past a depth cap: records come sorted by `cap.field`;
 * when the next page would pass `cap.depth`, paging restarts at offset 0 from the last value
 * (inclusive) and skips the records already emitted at that value by key.
 */
export class OffsetSlicer {
  /** The greatest field value seen in this slice and the keys emitted at it. */
  private boundary: { value: unknown; keys: Set<string> } | undefined;
  /** The field value of the slice's first record. */
  private sliceFirst: unknown;

  constructor(
    private readonly name: string,
    private readonly limit: number,
    private readonly cap: OffsetCap | undefined,
  ) {}

  /** Starts tracking at `pos` (the first page, or a resumed one). */
  begin(pos: OffsetPosition): void {
    this.boundary = pos.from === undefined ? undefined : { value: pos.from, keys: new Set(pos.skip) };
    this.sliceFirst = pos.from;
  }

  /** The records of a page at `pos` that were not already emitted before a re-slice. */
  keep<Item>(items: readonly Item[], pos: OffsetPosition, pageNumber: number): Item[] {
    const cap = this.cap;
    if (cap === undefined) return [...items];
    const skip = new Set(pos.skip);
    const kept: Item[] = [];
    for (const item of items) {
      const value = getPointer(item, cap.field);
      const key = JSON.stringify(getPointer(item, cap.key) ?? null);
      if (value === undefined || value === null) throw new PaginationError('PAGINATION_CONTRACT', this.name, `a record of page ${pageNumber} has no ${cap.field}, which re-slicing orders by`);
      this.sliceFirst ??= value;
      const order = this.boundary === undefined ? 1 : compare(value, this.boundary.value);
      if (order < 0) {
        throw new PaginationError(
          'PAGINATION_CONTRACT',
          this.name,
          `page ${pageNumber} is not sorted by ${cap.field} (${JSON.stringify(value)} after ${JSON.stringify(this.boundary?.value)}); re-slicing past the depth cap needs ascending order`,
        );
      }
      if (order > 0) this.boundary = { value, keys: new Set() };
      if (pos.from !== undefined && order === 0 && compare(value, pos.from) === 0 && skip.has(key)) continue;
      this.boundary!.keys.add(key);
      kept.push(item);
    }
    return kept;
  }

  /** The position after a page of `received` records at `pos`; re-slices when the cap would be passed. */
  advance(pos: OffsetPosition, received: number): OffsetPosition {
    const next: OffsetPosition = { ...pos, offset: pos.offset + received };
    const cap = this.cap;
    if (cap === undefined || next.offset + this.limit <= cap.depth) return next;
    const boundary = this.boundary;
    if (boundary === undefined) return next;
    if (compare(boundary.value, this.sliceFirst) === 0) {
      throw new PaginationError(
        'PAGINATION_CAP',
        this.name,
        `at least ${cap.depth} records share ${cap.field} = ${JSON.stringify(boundary.value)}, more than the API serves in one query (offset + limit <= ${cap.depth}); re-slicing by ${cap.field} cannot get past them`,
      );
    }
    const resliced: OffsetPosition = { kind: 'offset', offset: 0, from: boundary.value, skip: [...boundary.keys] };
    this.begin(resliced);
    return resliced;
  }
}
