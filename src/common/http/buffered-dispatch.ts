import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

/** A response read whole (or up to its limit) by {@link dispatchBuffered}. */
export interface BufferedData {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * How much of a body to keep, decided when the headers arrive: `limit` bytes (the connection is
 * closed past it and the prefix returned); `keepPartial` resolves with the bytes read when the body
 * fails, instead of rejecting.
 */
export interface BodyLimit {
  limit: number;
  keepPartial: boolean;
}

/** No limit, failures reject: a body the caller needs whole. */
export const WHOLE_BODY: BodyLimit = { limit: Infinity, keepPartial: false };

type ParseHeaders = (raw: Buffer[]) => IncomingHttpHeaders;

/**
 * Sends one request through `dispatcher` and resolves once its body is complete, with the chunks
 * concatenated once. Unlike `dispatcher.request`, no `Readable`, no async resource and no abort
 * plumbing per response: the cold per-page code of a capture with many small pages.
 * Errors (connection, timeouts, `signal`) reject with undici's or the signal's error, as `request` does.
 */
export function dispatchBuffered(
  dispatcher: Dispatcher,
  opts: Dispatcher.DispatchOptions,
  signal: AbortSignal | undefined,
  parseHeaders: ParseHeaders,
  limitFor: (statusCode: number, headers: IncomingHttpHeaders) => BodyLimit,
): Promise<BufferedData> {
  return new Promise<BufferedData>((resolve, reject) => {
    const handler = new BufferedHandler(resolve, reject, signal, parseHeaders, limitFor);
    try {
      dispatcher.dispatch(opts, handler);
    } catch (err) {
      handler.onError(err as Error);
    }
  });
}

/**
 * undici's callback handler (the `onConnect`/`onHeaders`/`onData`/`onComplete`/`onError` form,
 * which every dispatcher, MockAgent's included, calls without an adapter).
 */
class BufferedHandler {
  private abort: ((err?: Error) => void) | undefined;
  private reason: unknown;
  private settled = false;
  private statusCode = 0;
  private headers: IncomingHttpHeaders = {};
  private limit: BodyLimit = WHOLE_BODY;
  private readonly chunks: Buffer[] = [];
  private length = 0;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    private readonly resolve: (data: BufferedData) => void,
    private readonly reject: (err: unknown) => void,
    private readonly signal: AbortSignal | undefined,
    private readonly parseHeaders: ParseHeaders,
    private readonly limitFor: (statusCode: number, headers: IncomingHttpHeaders) => BodyLimit,
  ) {
    if (signal === undefined) return;
    if (signal.aborted) {
      this.reason = signal.reason;
      return;
    }
    this.onAbort = (): void => {
      this.reason = signal.reason;
      this.abort?.(signal.reason as Error);
    };
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.reason !== undefined) {
      abort(this.reason as Error);
      return;
    }
    this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    // 1xx informational responses come before the real one.
    if (statusCode < 200) return true;
    this.statusCode = statusCode;
    this.headers = this.parseHeaders(rawHeaders);
    this.limit = this.limitFor(statusCode, this.headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.length >= this.limit.limit) {
      // Enough of it: close the connection rather than download the rest.
      this.finish();
      this.abort?.(new Error('response body past its limit; connection closed'));
      return false;
    }
    return true;
  }

  onComplete(): void {
    this.finish();
  }

  onError(err: Error): void {
    if (this.settled) return;
    if (this.limit.keepPartial && this.statusCode !== 0) {
      this.finish();
      return;
    }
    this.settled = true;
    this.cleanUp();
    this.reject(err);
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.cleanUp();
    // Copied into a buffer of its own, as `body.arrayBuffer()` gave: a chunk is a view into the
    // socket's read, and a pooled buffer would share memory with unrelated data.
    const body = Buffer.allocUnsafeSlow(Math.min(this.length, this.limit.limit));
    let at = 0;
    for (const chunk of this.chunks) {
      if (at >= body.length) break;
      at += chunk.copy(body, at);
    }
    this.resolve({ statusCode: this.statusCode, headers: this.headers, body });
  }

  private cleanUp(): void {
    if (this.onAbort !== undefined) this.signal?.removeEventListener('abort', this.onAbort);
  }
}
