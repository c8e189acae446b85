/**
 * The metadata store: plain, readonly records written by decorators and read by the builder.
 * It lives on `globalThis` under a `Symbol.for` key so that a globally installed CLI and a
 * connector's local copy of estuary-cdk see the same records.
 */
import type { Class } from './types';

/** Schema annotations recorded for one property of a model class. */
export interface PropertyAnnotations {
  title?: string;
  description?: string;
  secret?: boolean;
  advanced?: boolean;
  order?: number;
  multiline?: boolean;
  default?: unknown;
  hasDefault?: boolean;
  /** The value may be null (Python's `Optional[T] = None`). */
  nullable?: boolean;
  format?: string;
  /** Choices for a property holding one of several model classes. */
  oneOf?: { classes: readonly Class[]; discriminator?: string };
  /** Element / nested type when emitted metadata cannot tell (arrays, unions). */
  itemType?: () => Class | SchemaPrimitive;
  /** How many class-validator entries the class had when this property was first annotated (orders properties). */
  position?: number;
  /** Extra JSON Schema keywords merged last. */
  extra?: Record<string, unknown>;
  /** JSON Schema `type` override for properties whose TS type is `unknown`/`object`. */
  schemaType?: SchemaPrimitive;
}

/** Primitive JSON Schema types a property may be declared as. */
export type SchemaPrimitive = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/** Class-level annotations of a model. */
export interface ModelAnnotations {
  /** The model's name under `$defs` (default: the class name). */
  name?: string;
  title?: string;
  description?: string;
  /** `true` (extra keys allowed), `false` (closed); undefined leaves it out. */
  additionalProperties?: boolean;
  oauth2Provider?: string;
  extra?: Record<string, unknown>;
}

/** The kinds of capture strategy a resource method can be. */
export type StrategyKind = 'incremental' | 'backfill' | 'snapshot';

/** Cursor kinds of an incremental strategy, as the Python CDK's `LogCursor` union. */
export type CursorKind = 'integer' | 'datetime' | 'string-tuple';

/** A strategy method recorded by `@Incremental`, `@Backfill` or `@Snapshot`. */
export interface StrategyRecord {
  readonly kind: StrategyKind;
  readonly method: string;
  readonly cursor?: CursorKind;
  readonly initial?: (ctx: { config: unknown; params: unknown }) => unknown;
  readonly subtasks?: readonly string[] | ((ctx: { config: unknown; params: unknown }) => readonly string[]);
  readonly tombstone?: (subtask: string | undefined) => Record<string, unknown>;
  readonly cutoff?: (ctx: { config: unknown; params: unknown }) => unknown;
  readonly where: string;
  /** The decorated member as found, for the build step to check its shape. */
  readonly member: { readonly value: unknown; readonly isStatic: boolean; readonly symbolName: boolean };
}

/** Options recorded by `@Resource`, as given: the build step checks them. */
export interface ResourceRecord {
  readonly target: Class;
  readonly name?: string;
  readonly key?: readonly string[];
  readonly document?: Class;
  readonly schema?: Record<string, unknown>;
  readonly interval?: string;
  readonly schemaInference: boolean;
  readonly reduction?: string;
  readonly disable: boolean;
  readonly explicitAcks: boolean;
  readonly resourceConfigDefaults?: Record<string, unknown>;
  /** Set by `@Webhook`: the resource receives HTTP requests; `match` is its rule or discriminator, as given. */
  readonly webhook?: { readonly match: unknown };
}

/** Options recorded by `@Connector`. */
export interface ConnectorRecord {
  readonly target: Class;
  readonly config?: Class;
  readonly resources: readonly Class[];
  readonly documentationUrl?: string;
  readonly oauth2?: Record<string, unknown>;
  readonly resourceConfig?: Class;
}

/** Method hooks on a connector class (`@Auth`, `@DiscoverResources`, `@MigrateConfig`, `@ValidateConfig`). */
export type HookKind = 'auth' | 'discover' | 'migrateConfig' | 'validate';

interface Store {
  connectors: Map<Class, ConnectorRecord>;
  resources: Map<Class, ResourceRecord>;
  strategies: Map<Class, StrategyRecord[]>;
  properties: Map<Class, Map<string, PropertyAnnotations>>;
  models: Map<Class, ModelAnnotations>;
  hooks: Map<Class, Map<HookKind, string[]>>;
  /** Problems found while decorating (bad options), reported by the builder. */
  problems: Map<Class, string[]>;
}

const STORE_KEY = Symbol.for('estuary-cdk.metadata.v1');
const BUILTINS_KEY = Symbol.for('estuary-cdk.metadata.v1.builtins');

function store(): Store {
  const g = globalThis as Record<symbol, unknown>;
  let s = g[STORE_KEY] as Store | undefined;
  if (s === undefined) {
    s = {
      connectors: new Map(),
      resources: new Map(),
      strategies: new Map(),
      properties: new Map(),
      models: new Map(),
      hooks: new Map(),
      problems: new Map(),
    };
    g[STORE_KEY] = s;
  }
  return s;
}

