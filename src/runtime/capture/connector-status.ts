import type { Logger } from '../../common/logger';

/** Rate-limit waits shorter than this are not reported as status. */
export const RATE_LIMIT_STATUS_MS = 1000;

/** Emits `connectorStatus` events as the Python CDK does: backfill progress, then streaming. */
export class ConnectorStatus {
  private total = 0;
  private readonly backfilling = new Map<number, number>();
  private last = '';
  private readonly rateLimitReported = new Map<string, number>();

  constructor(private readonly log: Logger) {}

  /** Reports a status message (deduplicated). */
  status(message: string): void {
    if (message === this.last) return;
    this.last = message;
    this.log.info({ eventType: 'connectorStatus' }, message);
  }

  addBinding(): void {
    this.total++;
  }

  startBackfill(binding: number): void {
    this.backfilling.set(binding, (this.backfilling.get(binding) ?? 0) + 1);
    this.report();
  }

  endBackfill(binding: number): void {
    const n = (this.backfilling.get(binding) ?? 1) - 1;
    if (n <= 0) this.backfilling.delete(binding);
    else this.backfilling.set(binding, n);
    this.report();
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
    setTimeout(() => this.report(), waitMs).unref();
  }

  private report(): void {
    if (this.backfilling.size > 0) this.status(`Backfilling ${this.backfilling.size} out of ${this.total} bindings`);
    else this.status('Streaming change events');
  }

  /** Called once every task started. */
  started(): void {
    this.report();
  }
}
