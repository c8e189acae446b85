import type { Logger } from '../../common/logger';

/** Emits `connectorStatus` events as the Python CDK does: backfill progress, then streaming. */
export class ConnectorStatus {
  private total = 0;
  private readonly backfilling = new Map<number, number>();
  private last = '';

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

  private report(): void {
    if (this.backfilling.size > 0) this.status(`Backfilling ${this.backfilling.size} out of ${this.total} bindings`);
    else this.status('Streaming change events');
  }

  /** Called once every task started. */
  started(): void {
    this.report();
  }
}
