import type { DependencyContainer } from 'tsyringe';
import type { TokenSource } from '../common/http/token-source';
import { resolveClass } from '../container/run-container';
import type { ConnectorDefinition, ResourceInstance } from '../build/definition';

/** What each connector hook returns (`@Auth`, `@DiscoverResources`, `@MigrateConfig`, `@ValidateConnection`). */
export interface HookResults {
  auth: TokenSource | undefined;
  discover: ResourceInstance[];
  migrateConfig: { message: string; config: Record<string, unknown> } | undefined;
  validate: unknown;
}

/** A hook kind, as `ConnectorDefinition.hooks` names them. */
export type HookName = keyof HookResults;

/** Whether the connector declares the hook. */
export function hasHook(def: ConnectorDefinition, hook: HookName): boolean {
  return def.hooks[hook] !== undefined;
}

/**
 * Calls a connector hook with the endpoint config on the connector instance resolved from
 * `container`, awaiting it. Returns undefined when the connector does not declare the hook. The
 * result is typed by hook; the build step checked each is an instance method.
 */
export async function callHook<K extends HookName>(def: ConnectorDefinition, container: DependencyContainer, hook: K, config: unknown): Promise<HookResults[K] | undefined> {
  const method = def.hooks[hook];
  if (method === undefined) return undefined;
  const connector = resolveClass(container, def.cls) as Record<string, (config: unknown) => unknown>;
  return (await connector[method]!(config)) as HookResults[K];
}
