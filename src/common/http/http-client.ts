import { setMaxListeners } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { ClassConstructor } from 'class-transformer';
import type { Dispatcher, Pool } from 'undici';
import { CdkError, StoppedError } from '../errors';
import { silentLogger, type Logger } from '../logger';
import { redactSecrets } from '../secrets';
import { WHOLE_BODY, dispatchBuffered, type BodyLimit, type BufferedData } from './buffered-dispatch';
import { buildUrl, discard, encodeBody, headerValue, readPrefix } from './http-helpers';
import {
  DEFAULT_TIMEOUTS,
  type BufferedResponse,
  type HttpClientOptions,
  type LinesRequestOptions,
  type LinesResponse,
  type RateLimitWait,
  type RequestOptions,
  type StreamResponse,
  type TimeoutOptions,
} from './http-options';
import { HttpAbortedError, HttpError, bodyExcerpt, registerQuerySecrets, HttpTransportError, ResponseValidationError, redactUrl } from './http-errors';
import { splitLines } from './lines';
import { DEFAULT_ADAPTIVE, HostLimiter, type AdaptiveOptions, type HostBudget } from './rate-limiter';
import { toModel } from './response-validation';
import { DEFAULT_RETRY, backoffMs, classifyTransportError, parseRetryAfter, sleep, type RetryOptions } from './retry-policy';
import type { Authorization, TokenSource } from './token-source';

/** Bytes of an error response kept for `shouldRetry` and the error message. */
const ERROR_BODY_LIMIT = 1024 * 1024;

/** Bytes of a redirect's body read (to keep the connection reusable) before it is cut off. */
const REDIRECT_BODY_LIMIT = 64 * 1024;

/** A response as the retry loop sees it: a body still to stream, or one already read whole. */
type Received = Dispatcher.ResponseData | BufferedData;
type Open<R extends Received> = { res: R; release: () => void; attempts: number; url: URL };

function isBuffered(res: Received): res is BufferedData {
  return Buffer.isBuffer(res.body);
}

/** The parts of undici the client uses, and whether they were loaded without undici's index. */
interface UndiciParts {
  Pool: typeof import('undici').Pool;
  parseHeaders: typeof import('undici').util.parseHeaders;
  narrow: boolean;
}

let undici: UndiciParts | undefined;

/**
 * undici's pool, request API and header parser, loaded on first use (or by warmUp): spec, discover
 * and connectors without HTTP start without them. Only these modules, not undici's index, which also
 * loads fetch, cookies, caches and WebSocket, and whose cookies module reads `globalThis.Headers`:
 * that loads Node's own bundled copy of undici as well, and compiles its HTTP parser a second time.
 * The index's one piece of wiring for these, the request API on every dispatcher, is repeated here.
 * Should an undici release move the files (or close them with an `exports` map), its index is loaded
 * as before; a spec checks that the narrow path is taken.
 */
