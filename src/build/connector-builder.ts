import { DefinitionError } from '../common/errors';
import { metadata, type Class, type CursorKind, type ResourceRecord, type StrategyRecord } from '../common/metadata';
import { isIsoDuration } from '../common/time';
import { ResourceConfig } from '../models';
import { SchemaBuilder } from '../schema/model-schema';
import type { ConnectorDefinition, ResourceDefinition, StrategyDefinition } from './definition';
import { buildWebhookResources, checkWebhookConflicts } from './webhook-builder';

const ROW_ID = '/_meta/row_id';
const REDUCTIONS = new Set(['append', 'firstWriteWins', 'lastWriteWins', 'merge', 'minimize', 'maximize', 'set', 'sum']);
const CURSOR_KINDS = new Set<unknown>(['integer', 'datetime', 'string-tuple']);

/**
 * Reads the metadata of a `@Connector` class and its resources and returns a frozen definition,
 * or throws one {@link DefinitionError} listing every problem, each naming the class and member
 * and how to fix it.
 */
export function buildConnector(cls: Class): ConnectorDefinition {
  const problems: string[] = [];
  const record = metadata.getConnector(cls);
  if (record === undefined) {
    throw new DefinitionError(cls.name, [`${cls.name} is not decorated with @Connector({ config, resources })`]);
  }
  problems.push(...metadata.getProblems(cls));
  if (typeof record.config !== 'function') {
    problems.push(`${cls.name} @Connector: config is missing; pass the endpoint config class, e.g. @Connector({ config: Config, ... })`);
  }
  const hooks: Record<string, string> = {};
  for (const kind of ['auth', 'discover', 'migrateConfig', 'validate'] as const) {
    const methods = metadata.getHooks(cls, kind);
    if (methods.length > 1) problems.push(`${cls.name}: ${methods.length} methods are marked as the ${kind} hook (${methods.join(', ')}); keep one`);
    const m = methods[0];
    if (m !== undefined) {
      if (typeof (cls.prototype as Record<string, unknown>)[m] !== 'function') problems.push(`${cls.name}.${m}: the ${kind} hook must be an instance method`);
      hooks[kind] = m;
    }
  }

  const resources: ResourceDefinition[] = [];
  const names = new Map<string, string>();
  for (const [i, rc] of record.resources.entries()) {
    if (typeof rc !== 'function') {
      problems.push(`${cls.name} @Connector: resources[${i}] is ${String(rc)}, not a class; check the import`);
      continue;
    }
    const defs = metadata.getResource(rc)?.webhook !== undefined ? buildWebhookResources(rc, problems) : [buildResource(rc, problems)];
    for (const def of defs) {
      if (def === undefined) continue;
      if (def.name === undefined && hooks.discover === undefined) {
        problems.push(`${rc.name} @Resource: name is missing; give it a name, or return it from a @DiscoverResources() method of ${cls.name}`);
      }
      if (def.name !== undefined) {
        const prev = names.get(def.name);
        if (prev !== undefined) problems.push(`${rc.name} @Resource: name '${def.name}' is also used by ${prev}; resource names must be unique`);
        names.set(def.name, rc.name);
      }
      resources.push(def);
    }
  }
  checkWebhookConflicts(resources, problems);

  if (problems.length > 0) throw new DefinitionError(cls.name, problems);
  const configClass = record.config as Class;
  const resourceConfigClass = record.resourceConfig ?? ResourceConfig;
  let configSchema: Record<string, unknown>;
  let resourceConfigSchema: Record<string, unknown>;
  try {
    configSchema = SchemaBuilder.build(configClass);
    resourceConfigSchema = SchemaBuilder.build(resourceConfigClass);
  } catch (err) {
    throw new DefinitionError(cls.name, [`building the config schemas failed: ${(err as Error).message}`]);
  }
  return deepFreeze({
    cls,
    name: cls.name,
    configClass,
    resourceConfigClass,
    resources,
    documentationUrl: record.documentationUrl ?? '',
    ...(record.oauth2 !== undefined ? { oauth2: record.oauth2 } : {}),
    hooks,
    configSchema,
    resourceConfigSchema,
  });
}

