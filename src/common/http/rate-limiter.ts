import type { Logger } from '../logger';

/**
 * A fixed request budget for one host, for APIs that document their limits. Each limit holds over
 * every sliding window, not just on average, so a per-minute budget never bursts past it.
 *
 * @example
 * new HttpClient({ hostBudgets: { 'api.example.com': { requestsPerSecond: 10, maxConcurrent: 4 } } });
 */
export interface HostBudget {
  requestsPerSecond?: number;
  requestsPerMinute?: number;
  /** Requests in flight at once, counting the time their bodies are being read. */
  maxConcurrent?: number;
}

/** Tuning of the adaptive delay that reacts to 429s; see {@link DEFAULT_ADAPTIVE}. */
export interface AdaptiveOptions {
  /** Spacing between request starts after the first 429, when the current spacing is smaller. */
  minDelayMs: number;
  /** The spacing never grows past this. */
  maxDelayMs: number;
  /** Fraction by which each success shrinks the spacing (the recovery). */
  gain: number;
  /** Share of rate-limited responses above which one warning is logged. */
  warnRatio: number;
  /**
   * Longest time a `Retry-After` pauses the whole host. The request that received it waits the full
   * time; other requests only hold back this long, so one long `Retry-After` does not stall a host.
   */
  maxHostPauseMs: number;
  /**
   * Longest a request waits in the pacing queue. Queued starts are spread over at most this horizon,
   * so the queue's total wait stays bounded however many requests are waiting.
   */
  maxQueueWaitMs: number;
}

/**
 * Defaults: no spacing until the first 429. A 429 doubles the spacing (at least 10 ms, at most
 * 10 s) — but only a 429 of a request sent at the current spacing: a burst of 429s answering
 * requests sent before the last increase counts once (one decrease per congestion signal, as in
 * TCP's AIMD). Each success shrinks the spacing by 15 %, so ~4 successes halve it and it converges
 * unless more than ~19 % of the host's responses are 429s. `Retry-After` pauses the host for at most
 * 1 s; the pacing queue holds requests for at most 10 s. One warning over 5 % of 429s.
 */
export const DEFAULT_ADAPTIVE: Readonly<AdaptiveOptions> = Object.freeze({
  minDelayMs: 10,
  maxDelayMs: 10_000,
  gain: 0.15,
  warnRatio: 0.05,
  maxHostPauseMs: 1000,
  maxQueueWaitMs: 10_000,
});

/** Start times of the last `limit` requests; a new start must be `windowMs` after the oldest. */
class WindowBudget {
  private readonly starts: number[];
  private head = 0;
  constructor(
    limit: number,
    private readonly windowMs: number,
  ) {
    this.starts = new Array<number>(Math.max(1, Math.floor(limit))).fill(-Infinity);
  }
  /** Earliest start allowed at or after `at`; reserves it. */
  reserve(at: number): number {
    const slot = Math.max(at, this.starts[this.head]! + this.windowMs);
    this.starts[this.head] = slot;
    this.head = (this.head + 1) % this.starts.length;
    return slot;
  }
}

/** A counting semaphore whose waiters can give up through an `AbortSignal`. */
class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  constructor(private readonly max: number) {}

  acquire(signal: AbortSignal): Promise<void> | undefined {
    if (this.active < this.max) {
      this.active++;
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an aborted wait rejects with the signal reason, as fetch does
        reject(signal.reason);
      };
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next !== undefined) next();
    else this.active--;
  }
}

/**
 * Pacing state of one host: the adaptive spacing learnt from 429s, a short host-wide pause set by
 * `Retry-After`, and the optional fixed budget. One instance per host is shared by all requests.
 */
export class HostLimiter {
  /** Current spacing between request starts, in ms; 0 until the host answers 429. */
  delayMs = 0;
  private nextStartAt = 0;
  private pausedUntil = 0;
  /** When the spacing last grew; 429s of requests sent before then were answered at the old rate. */
  private raisedAt = -Infinity;
  private readonly windows: WindowBudget[] = [];
  private readonly semaphore: Semaphore | undefined;
  private total = 0;
  private limited = 0;
  private warned = false;

  constructor(
    readonly host: string,
    private readonly options: AdaptiveOptions,
    private readonly log: Logger,
    budget: HostBudget | undefined,
  ) {
    if (budget?.requestsPerSecond !== undefined) this.windows.push(new WindowBudget(budget.requestsPerSecond, 1000));
    if (budget?.requestsPerMinute !== undefined) this.windows.push(new WindowBudget(budget.requestsPerMinute, 60_000));
    if (budget?.maxConcurrent !== undefined) this.semaphore = new Semaphore(Math.max(1, Math.floor(budget.maxConcurrent)));
  }

  /** Takes a concurrency slot when the host has `maxConcurrent`; `undefined` means it was free. */
  acquireSlot(signal: AbortSignal): Promise<void> | undefined {
    return this.semaphore?.acquire(signal);
  }

  releaseSlot(): void {
    this.semaphore?.release();
  }

  /** Reserves the next start time and returns how long to wait for it (0 on the fast path). */
  reserve(now: number): number {
    if (this.delayMs === 0 && this.windows.length === 0 && this.pausedUntil <= now) return 0;
    let slot = Math.max(now, this.pausedUntil);
    if (this.delayMs > 0) {
      // Bounded queue: once the horizon is reached, further requests share its last slot rather
      // than stacking ever later (their spacing is restored by the 429s they may cause).
      slot = Math.min(Math.max(slot, this.nextStartAt), Math.max(slot, now + this.options.maxQueueWaitMs));
      this.nextStartAt = slot + this.delayMs;
    }
    for (const w of this.windows) slot = w.reserve(slot);
    return slot - now;
  }

  /** Records a response that was not a 429. */
  recordSuccess(): void {
    this.total++;
    if (this.delayMs === 0) return;
    this.delayMs *= 1 - this.options.gain;
    if (this.delayMs < this.options.minDelayMs / 4) {
      this.delayMs = 0;
      this.nextStartAt = 0;
      // A later episode of 429s deserves its own warning.
      this.total = this.limited = 0;
      this.warned = false;
    }
  }

  /**
   * Records a 429 of a request sent at `sentAt`. The spacing doubles unless the request was sent
   * before the last increase; `retryAfterMs` holds back the host for at most `maxHostPauseMs` (the
   * request itself waits it in full).
   */
  recordRateLimited(now: number, retryAfterMs: number | undefined, sentAt: number = now): void {
    this.total++;
    this.limited++;
    if (sentAt >= this.raisedAt) {
      this.delayMs = Math.min(this.options.maxDelayMs, Math.max(this.delayMs * 2, this.options.minDelayMs));
      this.raisedAt = now;
    }
    if (retryAfterMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, now + Math.min(retryAfterMs, this.options.maxHostPauseMs));
    const elevated = this.delayMs >= this.options.maxDelayMs || (this.limited >= 3 && this.limited / this.total > this.options.warnRatio);
    if (elevated && !this.warned) {
      this.warned = true;
      this.log.warn({ host: this.host, delayMs: Math.round(this.delayMs), rateLimited: this.limited, total: this.total }, 'rate limit responses are elevated; spacing out requests to this host');
    } else {
      this.log.debug({ host: this.host, delayMs: Math.round(this.delayMs), retryAfterMs }, 'rate limited (429)');
    }
  }
}
