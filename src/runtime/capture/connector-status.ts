import type { Logger } from '../../common/logger';

/** Rate-limit waits shorter than this are not reported as status. */
export const RATE_LIMIT_STATUS_MS = 1000;

/** When backfill progress is reported: first after `firstMs`, then every `everyMs`, each time only if it changed. */
export interface StatusTiming {
  firstMs: number;
  everyMs: number;
}

/** The Python CDK's timing: a first look after 5 s (bindings are still being set up before), then once a second. */
export const DEFAULT_STATUS_TIMING: StatusTiming = { firstMs: 5000, everyMs: 1000 };

/**
 * Emits `connectorStatus` events as the Python CDK does. Backfill progress ("Backfilling N out of M
 * bindings", then "Streaming change events (all M bindings are backfilled)") is not written at every
 * change but by a timer that looks after {@link StatusTiming.firstMs} and then every
 * {@link StatusTiming.everyMs}, and writes a line only when the counts changed since its last look:
 * a capture of many bindings writes a few lines, not two per binding. Rate-limit waits are written at
 * once.
 */
export class ConnectorStatus {
  private total = 0;
  private readonly backfilling = new Map<number, number>();
  private changed = false;
  private last = '';
  private readonly rateLimitReported = new Map<string, number>();
  /** While a reported rate-limit wait lasts, the progress line does not replace it. */
  private quietUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly timing: StatusTiming = DEFAULT_STATUS_TIMING,
  ) {}

  /** Reports a status message (deduplicated). */
  status(message: string): void {
    if (message === this.last) return;
    this.last = message;
    this.log.info({ eventType: 'connectorStatus' }, message);
  }

  addBinding(): void {
    this.total++;
    this.changed = true;
  }

  startBackfill(binding: number): void {
    this.backfilling.set(binding, (this.backfilling.get(binding) ?? 0) + 1);
    this.changed = true;
  }

  endBackfill(binding: number): void {
    const n = (this.backfilling.get(binding) ?? 1) - 1;
    if (n <= 0) this.backfilling.delete(binding);
    else this.backfilling.set(binding, n);
    this.changed = true;
  }

  /**
   * Reports a rate-limit wait of at least {@link RATE_LIMIT_STATUS_MS} (shorter ones are routine
   * pacing), at most once per host per such period; the progress status returns after the wait.
   */
  rateLimited(host: string, waitMs: number): void {
    if (waitMs < RATE_LIMIT_STATUS_MS) return;
    const now = Date.now();
    if ((this.rateLimitReported.get(host) ?? -Infinity) > now - RATE_LIMIT_STATUS_MS) return;
    this.rateLimitReported.set(host, now);
    this.status(`Rate limited by ${host}: waiting ${Math.ceil(waitMs / 1000)} s before retrying`);
    this.quietUntil = Math.max(this.quietUntil, now + waitMs);
    this.changed = true;
  }

  /** Called once every task started: starts the timer that reports progress. */
  started(): void {
    if (this.timer === undefined) this.schedule(this.timing.firstMs);
  }

  /** Stops reporting (the session ended). */
  close(): void {
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    // Unreferenced: the status timer never keeps a finished capture's process alive.
    this.timer = setTimeout(() => {
      this.look();
      this.schedule(this.timing.everyMs);
    }, ms);
    this.timer.unref();
  }

  private look(): void {
    if (!this.changed || Date.now() < this.quietUntil) return;
    this.changed = false;
    if (this.backfilling.size > 0) this.status(`Backfilling ${this.backfilling.size} out of ${this.total} bindings`);
    else this.status(`Streaming change events (all ${this.total} bindings are backfilled)`);
  }
}
