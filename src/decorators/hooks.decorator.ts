import type { TokenSource } from '../common/http/token-source';
import { metadata, type HookKind } from '../common/metadata';
import { ownerClass } from './decorator-utils';

/** A hook's result, returned directly or from an async method. */
type MaybePromise<T> = T | Promise<T>;

/**
 * The decorator a hook factory returns, typed against the method: `Hook` is the signature the runtime
 * calls it with, so a method whose parameter does not accept the config, or whose result the runtime
 * cannot use, fails to compile.
 */
export type HookDecorator<Hook> = <M extends Hook>(target: object, property: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

/** What an `@Auth()` method may return: the token source for the shared HTTP client, or none. */
export type AuthHook<Config> = (config: Config) => MaybePromise<TokenSource | undefined>;
/** What a `@DiscoverResources()` method may return: the `ResourceInstance`s found at run time. */
export type DiscoverHook<Config> = (config: Config) => MaybePromise<readonly object[]>;
/** What a `@MigrateConfig()` method may return: a migrated config with a message, or none. */
export type MigrateConfigHook<Config> = (config: Config) => MaybePromise<{ message: string; config: object } | undefined>;
/** A `@ValidateConnection()` method: it throws (or rejects) when the connection does not work. */
export type ValidateHook<Config> = (config: Config) => unknown;

function hook<Hook>(kind: HookKind): HookDecorator<Hook> {
  return (target, property) => {
    if (typeof property === 'symbol') return;
    metadata.addHook(ownerClass(target), kind, property);
  };
}

/*
 * `Config` defaults to `never`, so a method may declare any config parameter; name the connector's
 * config (`@Auth<EndpointConfig>()`, or take the hooks from forConfig(EndpointConfig)) to have the
 * compiler check the parameter against it.
 */

/**
 * Marks the connector method that returns the token source for the shared HTTP client,
 * given the validated config.
 *
 * @example
 * @Auth() auth(config: Config) { return TokenSource.accessToken(config.apiToken); }
 */
export function Auth<Config = never>(): HookDecorator<AuthHook<Config>> {
  return hook('auth');
}

/**
 * Marks the connector method that discovers resources known only at run time (one per table,
 * sheet, …), given the validated config. It returns `ResourceInstance`s: a `@Resource` class with
 * its own name, key, schema and params.
 */
export function DiscoverResources<Config = never>(): HookDecorator<DiscoverHook<Config>> {
  return hook('discover');
}

/**
 * Marks a connector method that may rewrite the endpoint config at open (a migration), given the
 * validated config. It returns `{ message, config }` to emit a `configUpdate` event, or `undefined`
 * to leave the config alone.
 */
export function MigrateConfig<Config = never>(): HookDecorator<MigrateConfigHook<Config>> {
  return hook('migrateConfig');
}

/** Marks a connector method run during `validate` (e.g. to check credentials against the API), given the validated config. */
export function ValidateConnection<Config = never>(): HookDecorator<ValidateHook<Config>> {
  return hook('validate');
}
