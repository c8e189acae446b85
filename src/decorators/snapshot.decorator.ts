import { recordStrategy } from './strategy-recorder';
import type { SubtaskOption } from './strategy-options';

/**
 * Options of {@link Snapshot}. `Config` is the endpoint config type `subtasks` receives: fixed by
 * {@link forConfig}, or inferred from an annotated callback parameter, else `unknown`.
 */
export interface SnapshotOptions<Config = unknown, Params = unknown> {
  /** Run as independent subtasks; the collection key then needs a discriminator beside `/_meta/row_id`. */
  subtasks?: SubtaskOption<Config, Params>;
  /**
   * The tombstone emitted for rows that disappeared, carrying every key field other than
   * `/_meta/row_id` (needed with subtasks, where it names the subtask's discriminator).
   */
  tombstone?: (subtask: string | undefined) => Record<string, unknown>;
}

/** The decorator {@link Snapshot} returns: it accepts a method returning an `AsyncIterable`. */
export type SnapshotDecorator = <M extends (...args: never[]) => AsyncIterable<unknown>>(target: object, property: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

/**
 * Marks an async generator method as the resource's snapshot (Python's FetchSnapshotFn): every
 * `interval` it yields the whole resource, in a stable order. An unchanged snapshot emits nothing;
 * rows that disappeared become deletions. The resource must be keyed on `/_meta/row_id`.
 *
 * @example
 * @Snapshot()
 * async *all(): AsyncIterable<Survey> { yield* this.api.surveys(); }
 */
export function Snapshot<Config = unknown, Params = unknown>(options: SnapshotOptions<Config, Params> = {}): SnapshotDecorator {
  // Typed against the method: an async generator (or any method returning an AsyncIterable).
  return (target, property, descriptor) => {
    recordStrategy('@Snapshot', target, property, descriptor, {
      kind: 'snapshot',
      // The runtime calls `subtasks` with the connector's validated config, the type the author named.
      ...(options.subtasks !== undefined ? { subtasks: options.subtasks as SubtaskOption } : {}),
      ...(options.tombstone !== undefined ? { tombstone: options.tombstone } : {}),
    });
  };
}