/** Reading and writing the metadata store. Decorators write; the builder reads. */
export const metadata = {
  setConnector(record: ConnectorRecord): void {
    store().connectors.set(record.target, Object.freeze({ ...record }));
  },
  getConnector(target: Class): ConnectorRecord | undefined {
    return store().connectors.get(target);
  },
  isConnector(target: unknown): target is Class {
    return typeof target === 'function' && store().connectors.has(target as Class);
  },
  setResource(record: ResourceRecord): void {
    store().resources.set(record.target, Object.freeze({ ...record }));
  },
  /** The resource record of `target`, or of its nearest decorated ancestor. */
  getResource(target: Class): ResourceRecord | undefined {
    for (const c of lineage(target)) {
      const r = store().resources.get(c);
      if (r !== undefined) return r;
    }
    return undefined;
  },
  addStrategy(target: Class, record: StrategyRecord): void {
    const list = store().strategies.get(target) ?? [];
    list.push(Object.freeze({ ...record }));
    store().strategies.set(target, list);
  },
  /** Strategies of `target` and its ancestors; a method redefined by a subclass wins. */
  getStrategies(target: Class): StrategyRecord[] {
    const seen = new Set<string>();
    const out: StrategyRecord[] = [];
    for (const c of lineage(target)) {
      for (const s of store().strategies.get(c) ?? []) {
        if (seen.has(s.method)) continue;
        seen.add(s.method);
        out.push(s);
      }
    }
    return out;
  },
  annotateProperty(target: Class, property: string, patch: PropertyAnnotations): void {
    let props = store().properties.get(target);
    if (props === undefined) store().properties.set(target, (props = new Map<string, PropertyAnnotations>()));
    props.set(property, Object.freeze({ ...props.get(property), ...patch }));
  },
  /** Property annotations of `target`, ancestors first, own annotations overriding. */
  getProperties(target: Class): Map<string, PropertyAnnotations> {
    const out = new Map<string, PropertyAnnotations>();
    for (const c of lineage(target).reverse()) {
      for (const [k, v] of store().properties.get(c) ?? []) out.set(k, { ...out.get(k), ...v });
    }
    return out;
  },
  annotateModel(target: Class, patch: ModelAnnotations): void {
    store().models.set(target, Object.freeze({ ...store().models.get(target), ...patch }));
  },
  /** Annotations recorded on `target` itself, without its ancestors'. */
  getOwnModel(target: Class): ModelAnnotations {
    return store().models.get(target) ?? {};
  },
  getModel(target: Class): ModelAnnotations {
    const out: ModelAnnotations = {};
    for (const c of lineage(target).reverse()) Object.assign(out, store().models.get(c));
    return out;
  },
  addHook(target: Class, kind: HookKind, method: string): void {
    let hooks = store().hooks.get(target);
    if (hooks === undefined) store().hooks.set(target, (hooks = new Map<HookKind, string[]>()));
    hooks.set(kind, [...(hooks.get(kind) ?? []), method]);
  },
  getHooks(target: Class, kind: HookKind): string[] {
    const out: string[] = [];
    for (const c of lineage(target)) for (const m of store().hooks.get(c)?.get(kind) ?? []) if (!out.includes(m)) out.push(m);
    return out;
  },
  addProblem(target: Class, problem: string): void {
    store().problems.set(target, [...(store().problems.get(target) ?? []), problem]);
  },
  getProblems(target: Class): string[] {
    return lineage(target).flatMap((c) => store().problems.get(c) ?? []);
  },
  /** Remembers what is recorded now (the framework's own models) so that {@link clear} keeps it. */
  sealBuiltins(): void {
    (globalThis as Record<symbol, unknown>)[BUILTINS_KEY] = copyStore(store());
  },
  /** Forgets everything recorded since the framework's own models were sealed (specs call this between tests). */
  clear(): void {
    const s = store();
    const builtins = (globalThis as Record<symbol, unknown>)[BUILTINS_KEY] as Store | undefined;
    for (const k of Object.keys(s) as (keyof Store)[]) {
      (s[k] as Map<unknown, unknown>).clear();
      for (const [key, v] of (builtins?.[k] as Map<unknown, unknown> | undefined) ?? []) (s[k] as Map<unknown, unknown>).set(key, v);
    }
  },
};

function copyStore(s: Store): Store {
  const out: Record<string, Map<unknown, unknown>> = {};
  for (const [k, v] of Object.entries(s)) out[k] = new Map(v as Map<unknown, unknown>);
  return out as unknown as Store;
}

/** `target` followed by its ancestors, nearest first, stopping before `Object`/`Function.prototype`. */
export function lineage(target: Class): Class[] {
  const out: Class[] = [];
  let c: unknown = target;
  while (typeof c === 'function' && c !== Function.prototype && c !== Object) {
    out.push(c as Class);
    c = Object.getPrototypeOf(c);
  }
  return out;
}

/** Clears the metadata store; call it in `beforeEach` of specs that declare decorated classes. */
export function clearMetadata(): void {
  metadata.clear();
}
