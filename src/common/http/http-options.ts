import type { Dispatcher } from 'undici';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- referenced from TSDoc {@link HttpClient}
import type { HttpClient } from './http-client';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../logger';
import type { BodyOptions, QueryValue } from './http-helpers';
import type { AdaptiveOptions, HostBudget } from './rate-limiter';
import type { RetryOptions, ShouldRetry } from './retry-policy';
import type { TokenSource } from './token-source';

/** Timeouts of one request attempt, in milliseconds; see {@link DEFAULT_TIMEOUTS}. */
export interface TimeoutOptions {
  /** Establishing the TCP (and TLS) connection. Client-wide only. */
  connectMs: number;
  /** From sending the request until the response headers are complete. */
  headersMs: number;
  /** Longest silence between two chunks of the response body. */
  bodyIdleMs: number;
}

/** Defaults: connect 15 s, response headers 120 s, body idle 120 s. */
export const DEFAULT_TIMEOUTS: Readonly<TimeoutOptions> = Object.freeze({ connectMs: 15_000, headersMs: 120_000, bodyIdleMs: 120_000 });

/** A wait caused by a rate limit, as reported to {@link HttpClientOptions.onRateLimitWait}. */
export interface RateLimitWait {
  host: string;
  waitMs: number;
  /** `retry-after`: the server said how long; `backoff`: a 429 without it; `pacing`: the host's learnt spacing. */
  reason: 'retry-after' | 'backoff' | 'pacing';
}

/** Options of an {@link HttpClient}. Every field is optional. */
export interface HttpClientOptions {
  /**
   * Sends every request through this undici dispatcher (e.g. a `MockAgent` in tests) instead of the
   * client's own pools; the caller owns it (`close()` does not close it).
   */
  dispatcher?: Dispatcher;
  /** Receives retry warnings and the rate-limit warning. Default: silent. */
  log?: Logger;
  /** Authorizes every request not sent `withoutToken`. Can also be set later through `tokenSource`. */
  tokenSource?: TokenSource;
  /** Aborting it aborts every in-flight request and wait, like {@link HttpClient.close}. */
  signal?: AbortSignal;
  /**
   * A graceful stop: aborting it ends every wait (pacing, back-off, rate-limit wait, concurrency
   * slot) at once with a {@link StoppedError}, while requests already sent are left to finish.
   */
  stopSignal?: AbortSignal;
  /** Told of each wait for a rate limit (429 back-off or host pacing), e.g. to report why a capture is slow. */
  onRateLimitWait?: (wait: RateLimitWait) => void;
  /** Resolves relative request URLs. */
  baseUrl?: string;
  retry?: Partial<RetryOptions>;
  timeouts?: Partial<TimeoutOptions>;
  /** Fixed budgets by host (`api.example.com`, or `host:port`). */
  hostBudgets?: Readonly<Record<string, HostBudget>>;
  adaptive?: Partial<AdaptiveOptions>;
  /** Keep-alive connections per origin; more concurrent requests queue. Default 32 (measurably faster than more idle sockets). */
  maxConnectionsPerHost?: number;
  /** Redirects followed per request. Default 10. */
  maxRedirects?: number;
  /** Default `estuary-cdk`. */
  userAgent?: string;
}

/** Options of one request. */
export interface RequestOptions extends BodyOptions {
  /** Default `GET`. */
  method?: string;
  query?: Readonly<Record<string, QueryValue>>;
  headers?: Readonly<Record<string, string>>;
  /** Send no credentials (token endpoints, public URLs). */
  withoutToken?: boolean;
  timeouts?: Partial<Omit<TimeoutOptions, 'connectMs'>>;
  retry?: Partial<RetryOptions>;
  /** Decides which 5xx responses are retried; default: all of them. */
  shouldRetry?: ShouldRetry;
  /** Aborts this request only; it then rejects with {@link HttpAbortedError}. */
  signal?: AbortSignal;
}

/** Options of {@link HttpClient.requestLines}. */
export interface LinesRequestOptions extends RequestOptions {
  /** Default `\n` (a trailing `\r` is dropped too). */
  delimiter?: string;
}

/** A response whose body is read as it arrives. */
export interface StreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body chunks; iterate it to the end (or break out) so the connection is released. */
  body: AsyncIterable<Buffer>;
}

/** A response whose body is read line by line as it arrives. */
export interface LinesResponse {
  status: number;
  headers: IncomingHttpHeaders;
  lines: AsyncIterable<string>;
}

/** A response read whole, with its headers: see {@link HttpClient.requestBuffered}. */
export interface BufferedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: URL;
}
