import type { Class, CursorKind } from '../common/metadata';
import { Backfill, type BackfillDecorator, type BackfillOptions } from './backfill.decorator';
import { Auth, DiscoverResources, MigrateConfig, ValidateConnection, type AuthHook, type DiscoverHook, type HookDecorator, type MigrateConfigHook, type ValidateHook } from './hooks.decorator';
import { Incremental, type IncrementalDecorator, type IncrementalOptions } from './incremental.decorator';
import { Snapshot, type SnapshotDecorator, type SnapshotOptions } from './snapshot.decorator';

/** The strategy and hook decorators with the endpoint config typed as `Config`; see {@link forConfig}. */
export interface ConfigDecorators<Config> {
  /** {@link Incremental} whose `initial` and `subtasks` receive `{ config: Config }`. */
  Incremental: <K extends CursorKind, Params = unknown>(options: IncrementalOptions<K, Config, Params>) => IncrementalDecorator<K>;
  /** {@link Backfill} whose `cutoff` and `subtasks` receive `{ config: Config }`. */
  Backfill: <Params = unknown>(options?: BackfillOptions<Config, Params>) => BackfillDecorator;
  /** {@link Snapshot} whose `subtasks` receive `{ config: Config }`. */
  Snapshot: <Params = unknown>(options?: SnapshotOptions<Config, Params>) => SnapshotDecorator;
  /** {@link Auth} on a method that accepts `Config`. */
  Auth: () => HookDecorator<AuthHook<Config>>;
  /** {@link DiscoverResources} on a method that accepts `Config`. */
  DiscoverResources: () => HookDecorator<DiscoverHook<Config>>;
  /** {@link MigrateConfig} on a method that accepts `Config`. */
  MigrateConfig: () => HookDecorator<MigrateConfigHook<Config>>;
  /** {@link ValidateConnection} on a method that accepts `Config`. */
  ValidateConnection: () => HookDecorator<ValidateHook<Config>>;
}

/**
 * The strategy and hook decorators typed by the connector's endpoint config, so option callbacks
 * (`initial`, `cutoff`, `subtasks`) get `config` as that class instead of `unknown`, and hook methods
 * must accept it. They record exactly what the plain decorators record: only the types differ.
 * Declare them once beside the config model and import them instead of the plain ones.
 *
 * @example
 * // models.ts
 * export const { Incremental, Backfill, Auth } = forConfig(EndpointConfig);
 *
 * // resources.ts
 * @Incremental({ cursor: 'datetime', initial: ({ config }) => new Date(config.start_date) })
 * async *changes(since: Date): AsyncIterable<Item | Date> { ... }
 */
export function forConfig<Config>(_config: Class<Config>): ConfigDecorators<Config> {
  // The class only names the type; the runtime gets the config class from @Connector.
  return Object.freeze({ Incremental, Backfill, Snapshot, Auth, DiscoverResources, MigrateConfig, ValidateConnection });
}
