import type { CursorKind } from '../common/metadata';
import { recordStrategy } from './strategy-recorder';
import type { CursorTypes, StrategyDescriptor, StrategyOptionContext, SubtaskOption } from './strategy-options';

/**
 * Options of {@link Incremental}. `Config` is the endpoint config type the callbacks receive: fixed by
 * {@link forConfig}, or inferred from an annotated callback parameter, else `unknown`.
 */
export interface IncrementalOptions<K extends CursorKind = CursorKind, Config = unknown, Params = unknown> {
  /** The cursor type: `integer` (a number), `datetime` (a `Date`) or `string-tuple` (a `string[]`). */
  cursor: K;
  /** The cursor a new binding starts from, of the cursor's type; for `datetime`, typically `() => new Date()`. */
  initial: (ctx: StrategyOptionContext<Config, Params>) => CursorTypes[K];
  /** Run as independent subtasks, each with its own cursor under `inc.<subtask>`. */
  subtasks?: SubtaskOption<Config, Params>;
}

/** The decorator {@link Incremental} returns: it accepts a method taking and yielding the cursor of kind `K`. */
export type IncrementalDecorator<K extends CursorKind> = <M extends (since: CursorTypes[K], ...rest: never[]) => AsyncIterable<unknown>>(
  target: object,
  property: string | symbol,
  descriptor: StrategyDescriptor<M, CursorTypes[K]>,
) => void;

/**
 * Marks an async generator method as the resource's incremental strategy (Python's FetchChangesFn).
 * It is called with the last cursor and yields documents followed by a cursor; each cursor
 * checkpoints the documents before it. Integer and datetime cursors must strictly increase.
 *
 * @example
 * @Incremental({ cursor: 'datetime', initial: () => new Date() })
 * async *changes(since: Date): AsyncIterable<Order | Date> { ... }
 *
 * // With the config's fields in `initial`, take the decorator from forConfig(EndpointConfig):
 * @Incremental({ cursor: 'datetime', initial: ({ config }) => new Date(config.start_date) })
 */
export function Incremental<K extends CursorKind, Config = unknown, Params = unknown>(options: IncrementalOptions<K, Config, Params>): IncrementalDecorator<K> {
  // Typed against the method: it takes the cursor first and yields documents and cursors of that type.
  return (target, property, descriptor) => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks values from untyped JavaScript callers
    const given: Partial<IncrementalOptions<K, Config, Params>> = options ?? {};
    recordStrategy('@Incremental', target, property, descriptor, {
      kind: 'incremental',
      cursor: given.cursor,
      // The runtime calls these with the connector's validated config, the type the author named.
      initial: given.initial as ((ctx: { config: unknown; params: unknown }) => unknown) | undefined,
      ...(given.subtasks !== undefined ? { subtasks: given.subtasks as SubtaskOption } : {}),
    });
  };
}
