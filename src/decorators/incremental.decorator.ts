import type { CursorKind } from '../common/metadata';
import { recordStrategy } from './strategy-recorder';
import type { StrategyOptionContext, SubtaskOption } from './strategy-options';

/** Options of {@link Incremental}. */
export interface IncrementalOptions {
  /** The cursor type: `integer`, `datetime` (a `Date`) or `string-tuple` (a `string[]`). */
  cursor: CursorKind;
  /** The cursor a new binding starts from; for `datetime`, typically `() => new Date()`. */
  initial: (ctx: StrategyOptionContext) => number | Date | readonly (string | number)[];
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
export function Incremental(options: IncrementalOptions): MethodDecorator {
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
