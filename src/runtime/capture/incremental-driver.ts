import { CaptureError } from '../../common/errors';
import { isBackfillTrigger } from '../../common/capture-items';
import type { CursorKind } from '../../common/metadata';
import { compareDateTimes } from '../../common/time';
import { captureContext, captureDocument, captureDocuments, describeValue, invokeStrategy, type BoundBinding } from './bound-binding';
import { bindingPatch, encodeCursor, isCursorOfKind, type CursorValue } from './state-codec';
import type { Task } from './task';

/**
 * Drives an `@Incremental` strategy as the Python CDK's incremental task does: documents then a
 * cursor make a checkpoint; an invocation with checkpoints is re-invoked at once (datetime cursors:
 * only while they lag more than `interval`); one without waits `interval`.
 */
export async function runIncremental(task: Task, b: BoundBinding, start: CursorValue, subtask: string | undefined): Promise<void> {
  const strategy = b.def.incremental!;
  const kind = strategy.cursor;
  const where = `${strategy.where}${subtask === undefined ? '' : ` (subtask ${subtask})`}`;
  let cursor = start;
  let sleepMs = 0;
  task.log.info({ cursor: encodeCursor(cursor), subtask }, 'resuming incremental replication');
  if (cursor instanceof Date) {
    const lag = Date.now() - cursor.getTime();
    if (lag < b.intervalMs) sleepMs = b.intervalMs - lag;
  }
  for (;;) {
    if (await task.stop.sleep(sleepMs)) return;
    let checkpoints = 0;
    let pending = false;
    const ctx = captureContext(task, b, subtask, false);
    for await (const item of invokeStrategy(b, strategy.method, where, [cursor, ctx])) {
      if (isBackfillTrigger(item)) {
        task.log.info({ subtask }, 'incremental task triggered backfill');
        task.stop.stop(`${b.name} requested a re-backfill`);
        await task.checkpoint({ backfillRequests: { [b.stateKey]: true } });
        return;
      }
      if (isDocumentPage(kind, item)) {
        captureDocuments(task, b, item, where);
        if (item.length > 0) pending = true;
      } else if (isCursorCandidate(item)) {
        checkCursor(kind, cursor, item, where);
        cursor = item as CursorValue;
        await task.checkpoint(bindingPatch(b.stateKey, 'inc', subtask, { cursor: encodeCursor(cursor) }));
        checkpoints++;
        pending = false;
      } else if (item !== null && typeof item === 'object') {
        captureDocument(task, b, item);
        pending = true;
      } else {
        throw new CaptureError(`${where} yielded ${describeValue(item)}, which is neither a document (an object, or an array of them) nor a ${kind} cursor`);
      }
    }
    if (pending) {
      throw new CaptureError(`${where} yielded documents without a final cursor; yield the cursor after them to checkpoint`);
    }
    if (checkpoints === 0) sleepMs = b.intervalMs;
    else if (cursor instanceof Date) {
      const lag = Date.now() - cursor.getTime();
      sleepMs = lag > b.intervalMs ? 0 : b.intervalMs - lag;
    } else sleepMs = 0;
    if (task.stop.stopping) return;
  }
}

/**
 * An array is a page of documents, except under a `string-tuple` cursor, where it is a cursor unless
 * its first element is a document (a tuple cursor holds strings and numbers).
 */
function isDocumentPage(kind: CursorKind, item: unknown): item is readonly unknown[] {
  if (!Array.isArray(item)) return false;
  if (kind !== 'string-tuple') return true;
  const first: unknown = item[0];
  return first !== null && typeof first === 'object' && !(first instanceof Date);
}

/** Anything but a document: cursors, and mistakes (strings, booleans) that checkCursor names. */
function isCursorCandidate(item: unknown): boolean {
  return item instanceof Date || Array.isArray(item) || (item !== undefined && typeof item !== 'object' && typeof item !== 'function');
}

function checkCursor(kind: CursorKind, prev: CursorValue, next: unknown, where: string): void {
  if (!isCursorOfKind(kind, next)) {
    throw new CaptureError(`${where} yielded cursor ${describeValue(next)}, which is not a ${kind} cursor as declared`);
  }
  if (kind === 'integer' && !((next as number) > (prev as number))) {
    throw new CaptureError(`${where} yielded cursor ${describeValue(next)}, which is not greater than the last cursor ${describeValue(prev)}; cursors must strictly increase`);
  }
  if (kind === 'datetime' && !(compareDateTimes(next as Date, prev as Date) > 0)) {
    throw new CaptureError(`${where} yielded cursor ${describeValue(next)}, which is not greater than the last cursor ${describeValue(prev)}; cursors must strictly increase`);
  }
}
