import { ConfigError } from '../common/errors';
import { ConnectorLaunch } from './connector-process';
import { CatalogError, ConnectorProtocolError } from './harness-errors';
import { isJsonObject, JsonObject, resolvePointer, sortKeys } from './json-utils';
import { DiscoveredBinding, SpecResponse } from '../protocol';
import { createAjv, describeAjvError, formatViolation, withoutMetaSchema } from './schema-validator';
import { encodeStateKey } from './state-key';
import { callUnary } from './unary-rpc';

/** A binding to capture, as a catalog or a test names it; schema and key default to discovery's. */
export interface BindingRequest {
  /** The resource config, e.g. `{ name: 'users' }`. */
  resource: JsonObject;
  /** Target collection name; defaults to `<capture prefix>/<recommended name>` from discovery. */
  target?: string;
  /** The collection's (write) schema; discovered when absent. */
  schema?: unknown;
  /** The collection key as JSON pointers; discovered when absent. */
  key?: string[];
  /** The binding's backfill counter (changes its state key). */
  backfill?: number;
  /** Disabled bindings are left out, as Flow does. */
  disable?: boolean;
}

/** A binding as the capture runs it, after discovery and validation. */
export interface PreviewBinding {
  index: number;
  collection: string;
  resourceConfig: JsonObject;
  resourcePath: string[];
  stateKey: string;
  backfill: number;
  key: string[];
  writeSchema: unknown;
}

/** Everything the harness learned before opening sessions. */
export interface ResolvedTask {
  captureName: string;
  config: unknown;
  spec: SpecResponse;
  bindings: PreviewBinding[];
  /** Set when discovery ran. */
  discovered?: DiscoveredBinding[];
}

/**
 * Validates an endpoint config against the connector's config schema, listing each failing field and rule.
 *
 * @throws ConfigError when the config does not match.
 */
export function validateConfig(configSchema: unknown, config: unknown): void {
  const ajv = createAjv(true);
  const validate = ajv.compile(withoutMetaSchema(configSchema) as object);
  if (validate(config)) return;
  const problems = (validate.errors ?? [])
    .filter((e) => !['if', 'anyOf', 'oneOf', 'allOf'].includes(e.keyword) || (validate.errors ?? []).length === 1)
    .map((e) => formatViolation(describeAjvError(e)));
  throw new ConfigError('endpoint config', problems.length > 0 ? problems : ['does not match the config schema']);
}

function resourceIdentity(resource: JsonObject, pointers: string[]): string {
  if (pointers.length === 0) return JSON.stringify(sortKeys(resource));
  return JSON.stringify(pointers.map((p) => resolvePointer(resource, p) ?? null));
}

function describeResource(resource: JsonObject): string {
  return JSON.stringify(resource);
}

/**
 * Runs spec, (discover,) and validate as the control plane and `flowctl preview` do, and derives each
 * binding's state key from the validated resource path.
 */
export async function resolveTask(input: { captureName: string; launch: ConnectorLaunch; config: unknown; bindings?: BindingRequest[] }): Promise<ResolvedTask> {
  const { launch, config, captureName } = input;
  const specResponse = await callUnary<'spec'>(launch, 'spec', { connectorType: 'LOCAL', config });
  const spec = specResponse.spec;
  validateConfig(spec.configSchema, config);

  const requested = (input.bindings ?? []).filter((b) => b.disable !== true);
  const needsDiscovery = requested.length === 0 || requested.some((b) => b.schema === undefined || b.key === undefined);
  let discovered: DiscoveredBinding[] | undefined;
  if (needsDiscovery) {
    discovered = (await callUnary<'discovered'>(launch, 'discover', { connectorType: 'LOCAL', config })).bindings;
  }

  const prefix = captureName.includes('/') ? captureName.slice(0, captureName.lastIndexOf('/') + 1) : 'acmeCo/';
  let chosen: Array<{ resource: JsonObject; collection: string; schema: unknown; key: string[]; backfill: number }>;
  if (requested.length === 0) {
    chosen = (discovered ?? []).filter((d) => !d.disable).map((d) => ({ resource: d.resourceConfig, collection: prefix + d.recommendedName, schema: d.documentSchema, key: d.key, backfill: 0 }));
    if (chosen.length === 0) throw new CatalogError('the connector discovered no enabled bindings, so there is nothing to capture');
  } else {
    const byIdentity = new Map((discovered ?? []).map((d) => [resourceIdentity(d.resourceConfig, spec.resourcePathPointers), d]));
    chosen = requested.map((b, i) => {
      const found = byIdentity.get(resourceIdentity(b.resource, spec.resourcePathPointers));
      if ((b.schema === undefined || b.key === undefined) && !found) {
        throw new CatalogError(`binding ${i} (resource ${describeResource(b.resource)}) has no collection schema and was not found among the connector's discovered bindings`);
      }
      return {
        resource: b.resource,
        collection: b.target ?? prefix + (found?.recommendedName ?? `binding${i}`),
        schema: b.schema ?? found!.documentSchema,
        key: b.key ?? found!.key,
        backfill: b.backfill ?? 0,
      };
    });
  }
  chosen.forEach((c) => {
    if (c.key.length === 0) throw new CatalogError(`collection ${c.collection} has no key`);
    if (!isJsonObject(c.schema) && c.schema !== true) throw new CatalogError(`collection ${c.collection} has no usable schema`);
  });

  const validated = await callUnary<'validated'>(launch, 'validate', {
    name: captureName,
    connectorType: 'LOCAL',
    config,
    bindings: chosen.map((c) => ({
      resourceConfig: c.resource,
      collection: { name: c.collection, writeSchema: c.schema, key: c.key, uuidPtr: '/_meta/uuid' },
      ...(c.backfill !== 0 ? { backfill: c.backfill } : {}),
    })),
  });
  if (validated.bindings.length !== chosen.length) {
    throw new ConnectorProtocolError(`validated response has ${validated.bindings.length} bindings but ${chosen.length} were requested; each binding needs one, in order`);
  }
  const paths = new Set<string>();
  const bindings = chosen.map((c, index): PreviewBinding => {
    const resourcePath = validated.bindings[index]!.resourcePath;
    const id = JSON.stringify(resourcePath);
    if (paths.has(id)) throw new ConnectorProtocolError(`validated bindings repeat the resource path ${id}; each must be unique`);
    paths.add(id);
    return {
      index,
      collection: c.collection,
      resourceConfig: c.resource,
      resourcePath,
      stateKey: encodeStateKey(resourcePath, c.backfill),
      backfill: c.backfill,
      key: c.key,
      writeSchema: c.schema,
    };
  });
  return { captureName, config, spec, bindings, discovered };
}
