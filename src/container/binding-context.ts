import type { Logger } from '../common/logger';

/**
 * The binding being captured, injectable into resource classes and their collaborators:
 * `constructor(private readonly binding: BindingContext<MyParams>)`.
 */
export class BindingContext<Params = unknown, ResourceConfig = Record<string, unknown>> {
  constructor(
    /** Index of the binding in the `open` request. */
    readonly index: number,
    /** Name of the resource (its resource path). */
    readonly resourceName: string,
    /** The validated resource config of the binding. */
    readonly resourceConfig: ResourceConfig,
    /** The binding's state key, as the Flow runtime assigned it. */
    readonly stateKey: string,
    /** The collection the binding captures into. */
    readonly collection: { name: string; key: readonly string[] },
    /** Params a `@DiscoverResources()` method attached to the resource (undefined for static ones). */
    readonly params: Params,
    /** A logger scoped to the binding. */
    readonly log: Logger,
  ) {}
}
