import { CaptureError } from '../../common/errors';
import { formatDateTime, parseDateTime } from '../../common/time';
import { captureContext, checkDocument, describeValue, invokeStrategy, type BoundBinding } from './bound-binding';
import { bindingPatch } from './state-codec';
import { ModelJsonWriter } from '../../schema/model-json';
import type { Task } from './task';

/** The snapshot state of a binding (or subtask), as the Python CDK stores it. */
export interface SnapshotState {
  updated_at: string;
  last_count: number;
  last_digest: string;
}

/** Reads a stored snapshot state, or the initial one. */
export function snapshotState(stored: unknown): SnapshotState {
  if (stored !== null && typeof stored === 'object') {
    const s = stored as Partial<SnapshotState>;
    return {
      updated_at: formatDateTime(parseDateTime(s.updated_at ?? '1970-01-01T00:00:00Z')),
      last_count: typeof s.last_count === 'number' ? s.last_count : 0,
      last_digest: typeof s.last_digest === 'string' ? s.last_digest : '',
    };
  }
  return { updated_at: '1970-01-01T00:00:00Z', last_count: 0, last_digest: '' };
}

/**
 * Drives a `@Snapshot` strategy as the Python CDK's snapshot task does: every `interval`, capture
 * all rows with `_meta.row_id` 0..n-1 and `op` c/u; when the xxh3-128 digest of the emitted lines
 * is unchanged, discard them and only checkpoint; otherwise emit tombstones for rows n..last-1.
 */
export async function runSnapshot(task: Task, b: BoundBinding, state: SnapshotState, subtask: string | undefined): Promise<void> {
  const strategy = b.def.snapshot!;
  const where = `${strategy.where}${subtask === undefined ? '' : ` (subtask ${subtask})`}`;
  const tombstoneBase = strategy.tombstone?.(subtask) ?? {};
  await task.enableDigest();
  for (;;) {
    const next = parseDateTime(state.updated_at).getTime() + b.intervalMs;
    if (await task.stop.sleep(next - Date.now())) return;
    if (task.stop.stopping) return;
    state.updated_at = formatDateTime(new Date());
    let count = 0;
    const ctx = captureContext(task, b, subtask, false);
    /** Captures one row; `at` is its index when it came in an array. */
    const row = (item: unknown, at?: number): void => {
      if (item === null || typeof item !== 'object' || Array.isArray(item) || item instanceof Date) {
        const what = at === undefined ? describeValue(item) : `an array holding ${describeValue(item)} at index ${String(at)}`;
        throw new CaptureError(`${where} yielded ${what}; a snapshot yields only documents (objects, or arrays of them)`);
      }
      const src = item as Record<string, unknown>;
      const prevMeta = src._meta !== null && typeof src._meta === 'object' ? (src._meta as Record<string, unknown>) : {};
      // `_meta` goes first, where a Pydantic model puts it, so equal rows give equal bytes and digests.
      const doc: Record<string, unknown> = { _meta: undefined, ...src };
      doc._meta = { ...prevMeta, op: count < state.last_count ? 'u' : 'c', row_id: count };
      checkDocument(b, b.index, doc);
      task.captured(b.index, doc, ModelJsonWriter.forDocument(src, b.documents[b.index]));
      count++;
    };
    for await (const item of invokeStrategy(b, strategy.method, where, [ctx])) {
      if (!Array.isArray(item)) row(item);
      // A page of rows: one step of the iteration for all of them.
      else for (let i = 0; i < item.length; i++) row(item[i], i);
    }
    const digest = task.pendingDigest();
    task.log.debug({ count, digest, last_count: state.last_count, last_digest: state.last_digest }, 'polled snapshot');
    if (digest !== state.last_digest) {
      const tombstoneWriter = ModelJsonWriter.forDocument(tombstoneBase, b.documents[b.index]);
      for (let id = count; id < state.last_count; id++) {
        task.captured(b.index, { _meta: { op: 'd', row_id: id }, ...withoutMeta(tombstoneBase) }, tombstoneWriter);
      }
      state.last_count = count;
      state.last_digest = digest;
    } else {
      task.reset();
    }
    await task.checkpoint(bindingPatch(b.stateKey, 'snapshot', subtask, { ...state }));
  }
}

function withoutMeta(o: Record<string, unknown>): Record<string, unknown> {
  const { _meta: _ignored, ...rest } = o;
  return rest;
}