function buildResource(rc: Class, problems: string[]): ResourceDefinition | undefined {
  const r = metadata.getResource(rc);
  // Method decorators run before the class decorator: strategy problems first, as they were recorded.
  const recorded = metadata.getStrategies(rc);
  for (const s of recorded) checkStrategy(s, problems);
  if (r !== undefined) checkResourceOptions(rc, r, problems);
  problems.push(...metadata.getProblems(rc));
  if (r === undefined) {
    problems.push(`${rc.name} is listed as a resource but is not decorated with @Resource({ name, key, document })`);
    return undefined;
  }
  // A symbol-named method cannot be called by name: reported above and left out.
  const strategies = recorded.filter((s) => !s.member.symbolName);
  const byKind = new Map<string, StrategyDefinition>();
  for (const s of strategies) {
    const prev = byKind.get(s.kind);
    if (prev !== undefined) {
      const deco = s.kind === 'incremental' ? '@Incremental' : s.kind === 'backfill' ? '@Backfill' : '@Snapshot';
      problems.push(`${rc.name}: ${prev.method} and ${s.method} are both ${deco}; a resource has at most one strategy of each kind (use subtasks to fan out)`);
      continue;
    }
    byKind.set(s.kind, s);
  }
  if (strategies.length === 0) {
    problems.push(`${rc.name} @Resource: it has no capture strategy; decorate an async generator method with @Incremental, @Backfill or @Snapshot`);
  }
  const snapshot = byKind.get('snapshot');
  const incremental = byKind.get('incremental');
  const backfill = byKind.get('backfill');
  let key = r.key;
  if (snapshot !== undefined) {
    if (key === undefined) key = [ROW_ID];
    else if (!key.includes(ROW_ID)) {
      problems.push(`${rc.name} @Resource: key ${JSON.stringify(key)} does not include '${ROW_ID}', which a @Snapshot resource (${rc.name}.${snapshot.method}) must be keyed on; add it to key`);
    }
    if (incremental !== undefined || backfill !== undefined) {
      problems.push(`${rc.name}: @Snapshot (${snapshot.method}) cannot be combined with @Incremental or @Backfill on one resource; split it into two resources`);
    }
    if (snapshot.subtasks !== undefined && (key.length < 2 || snapshot.tombstone === undefined)) {
      problems.push(`${rc.name}.${snapshot.method} @Snapshot: subtasks need a compound key (${ROW_ID} plus a discriminator) and a tombstone(subtask) option carrying the discriminator`);
    }
  } else if (key === undefined && strategies.length > 0) {
    problems.push(`${rc.name} @Resource: key is missing; give the collection key as JSON pointers, e.g. key: ['/id']`);
  }
  if (r.document !== undefined && typeof r.document !== 'function') {
    problems.push(`${rc.name} @Resource: document is not a class; check the import`);
  }
  return {
    cls: rc,
    ...(r.name !== undefined ? { name: r.name } : {}),
    ...(key !== undefined ? { key } : {}),
    ...(r.document !== undefined ? { document: r.document } : {}),
    ...(r.schema !== undefined ? { schema: r.schema } : {}),
    interval: r.interval ?? 'PT0S',
    schemaInference: r.schemaInference,
    ...(r.reduction !== undefined ? { reduction: r.reduction } : {}),
    disable: r.disable,
    explicitAcks: r.explicitAcks,
    resourceConfigDefaults: r.resourceConfigDefaults ?? {},
    ...(incremental !== undefined ? { incremental: incremental as StrategyDefinition & { cursor: CursorKind } } : {}),
    ...(backfill !== undefined ? { backfill } : {}),
    ...(snapshot !== undefined ? { snapshot } : {}),
  };
}

/** The checks of one `@Incremental`/`@Backfill`/`@Snapshot` method: its options, then its shape. */
function checkStrategy(s: StrategyRecord, problems: string[]): void {
  if (s.kind === 'incremental') {
    if (!CURSOR_KINDS.has(s.cursor)) {
      problems.push(`${s.where}: cursor must be 'integer', 'datetime' or 'string-tuple', got ${JSON.stringify(s.cursor)}`);
    }
    if (typeof s.initial !== 'function') {
      problems.push(`${s.where}: initial must be a function returning the first cursor, e.g. initial: () => new Date()`);
    }
  }
  if (s.member.isStatic) problems.push(`${s.where}: strategies must be instance methods, not static; remove 'static'`);
  if (s.member.symbolName) {
    problems.push(`${s.where}: a strategy must have a string name`);
    return;
  }
  if (!isAsyncGeneratorFunction(s.member.value)) {
    problems.push(`${s.where}: the method must be an async generator; declare it as 'async *${s.method}(...)' and yield documents and cursors`);
  }
}

/** The checks of a `@Resource` decorator's options, as given. */
function checkResourceOptions(rc: Class, r: ResourceRecord, problems: string[]): void {
  const where = `${rc.name} @Resource`;
  if (r.name !== undefined && (typeof r.name !== 'string' || r.name.length === 0)) {
    problems.push(`${where}: name must be a non-empty string`);
  }
  if (r.key !== undefined) {
    if (!Array.isArray(r.key) || r.key.length === 0) {
      problems.push(`${where}: key must be a non-empty array of JSON pointers such as ['/id']`);
    } else {
      for (const k of r.key as readonly unknown[]) {
        if (typeof k !== 'string' || !k.startsWith('/')) {
          problems.push(`${where}: key entry ${JSON.stringify(k)} is not a JSON pointer; write it as '/${String(k).replace(/^\/*/, '')}'`);
        }
      }
    }
  }
  if (r.interval !== undefined && !isIsoDuration(r.interval)) {
    problems.push(`${where}: interval "${r.interval}" is not an ISO 8601 duration such as 'PT5M'`);
  }
  if (r.reduction !== undefined && !REDUCTIONS.has(r.reduction)) {
    problems.push(`${where}: reduction "${r.reduction}" is not one of ${[...REDUCTIONS].join(', ')}`);
  }
  if (r.document !== undefined && r.schema !== undefined) {
    problems.push(`${where}: give either document or schema, not both`);
  }
}

/** True for `async function*` methods (the only shape a strategy may have). */
function isAsyncGeneratorFunction(fn: unknown): boolean {
  return typeof fn === 'function' && Object.prototype.toString.call(fn) === '[object AsyncGeneratorFunction]';
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) if (typeof v !== 'function') deepFreeze(v);
  }
  return value;
}
