import type { DependencyContainer } from 'tsyringe';
import type { Logger } from '../common/logger';
// The client's own modules, not the http index, which also loads pagination, JWT and OAuth token sources.
import { HttpClient } from '../common/http/http-client';
import type { HttpClientOptions } from '../common/http/http-options';
import type { TokenSource } from '../common/http/token-source';

/** HttpClient options a caller (a test harness) may set for a run. */
export type RunHttpOptions = Omit<HttpClientOptions, 'log' | 'signal' | 'tokenSource'>;
import { createRunContainer } from '../container/run-container';
import { TOKEN_SOURCE } from '../container/tokens';
import type { ConnectorDefinition } from '../build/definition';
import { callHook, hasHook } from './connector-hooks';

/** What one connector process shares between its bindings. */
export interface RunContext {
  container: DependencyContainer;
  http: HttpClient;
  tokenSource: TokenSource | undefined;
}

/**
 * Creates the per-run container: the validated config, the logger, one shared HTTP client (whose
 * in-flight requests abort with `signal`), and the token source from the connector's `@Auth()`.
 */
export async function createRunContext(def: ConnectorDefinition, config: object | undefined, log: Logger, signal?: AbortSignal, httpOptions: RunHttpOptions = {}): Promise<RunContext> {
  const http = new HttpClient({ ...httpOptions, log, ...(signal !== undefined ? { signal } : {}) });
  const container = createRunContainer({
    ...(config !== undefined ? { config, configClass: def.configClass } : {}),
    logger: log,
    httpClient: () => http,
    httpClientClass: HttpClient,
  });
  let tokenSource: TokenSource | undefined;
  if (config !== undefined && hasHook(def, 'auth')) {
    tokenSource = await callHook(def, container, 'auth', config);
    if (tokenSource !== undefined) {
      http.tokenSource = tokenSource;
      container.register(TOKEN_SOURCE, { useValue: tokenSource });
    }
  }
  return { container, http, tokenSource };
}
