import { recordStrategy } from './strategy-recorder';
import type { SubtaskOption } from './strategy-options';

/** Options of {@link Snapshot}. */
export interface SnapshotOptions {
  /** Run as independent subtasks; the collection key then needs a discriminator beside `/_meta/row_id`. */
  subtasks?: SubtaskOption;
  /**
   * The tombstone emitted for rows that disappeared, carrying every key field other than
   * `/_meta/row_id` (needed with subtasks, where it names the subtask's discriminator).
   */
  tombstone?: (subtask: string | undefined) => Record<string, unknown>;
}

/**
 * Marks an async generator method as the resource's snapshot (Python's FetchSnapshotFn): every
 * `interval` it yields the whole resource, in a stable order. An unchanged snapshot emits nothing;
 * rows that disappeared become deletions. The resource must be keyed on `/_meta/row_id`.
 *
 * @example
 * @Snapshot()
 * async *all(): AsyncIterable<Survey> { yield* this.api.surveys(); }
 */
export function Snapshot(
  options: SnapshotOptions = {},
): <M extends (...args: never[]) => AsyncIterable<unknown>>(target: object, property: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void {
  // Typed against the method: an async generator (or any method returning an AsyncIterable).
  return (target, property, descriptor) => {
    recordStrategy('@Snapshot', target, property, descriptor, {
      kind: 'snapshot',
      ...(options.subtasks !== undefined ? { subtasks: options.subtasks } : {}),
      ...(options.tombstone !== undefined ? { tombstone: options.tombstone } : {}),
    });
  };
}
