/**
 * Markers a strategy yields beside documents, so that a document and a cursor can never be
 * confused: documents are objects; cursors are `Date`, numbers, strings, arrays, or an object page
 * cursor wrapped by {@link pageCursor}.
 */

const PAGE_CURSOR = Symbol.for('estuary-cdk.page-cursor');
const ASSOCIATED = Symbol.for('estuary-cdk.associated');
const TRIGGER = Symbol.for('estuary-cdk.trigger');

/** An object page cursor (Python's `make_cursor_dict`): the first is the full cursor, later ones merge patches. */
export interface PageCursorPatch {
  readonly [PAGE_CURSOR]: true;
  readonly value: Record<string, unknown>;
}

/**
 * Wraps an object as a page cursor of a backfill. The first object cursor is stored whole;
 * every later one is applied to it as a JSON merge patch and only the patch is checkpointed.
 *
 * @example
 * yield pageCursor({ board1: { items: 10 }, board2: { items: 20 } });
 * yield pageCursor({ board1: null }); // board1 done
 */
export function pageCursor(value: Record<string, unknown>): PageCursorPatch {
  return { [PAGE_CURSOR]: true, value };
}

/** True when `item` was made by {@link pageCursor}. */
export function isPageCursorPatch(item: unknown): item is PageCursorPatch {
  return typeof item === 'object' && item !== null && (item as Record<symbol, unknown>)[PAGE_CURSOR] === true;
}

/** A document for another binding (Python's `AssociatedDocument`), captured in the same checkpoint. */
export interface AssociatedDocument {
  readonly [ASSOCIATED]: true;
  readonly resource: string;
  readonly doc: object;
}

/**
 * Emits `doc` to the binding of resource `resource` instead of the current one, in the same
 * transaction. If that resource is not bound in this capture, the document is dropped.
 */
export function associated(resource: string, doc: object): AssociatedDocument {
  return { [ASSOCIATED]: true, resource, doc };
}

/** True when `item` was made by {@link associated}. */
export function isAssociated(item: unknown): item is AssociatedDocument {
  return typeof item === 'object' && item !== null && (item as Record<symbol, unknown>)[ASSOCIATED] === true;
}

/** Triggers an incremental strategy can yield. */
export const Triggers = Object.freeze({
  /** Re-backfill this binding: checkpoint a `backfillRequests` entry and restart the connector. */
  BACKFILL: Object.freeze({ [TRIGGER]: 'BACKFILL' as const }),
});

/** The type of {@link Triggers.BACKFILL}. */
export type BackfillTrigger = typeof Triggers.BACKFILL;

/** True when `item` is {@link Triggers.BACKFILL}. */
export function isBackfillTrigger(item: unknown): item is BackfillTrigger {
  return item === Triggers.BACKFILL;
}
