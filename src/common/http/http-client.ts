import { setMaxListeners } from 'node:events';
import type { Readable } from 'node:stream';
import type { ClassConstructor } from 'class-transformer';
import type { Dispatcher, Pool } from 'undici';
import { CdkError, StoppedError } from '../errors';
import { silentLogger, type Logger } from '../logger';
import { redactSecrets } from '../secrets';
import { buildUrl, discard, encodeBody, headerValue, readPrefix } from './http-helpers';
import {
  DEFAULT_TIMEOUTS,
  type HttpClientOptions,
  type LinesRequestOptions,
  type LinesResponse,
  type RequestOptions,
  type StreamResponse,
  type TimeoutOptions,
} from './http-options';
import { HttpAbortedError, HttpError, bodyExcerpt, registerQuerySecrets, HttpTransportError, ResponseValidationError, redactUrl } from './http-errors';
import { splitLines } from './lines';
import { DEFAULT_ADAPTIVE, HostLimiter, type AdaptiveOptions, type HostBudget } from './rate-limiter';
import { toModel } from './response-validation';
import {
  DEFAULT_RETRY,
  backoffMs,
  classifyTransportError,
  parseRetryAfter,
  sleep,
  type RetryOptions,
} from './retry-policy';
import type { Authorization, TokenSource } from './token-source';

/** Bytes of an error response kept for `shouldRetry` and the error message. */
const ERROR_BODY_LIMIT = 1024 * 1024;

type Open = { res: Dispatcher.ResponseData; release: () => void; attempts: number; url: URL };

