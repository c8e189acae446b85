import type { Class, CursorKind, StrategyRecord } from '../common/metadata';
import type { JsonSchema } from '../schema/model-schema';
import type { NormalRule } from '../common/webhook-match';

/** A strategy of a resource, as the capture engine drives it. */
export type StrategyDefinition = StrategyRecord;

/** A resource class with everything the server (src/runtime) needs to discover and capture it. */
export interface ResourceDefinition {
  readonly cls: Class;
  readonly name?: string;
  readonly key?: readonly string[];
  readonly document?: Class;
  readonly schema?: JsonSchema;
  readonly interval: string;
  readonly schemaInference: boolean;
  readonly reduction?: string;
  readonly disable: boolean;
  readonly explicitAcks: boolean;
  readonly resourceConfigDefaults: Readonly<Record<string, unknown>>;
  readonly incremental?: StrategyDefinition & { readonly cursor: CursorKind };
  readonly backfill?: StrategyDefinition;
  readonly snapshot?: StrategyDefinition;
  /** Set for `@Webhook` resources: the rule routing requests to this binding. */
  readonly webhook?: { readonly rule: NormalRule };
}

/** A connector class turned into a frozen, checked definition by {@link buildConnector}. */
export interface ConnectorDefinition {
  readonly cls: Class;
  readonly name: string;
  readonly configClass: Class<object>;
  readonly resourceConfigClass: Class;
  readonly resources: readonly ResourceDefinition[];
  readonly documentationUrl: string;
  readonly oauth2?: Readonly<Record<string, unknown>>;
  readonly hooks: Readonly<{ auth?: string; discover?: string; migrateConfig?: string; validate?: string }>;
  readonly configSchema: JsonSchema;
  readonly resourceConfigSchema: JsonSchema;
}

/**
 * A resource known only at run time, returned by a `@DiscoverResources()` method: a `@Resource`
 * class with its own name, key, schema and params (which reach the resource via `BindingContext`).
 */
export interface ResourceInstance<Params = unknown> {
  resource: Class;
  name: string;
  key?: string[];
  schema?: JsonSchema;
  document?: Class;
  params?: Params;
  interval?: string;
  disable?: boolean;
}
