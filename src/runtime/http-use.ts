import { HttpClient } from '../common/http/http-client';
import type { Class } from '../common/metadata';
import { BindingContext } from '../container/binding-context';
import { CONFIG, LOGGER } from '../container/tokens';
import type { ConnectorDefinition } from '../build/definition';

/** tsyringe's metadata key for the tokens of `@inject()`-decorated constructor parameters. */
const INJECTION_TOKENS = 'injectionTokens';

/**
 * Whether a capture of these resources may use the HTTP client, judged before anything is
 * constructed: the connector authenticates (a token source), or some class the container would
 * build for it asks, directly or through its own constructor parameters, for an `HttpClient`, a
 * token source, or anything this cannot see into (a string or symbol token other than the config
 * and logger, an interface type). Loading undici takes ~150 ms and ~20 MiB, worth paying before
 * `opened` only when the capture's first requests would otherwise wait for it; a connector it
 * misjudges as not using HTTP still works, its first request loading undici.
 */
export function mayUseHttp(def: ConnectorDefinition, resources: Iterable<Class>): boolean {
  if (def.hooks.auth !== undefined || def.oauth2 !== undefined) return true;
  const safe = new Set<unknown>([CONFIG, LOGGER, def.configClass, BindingContext]);
  const seen = new Set<unknown>();
  const reaches = (cls: Class): boolean => {
    if (seen.has(cls)) return false;
    seen.add(cls);
    const types = Reflect.getMetadata('design:paramtypes', cls) as unknown[] | undefined;
    if (types === undefined) return cls.length > 0; // parameters of unknown types
    const tokens = (Reflect.getOwnMetadata(INJECTION_TOKENS, cls) ?? {}) as Record<string, unknown>;
    for (let i = 0; i < types.length; i++) {
      let t = tokens[String(i)] ?? types[i];
      // `@inject(token)` records `{ token, multiple }`, and `@injectWithTransform` wraps that once more.
      while (typeof t === 'object' && t !== null && 'token' in t) t = t.token;
      if (safe.has(t)) continue;
      if (typeof t !== 'function' || t === Object) return true;
      if (t === HttpClient || t.prototype instanceof HttpClient) return true;
      if (reaches(t as Class)) return true;
    }
    return false;
  };
  if (reaches(def.cls)) return true;
  for (const cls of resources) if (reaches(cls)) return true;
  return false;
}