// undici is loaded on first use (or by warmUp): spec, discover and connectors without HTTP start
// ~0.2 s faster.
let undici: typeof import('undici') | undefined;
function loadUndici(): typeof import('undici') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (undici ??= require('undici') as typeof import('undici'));
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
  }

  async close(): Promise<void> {
    if (this.controller.signal.aborted) return;
    this.controller.abort(new StoppedError());
    // Destroying the pools fails every in-flight request and body; `failure()` reports them as
    // stopped. Requests do not carry the client's signal: an abort listener per request is not free.
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }

  /** Sends a request and returns the whole response body. */
  async request(url: string | URL, options: RequestOptions = {}): Promise<Buffer> {
    return this.execute(url, options, async ({ res, release }) => {
      try {
        return Buffer.from(await res.body.arrayBuffer());
      } finally {
        release();
      }
    });
  }

  /**
   * Sends a request and parses the response as JSON. With `model`, the value is converted with
   * class-transformer and validated with class-validator (an array body gives an array of
   * instances); problems throw {@link ResponseValidationError}.
   */
  requestJson<T = unknown>(url: string | URL, options?: RequestOptions): Promise<T>;
  requestJson<T extends object>(url: string | URL, options: RequestOptions & { model: ClassConstructor<T>; array?: false }): Promise<T>;
  requestJson<T extends object>(url: string | URL, options: RequestOptions & { model: ClassConstructor<T>; array: true }): Promise<T[]>;
  async requestJson(
    url: string | URL,
    options: RequestOptions & { model?: ClassConstructor<object>; array?: boolean } = {},
  ): Promise<unknown> {
    const headers = options.headers?.accept === undefined && options.headers?.Accept === undefined
      ? { accept: 'application/json', ...options.headers }
      : options.headers;
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
    return this.execute(url, options, ({ res, release, attempts, url: target }) =>
      Promise.resolve({
        status: res.statusCode,
        headers: res.headers,
        body: this.streamBody(res.body, release, method, target, attempts, options.signal),
      }),
    );
  }

  private async *streamBody(
    body: Readable,
    release: () => void,
    method: string,
    url: URL,
    attempts: number,
    requestSignal: AbortSignal | undefined,
  ): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) yield chunk;
    } catch (err) {
      throw this.failure(err, method, url, attempts, requestSignal);
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
  private failure(err: unknown, method: string, url: string | URL, attempts: number, requestSignal?: AbortSignal): Error {
    if (this.controller.signal.aborted) return new StoppedError();
    if (requestSignal?.aborted) return new HttpAbortedError(method, url, requestSignal.reason);
    if (err instanceof CdkError) return err;
    return new HttpTransportError(classifyTransportError(err) ?? 'other', method, url, attempts, err);
  }

  /**
   * The retry loop shared by every method: sends until a success (< 400) can be handed to
   * `consume`, or a failure is final. `consume` errors that are transient transport failures
   * (a body cut short) are retried like connection errors.
   */
  private async execute<T>(url: string | URL, options: RequestOptions, consume: (open: Open) => Promise<T>): Promise<T> {
    let target = buildUrl(url, options.query, this.baseUrl);
    registerQuerySecrets(target);
    let method = (options.method ?? 'GET').toUpperCase();
    const retry = options.retry === undefined ? this.retry : { ...this.retry, ...options.retry };
    const requestSignal = options.signal;
    const signal = requestSignal === undefined ? this.controller.signal : AbortSignal.any([this.controller.signal, requestSignal]);
    if (requestSignal !== undefined) setMaxListeners(0, signal);
    let limiter = this.limiterFor(target.host, target.hostname);
    const encoded = encodeBody(options);
    let body = encoded.body;
    const baseHeaders: Record<string, string> = { 'user-agent': this.userAgent };
    if (encoded.contentType !== undefined) baseHeaders['content-type'] = encoded.contentType;
    Object.assign(baseHeaders, options.headers);
    // Left undefined unless overridden, so the pool's own defaults apply.
    const headersTimeout = options.timeouts?.headersMs;
    const bodyTimeout = options.timeouts?.bodyIdleMs;
    let origin = target.origin;
    let path = `${target.pathname}${target.search}`;
    let withToken = options.withoutToken !== true;

    let attempts = 0;
    let failures = 0;
    let redirects = 0;
    let rateLimited = 0;
    let rateLimitedSince: number | undefined;
    let authRetried = false;

    /** Waits before the next attempt after a transient failure, or throws when the budget is spent. */
    const retryOrThrow = async (err: unknown): Promise<void> => {
      const kind = signal.aborted ? undefined : classifyTransportError(err);
      if (kind === undefined || failures >= retry.maxRetries) throw this.failure(err, method, target, attempts, requestSignal);
      failures++;
      const wait = backoffMs(failures, retry.baseDelayMs, retry.maxDelayMs);
      this.log.warn(
        { method, url: redactUrl(target), attempt: attempts, failure: kind, error: redactSecrets((err as Error).message), retryInMs: wait },
        'request failed (will retry)',
      );
      await this.wait(wait, signal, method, target, attempts, requestSignal);
    };

    for (;;) {
      if (signal.aborted) throw this.failure(signal.reason, method, target, attempts, requestSignal);
      const slot = limiter.acquireSlot(signal);
      if (slot !== undefined) await slot.catch((err: unknown) => Promise.reject(this.failure(err, method, target, attempts, requestSignal)));
      let released = false;
      const release = (): void => {
        if (!released) {
          released = true;
          limiter.releaseSlot();
        }
      };

      let res: Dispatcher.ResponseData;
      let auth: Authorization | undefined;
      try {
        const pace = limiter.reserve(Date.now());
        if (pace > 0) await sleep(pace, signal);
        let headers = baseHeaders;
        if (withToken && this.tokenSource !== undefined) {
          auth = await this.tokenSource.authorization(this);
          headers = { ...baseHeaders, [auth.header]: auth.value };
        }
        attempts++;
        res =
          this.dispatcher !== undefined
            ? await this.dispatcher.request({ origin, path, method: method as Dispatcher.HttpMethod, headers, body, signal: requestSignal, headersTimeout, bodyTimeout })
            : await this.poolFor(origin).request({ path, method: method as Dispatcher.HttpMethod, headers, body, signal: requestSignal, headersTimeout, bodyTimeout });
      } catch (err) {
        release();
        await retryOrThrow(err);
        continue;
      }

      const status = res.statusCode;
      const location = status >= 300 && status < 400 && status !== 304 ? headerValue(res.headers.location) : undefined;
      if (location !== undefined && redirects < this.maxRedirects) {
        redirects++;
        limiter.recordSuccess();
        // Reading a small redirect body keeps the connection reusable; a large one is cut off.
        await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
        release();
        const next = new URL(location, target);
        // Credentials stay with the origin they were issued for (a redirect to a signed storage URL
        // must not carry the API token).
        if (next.origin !== origin) {
          withToken = false;
          delete baseHeaders.authorization;
          delete baseHeaders.Authorization;
        }
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
          delete baseHeaders['content-type'];
        }
        target = next;
        origin = next.origin;
        path = `${next.pathname}${next.search}`;
        limiter = this.limiterFor(next.host, next.hostname);
        continue;
      }
      if (status < 400) {
        limiter.recordSuccess();
        try {
          return await consume({ res, release, attempts, url: target });
        } catch (err) {
          release();
          await retryOrThrow(err);
          continue;
        }
      }

      let errorBody: Buffer;
      try {
        errorBody = await readPrefix(res.body, ERROR_BODY_LIMIT);
      } catch (err) {
        release();
        await retryOrThrow(err);
        continue;
      }
      release();
      const contentType = headerValue(res.headers['content-type']);

      if (status === 429) {
        const now = Date.now();
        const retryAfter = parseRetryAfter(res.headers['retry-after'], now);
        limiter.recordRateLimited(now, retryAfter);
        rateLimited++;
        rateLimitedSince ??= now;
        const wait = retryAfter ?? backoffMs(rateLimited, retry.rateLimitBaseDelayMs, retry.maxDelayMs);
        if (now - rateLimitedSince + wait > retry.maxRateLimitWaitMs) {
          throw new HttpError({
            status, method, url: target, contentType, body: errorBody, attempts,
            reason: `still rate limited after waiting ${Math.round((now - rateLimitedSince) / 1000)} s (next wait ${Math.round(wait / 1000)} s exceeds the ${Math.round(retry.maxRateLimitWaitMs / 1000)} s budget)`,
          });
        }
        await this.wait(wait, signal, method, target, attempts, requestSignal);
        continue;
      }
      limiter.recordSuccess();

      if (status === 401 && auth !== undefined && !authRetried && this.tokenSource?.invalidate?.(auth) === true) {
        authRetried = true;
        this.log.debug({ method, url: redactUrl(target) }, 'credentials rejected (401); refreshing them and retrying once');
        continue;
      }

      if (status >= 500) {
        const retryable = options.shouldRetry === undefined || options.shouldRetry(status, res.headers, errorBody, attempts);
        if (retryable && failures < retry.maxRetries) {
          failures++;
          const wait = backoffMs(failures, retry.baseDelayMs, retry.maxDelayMs);
          this.log.warn(
            { method, url: redactUrl(target), attempt: attempts, status, contentType, body: bodyExcerpt(errorBody, 500), retryInMs: wait },
            'server error (will retry)',
          );
          await this.wait(wait, signal, method, target, attempts, requestSignal);
          continue;
        }
        throw new HttpError({
          status, method, url: target, contentType, body: errorBody, attempts,
          reason: retryable ? 'server error persisted' : undefined,
        });
      }
      throw new HttpError({ status, method, url: target, contentType, body: errorBody, attempts });
    }
  }

  private async wait(ms: number, signal: AbortSignal, method: string, url: URL, attempts: number, requestSignal: AbortSignal | undefined): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch (err) {
      throw this.failure(err, method, url, attempts, requestSignal);
    }
  }
}
