import { recordStrategy } from './strategy-recorder';
import type { StrategyOptionContext, SubtaskOption } from './strategy-options';

/**
 * Options of {@link Backfill}. `Config` is the endpoint config type the callbacks receive: fixed by
 * {@link forConfig}, or inferred from an annotated callback parameter, else `unknown`.
 */
export interface BackfillOptions<Config = unknown, Params = unknown> {
  /** Run as independent subtasks, each with its own page cursor under `backfill.<subtask>`. */
  subtasks?: SubtaskOption<Config, Params>;
  /**
   * The cutoff when the resource has no incremental strategy to take it from
   * (defaults to the time the binding was initialized).
   */
  cutoff?: (ctx: StrategyOptionContext<Config, Params>) => number | Date | readonly (string | number)[];
}

/** The decorator {@link Backfill} returns: it accepts a method whose page parameter accepts `undefined`. */
export type BackfillDecorator = <M extends (page: undefined, ...rest: never[]) => AsyncIterable<unknown>>(target: object, property: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

/**
 * Marks an async generator method as the resource's backfill (Python's FetchPageFn). It is called
 * with the page cursor (`undefined` to start), the cutoff where incremental capture began, and a
 * context (`ctx.connectorInitiated` tells a scheduled re-backfill). It yields documents then a page
 * cursor to checkpoint them, and returns when the backfill is complete.
 *
 * @example
 * @Backfill()
 * async *pages(page: number | undefined, cutoff: Date): AsyncIterable<Order | number> { ... }
 */
export function Backfill<Config = unknown, Params = unknown>(options: BackfillOptions<Config, Params> = {}): BackfillDecorator {
  // Typed against the method: its first call gets no page, so the page parameter must accept undefined.
  return (target, property, descriptor) => {
    recordStrategy('@Backfill', target, property, descriptor, {
      kind: 'backfill',
      // The runtime calls these with the connector's validated config, the type the author named.
      ...(options.subtasks !== undefined ? { subtasks: options.subtasks as SubtaskOption } : {}),
      ...(options.cutoff !== undefined ? { cutoff: options.cutoff as (ctx: StrategyOptionContext) => unknown } : {}),
    });
  };
}
