import { CaptureError } from '../../common/errors';
import { isPageCursorPatch } from '../../common/capture-items';
import { applyMergePatch } from '../../common/merge-patch';
import { captureContext, captureDocument, captureDocuments, describeValue, invokeStrategy, type BoundBinding } from './bound-binding';
import { bindingPatch, encodeCursor, type CursorValue } from './state-codec';
import type { Task } from './task';

/** The backfill state of a binding (or subtask), as the Python CDK stores it. */
export interface BackfillState {
  cutoff: CursorValue;
  next_page: unknown;
}

/**
 * Drives a `@Backfill` strategy as the Python CDK's backfill task does: documents then a page
 * cursor make a checkpoint; returning without a cursor completes the backfill (`backfill: null`).
 * Returns true when the backfill completed, false when it stopped early.
 */
export async function runBackfill(task: Task, b: BoundBinding, state: BackfillState, subtask: string | undefined, connectorInitiated: boolean): Promise<boolean> {
  const strategy = b.def.backfill!;
  const where = `${strategy.where}${subtask === undefined ? '' : ` (subtask ${subtask})`}`;
  // The cutoff is fixed for the whole backfill: encoded once, not at every page's checkpoint.
  const cutoff = encodeCursor(state.cutoff);
  const full = (): Record<string, unknown> => ({ cutoff, next_page: state.next_page });
  task.log.info({ next_page: state.next_page, cutoff, subtask }, state.next_page == null ? 'beginning backfill' : 'resuming backfill');
  for (;;) {
    if (task.stop.stopping) {
      task.log.debug({ subtask }, 'backfill is yielding to stop');
      return false;
    }
    let done = true;
    const ctx = captureContext(task, b, subtask, connectorInitiated);
    const page = state.next_page === null ? undefined : state.next_page;
    for await (const item of invokeStrategy(b, strategy.method, where, [page, state.cutoff, ctx])) {
      if (item === null || item === undefined) {
        throw new CaptureError(`${where} yielded a ${String(item)} page cursor; to end the backfill, return without yielding a cursor`);
      }
      if (isPageCursorPatch(item)) {
        let patch: Record<string, unknown>;
        if (state.next_page === null || state.next_page === undefined) {
          state.next_page = structuredClone(item.value);
          patch = full();
        } else if (typeof state.next_page === 'object' && !Array.isArray(state.next_page)) {
          state.next_page = applyMergePatch(state.next_page, structuredClone(item.value));
          patch = { cutoff, next_page: item.value };
        } else {
          throw new CaptureError(`${where} yielded an object page cursor after a ${typeof state.next_page} one; keep one kind of page cursor`);
        }
        await task.checkpoint(bindingPatch(b.stateKey, 'backfill', subtask, patch));
        done = false;
      } else if (typeof item === 'string' || typeof item === 'number' || typeof item === 'bigint') {
        state.next_page = item;
        await task.checkpoint(bindingPatch(b.stateKey, 'backfill', subtask, full()));
        done = false;
      } else if (typeof item === 'object' && !(item instanceof Date) && !Array.isArray(item)) {
        captureDocument(task, b, item);
        // Documents after the last cursor end the backfill, as in the Python CDK.
        done = true;
      } else if (Array.isArray(item)) {
        // A page of documents: one step of the iteration for all of them.
        captureDocuments(task, b, item, where);
        if (item.length > 0) done = true;
      } else {
        throw new CaptureError(`${where} yielded ${describeValue(item)}: page cursors are strings, numbers, bigints or pageCursor({...}), documents are objects or arrays of them`);
      }
    }
    if (done) break;
  }
  await task.checkpoint(bindingPatch(b.stateKey, 'backfill', subtask, null));
  task.log.info({ subtask }, 'completed backfill');
  return true;
}
