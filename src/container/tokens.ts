/** Injection token of the validated endpoint config (also registered under its own class). */
export const CONFIG = Symbol.for('estuary-cdk.config');
/** Injection token of the connector's logger (pino API). Use `@inject(LOGGER) log: Logger`. */
export const LOGGER = Symbol.for('estuary-cdk.logger');
/** Injection token of the shared HTTP client. Also registered under the `HttpClient` class. */
export const HTTP_CLIENT = Symbol.for('estuary-cdk.http-client');
/** Injection token of the token source returned by the connector's `@Auth()` method, if any. */
export const TOKEN_SOURCE = Symbol.for('estuary-cdk.token-source');
