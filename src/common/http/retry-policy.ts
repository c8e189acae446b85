import { setTimeout as delay } from 'node:timers/promises';
import type { IncomingHttpHeaders } from 'node:http';
import type { TransportFailure } from './http-errors';

/**
 * Decides whether a 5xx response is retried. Called with the 1-based attempt that produced it;
 * return `false` to throw an {@link HttpError} at once. The attempt budget still applies when it
 * returns `true`.
 *
 * @example
 * const shouldRetry: ShouldRetry = (status, _headers, body) => !(status === 500 && body.includes('INVALID_CURSOR'));
 */
export type ShouldRetry = (status: number, headers: IncomingHttpHeaders, body: Buffer, attempt: number) => boolean;

/** Retry settings; every field has a default (see {@link DEFAULT_RETRY}). */
export interface RetryOptions {
  /** Retries after a transport failure, timeout or 5xx, so at most `maxRetries + 1` attempts. */
  maxRetries: number;
  /** Backoff before the first retry; it doubles with each retry. */
  baseDelayMs: number;
  /** Upper bound of a single backoff. */
  maxDelayMs: number;
  /**
   * Wall-clock budget for waiting out 429 responses of one request, counted from its first 429.
   * A `Retry-After` that does not fit in what is left fails the request at once.
   */
  maxRateLimitWaitMs: number;
  /** First wait after a 429 without `Retry-After`; doubles with each further 429, capped by `maxDelayMs`. */
  rateLimitBaseDelayMs: number;
}

/**
 * Defaults: 5 retries with backoff 1 s, 2 s, 4 s, 8 s, 16 s (each jittered to 50–100 %, capped at 30 s),
 * so a request gives up after roughly 30 s of waiting; 429s are waited out for at most 10 minutes.
 */
export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  maxRetries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRateLimitWaitMs: 10 * 60_000,
  rateLimitBaseDelayMs: 1000,
});

/**
 * Exponential backoff with "equal jitter": between half and all of `base * 2^(retry-1)`, capped.
 * Half is kept so that a burst of failing requests still spreads out but never retries instantly.
 */
export function backoffMs(retry: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds to wait
 * (0 for a date in the past) or `undefined` when absent or unparseable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const BODY_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ERR_STREAM_PREMATURE_CLOSE', 'Z_BUF_ERROR', 'Z_DATA_ERROR']);

/**
 * Classifies an error thrown while sending a request or reading its body. Returns the kind of
 * transient transport failure, or `undefined` when the error is not one retrying can fix
 * (a bug, an abort, a malformed request).
 */
export function classifyTransportError(err: unknown): TransportFailure | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (TIMEOUT_CODES.has(code)) return 'timeout';
    if (CONNECT_CODES.has(code)) return 'connect';
    if (DNS_CODES.has(code)) return 'dns';
    if (RESET_CODES.has(code)) return 'reset';
    if (BODY_CODES.has(code)) return 'body';
    if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'EPROTO') return 'tls';
  }
  return undefined;
}

/** Waits `ms`, rejecting with the signal's reason when it aborts first. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  await delay(ms, undefined, signal === undefined ? undefined : { signal });
}
