import { metadata, type HookKind } from '../common/metadata';
import { ownerClass } from './decorator-utils';

function hook(kind: HookKind): MethodDecorator {
  return (target, property) => {
    if (typeof property === 'symbol') return;
    metadata.addHook(ownerClass(target), kind, property);
  };
}

/**
 * Marks the connector method that returns the token source for the shared HTTP client,
 * given the validated config.
 *
 * @example
 * @Auth() auth(config: Config) { return TokenSource.accessToken(config.apiToken); }
 */
export function Auth(): MethodDecorator {
  return hook('auth');
}

/**
 * Marks the connector method that discovers resources known only at run time (one per table,
 * sheet, …). It returns `ResourceInstance`s: a `@Resource` class with its own name, key, schema
 * and params.
 */
export function DiscoverResources(): MethodDecorator {
  return hook('discover');
}

/**
 * Marks a connector method that may rewrite the endpoint config at open (a migration). It returns
 * `{ message, config }` to emit a `configUpdate` event, or `undefined` to leave the config alone.
 */
export function MigrateConfig(): MethodDecorator {
  return hook('migrateConfig');
}

/** Marks a connector method run during `validate` (e.g. to check credentials against the API). */
export function ValidateConnection(): MethodDecorator {
  return hook('validate');
}
