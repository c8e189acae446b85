import type { CursorKind } from '../common/metadata';
import { recordStrategy } from './strategy-recorder';
import type { CursorTypes, StrategyDescriptor, StrategyOptionContext, SubtaskOption } from './strategy-options';

/** Options of {@link Incremental}. */
export interface IncrementalOptions<K extends CursorKind = CursorKind> {
  /** The cursor type: `integer` (a number), `datetime` (a `Date`) or `string-tuple` (a `string[]`). */
  cursor: K;
  /** The cursor a new binding starts from, of the cursor's type; for `datetime`, typically `() => new Date()`. */
  initial: (ctx: StrategyOptionContext) => CursorTypes[K];
  /** Run as independent subtasks, each with its own cursor under `inc.<subtask>`. */
  subtasks?: SubtaskOption;
}

/**
 * Marks an async generator method as the resource's incremental strategy (Python's FetchChangesFn).
 * It is called with the last cursor and yields documents followed by a cursor; each cursor
 * checkpoints the documents before it. Integer and datetime cursors must strictly increase.
 *
 * @example
 * @Incremental({ cursor: 'datetime', initial: () => new Date() })
 * async *changes(since: Date): AsyncIterable<Order | Date> { ... }
 */
export function Incremental<K extends CursorKind>(
  options: IncrementalOptions<K>,
): <M extends (since: CursorTypes[K], ...rest: never[]) => AsyncIterable<unknown>>(target: object, property: string | symbol, descriptor: StrategyDescriptor<M, CursorTypes[K]>) => void {
  // Typed against the method: it takes the cursor first and yields documents and cursors of that type.
  return (target, property, descriptor) => {
    recordStrategy('@Incremental', target, property, descriptor, {
      kind: 'incremental',
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks values from untyped JavaScript callers
      cursor: options?.cursor,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks values from untyped JavaScript callers
      initial: options?.initial,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks values from untyped JavaScript callers
      ...(options?.subtasks !== undefined ? { subtasks: options.subtasks } : {}),
    });
  };
}
