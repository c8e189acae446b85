import { metadata, type Class } from '../common/metadata';

/** Reduction strategies Flow knows, as the Python CDK's `ReductionStrategy`. */
export type ReductionStrategy = 'append' | 'firstWriteWins' | 'lastWriteWins' | 'merge' | 'minimize' | 'maximize' | 'set' | 'sum';

/** Options of {@link Resource}. */
export interface ResourceOptions {
  /** Resource (and recommended collection) name; omit for a template used by run-time discovery. */
  name?: string;
  /** Collection key as JSON pointers, e.g. `['/id']`. Snapshot resources default to `['/_meta/row_id']`. */
  key?: string[];
  /** The document model; its schema becomes the collection's document schema. */
  document?: Class;
  /** A fixed JSON schema to use instead of a model's (Python's `FixedSchema`). */
  schema?: Record<string, unknown>;
  /** Default polling interval as an ISO 8601 duration (`PT5M`); `PT0S` when omitted. */
  interval?: string;
  /** Whether Flow infers the schema beyond the declared one (default true). */
  schemaInference?: boolean;
  /** Reduction strategy of the collection's documents. */
  reduction?: ReductionStrategy;
  /** Discovered as disabled. */
  disable?: boolean;
  /** The resource's checkpoints wait for Flow's acknowledgements. */
  explicitAcks?: boolean;
  /** Extra fields of the discovered resource config, e.g. `{ schedule: '0 0 * * *' }`. */
  resourceConfigDefaults?: Record<string, unknown>;
}

/**
 * Declares a capturable resource. Its methods decorated with `@Incremental`, `@Backfill` or
 * `@Snapshot` fetch its documents; its constructor receives dependencies from the container.
 *
 * @example
 * @Resource({ name: 'orders', key: ['/id'], document: Order, interval: 'PT5M' })
 * export class Orders { constructor(private readonly api: ShopApi) {} }
 */
export function Resource(options: ResourceOptions = {}): ClassDecorator {
  return (target) => {
    const cls = target as unknown as Class;
    // Recorded as given; buildConnector checks the options and reports every problem at once.
    metadata.setResource({
      target: cls,
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.key !== undefined ? { key: Array.isArray(options.key) ? [...options.key] : options.key } : {}),
      ...(options.document !== undefined ? { document: options.document } : {}),
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
      ...(options.interval !== undefined ? { interval: options.interval } : {}),
      schemaInference: options.schemaInference ?? true,
      ...(options.reduction !== undefined ? { reduction: options.reduction } : {}),
      disable: options.disable ?? false,
      explicitAcks: options.explicitAcks ?? false,
      ...(options.resourceConfigDefaults !== undefined ? { resourceConfigDefaults: options.resourceConfigDefaults } : {}),
    });
  };
}