function loadUndici(): UndiciParts {
  if (undici === undefined) {
    /* eslint-disable @typescript-eslint/no-require-imports -- undici is loaded on first use, part by part, keeping start-up fast */
    try {
      const Pool = require('undici/lib/dispatcher/pool') as UndiciParts['Pool'];
      const Dispatcher = require('undici/lib/dispatcher/dispatcher') as { prototype: Record<string, unknown> };
      const api = require('undici/lib/api') as Record<string, unknown>;
      const { parseHeaders } = require('undici/lib/core/util') as { parseHeaders: UndiciParts['parseHeaders'] | undefined };
      if (typeof Pool !== 'function' || typeof parseHeaders !== 'function' || typeof api.request !== 'function') throw new Error('undici has moved its parts');
      if (typeof Dispatcher.prototype.request !== 'function') Object.assign(Dispatcher.prototype, api);
      undici = { Pool, parseHeaders, narrow: true };
    } catch {
      const full = require('undici') as typeof import('undici');
      undici = { Pool: full.Pool, parseHeaders: full.util.parseHeaders, narrow: false };
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return undici;
}

/** Loads the parts of undici the client uses; returns whether that was done without undici's index (a spec checks it). */
export function loadHttpLibrary(): boolean {
  return loadUndici().narrow;
}

/** The early compile of the HTTP parser; the settled promise holds the module, which keeps it in V8's cache until the first connection. */
let parserModule: Promise<unknown> | undefined;

/** The part of the WebAssembly global used here (the project's lib has no DOM or WebAssembly types). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } }).WebAssembly;

/**
 * Compiles undici's HTTP/1 parser (llhttp, WebAssembly) in the background. undici compiles it
 * synchronously on the main thread at the first connection (~4 ms with loading its bytes, as the
 * first binding starts); V8 reuses a module compiled from the same bytes, so compiling it here, on
 * V8's worker threads while the connector is still being opened, leaves undici a cache hit (~0.1 ms).
 * Best effort: should undici move or replace the file, undici compiles it itself as before. Resolves
 * to whether the parser was compiled (a spec checks it, so an undici upgrade cannot lose this quietly).
 */
export function precompileHttpParser(): Promise<boolean> {
  if (parserModule === undefined) {
    try {
      // The same choice of build undici makes (it also drops SIMD on old ppc64 Node, which costs nothing to miss here).
      const file = process.env.UNDICI_NO_WASM_SIMD === '1' ? 'llhttp-wasm.js' : 'llhttp_simd-wasm.js';
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- undici's own module holding the parser's bytes, loaded once as undici would
      const bytes = require(`undici/lib/llhttp/${file}`) as Uint8Array;
      parserModule = wasm.compile(bytes).catch(() => undefined);
    } catch {
      parserModule = Promise.resolve(undefined);
    }
  }
  return parserModule.then((module) => module !== undefined);
}

/**
 * The HTTP client connectors use: undici with keep-alive underneath; retries with backoff for
 * connection failures, timeouts, truncated bodies and 5xx; 429 handling with `Retry-After`, an
 * adaptive per-host delay and optional fixed budgets; credentials from a {@link TokenSource}
 * (refreshed once on a 401). Only successful responses are returned; everything else throws a
 * {@link CdkError}: {@link HttpError}, {@link HttpTransportError}, {@link HttpAbortedError},
 * {@link ResponseValidationError}, or {@link StoppedError} once the client is closed.
 *
 * The server (src/runtime) makes one per connector process; construct one directly in tests and scripts.
 *
 * @example
 * const http = new HttpClient({ tokenSource: TokenSource.accessToken(config.apiToken) });
 * const page = await http.requestJson(`${base}/orders`, { query: { since, limit: 100 }, model: OrdersPage });
 * for await (const line of (await http.requestLines(`${base}/export`)).lines) yield JSON.parse(line);
 */
export class HttpClient {
  readonly log: Logger;
  /** Credentials for requests not sent `withoutToken`; the server sets it once the config is known. */
  tokenSource: TokenSource | undefined;
  private readonly retry: RetryOptions;
  private readonly timeouts: TimeoutOptions;
  private readonly adaptive: AdaptiveOptions;
  private readonly budgets: Readonly<Record<string, HostBudget>>;
  private readonly limiters = new Map<string, HostLimiter>();
  /** One keep-alive pool per origin; a bare Pool is measurably cheaper per request than an Agent. */
  private readonly pools = new Map<string, Pool>();
  private readonly dispatcher: Dispatcher | undefined;
  private readonly poolOptions: Pool.Options;
  private readonly maxRedirects: number;
  private readonly controller = new AbortController();
  /** The graceful stop (see {@link HttpClientOptions.stopSignal}). */
  private readonly stopSignal: AbortSignal | undefined;
  /** Aborts waits: the client closing, or the graceful stop. */
  private readonly waitSignal: AbortSignal;
  /** Told of each rate-limit wait; the runtime sets it to report waits as connector status. */
  onRateLimitWait: ((wait: RateLimitWait) => void) | undefined;
  private readonly baseUrl: string | undefined;
  private readonly userAgent: string;

  constructor(options: HttpClientOptions = {}) {
    this.dispatcher = options.dispatcher;
    this.log = options.log ?? silentLogger();
    this.tokenSource = options.tokenSource;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.adaptive = { ...DEFAULT_ADAPTIVE, ...options.adaptive };
    this.budgets = options.hostBudgets ?? {};
    this.baseUrl = options.baseUrl;
    this.userAgent = options.userAgent ?? 'estuary-cdk';
    this.poolOptions = {
      connections: options.maxConnectionsPerHost ?? 32,
      connect: { timeout: this.timeouts.connectMs },
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyIdleMs,
    };
    // Redirects are followed by the retry loop rather than undici's redirect interceptor, which
    // costs about a third of the throughput on every request, redirected or not.
    this.maxRedirects = options.maxRedirects ?? 10;
    // Waits listen on this signal; many concurrent waits would trip the default cap of 10 listeners.
    setMaxListeners(0, this.controller.signal);
    this.stopSignal = options.stopSignal;
    this.waitSignal = this.stopSignal === undefined ? this.controller.signal : AbortSignal.any([this.controller.signal, this.stopSignal]);
    setMaxListeners(0, this.waitSignal);
    this.onRateLimitWait = options.onRateLimitWait;
    const outer = options.signal;
    if (outer !== undefined) {
      if (outer.aborted) void this.close();
      else outer.addEventListener('abort', () => void this.close(), { once: true });
    }
  }

  /** True once {@link close} was called or the client's signal aborted. */
  get closed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborts in-flight requests and waits, closes connections; later requests throw {@link StoppedError}. */
  /** Loads the HTTP stack now, so the first requests of a capture do not wait for it. */
  warmUp(): void {
    loadUndici();
    void precompileHttpParser();
  }

  async close(): Promise<void> {
    if (this.controller.signal.aborted) return;
    this.controller.abort(new StoppedError());
    // Destroying the pools fails every in-flight request and body; `failure()` reports them as
    // stopped. Requests do not carry the client's signal: an abort listener per request is not free.
    const pools = [...this.pools.values()];
    this.pools.clear();
    if (pools.length === 0) return;
    // Node reads the stack of the error a socket is destroyed with. Left to undici, that error's stack
    // is formatted through the connector's source maps, read from disk for the occasion: ~8 ms at the
    // end of every capture. An error without frames costs nothing to format.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    const closed = new StoppedError('the HTTP client was closed');
    Error.stackTraceLimit = limit;
    await Promise.all(pools.map((pool) => pool.destroy(closed)));
  }

  /** Sends a request and returns the whole response body. */
  async request(url: string | URL, options: RequestOptions = {}): Promise<Buffer> {
    const { res } = await this.execute(url, options, true);
    return res.body;
  }

  /**
   * Sends a request and returns its status, headers and whole body (for pagination, which reads
   * `Link` or token headers). A body cut short is retried like {@link request}.
   */
  async requestBuffered(url: string | URL, options: RequestOptions = {}): Promise<BufferedResponse> {
    const { res, url: target } = await this.execute(url, options, true);
    return { status: res.statusCode, headers: res.headers, body: res.body, url: target };
  }

  /**
   * Sends a request and parses the response as JSON. With `model`, the value is converted with
   * class-transformer and validated with class-validator (an array body gives an array of
   * instances); problems throw {@link ResponseValidationError}.
   */
  requestJson<T = unknown>(url: string | URL, options?: RequestOptions): Promise<T>;
  requestJson<T extends object>(url: string | URL, options: RequestOptions & { model: ClassConstructor<T>; array?: false }): Promise<T>;
  requestJson<T extends object>(url: string | URL, options: RequestOptions & { model: ClassConstructor<T>; array: true }): Promise<T[]>;
  async requestJson(url: string | URL, options: RequestOptions & { model?: ClassConstructor<object>; array?: boolean } = {}): Promise<unknown> {
    const headers = options.headers?.accept === undefined && options.headers?.Accept === undefined ? { accept: 'application/json', ...options.headers } : options.headers;
    const bytes = await this.request(url, { ...options, headers });
    const method = (options.method ?? 'GET').toUpperCase();
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (cause) {
      const target = buildUrl(url, options.query, this.baseUrl);
      throw new ResponseValidationError(method, target, [`body is not JSON (${(cause as Error).message})`], cause);
    }
    if (options.model === undefined) return value;
    const target = buildUrl(url, options.query, this.baseUrl);
    const result = await toModel(options.model, value, method, target);
    if (options.array !== undefined && options.array !== Array.isArray(result)) {
      throw new ResponseValidationError(method, target, [options.array ? 'expected a JSON array' : 'expected a JSON object, got an array']);
    }
    return result;
  }

  /**
   * Sends a request and returns the headers at once and the body as lines while they arrive.
   * Failures before the headers are retried; a failure while the lines are being read is thrown
   * from the iteration (the lines already yielded cannot be taken back).
   */
  async requestLines(url: string | URL, options: LinesRequestOptions = {}): Promise<LinesResponse> {
    const { status, headers, body } = await this.requestStream(url, options);
    return { status, headers, lines: splitLines(body, options.delimiter) };
  }

  /** Like {@link requestLines}, with the raw body chunks. */
  async requestStream(url: string | URL, options: RequestOptions = {}): Promise<StreamResponse> {
    const method = (options.method ?? 'GET').toUpperCase();
    const { res, release, attempts, url: target } = await this.execute(url, options, false);
    return { status: res.statusCode, headers: res.headers, body: this.streamBody(res.body, release, method, target, attempts, options.signal) };
  }

  private async *streamBody(body: Readable, release: () => void, method: string, url: URL, attempts: number, requestSignal: AbortSignal | undefined): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) yield chunk;
    } catch (err) {
      throw this.failure(err, { method, target: url, attempts, requestSignal });
    } finally {
      if (!body.readableEnded) discard(body);
      release();
    }
  }

  private poolFor(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (pool === undefined) {
      if (this.closed) throw new StoppedError();
      pool = new (loadUndici().Pool)(origin, this.poolOptions);
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private limiterFor(host: string, hostname: string): HostLimiter {
    let limiter = this.limiters.get(host);
    if (limiter === undefined) {
      limiter = new HostLimiter(host, this.adaptive, this.log, this.budgets[host] ?? this.budgets[hostname]);
      this.limiters.set(host, limiter);
    }
    return limiter;
  }

  /** Maps an error thrown by undici, a wait or the token source to what callers see. */
  private failure(err: unknown, ex: Pick<Exchange, 'method' | 'target' | 'attempts' | 'requestSignal'>): Error {
    if (this.controller.signal.aborted) return new StoppedError();
    if (ex.requestSignal?.aborted) return new HttpAbortedError(ex.method, ex.target, ex.requestSignal.reason);
    if (err instanceof CdkError) return err;
    // A graceful stop ends waits, not requests: only an abort it caused becomes a StoppedError.
    if (this.stopSignal?.aborted === true && (err === this.stopSignal.reason || (err as Error | undefined)?.name === 'AbortError')) {
      return new StoppedError();
    }
    return new HttpTransportError(classifyTransportError(err) ?? 'other', ex.method, ex.target, ex.attempts, err);
  }

  /**
   * The retry loop shared by every method: sends until a success (< 400) can be returned, or a
   * failure is final. `buffered`: the body is read whole before the response counts as received
   * (a body cut short is retried like a connection error) and the slot is released; otherwise the
   * body is left to stream and the caller releases the slot. Each step is a method below.
   */
  private async execute(url: string | URL, options: RequestOptions, buffered: true): Promise<Open<BufferedData>>;
  private async execute(url: string | URL, options: RequestOptions, buffered: false): Promise<Open<Dispatcher.ResponseData>>;
  private async execute(url: string | URL, options: RequestOptions, buffered: boolean): Promise<Open<Received>> {
    const ex = this.prepare(url, options);
    for (;;) {
      if (ex.waitSignal.aborted) throw this.failure(ex.waitSignal.reason, ex);
      let sent: Sent;
      try {
        sent = await this.send(ex, buffered);
      } catch (err) {
        await this.retryOrThrow(ex, err);
        continue;
      }
      const { res, release, auth } = sent;
      const status = res.statusCode;
      if (await this.followRedirect(ex, res, release)) continue;
      if (status < 400) {
        // A buffered response was recorded when its headers arrived (bodyLimit), as a streamed one is here.
        if (!isBuffered(res)) ex.limiter.recordSuccess();
        else release();
        return { res, release, attempts: ex.attempts, url: ex.target };
      }
      const errorBody = await this.readErrorBody(ex, res, release);
      if (errorBody === undefined) continue;
      if (status === 429) {
        await this.waitOutRateLimit(ex, res, errorBody);
        continue;
      }
      ex.limiter.recordSuccess();
      if (this.refreshesCredentials(ex, status, auth)) continue;
      if (status >= 500) {
        await this.retryServerError(ex, res, errorBody, options);
        continue;
      }
      throw new HttpError({ status, method: ex.method, url: ex.target, contentType: headerValue(res.headers['content-type']), body: errorBody, attempts: ex.attempts });
    }
  }

  /** Builds the per-request state: target, headers, body encoded once, signals, limiter. */
  private prepare(url: string | URL, options: RequestOptions): Exchange {
    const target = buildUrl(url, options.query, this.baseUrl);
    registerQuerySecrets(target);
    const requestSignal = options.signal;
    const waitSignal = requestSignal === undefined ? this.waitSignal : AbortSignal.any([this.waitSignal, requestSignal]);
    if (requestSignal !== undefined) setMaxListeners(0, waitSignal);
    const encoded = encodeBody(options);
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (encoded.contentType !== undefined) headers['content-type'] = encoded.contentType;
    Object.assign(headers, options.headers);
    return {
      target,
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: (options.method ?? 'GET').toUpperCase(),
      body: encoded.body,
      headers,
      withToken: options.withoutToken !== true,
      retry: options.retry === undefined ? this.retry : { ...this.retry, ...options.retry },
      requestSignal,
      waitSignal,
      limiter: this.limiterFor(target.host, target.hostname),
      // Left undefined unless overridden, so the pool's own defaults apply.
      headersTimeout: options.timeouts?.headersMs,
      bodyTimeout: options.timeouts?.bodyIdleMs,
      attempts: 0,
      failures: 0,
      redirects: 0,
      rateLimited: 0,
      rateLimitedSince: undefined,
      sentAt: 0,
      authRetried: false,
    };
  }

  /** Takes a concurrency slot, waits for the host's pacing, authorizes and sends one attempt. */
  private async send(ex: Exchange, buffered: boolean): Promise<Sent> {
    const slot = ex.limiter.acquireSlot(ex.waitSignal);
    if (slot !== undefined) await slot.catch((err: unknown) => Promise.reject(this.failure(err, ex)));
    let released = false;
    const limiter = ex.limiter;
    const release = (): void => {
      if (!released) {
        released = true;
        limiter.releaseSlot();
      }
    };
    try {
      const pace = limiter.reserve(Date.now());
      if (pace > 0) {
        this.onRateLimitWait?.({ host: limiter.host, waitMs: pace, reason: 'pacing' });
        await this.wait(pace, ex);
      }
      let headers = ex.headers;
      let auth: Authorization | undefined;
      if (ex.withToken && this.tokenSource !== undefined) {
        auth = await this.tokenSource.authorization(this);
        headers = { ...ex.headers, [auth.header]: auth.value };
      }
      ex.attempts++;
      ex.sentAt = Date.now();
      const { origin, path, body, requestSignal: signal, headersTimeout, bodyTimeout } = ex;
      const method = ex.method;
      let res: Received;
      if (buffered) {
        const target = this.dispatcher ?? this.poolFor(origin);
        const opts = { origin: this.dispatcher === undefined ? undefined : origin, path, method, headers, body, headersTimeout, bodyTimeout };
        res = await dispatchBuffered(target, opts, signal, loadUndici().parseHeaders, (status, received) => this.bodyLimit(ex, status, received));
      } else {
        res =
          this.dispatcher !== undefined
            ? await this.dispatcher.request({ origin, path, method, headers, body, signal, headersTimeout, bodyTimeout })
            : await this.poolFor(origin).request({ path, method, headers, body, signal, headersTimeout, bodyTimeout });
      }
      return { res, release, auth };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** The redirect this response asks for and the client will follow, if any. */
  private redirectTo(ex: Exchange, status: number, headers: IncomingHttpHeaders): string | undefined {
    const location = status >= 300 && status < 400 && status !== 304 ? headerValue(headers.location) : undefined;
    return location === undefined || ex.redirects >= this.maxRedirects ? undefined : location;
  }

  /**
   * How much of a buffered response to read, decided on its headers as the streamed path reads it:
   * a redirect's body up to {@link REDIRECT_BODY_LIMIT} (its failure ignored), an error's up to
   * {@link ERROR_BODY_LIMIT}, a success's whole (recorded as one now, as when a stream's headers arrive).
   */
  private bodyLimit(ex: Exchange, status: number, headers: IncomingHttpHeaders): BodyLimit {
    if (this.redirectTo(ex, status, headers) !== undefined) return { limit: REDIRECT_BODY_LIMIT, keepPartial: true };
    if (status >= 400) return { limit: ERROR_BODY_LIMIT, keepPartial: false };
    ex.limiter.recordSuccess();
    return WHOLE_BODY;
  }

  /** Follows a redirect (true) unless the response is none or the redirect budget is spent. */
  private async followRedirect(ex: Exchange, res: Received, release: () => void): Promise<boolean> {
    const status = res.statusCode;
    const location = this.redirectTo(ex, status, res.headers);
    if (location === undefined) return false;
    ex.redirects++;
    ex.limiter.recordSuccess();
    // Reading a small redirect body keeps the connection reusable; a large one is cut off.
    if (!isBuffered(res)) await res.body.dump({ limit: REDIRECT_BODY_LIMIT }).catch(() => undefined);
    release();
    const next = new URL(location, ex.target);
    // Credentials stay with the origin they were issued for (a redirect to a signed storage URL
    // must not carry the API token).
    if (next.origin !== ex.origin) {
      ex.withToken = false;
      delete ex.headers.authorization;
      delete ex.headers.Authorization;
    }
    if (status === 303 || ((status === 301 || status === 302) && ex.method === 'POST')) {
      ex.method = ex.method === 'HEAD' ? 'HEAD' : 'GET';
      ex.body = undefined;
      delete ex.headers['content-type'];
    }
    ex.target = next;
    ex.origin = next.origin;
    ex.path = `${next.pathname}${next.search}`;
    ex.limiter = this.limiterFor(next.host, next.hostname);
    return true;
  }

  /** Reads the start of an error body; `undefined` when reading failed and a retry is due. */
  private async readErrorBody(ex: Exchange, res: Received, release: () => void): Promise<Buffer | undefined> {
    if (isBuffered(res)) {
      release();
      return res.body;
    }
    let body: Buffer;
    try {
      body = await readPrefix(res.body, ERROR_BODY_LIMIT);
    } catch (err) {
      release();
      await this.retryOrThrow(ex, err);
      return undefined;
    }
    release();
    return body;
  }

  /**
   * Waits out a 429: `Retry-After` when given, else a back-off that grows with this request's
   * consecutive 429s; throws once the request's rate-limit wait budget would be exceeded.
   */
  private async waitOutRateLimit(ex: Exchange, res: Received, errorBody: Buffer): Promise<void> {
    const now = Date.now();
    const retryAfter = parseRetryAfter(res.headers['retry-after'], now);
    ex.limiter.recordRateLimited(now, retryAfter, ex.sentAt);
    ex.rateLimited++;
    ex.rateLimitedSince ??= now;
    const retry = ex.retry;
    const wait = retryAfter ?? backoffMs(ex.rateLimited, retry.rateLimitBaseDelayMs, retry.maxDelayMs);
    if (now - ex.rateLimitedSince + wait > retry.maxRateLimitWaitMs) {
      throw new HttpError({
        status: 429,
        method: ex.method,
        url: ex.target,
        contentType: headerValue(res.headers['content-type']),
        body: errorBody,
        attempts: ex.attempts,
        reason: `still rate limited after waiting ${Math.round((now - ex.rateLimitedSince) / 1000)} s (next wait ${Math.round(wait / 1000)} s exceeds the ${Math.round(retry.maxRateLimitWaitMs / 1000)} s budget)`,
      });
    }
    this.onRateLimitWait?.({ host: ex.limiter.host, waitMs: wait, reason: retryAfter === undefined ? 'backoff' : 'retry-after' });
    await this.wait(wait, ex);
  }

  /** True when a 401 should be retried once with refreshed credentials. */
  private refreshesCredentials(ex: Exchange, status: number, auth: Authorization | undefined): boolean {
    if (status !== 401 || auth === undefined || ex.authRetried || this.tokenSource?.invalidate?.(auth) !== true) return false;
    ex.authRetried = true;
    this.log.debug({ method: ex.method, url: redactUrl(ex.target) }, 'credentials rejected (401); refreshing them and retrying once');
    return true;
  }

  /** Waits before retrying a 5xx, or throws when `shouldRetry` refuses or the retry budget is spent. */
  private async retryServerError(ex: Exchange, res: Received, errorBody: Buffer, options: RequestOptions): Promise<void> {
    const status = res.statusCode;
    const contentType = headerValue(res.headers['content-type']);
    const retryable = options.shouldRetry === undefined || options.shouldRetry(status, res.headers, errorBody, ex.attempts);
    if (!retryable || ex.failures >= ex.retry.maxRetries) {
      throw new HttpError({
        status,
        method: ex.method,
        url: ex.target,
        contentType,
        body: errorBody,
        attempts: ex.attempts,
        reason: retryable ? 'server error persisted' : undefined,
      });
    }
    ex.failures++;
    const wait = backoffMs(ex.failures, ex.retry.baseDelayMs, ex.retry.maxDelayMs);
    this.log.warn({ method: ex.method, url: redactUrl(ex.target), attempt: ex.attempts, status, contentType, body: bodyExcerpt(errorBody, 500), retryInMs: wait }, 'server error (will retry)');
    await this.wait(wait, ex);
  }

  /** Waits before the next attempt after a transient transport failure, or throws when the budget is spent. */
  private async retryOrThrow(ex: Exchange, err: unknown): Promise<void> {
    const kind = ex.waitSignal.aborted ? undefined : classifyTransportError(err);
    if (kind === undefined || ex.failures >= ex.retry.maxRetries) throw this.failure(err, ex);
    ex.failures++;
    const wait = backoffMs(ex.failures, ex.retry.baseDelayMs, ex.retry.maxDelayMs);
    this.log.warn({ method: ex.method, url: redactUrl(ex.target), attempt: ex.attempts, failure: kind, error: redactSecrets((err as Error).message), retryInMs: wait }, 'request failed (will retry)');
    await this.wait(wait, ex);
  }

  /** Sleeps `ms`, ending at once (as the request's failure) when the client stops or closes. */
  private async wait(ms: number, ex: Exchange): Promise<void> {
    try {
      await sleep(ms, ex.waitSignal);
    } catch (err) {
      throw this.failure(err, ex);
    }
  }
}

/** The mutable state of one request across its attempts, redirects and waits. */
interface Exchange {
  target: URL;
  origin: string;
  path: string;
  method: string;
  body: string | Uint8Array | undefined;
  headers: Record<string, string>;
  withToken: boolean;
  readonly retry: RetryOptions;
  readonly requestSignal: AbortSignal | undefined;
  /** Ends waits: the client closing or stopping, or the request's own signal. */
  readonly waitSignal: AbortSignal;
  limiter: HostLimiter;
  readonly headersTimeout: number | undefined;
  readonly bodyTimeout: number | undefined;
  attempts: number;
  failures: number;
  redirects: number;
  rateLimited: number;
  rateLimitedSince: number | undefined;
  /** When the last attempt was sent, to tell the limiter which rate a 429 answers. */
  sentAt: number;
  authRetried: boolean;
}

type Sent = { res: Received; release: () => void; auth: Authorization | undefined };
