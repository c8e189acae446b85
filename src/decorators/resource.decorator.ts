import { metadata, type Class } from '../common/metadata';
import { isIsoDuration } from '../common/time';
import { reportProblem } from './decorator-utils';

/** Reduction strategies Flow knows, as the Python CDK's `ReductionStrategy`. */
export type ReductionStrategy =
  | 'append'
  | 'firstWriteWins'
  | 'lastWriteWins'
  | 'merge'
  | 'minimize'
  | 'maximize'
  | 'set'
  | 'sum';

const STRATEGIES = new Set(['append', 'firstWriteWins', 'lastWriteWins', 'merge', 'minimize', 'maximize', 'set', 'sum']);

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
  /** Resource config model for this resource (defaults to the connector's). */
  resourceConfig?: Class;
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
    const where = `${cls.name} @Resource`;
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
      reportProblem(cls, `${where}: name must be a non-empty string`);
    }
    if (options.key !== undefined) {
      if (!Array.isArray(options.key) || options.key.length === 0) {
        reportProblem(cls, `${where}: key must be a non-empty array of JSON pointers such as ['/id']`);
      } else {
        for (const k of options.key) {
          if (typeof k !== 'string' || !k.startsWith('/')) {
            reportProblem(cls, `${where}: key entry ${JSON.stringify(k)} is not a JSON pointer; write it as '/${String(k).replace(/^\/*/, '')}'`);
          }
        }
      }
    }
    if (options.interval !== undefined && !isIsoDuration(options.interval)) {
      reportProblem(cls, `${where}: interval "${options.interval}" is not an ISO 8601 duration such as 'PT5M'`);
    }
    if (options.reduction !== undefined && !STRATEGIES.has(options.reduction)) {
      reportProblem(cls, `${where}: reduction "${options.reduction}" is not one of ${[...STRATEGIES].join(', ')}`);
    }
    if (options.document !== undefined && options.schema !== undefined) {
      reportProblem(cls, `${where}: give either document or schema, not both`);
    }
    metadata.setResource({
      target: cls,
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.key !== undefined ? { key: [...options.key] } : {}),
      ...(options.document !== undefined ? { document: options.document } : {}),
      ...(options.schema !== undefined ? { schema: options.schema } : {}),
      ...(options.interval !== undefined ? { interval: options.interval } : {}),
      schemaInference: options.schemaInference ?? true,
      ...(options.reduction !== undefined ? { reduction: options.reduction } : {}),
      disable: options.disable ?? false,
      explicitAcks: options.explicitAcks ?? false,
      ...(options.resourceConfig !== undefined ? { resourceConfig: options.resourceConfig } : {}),
      ...(options.resourceConfigDefaults !== undefined ? { resourceConfigDefaults: options.resourceConfigDefaults } : {}),
    });
  };
}
