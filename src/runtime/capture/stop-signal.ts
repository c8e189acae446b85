/**
 * Coordinates a graceful stop: strategies finish their current invocation when `stopping` is set;
 * `hardSignal` aborts in-flight requests once the deadline passed.
 */
export class StopSignal {
  private stopRequested = false;
  private readonly waiters = new Set<() => void>();
  private readonly hard = new AbortController();
  reason: string | undefined;

  get stopping(): boolean {
    return this.stopRequested;
  }

  /** Aborted when the stop deadline passes (or the capture fails hard). */
  get hardSignal(): AbortSignal {
    return this.hard.signal;
  }

  /** Asks every task to stop after its current invocation. */
  stop(reason: string): void {
    if (this.stopRequested) return;
    this.stopRequested = true;
    this.reason = reason;
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  /** Aborts in-flight work. */
  abort(reason: string): void {
    this.stop(reason);
    this.hard.abort(new Error(reason));
  }

  /** Sleeps `ms`, returning early (true) if a stop is requested. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopRequested) return Promise.resolve(true);
    // Even a zero wait goes through the macrotask queue, so a strategy that returns at once
    // cannot starve I/O (stdin, acknowledgements, signals) in a microtask loop.
    if (ms <= 0) return new Promise<boolean>((resolve) => setImmediate(() => resolve(this.stopRequested)));
    return new Promise<boolean>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(
        () => {
          this.waiters.delete(done);
          resolve(false);
        },
        Math.min(ms, 2 ** 31 - 1),
      );
      this.waiters.add(done);
    });
  }

  /** Resolves when a stop is requested. */
  wait(): Promise<void> {
    if (this.stopRequested) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.add(resolve));
  }
}
