import type { DependencyContainer } from 'tsyringe';
import { ConfigError, DefinitionError } from '../common/errors';
import type { Class } from '../common/metadata';
import { metadata } from '../common/metadata';
import { loadModel } from '../container/config-loader';
import type { ConnectorDefinition, ResourceDefinition, ResourceInstance } from '../build/definition';
import { documentSchema } from '../schema/document-schema';
import type { JsonSchema } from '../schema/model-schema';
import type { CaptureBindingSpec, DiscoveredBinding } from '../protocol';
import { parseIsoDuration } from '../common/time';
import { callHook, hasHook } from './connector-hooks';

/** A resource available in this run: a static one, or one returned by run-time discovery. */
export interface AvailableResource {
  readonly def: ResourceDefinition;
  readonly name: string;
  readonly key: readonly string[];
  readonly schema: JsonSchema;
  readonly params: unknown;
  readonly interval: string;
  readonly disable: boolean;
}

/** Lists every resource of the connector: static ones, then those its `@DiscoverResources()` method returns. */
export async function availableResources(def: ConnectorDefinition, run: DependencyContainer, config: unknown): Promise<AvailableResource[]> {
  const out: AvailableResource[] = [];
  for (const r of def.resources) {
    if (r.name === undefined) continue;
    out.push({
      def: r,
      name: r.name,
      key: r.key ?? ['/_meta/row_id'],
      schema: documentSchema(r),
      params: undefined,
      interval: r.interval,
      disable: r.disable,
    });
  }
  if (hasHook(def, 'discover')) {
    const found = (await callHook(def, run, 'discover', config)) as ResourceInstance[];
    if (!Array.isArray(found)) throw new DefinitionError(def.name, [`${def.name}.${def.hooks.discover} @DiscoverResources must return an array of resource instances`]);
    const problems: string[] = [];
    for (const inst of found) {
      const r = def.resources.find((x) => x.cls === inst.resource) ?? definitionOf(def, inst.resource);
      if (r === undefined) {
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- checks what an untyped hook returned
        problems.push(`${def.name}.${def.hooks.discover} returned resource '${inst.name}' of class ${inst.resource?.name}, which is not listed in @Connector resources`);
        continue;
      }
      out.push({
        def: r,
        name: inst.name,
        key: inst.key ?? r.key ?? ['/_meta/row_id'],
        schema: documentSchema({ ...r, ...(inst.document !== undefined ? { document: inst.document, schema: undefined } : {}), ...(inst.schema !== undefined ? { schema: inst.schema } : {}) }),
        params: inst.params,
        interval: inst.interval ?? r.interval,
        disable: inst.disable ?? r.disable,
      });
    }
    if (problems.length > 0) throw new DefinitionError(def.name, problems);
  }
  return out;
}

function definitionOf(def: ConnectorDefinition, cls: Class | undefined): ResourceDefinition | undefined {
  if (cls === undefined || metadata.getResource(cls) === undefined) return undefined;
  return def.resources.find((r) => cls.prototype instanceof r.cls);
}

/** The `discovered` bindings, as the Python CDK's `discovered()` lists them. */
export function discoveredBindings(resources: readonly AvailableResource[]): DiscoveredBinding[] {
  return resources.map((r) => ({
    recommendedName: r.name,
    resourceConfig: { name: r.name, interval: r.interval, ...r.def.resourceConfigDefaults },
    documentSchema: r.schema,
    key: [...r.key],
    ...(r.disable ? { disable: true } : {}),
  }));
}

/** A request binding resolved to its resource. */
export interface ResolvedBinding {
  readonly spec: CaptureBindingSpec;
  readonly resourceConfig: Record<string, unknown> & { name: string; interval?: string; schedule?: string };
  readonly resource: AvailableResource;
  readonly intervalMs: number;
}

/**
 * Resolves request bindings to resources by resource path (`/name`), validating each resource
 * config. Throws one error listing every binding that cannot be resolved.
 */
export function resolveBindings(def: ConnectorDefinition, resources: readonly AvailableResource[], bindings: readonly CaptureBindingSpec[]): ResolvedBinding[] {
  const problems: string[] = [];
  const out: ResolvedBinding[] = [];
  const byName = new Map<string, number>();
  const byStateKey = new Map<string, number>();
  for (const [i, b] of bindings.entries()) {
    let rc: ResolvedBinding['resourceConfig'];
    try {
      rc = loadModel(def.resourceConfigClass, b.resourceConfig, `resource config of binding ${i}`) as ResolvedBinding['resourceConfig'];
    } catch (err) {
      problems.push(err instanceof ConfigError ? err.message : String(err));
      continue;
    }
    const resource = resources.find((r) => r.name === rc.name);
    if (resource === undefined) {
      problems.push(`binding ${i}: resource '${rc.name}' was not found (available: ${resources.map((r) => r.name).join(', ') || 'none'})`);
      continue;
    }
    if (resource.def.snapshot !== undefined && !b.collection.key.includes('/_meta/row_id')) {
      problems.push(
        `binding ${i}: collection '${b.collection.name}' is bound to snapshot resource '${rc.name}' and so must be keyed on /_meta/row_id, but its key is ${JSON.stringify(b.collection.key)}`,
      );
      continue;
    }
    // Two bindings of one resource would share one state key: each would resume from, and overwrite,
    // the other's cursors.
    const sameName = byName.get(rc.name);
    if (sameName !== undefined) {
      problems.push(`binding ${i}: resource '${rc.name}' is already bound by binding ${sameName}; bind each resource once`);
      continue;
    }
    byName.set(rc.name, i);
    const stateKey = (b as { stateKey?: string }).stateKey;
    const sameKey = stateKey === undefined ? undefined : byStateKey.get(stateKey);
    if (sameKey !== undefined) {
      problems.push(`binding ${i}: state key '${stateKey}' is already used by binding ${sameKey}; each binding needs its own state key`);
      continue;
    }
    if (stateKey !== undefined) byStateKey.set(stateKey, i);
    let intervalMs = 0;
    try {
      // A binding that states no interval gets the resource's declared one (Python would use 0 here,
      // its resource config default; Flow always sends the discovered interval, so both agree there).
      const stated = (b.resourceConfig as { interval?: unknown }).interval;
      intervalMs = parseIsoDuration(typeof stated === 'string' ? stated : resource.interval);
    } catch (err) {
      problems.push(`binding ${i}: interval: ${(err as Error).message}`);
      continue;
    }
    out.push({ spec: b, resourceConfig: rc, resource, intervalMs });
  }
  if (problems.length > 0) throw new ConfigError(problems.length === 1 ? 'a binding' : `${problems.length} bindings`, problems);
  return out;
}
